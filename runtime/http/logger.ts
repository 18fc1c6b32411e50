import { createHash } from 'node:crypto';
import type { FastifyServerOptions } from 'fastify';
import { scrub } from '../../lib/secrets/index.js';

export interface LogDestination {
  write(line: string): void;
}

/** Header and key paths that hold credentials wherever they are logged (pino redaction by path). */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-channel-token"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-channel-token"]',
  'authorization',
  '*.token',
  '*.authToken',
  '*.apiKey',
  'env',
];

function censor(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) return '(redacted)';
  return `(redacted sha256:${createHash('sha256').update(value).digest('hex').slice(0, 8)})`;
}

/** The path alone, scrubbed: query strings are where careless clients put tokens. */
export function loggablePath(url: string): string {
  const path = url.split('?', 1)[0] ?? '';
  return scrub(path.length > 256 ? `${path.slice(0, 256)}…` : path);
}

interface SerializableRequest {
  method: string;
  url: string;
  ip?: string;
}

interface SerializableError {
  name?: string;
  code?: string;
  statusCode?: number;
  message?: string;
  stack?: string;
}

export function loggerOptions(level: string, destination?: LogDestination): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor },
    serializers: {
      req: (request: SerializableRequest) => ({ method: request.method, path: loggablePath(request.url), address: request.ip }),
      err: (error: SerializableError) => ({
        type: error.name ?? 'Error',
        code: error.code,
        statusCode: error.statusCode,
        message: scrub(String(error.message ?? '')),
        stack: scrub(error.stack ?? ''),
      }),
    },
    ...(destination ? { stream: destination } : {}),
  };
}
