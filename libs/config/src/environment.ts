import { ConfigurationError } from './configuration-error';

export type Environment = Readonly<Record<string, string | undefined>>;

/** A value that is unset or blank falls back to the default. */
export function readString(env: Environment, variable: string, fallback: string): string {
  const value = env[variable]?.trim();
  return value ? value : fallback;
}

export function readChoice<T extends string>(
  env: Environment,
  variable: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = readString(env, variable, fallback);
  if (!(choices as readonly string[]).includes(value)) {
    throw new ConfigurationError(variable, `'${value}' is not one of ${choices.join(', ')}`);
  }
  return value as T;
}

export function readInteger(
  env: Environment,
  variable: string,
  fallback: number,
  bounds: { readonly min: number; readonly max: number },
): number {
  const raw = env[variable]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigurationError(variable, `'${raw}' is not a whole number`);
  const value = Number(raw);
  if (value < bounds.min || value > bounds.max) {
    throw new ConfigurationError(variable, `${value} is outside ${bounds.min}..${bounds.max}`);
  }
  return value;
}

export function readUrl(env: Environment, variable: string, fallback: string, protocols: readonly string[]): string {
  const value = readString(env, variable, fallback);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(variable, `'${value}' is not a URL`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigurationError(variable, `'${url.protocol}' is not one of ${protocols.join(', ')}`);
  }
  return value;
}
