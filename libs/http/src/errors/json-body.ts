import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { ServerResponse } from 'node:http';
import type { PlatformRequest } from '../context/request-state';
import { malformedJson, payloadTooLarge } from './error-response';

/** JSON nested deeper than this is refused: no command needs it, and recursive code downstream would overflow. */
export const MAX_JSON_DEPTH = 32;

export interface JsonBodyOptions {
  readonly limitBytes: number;
  readonly maxDepth?: number;
}

/**
 * The API's JSON body parser. Create the app with `bodyParser: false` and call this before
 * `init()`: it bounds the body size and turns the parser's own errors into our error codes
 * (MALFORMED_JSON, PAYLOAD_TOO_LARGE), which Nest's default mapping would lose.
 */
export function useJsonBodyParser(app: NestExpressApplication, options: JsonBodyOptions): void {
  const maxDepth = options.maxDepth ?? MAX_JSON_DEPTH;
  app.useBodyParser('json', { limit: options.limitBytes });
  app.use((error: unknown, _request: PlatformRequest, _response: ServerResponse, next: (error?: unknown) => void) =>
    next(translateBodyParserError(error, options.limitBytes)),
  );
  app.use((request: PlatformRequest, _response: ServerResponse, next: (error?: unknown) => void) => {
    if (depthExceeds(request.body, maxDepth)) {
      next(
        new BadRequestException({
          code: 'JSON_TOO_DEEP',
          message: `The request body is nested deeper than ${maxDepth} levels`,
        }),
      );
      return;
    }
    next();
  });
}

export function translateBodyParserError(error: unknown, limitBytes: number): unknown {
  const type = (error as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') return new BadRequestException(malformedJson().body);
  if (type === 'entity.too.large') return new PayloadTooLargeException(payloadTooLarge(limitBytes).body);
  return error;
}

/** Iterative, so a hostile nesting cannot overflow the stack here either. */
export function depthExceeds(value: unknown, maxDepth: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= maxDepth) return true;
    for (const child of Object.values(current)) pending.push({ value: child, depth: depth + 1 });
  }
  return false;
}
