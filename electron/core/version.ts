import pkg from '../../package.json' with { type: 'json' };

/** The app version, from package.json (bundled at build time, read directly under tsx). */
export const APP_VERSION: string = pkg.version;
