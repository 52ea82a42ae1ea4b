/** Where the command context used to live; kept so imports from other libs still resolve. */
export * from './command-context';
