export * from './blob-store.port';
export * from './blob-store.module';
export { DiskBlobStore } from './adapters/disk/disk-blob-store';
export { PostgresBlobStore } from './adapters/postgres/postgres-blob-store';
