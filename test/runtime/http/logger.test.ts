import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Fastify from 'fastify';
import { Secret } from '../../../lib/secrets/index.js';
import { pino } from 'pino';
import { gatewayLogger, loggablePath } from '../../../runtime/http/logger.js';
import { LogCapture } from '../fixtures.js';

test('logged paths drop the query string and scrub registered secrets', () => {
  const canary = new Secret('canary-a9b8c7d6e5f4a3b2');
  assert.is(loggablePath(`/api/v1/x?token=${canary.reveal()}`), '/api/v1/x');
  assert.is(loggablePath(`/api/v1/${canary.reveal()}`), '/api/v1/(secret)');
  assert.is(loggablePath(`/${'a'.repeat(300)}`).length, 257);
});

test('credential headers and keys are redacted by path with a fingerprint, errors by value', async () => {
  const canary = new Secret('canary-0011223344556677');
  const logs = new LogCapture();
  const app = Fastify({ loggerInstance: gatewayLogger('info', logs) });
  app.get('/x', async (request) => {
    request.log.info({ headers: request.headers, config: { apiKey: canary.reveal() }, req: request }, 'dump');
    request.log.error({ err: new Error(`failed with ${canary.reveal()}`) }, 'oops');
    return 'ok';
  });
  await app.inject({ method: 'GET', url: `/x?token=${canary.reveal()}`, headers: { authorization: `Bearer ${canary.reveal()}`, cookie: 's=1' } });
  await app.close();
  assert.ok(logs.text.includes('"dump"'));
  assert.ok(logs.lines.every((line) => JSON.parse(line).reqId !== undefined), 'request lines carry the request id');
  assert.match(logs.text, /\(redacted sha256:[0-9a-f]{8}\)/);
  assert.not.ok(logs.text.includes(canary.reveal()));
  assert.not.ok(logs.text.includes('s=1'));
});

test('request loggers become pino children only when they log; a route level of its own still holds', async () => {
  const logs = new LogCapture();
  // fastify's own request lines off, as the gateway's AccessLog writes its own
  const app = Fastify({ loggerInstance: gatewayLogger('info', logs), disableRequestLogging: true });
  app.get('/quiet', async (request) => {
    request.log.debug('below the level');
    return 'ok';
  });
  app.get('/loud', async (request) => {
    request.log.info({ n: 1 }, 'loud');
    return 'ok';
  });
  app.get('/warn-only', { logLevel: 'warn' }, async (request) => {
    request.log.info('hidden');
    request.log.warn('shown');
    return 'ok';
  });
  await app.ready();
  // Request children come from the pino logger behind app.log: count the children it builds per request.
  const real = Object.getPrototypeOf(app.log) as { child: (...args: unknown[]) => unknown };
  assert.ok(pino.symbols.chindingsSym in real, 'app.log stands on a pino logger');
  const build = real.child;
  let built = 0;
  real.child = function (this: unknown, ...args: unknown[]) {
    built++;
    return build.apply(this, args);
  };
  const childrenBuilt: Record<string, number> = {};
  for (const url of ['/quiet', '/loud']) {
    const before = built;
    assert.is((await app.inject({ url })).statusCode, 200);
    childrenBuilt[url] = built - before;
  }
  assert.is((await app.inject({ url: '/warn-only' })).statusCode, 200);
  await app.close();
  assert.equal(childrenBuilt, { '/quiet': 0, '/loud': 1 }, 'a child is built only for a request that logs at an enabled level');
  const messages = logs.lines.map((line) => JSON.parse(line)).filter((line) => line.reqId);
  assert.equal(messages.map((line) => line.msg).filter((msg) => ['loud', 'hidden', 'shown'].includes(msg)), ['loud', 'shown']);
  assert.is(messages.find((line) => line.msg === 'loud').n, 1);
});

test.run();
