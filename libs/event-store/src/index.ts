export * from './event-store.port';
export * from './event-store.errors';
export * from './event-store';
export * from './hash-chain';
export * from './upcasting';
export * from './event-validation';
export * from './metadata-filter';
export * from './event-store.module';
