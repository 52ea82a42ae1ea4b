export * from './config/config';
export * from './clock/clock';
export * from './nest/platform.module';
export * from './http/error-response';
export * from './http/error-messages';
export * from './redis/redis-probe';
export * from './nest/graceful-shutdown';
export * from './nest/log-levels';
export * from './auth/principal';
export * from './auth/token-verifier';
export * from './clock/china-date';
export * from './identity/credit-code';
export * from './calendar/iso-date';
export * from './calendar/working-days';
export * from './calendar/arrangement';
export * from './observability';
export * from './privacy/personal-data-vault';
export * from './redis/queue-connection';
export * from './privacy/masking';
export * from './identity/resident-id';
export * from './labels';
export * from './net/egress';

// The blob store's port and its factory (docs/materials.md); the adapters stay behind them.
export {
  BlobNotFoundError,
  BlobStore,
  checkBlob,
  DIGEST_PATTERN,
  type BlobInfo,
  type PutResult,
} from './blob-store/blob-store.port';
export { createBlobStore } from './blob-store/blob-store.module';
