// Integration and e2e tests boot databases, apps and whole workflows; Jest's 5 s default per
// test failed them on a shared CI machine under a load of 15 (never on a quiet one). A hang is
// still caught: 30 s is far beyond any of them on a quiet machine. (Jest reads `testTimeout`
// only from the global configuration, not from a project's, hence this per-project setup file.)
jest.setTimeout(30_000);
