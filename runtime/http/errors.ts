import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { scrub } from '../../lib/secrets/index.js';

/** Fixed messages for errors whose own message could quote the request body. */
const FIXED_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'the body is not valid JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the body is empty; send a JSON object',
  FST_ERR_CTP_BODY_TOO_LARGE: 'the body is larger than the gateway accepts (limits.bodyLimitBytes)',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported Content-Type; send application/json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Content-Length does not match the body',
};

export interface ErrorBody {
  error: string;
  message: string;
}

/** The client sees what was wrong and where; never a stack, a body excerpt or a secret. */
export function errorBody(error: FastifyError): { status: number; body: ErrorBody } {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  const name = STATUS_CODES[status] ?? 'Error';
  if (error.validation) {
    const where = error.validationContext ?? 'request';
    const details = error.validation.map((issue) => {
      const path = `${where}${issue.instancePath || ''}`;
      const extra = issue.params && 'additionalProperty' in issue.params ? ` (${String(issue.params.additionalProperty)})` : '';
      return `${path} ${issue.message ?? 'is invalid'}${extra}`;
    });
    return { status: 400, body: { error: 'Bad Request', message: scrub(details.join('; ')) } };
  }
  if (status >= 500) return { status, body: { error: name, message: 'internal error; the gateway log has details' } };
  const fixed = error.code ? FIXED_MESSAGES[error.code] : undefined;
  return { status, body: { error: name, message: fixed ?? scrub(error.message) } };
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { status, body } = errorBody(error);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  void reply.code(status).send(body);
}
