export * from './domain/policies';
export * from './policies/policy-catalog';
export { Registers, type ScreeningResult } from './use-cases/registers/registers';
