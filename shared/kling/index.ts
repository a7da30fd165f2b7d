/** Kling domain data shared by the core, the CLI and the renderer. */
export * from './camera';
export * from './capabilities';
export * from './endpoints';
export * from './errors';
export * from './images';
export * from './prices';
export * from './providers';
export * from './request';
export * from './wire';
export * from './multi-shot';
