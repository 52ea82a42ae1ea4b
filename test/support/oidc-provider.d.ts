/** oidc-provider (a dev dependency of the OIDC e2e test) ships no type declarations. */
declare module 'oidc-provider';
