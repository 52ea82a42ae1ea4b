import type { Readable } from 'node:stream';
import type { Principal } from '@engine/platform';
import type { CommandContext } from '../../infrastructure/command-context';

/** Streams a file into the blob store and attaches it to the application (MaterialAttached). */
export class AttachMaterialCommand {
  constructor(
    readonly applicationId: string,
    readonly upload: {
      kind: string;
      /** As the client named it; sanitised before it is stored. */
      fileName: string | undefined;
      /** The file's bytes, streamed (never buffered whole). */
      content: Readable;
    },
    readonly principal: Principal,
    readonly context: CommandContext,
    /** Method and path the Idempotency-Key's request digest is taken over (with kind, name and digest). */
    readonly request: { method: string; path: string },
  ) {}
}
