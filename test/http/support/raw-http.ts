import { request as httpRequest } from 'node:http';
import type { HttpResponse } from '../../support/http';

/**
 * For the few requests test/support/http.ts cannot send because it always serialises valid
 * JSON: a malformed body. Same fresh-connection discipline.
 */
export function rawHttp<T = unknown>(
  method: string,
  url: string,
  payload: string,
  headers: Record<string, string> = {},
): Promise<HttpResponse<T>> {
  const bytes = Buffer.from(payload, 'utf8');
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      {
        method,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': String(bytes.length), ...headers },
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
    outgoing.end(bytes);
  });
}
