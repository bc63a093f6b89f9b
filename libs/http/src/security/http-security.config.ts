import { ConfigurationError, Environment, readInteger, readString } from '@salur/config';

/** Two years: the longest max-age browsers' preload lists ask for; nothing needs more. */
export const MAX_HSTS_MAX_AGE_SECONDS = 63_072_000;
/** More origins than any deployment of this API has browser front ends. */
export const MAX_CORS_ORIGINS = 20;

export interface HttpSecurityConfig {
  /**
   * CORS_ORIGINS: the exact origins (`https://portal.example.go.id`) whose pages may call the API
   * from a browser. Empty (the default): CORS stays closed, no Access-Control-* header is sent.
   */
  readonly corsOrigins: readonly string[];
  /**
   * HSTS_MAX_AGE, in seconds: sent as Strict-Transport-Security only when above 0. Set it only
   * where the API is reached over TLS (behind a TLS-terminating proxy): a browser that saw it
   * refuses plain HTTP to the host for that long, which would lock out a plain-HTTP deployment.
   */
  readonly hstsMaxAgeSeconds: number;
}

export function httpSecurityConfigFrom(env: Environment): HttpSecurityConfig {
  return {
    corsOrigins: corsOriginsFrom(env),
    hstsMaxAgeSeconds: readInteger(env, 'HSTS_MAX_AGE', 0, { min: 0, max: MAX_HSTS_MAX_AGE_SECONDS }),
  };
}

/** A comma-separated list of origins, each exactly `scheme://host[:port]`; `*` is refused: list them. */
function corsOriginsFrom(env: Environment): readonly string[] {
  const text = readString(env, 'CORS_ORIGINS', '');
  if (!text) return [];
  const origins = text.split(',').map((origin) => origin.trim());
  if (origins.length > MAX_CORS_ORIGINS) {
    throw new ConfigurationError('CORS_ORIGINS', `lists ${origins.length} origins; at most ${MAX_CORS_ORIGINS}`);
  }
  for (const origin of origins) {
    if (!isOrigin(origin)) {
      throw new ConfigurationError(
        'CORS_ORIGINS',
        `'${origin}' is not an origin: write each as scheme://host[:port] (https://portal.example.go.id), no path, no *`,
      );
    }
  }
  return origins;
}

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === text;
  } catch {
    return false;
  }
}
