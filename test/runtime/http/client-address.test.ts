import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { clientAddress, clientAddressReader, proxyTrust } from '../../../runtime/http/client-address.js';

const trust = proxyTrust(['10.0.0.1', '10.8.0.0/16', 'fd00::/8'])!;

test('no trusted proxies: no trust list, and X-Forwarded-For is never read', () => {
  assert.is(proxyTrust([]), null);
  assert.is(clientAddress('10.0.0.1', '203.0.113.9', null), '10.0.0.1');
});

test('an untrusted peer cannot move its address, whatever X-Forwarded-For it sends', () => {
  for (const forwarded of ['203.0.113.9', '10.0.0.1', '203.0.113.9, 10.0.0.1', ['1.1.1.1', '2.2.2.2'], 'garbage']) {
    assert.is(clientAddress('198.51.100.7', forwarded, trust), '198.51.100.7', JSON.stringify(forwarded));
  }
});

test('a trusted proxy: the right-most address that is not a trusted hop is the client', () => {
  assert.is(clientAddress('10.0.0.1', '203.0.113.9', trust), '203.0.113.9');
  assert.is(clientAddress('10.0.0.1', 'spoofed-by-client, 198.51.100.3, 203.0.113.9', trust), '203.0.113.9', 'left entries are the client’s own claims');
  assert.is(clientAddress('10.0.0.1', '203.0.113.9, 10.8.3.4', trust), '203.0.113.9', 'through a second trusted hop');
  assert.is(clientAddress('10.0.0.1', ['203.0.113.9', '10.8.3.4'], trust), '203.0.113.9', 'repeated headers read as one list');
  assert.is(clientAddress('::ffff:10.0.0.1', ' 2001:db8::5 ', trust), '2001:db8::5', 'IPv4-mapped peer, IPv6 client');
  assert.is(clientAddress('fd00::1', '203.0.113.9', trust), '203.0.113.9', 'an IPv6 range');
  assert.is(clientAddress('10.0.0.1', undefined, trust), '10.0.0.1', 'no header: the proxy itself');
});

test('unreadable entries stop the walk at the last hop known', () => {
  assert.is(clientAddress('10.0.0.1', '203.0.113.9, not-an-ip', trust), '10.0.0.1');
  assert.is(clientAddress('10.0.0.1', 'not-an-ip, 10.8.1.1', trust), '10.8.1.1');
  assert.is(clientAddress('10.0.0.1', '203.0.113.9:4711', trust), '10.0.0.1', 'address:port is not read');
});

test('bad entries are refused with the entry named', () => {
  for (const entry of ['10.0.0.300', '10.0.0.0/33', 'fd00::/129', '10.0.0.0/8/1', 'proxy.example', '10.0.0.0/x', '']) {
    assert.throws(() => proxyTrust([entry]), (error: Error) => error.message.includes(`"${entry}"`) && error.message.includes('gateway.trustedProxies'), entry);
  }
});

test('the reader follows the live list and rebuilds only when it changes', () => {
  let list: readonly string[] | undefined = undefined;
  const addressOf = clientAddressReader(() => list);
  const request = { ip: '10.0.0.1', headers: { 'x-forwarded-for': '203.0.113.9' } };
  assert.is(addressOf(request), '10.0.0.1');
  list = ['10.0.0.1'];
  assert.is(addressOf(request), '203.0.113.9');
  list = ['bad entry'];
  assert.is(addressOf(request), '10.0.0.1', 'a list that cannot be read trusts nobody');
});

test.run();
