import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventStore } from '@engine/event-store';
import { verifyMaterials } from '@engine/incubation';
import { BlobStore } from '@engine/platform/blob-store';
import { errorResponse } from '@engine/platform';
import { Roles } from '../auth/auth.decorators';
import { HttpError } from '../http/http-error';
import { AuditEventsQuery } from './audit-events.query.dto';
import { readAuditLog } from './audit-log';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(BlobStore) private readonly blobs: BlobStore,
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
}
