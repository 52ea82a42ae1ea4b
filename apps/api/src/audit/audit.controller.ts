import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { EventStore } from '@engine/event-store';
import {
  exportEvents,
  ExportOptionsError,
  ExportRefusedError,
  MANIFEST_FILE,
  verifyMaterials,
} from '@engine/incubation';
import { BlobStore } from '@engine/platform/blob-store';
import { Clock, errorResponse } from '@engine/platform';
import { Roles } from '../auth/auth.decorators';
import { HttpError } from '../http/http-error';
import { AuditEventsQuery } from './audit-events.query.dto';
import { readAuditLog } from './audit-log';
import { ExportBundleQuery } from './export-bundle.query.dto';
import { tarGzDirectory } from './tar-directory';

/** One line of `GET /v1/audit/verify/progress` (NDJSON). */
export type VerifyProgressLine =
  | { phase: 'chains' | 'materials'; done: number; total: number }
  | { phase: 'done'; result: Awaited<ReturnType<AuditController['verify']>> };

const NDJSON = 'application/x-ndjson';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(BlobStore) private readonly blobs: BlobStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Get('events')
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary:
      'The global log as stored (with hashes), filtered by type, stream, actor and recording time; page with `after=next` until `next` is null',
  })
  events(@Query() query: AuditEventsQuery) {
    if (query.from !== undefined && query.to !== undefined && Date.parse(query.to) < Date.parse(query.from)) {
      const message = 'to must not be earlier than from';
      throw new HttpError(
        errorResponse(400, 'VALIDATION_FAILED', `to: ${message}`, [{ field: 'to', message }]),
      );
    }
    return readAuditLog(this.store.backend, {
      after: query.after ?? 0,
      limit: query.limit ?? 100,
      types: query.type?.split(','),
      stream: query.stream,
      actor: query.actor,
      from: query.from,
      to: query.to,
    });
  }

  @Get('verify')
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary:
      "Recomputes every stream's hash chain and names the first break, then every stored material file's SHA-256, naming each missing or altered file by application and material",
  })
  async verify() {
    const chains = await this.store.verify();
    const materials = await verifyMaterials(this.store.backend, this.blobs);
    return { ...chains, ok: chains.ok && materials.ok, materials };
  }

  @Get('verify/progress')
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary:
      'The same check as GET /v1/audit/verify, answered as it goes: NDJSON lines `{"phase":"chains"|"materials","done","total"}` (events, then material files), then `{"phase":"done","result":…}` with the result of GET /v1/audit/verify',
  })
  @ApiOkResponse({
    description: 'progress lines, then the result',
    content: {
      [NDJSON]: {
        schema: {
          type: 'object',
          required: ['phase'],
          properties: {
            phase: { type: 'string', enum: ['chains', 'materials', 'done'] },
            done: { type: 'integer' },
            total: { type: 'integer' },
            result: { type: 'object', description: 'as GET /v1/audit/verify answers' },
          },
        },
      },
    },
  })
  verifyProgress(@Res() reply: FastifyReply): FastifyReply {
    const out = new PassThrough();
    let last = '';
    const send = (line: VerifyProgressLine) => {
      if (!out.writableEnded) out.write(`${JSON.stringify(line)}\n`);
    };
    // One line per whole percent (and the ends), however many events or files there are.
    const progress = (phase: 'chains' | 'materials') => (done: number, total: number) => {
      const step = `${phase}:${total === 0 ? 100 : Math.floor((done * 100) / total)}`;
      if (step === last && done !== total) return;
      last = step;
      send({ phase, done: Math.min(done, total), total });
    };
    const run = async () => {
      const chains = await this.store.verify(progress('chains'));
      const materials = await verifyMaterials(this.store.backend, this.blobs, progress('materials'));
      send({ phase: 'done', result: { ...chains, ok: chains.ok && materials.ok, materials } });
      out.end();
    };
    run().catch((error: Error) => out.destroy(error));
    return reply
      .header('Content-Type', `${NDJSON}; charset=utf-8`)
      .header('Cache-Control', 'no-store')
      .header('X-Accel-Buffering', 'no')
      .send(out);
  }

  @Get('export')
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary:
      "The export bundle of the CLI's `export` (the same code), as a gzipped tar streamed to the caller: events recorded in [from, to) as JSONL, the context events, the material files (or their digests) and manifest.json; check it offline with `verify-export`. 409 EXPORT_REFUSED when a chain or a file is broken",
  })
  @ApiOkResponse({
    description: 'the bundle; the header X-Manifest-Sha256 is the SHA-256 of its manifest.json',
    content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } },
  })
  async export(@Query() query: ExportBundleQuery, @Res() reply: FastifyReply): Promise<FastifyReply> {
    if (
      query.from !== undefined &&
      query.to !== undefined &&
      Date.parse(query.to) <= Date.parse(query.from)
    ) {
      const message = 'to must be after from';
      throw new HttpError(
        errorResponse(400, 'VALIDATION_FAILED', `to: ${message}`, [{ field: 'to', message }]),
      );
    }
    const now = this.clock.now();
    const name = `event-export-${now.toISOString().replace(/[-:]|\.\d+/g, '')}`;
    const work = await mkdtemp(join(tmpdir(), 'audit-export-'));
    const dir = join(work, name);
    const cleanUp = () => void rm(work, { recursive: true, force: true });
    try {
      await exportEvents(this.store.backend, {
        from: query.from,
        // Everything recorded so far: an event recorded at this very instant (a manual clock) too.
        to: query.to ?? new Date(now.getTime() + 1).toISOString(),
        out: dir,
        now: () => now,
        blobs: query.withoutFiles === 'true' ? undefined : this.blobs,
      });
    } catch (error) {
      cleanUp();
      if (error instanceof ExportRefusedError)
        throw new HttpError(errorResponse(409, 'EXPORT_REFUSED', error.message));
      if (error instanceof ExportOptionsError)
        throw new HttpError(errorResponse(400, 'VALIDATION_FAILED', error.message));
      throw error;
    }
    const manifestSha256 = createHash('sha256')
      .update(await readFile(join(dir, MANIFEST_FILE)))
      .digest('hex');
    const bundle = tarGzDirectory(dir, name, now);
    bundle.on('close', cleanUp);
    reply.raw.on('close', () => bundle.destroy());
    return reply
      .header('Content-Type', 'application/gzip')
      .header('Content-Disposition', `attachment; filename="${name}.tar.gz"`)
      .header('X-Manifest-Sha256', manifestSha256)
      .header('Cache-Control', 'private, no-store')
      .send(bundle);
  }
}
