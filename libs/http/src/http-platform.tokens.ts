/** Nest injection tokens of the HTTP platform. */
export const HTTP_PLATFORM_CONFIG = Symbol('HTTP_PLATFORM_CONFIG');
/** Controllers from libraries that cannot carry @Public() themselves (the health check). */
export const PUBLIC_CONTROLLERS = Symbol('PUBLIC_CONTROLLERS');
