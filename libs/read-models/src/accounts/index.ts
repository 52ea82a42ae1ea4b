export * from './account';
export * from './account-tables';
export * from './account-service';
export * from './passwords';
