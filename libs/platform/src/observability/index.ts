export * from './correlation';
export * from './logger';
export * from './metrics';
export * from './health';
export * from './http';
export * from './ops-server';
export * from './tracing';
