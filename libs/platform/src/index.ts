export * from './config/config';
export * from './clock/clock';
