import { request as httpRequest } from 'node:http';
import type { Role } from '@salur/kernel';

/** One exchange as the fuzz passes see it: any status, the body as text. */
export interface Exchange {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

export function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method, agent: false, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          contentType: String(response.headers['content-type'] ?? ''),
        }),
      );
    });
    // The server may refuse a huge body before reading it all.
    outgoing.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE'
        ? resolve({ status: 413, body: '{"code":"RESET"}', contentType: 'application/json' })
        : reject(error),
    );
    outgoing.end(body);
  });
}

export interface Schema {
  readonly $ref?: string;
  readonly type?: string;
  readonly format?: string;
  readonly example?: unknown;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly items?: Schema;
  readonly allOf?: readonly Schema[];
  readonly properties?: Record<string, Schema>;
}

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly schema?: Schema;
}

export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly roles: Role[];
  readonly parameters: readonly Parameter[];
  /** The media types of its body (application/json, text/csv, application/xml), none without one. */
  readonly bodyTypes: readonly string[];
  readonly bodySchema?: Schema;
  /** An operation without parameters or a body has nothing to refuse: a valid token gets its 2xx. */
  readonly takesInput: boolean;
}

export interface OpenApiDocument {
  readonly paths: Record<
    string,
    Record<
      string,
      {
        'x-roles'?: Role[];
        parameters?: Parameter[];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      }
    >
  >;
  readonly components?: { readonly schemas?: Record<string, Schema> };
}

/** Every operation the API's OpenAPI document (GET /docs-json) lists. */
export async function operationsOf(apiUrl: string): Promise<{ document: OpenApiDocument; operations: Operation[] }> {
  const document = JSON.parse((await send(`${apiUrl}/docs-json`, 'GET', {})).body) as OpenApiDocument;
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const parameters = (operation.parameters ?? []).filter((parameter) => parameter.in !== 'header');
      const content = operation.requestBody?.content ?? {};
      return {
        method: method.toUpperCase(),
        path,
        roles: operation['x-roles'] ?? [],
        parameters,
        bodyTypes: Object.keys(content),
        bodySchema: content['application/json']?.schema,
        takesInput: operation.requestBody !== undefined || parameters.length > 0,
      };
    }),
  );
  return { document, operations };
}
