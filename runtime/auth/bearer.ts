/** Short, fixed reason codes: safe as metric labels (bounded, never derived from the request). */
export type AuthFailureCode = 'missing' | 'repeated' | 'oversized' | 'scheme' | 'empty' | 'charset' | 'query' | 'unknown' | 'expired' | 'channel';

export type BearerResult = { token: string } | { problem: string; code: AuthFailureCode };

/** RFC 6750's token68: the only form a bearer token can take. */
export const TOKEN68 = /^[A-Za-z0-9._~+/-]+=*$/;

const TOKEN_QUERY_KEYS = /(?:^|[?&;])(?:token|access_token|auth|auth_token|authtoken|authorization|bearer|key|api_key|apikey)=/i;

/**
 * The one `Authorization` header of a request, read from its raw header list so that a repeated
 * header is seen (Node keeps only the first in `headers`). Pure; the problem never quotes the value.
 */
export function authorizationHeader(rawHeaders: readonly string[]): string | { problem: string; code: AuthFailureCode } {
  let value: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    // The length test first: lower-casing every header name of every request costs a string each.
    if (name.length !== 13 || name.toLowerCase() !== 'authorization') continue;
    if (value !== undefined) return { problem: 'more than one Authorization header', code: 'repeated' };
    value = rawHeaders[i + 1]!;
  }
  return value ?? { problem: 'no Authorization header', code: 'missing' };
}

/** The bearer token in an `Authorization` header value. Pure; the problem never quotes the value. */
export function bearerToken(value: string, maxLength: number): BearerResult {
  if (value.length > maxLength) return { problem: `Authorization header longer than ${maxLength} bytes`, code: 'oversized' };
  // What well-behaved clients send, checked without a regular expression (three of them cost more than
  // the rest of the authentication together); anything else takes the general path below.
  if (value.startsWith('Bearer ') && isToken68(value, 7)) return { token: value.slice(7) };
  const trimmed = value.trim();
  if (/^Bearer$/i.test(trimmed)) return { problem: 'empty bearer token', code: 'empty' };
  const match = /^Bearer +(\S*)$/i.exec(trimmed);
  if (!match) return { problem: 'Authorization scheme is not Bearer', code: 'scheme' };
  const token = match[1]!;
  if (token.length === 0) return { problem: 'empty bearer token', code: 'empty' };
  if (!TOKEN68.test(token)) return { problem: 'bearer token has characters outside token68', code: 'charset' };
  return { token };
}

/** The bearer token of a request: its one `Authorization` header, read by `bearerToken`. Pure. */
export function readBearer(rawHeaders: readonly string[], maxLength: number): BearerResult {
  const value = authorizationHeader(rawHeaders);
  return typeof value === 'string' ? bearerToken(value, maxLength) : value;
}

const ALPHA_DIGIT_OR_MARK = (() => {
  const table = new Uint8Array(128);
  for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/') table[char.charCodeAt(0)] = 1;
  return table;
})();

/** `value.slice(from)` matches token68 (`[A-Za-z0-9._~+/-]+=*`), without building the slice. */
function isToken68(value: string, from: number): boolean {
  let end = value.length;
  while (end > from && value.charCodeAt(end - 1) === 0x3d) end--; // trailing '=' padding
  if (end === from) return false;
  for (let i = from; i < end; i++) {
    const code = value.charCodeAt(i);
    if (code >= 128 || ALPHA_DIGIT_OR_MARK[code] === 0) return false;
  }
  return true;
}

/** True when the query string carries something that looks like a credential; such URLs end up in logs. */
export function queryCarriesCredential(url: string): boolean {
  const at = url.indexOf('?');
  if (at === -1) return false;
  let query = url.slice(at);
  try {
    query = decodeURIComponent(query);
  } catch {
    // keep the raw form: a malformed escape is still checked as written
  }
  return TOKEN_QUERY_KEYS.test(query);
}
