import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { securityHeaders } from '../../../runtime/http/security-headers.js';

test('the dashboard gets CSP with frame-ancestors none, frame denial and nosniff', () => {
  const headers = securityHeaders('dashboard');
  assert.match(headers['content-security-policy']!, "frame-ancestors 'none'");
  assert.match(headers['content-security-policy']!, "object-src 'none'");
  assert.not.match(headers['content-security-policy']!, 'unsafe-inline');
  assert.is(headers['x-frame-options'], 'DENY');
  assert.is(headers['x-content-type-options'], 'nosniff');
  assert.is(headers['referrer-policy'], 'no-referrer');
});

test('the API gets nosniff and no-store only', () => {
  assert.equal(securityHeaders('api'), { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
});

test.run();
