import { request as httpRequest } from 'node:http';

export interface HttpResponse<T = unknown> {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: T;
  readonly text: string;
}

export interface HttpRequestOptions {
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as is (a malformed body, a CSV upload); give its content-type in headers. */
  readonly rawBody?: string | Buffer;
  readonly headers?: Record<string, string>;
}

/**
 * One HTTP exchange on a fresh connection. Tests avoid fetch's pooled keep-alive sockets,
 * which outlive the app under test and keep Jest from exiting.
 */
export function http<T = unknown>(
  method: string,
  url: string,
  options: HttpRequestOptions = {},
): Promise<HttpResponse<T>> {
  const payload =
    options.rawBody !== undefined
      ? Buffer.from(options.rawBody)
      : options.body === undefined
        ? undefined
        : Buffer.from(JSON.stringify(options.body));
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      {
        method,
        agent: false,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const isJson = String(response.headers['content-type'] ?? '').includes('json');
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: (isJson && text ? JSON.parse(text) : text) as T,
            text,
          });
        });
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
