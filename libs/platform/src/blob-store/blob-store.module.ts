import {
  type DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { join } from 'node:path';
import type { AppConfig } from '../config/config';
import { APP_CONFIG } from '../nest/platform.module';
import { DiskBlobStore } from './adapters/disk/disk-blob-store';
import { PostgresBlobStore } from './adapters/postgres/postgres-blob-store';
import { BlobStore } from './blob-store.port';

/** Directory of the embedded blob store inside DATA_DIR. */
export function diskBlobDirectory(config: AppConfig): string {
  return join(config.DATA_DIR, 'blobs');
}

/** Opens the adapter BLOB_STORE names. The only place that knows which adapters exist. */
export function createBlobStore(config: AppConfig): BlobStore {
  switch (config.BLOB_STORE) {
    case 'disk':
      return new DiskBlobStore({ directory: diskBlobDirectory(config) });
    case 'postgres':
      return new PostgresBlobStore({ connectionString: config.BLOB_STORE_URL! });
  }
}

@Injectable()
class BlobStoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(BlobStore) private readonly store: BlobStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/** Provides {@link BlobStore} on the configured adapter. */
@Global()
@Module({})
export class BlobStoreModule {
  static forRoot(): DynamicModule {
    return {
      module: BlobStoreModule,
      providers: [
        {
          provide: BlobStore,
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => createBlobStore(config),
        },
        BlobStoreLifecycle,
      ],
      exports: [BlobStore],
    };
  }
}
