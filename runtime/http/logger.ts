import { createHash } from 'node:crypto';
import { LogController } from 'fastify';
import { pino } from 'pino';
import type { DestinationStream, LoggerOptions } from 'pino';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
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

/** The path alone, scrubbed: query strings are where careless clients put tokens (and /chat its messages). */
export function loggablePath(url: string): string {
  const at = url.indexOf('?');
  const path = at === -1 ? url : url.slice(0, at);
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

/** pino's options for the gateway: the level, redaction and serializers; where lines go is gatewayLogger's. */
function loggerOptions(level: string): LoggerOptions {
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
  };
}

/** Told of every answered request (fastify calls `requestCompleted` for each, whatever the log level). */
export type AnsweredObserver = (request: FastifyRequest, reply: FastifyReply) => void;

/**
 * Fastify's request logging replaced by one access line per answered request ("request completed",
 * or "request errored" at error level), with fixed fields only: method, path without its query,
 * status, milliseconds, client address. Fields never come from headers or bodies, so the line skips
 * the redaction walk; the request id and listener name say which request and which port.
 */
export class AccessLog extends LogController {
  #lines: FastifyBaseLogger | null = null;
  #info = false;
  readonly #address: (request: FastifyRequest) => string;
  readonly #answered: AnsweredObserver | null;

  constructor(address: (request: FastifyRequest) => string = (request) => request.ip, answered?: AnsweredObserver) {
    super({});
    this.#address = address;
    this.#answered = answered ?? null;
  }

  /** Binds the access lines to the app's logger, once it exists. */
  attach(logger: FastifyBaseLogger, listener: string): void {
    this.#lines = logger.child({ listener }, { redact: [] });
    this.#info = (logger as unknown as { isLevelEnabled(level: string): boolean }).isLevelEnabled('info');
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    this.#answered?.(request, reply);
    const lines = this.#lines;
    if (!lines || (!error && !this.#info)) return;
    const fields = {
      reqId: request.id,
      method: request.method,
      path: loggablePath(request.url),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      address: this.#address(request),
    };
    if (error) request.log.error({ ...fields, err: error }, 'request errored');
    else lines.info(fields, 'request completed');
  }

  /** Fastify's own line quotes the raw URL, query string included. */
  override routeNotFound(request: FastifyRequest): void {
    request.log.info({ method: request.method, path: loggablePath(request.url) }, 'route not found');
  }
}

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
type Leveled = FastifyBaseLogger & { isLevelEnabled(level: string): boolean };

/**
 * A request's logger that becomes a real pino child only when something is logged at an enabled
 * level. Pino builds each child eagerly, running its bindings through the redaction paths; most
 * requests log nothing, so most requests never pay for that.
 */
class RequestLogger {
  readonly #parent: Leveled;
  readonly #bindings: Record<string, unknown>;
  #child: FastifyBaseLogger | null = null;

  constructor(parent: FastifyBaseLogger, bindings: Record<string, unknown>) {
    this.#parent = parent as Leveled;
    this.#bindings = bindings;
  }

  #real(): FastifyBaseLogger {
    this.#child ??= this.#parent.child(this.#bindings);
    return this.#child;
  }

  get level(): string {
    return (this.#child ?? this.#parent).level;
  }

  set level(level: string) {
    this.#real().level = level;
  }

  isLevelEnabled(level: string): boolean {
    return ((this.#child ?? this.#parent) as Leveled).isLevelEnabled(level);
  }

  child(bindings: Record<string, unknown>, options?: Parameters<FastifyBaseLogger['child']>[1]): FastifyBaseLogger {
    return this.#real().child(bindings, options);
  }

  silent(): void {}

  static {
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const satisfies readonly Level[]) {
      Object.defineProperty(RequestLogger.prototype, level, {
        value: function log(this: RequestLogger, ...args: unknown[]): void {
          if (!this.isLevelEnabled(level)) return;
          const real = this.#real() as unknown as Record<Level, (...a: unknown[]) => void>;
          real[level](...args);
        },
      });
    }
  }
}

/** True when a child was asked for with options of its own (a level, serializers, redaction). */
function hasOptions(options: object | undefined): boolean {
  for (const _ in options) return true;
  return false;
}

/**
 * `real` with children that are RequestLoggers when asked for without options, as fastify asks for
 * one per request. A child with options of its own (a route's level, the app's serializers) is made
 * at once and gets the same children. Handed to fastify as `loggerInstance`, so its default child
 * factory applies: a custom `childLoggerFactory` would have fastify check every request's child for
 * its seven methods.
 */
function withLazyChildren(real: FastifyBaseLogger): FastifyBaseLogger {
  const logger = Object.create(real) as FastifyBaseLogger;
  logger.child = (bindings, options) =>
    hasOptions(options)
      ? withLazyChildren(real.child(bindings, options))
      : (new RequestLogger(real, bindings) as unknown as FastifyBaseLogger);
  return logger;
}

/** The gateway's logger: pino with `loggerOptions`, to `destination` (stdout by default), its request children lazy. */
export function gatewayLogger(level: string, destination?: LogDestination): FastifyBaseLogger {
  const options = loggerOptions(level);
  const real = destination ? pino(options, destination as DestinationStream) : pino(options);
  return withLazyChildren(real as unknown as FastifyBaseLogger);
}
