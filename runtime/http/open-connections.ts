import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server, Socket } from 'node:net';

/** Lengthens a connection's idle timeout for `waitMs`; the returned function restores the usual one. */
export type ConnectionHold = (waitMs: number) => () => void;

interface Activity {
  /** Bytes read and written when the sweep last saw them change. */
  bytes: number;
  since: number;
  holds: number;
  heldUntil: number;
}

const RESPONSE = Symbol('response in progress');
type Tracked = Socket & { [RESPONSE]?: ServerResponse };

/** How often the sweep runs for a limit of `limitMs`: a connection is cut between the limit and the limit plus this after its last byte. */
export function sweepEveryMs(limitMs: number): number {
  return Math.min(1_000, Math.max(25, Math.floor(limitMs / 4)));
}

/**
 * The open connections of one server, kept from its connection event (`secureConnection` for TLS):
 * work per connection, none per request. It gives each connection an idle timeout (`idleMs`), which is
 * what cuts a request that has been received and is waiting, or an answer the client does not read
 * (`requestTimeout` only covers receiving the request), and a keep-alive timeout once an answer is
 * written (`betweenRequestsMs`). Socket timers did this before, but Node re-arms a socket timeout on every
 * read and write, and its keep-alive timer is set and cleared around every request; here a sweep reads
 * each socket's byte counters instead, the way Node enforces `requestTimeout` itself.
 */
export class OpenConnections {
  readonly #activity = new Map<Tracked, Activity>();
  readonly #idleMs: number;
  readonly #betweenRequestsMs: number;
  readonly #now: () => number;

  /**
   * `idleMs` while a request is open or before the first; `betweenRequestsMs` once an answer has been
   * handed to the socket whole, until the next request (default `idleMs`). 0 turns either off.
   */
  constructor(server: Server, options: { idleMs: number; betweenRequestsMs?: number; tls?: boolean; now?: () => number }) {
    this.#idleMs = options.idleMs > 0 ? options.idleMs : Infinity;
    const between = options.betweenRequestsMs ?? options.idleMs;
    this.#betweenRequestsMs = between > 0 ? between : Infinity;
    this.#now = options.now ?? Date.now;
    server.on(options.tls ? 'secureConnection' : 'connection', (socket: Tracked) => {
      this.#activity.set(socket, { bytes: 0, since: this.#now(), holds: 0, heldUntil: 0 });
      socket.once('close', () => this.#activity.delete(socket));
    });
    const shortest = Math.min(this.#idleMs, this.#betweenRequestsMs);
    if (shortest !== Infinity) {
      const sweeper = setInterval(() => this.sweep(), sweepEveryMs(shortest)).unref();
      server.once('close', () => clearInterval(sweeper));
    }
  }

  get size(): number {
    return this.#activity.size;
  }

  /**
   * Remembers the response a connection is working on, for `endInFlight` and the sweep (one property
   * store a request; the last response stays referenced until the next request or the close).
   */
  static working(request: IncomingMessage, response: ServerResponse): void {
    (request.socket as Tracked)[RESPONSE] = response;
  }

  /** Cuts every connection that has moved no byte for the idle timeout, unless it is held. */
  sweep(at = this.#now()): void {
    for (const [socket, activity] of this.#activity) {
      const bytes = socket.bytesRead + (socket.bytesWritten ?? 0);
      if (bytes !== activity.bytes) {
        activity.bytes = bytes;
        activity.since = at;
        continue;
      }
      // writableFinished, as Node's keep-alive timer starts on 'finish': an answer still queued is not idle time between requests
      const limit = socket[RESPONSE]?.writableFinished ? this.#betweenRequestsMs : this.#idleMs;
      if (at >= activity.heldUntil && at - activity.since >= limit) socket.destroy();
    }
  }

  /**
   * For a request whose answer waits on an operator, longer than the idle timeout perhaps: while held,
   * the connection may stay idle for the wait plus the usual timeout; releasing re-arms the usual one
   * from that moment, so the answer still has a full idle period to be written.
   */
  holdFor(socket: Socket): ConnectionHold {
    return (waitMs) => {
      const activity = this.#activity.get(socket);
      if (!activity || this.#idleMs === Infinity) return () => {};
      activity.holds++;
      activity.heldUntil = Math.max(activity.heldUntil, this.#now() + waitMs + this.#idleMs);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (--activity.holds === 0) activity.heldUntil = 0;
        activity.since = this.#now();
      };
    };
  }

  /**
   * Marks the responses not yet answered `Connection: close`: their keep-alive connections then end
   * with the answer, and closing the server does not wait out the keep-alive timeout.
   */
  endInFlight(): void {
    for (const socket of this.#activity.keys()) {
      const response = socket[RESPONSE];
      if (response && !response.headersSent && !response.writableEnded) response.setHeader('connection', 'close');
    }
  }
}
