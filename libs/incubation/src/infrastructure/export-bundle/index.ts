export * from './export-format';
export * from './export-events';
