export type Surface = 'api' | 'dashboard';

const EVERYWHERE: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

const DASHBOARD: Record<string, string> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-frame-options': 'DENY',
  // Only a page has links and subresources to send a Referer from; on a JSON answer it does nothing.
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Headers for every response of a listener, errors and 401s included; built once per listener. */
export function securityHeaders(surface: Surface): Record<string, string> {
  return surface === 'dashboard' ? { ...EVERYWHERE, ...DASHBOARD } : { ...EVERYWHERE };
}
