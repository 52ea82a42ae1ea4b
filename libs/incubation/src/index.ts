export * from './domain/policies';
export * from './policies/policy-catalog';
