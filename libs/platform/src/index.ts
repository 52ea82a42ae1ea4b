export * from './config/config';
export * from './clock/clock';
export * from './nest/platform.module';
export * from './http/error-response';
export * from './redis/redis-probe';
export * from './nest/graceful-shutdown';
export * from './nest/log-levels';
