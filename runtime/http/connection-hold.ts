import type { Socket } from 'node:net';

/** Lengthens the connection's idle timeout for `waitMs`; the returned function restores the usual one. */
export type ConnectionHold = (waitMs: number) => () => void;

/**
 * For a request whose answer waits on an operator: the socket's idle timeout (`limits.connectionTimeoutMs`,
 * which is what cuts a request that has been received and is waiting; `requestTimeout` only covers
 * receiving it) would drop the connection when the wait is as long as the timeout or longer. While
 * held, the idle timeout is the wait plus the usual one, so always longer than the wait; releasing
 * re-arms the usual one from that moment, so the answer still has a full idle period to be written.
 * A socket without an idle timeout is left alone.
 */
export function connectionHold(socket: Socket): ConnectionHold {
  return (waitMs) => {
    const usual = socket.timeout ?? 0;
    if (!(usual > 0) || socket.destroyed || typeof socket.setTimeout !== 'function') return () => {};
    socket.setTimeout(waitMs + usual);
    return () => {
      if (!socket.destroyed) socket.setTimeout(usual);
    };
  };
}
