import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FastifyError } from 'fastify';
import { Secret } from '../../../lib/secrets/index.js';
import { errorBody } from '../../../runtime/http/errors.js';

function fastifyError(fields: Partial<FastifyError> & { message: string }): FastifyError {
  return Object.assign(new Error(fields.message), fields) as FastifyError;
}

test('validation errors become 400 with the location and the rule', () => {
  const error = fastifyError({
    message: 'x', statusCode: 400, validationContext: 'querystring',
    validation: [{ instancePath: '/limit', message: 'must be <= 500', keyword: 'maximum', schemaPath: '#', params: {} }],
  });
  assert.equal(errorBody(error), { status: 400, body: { error: 'Bad Request', message: 'querystring/limit must be <= 500' } });
});

test('body parser errors get fixed messages that never echo the body', () => {
  const error = fastifyError({ message: `Unexpected token in JSON "{secret-body"`, statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
  assert.equal(errorBody(error).body, { error: 'Bad Request', message: 'the body is not valid JSON' });
  const large = fastifyError({ message: 'too large', statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
  assert.equal(errorBody(large), { status: 413, body: { error: 'Payload Too Large', message: 'the body is larger than the gateway accepts (limits.bodyLimitBytes)' } });
});

test('server errors hide their message; client errors are scrubbed of secrets', () => {
  const canary = new Secret('canary-1f2e3d4c5b6a7980');
  assert.equal(errorBody(fastifyError({ message: `db at ${canary.reveal()} broke` })), {
    status: 500, body: { error: 'Internal Server Error', message: 'internal error; the gateway log has details' },
  });
  const body = errorBody(fastifyError({ message: `bad ${canary.reveal()}`, statusCode: 409 })).body;
  assert.is(body.message, 'bad (secret)');
});

test.run();
