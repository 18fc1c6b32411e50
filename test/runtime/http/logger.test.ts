import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Fastify from 'fastify';
import { Secret } from '../../../lib/secrets/index.js';
import { loggablePath, loggerOptions } from '../../../runtime/http/logger.js';
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
  const app = Fastify({ logger: loggerOptions('info', logs) });
  app.get('/x', async (request) => {
    request.log.info({ headers: request.headers, config: { apiKey: canary.reveal() }, req: request }, 'dump');
    request.log.error({ err: new Error(`failed with ${canary.reveal()}`) }, 'oops');
    return 'ok';
  });
  await app.inject({ method: 'GET', url: `/x?token=${canary.reveal()}`, headers: { authorization: `Bearer ${canary.reveal()}`, cookie: 's=1' } });
  await app.close();
  assert.ok(logs.text.includes('"dump"'));
  assert.match(logs.text, /\(redacted sha256:[0-9a-f]{8}\)/);
  assert.not.ok(logs.text.includes(canary.reveal()));
  assert.not.ok(logs.text.includes('s=1'));
});

test.run();
