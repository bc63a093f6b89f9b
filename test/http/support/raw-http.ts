import { http, HttpResponse } from '../../support/http';

/** A body sent as is (a malformed one, say), as JSON unless the headers say otherwise. */
export function rawHttp<T = unknown>(
  method: string,
  url: string,
  payload: string,
  headers: Record<string, string> = {},
): Promise<HttpResponse<T>> {
  return http<T>(method, url, { rawBody: payload, headers });
}
