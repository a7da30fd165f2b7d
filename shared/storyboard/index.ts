/** Storyboard file format (JSON/CSV), validation and cost estimate; shared by core and renderer. */
export * from './schema';
export * from './csv';
export * from './validate';
export * from './paths';
