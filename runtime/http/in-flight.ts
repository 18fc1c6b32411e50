import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The response each open connection is working on, kept from the server's own `request` event (one
 * map entry per connection, dropped when it closes). That needs no fastify hook, but it is still
 * per-request work: a second `request` listener call and a Map has/set.
 * `endWithThem` marks those not yet answered `Connection: close`: their keep-alive connections then
 * end with the answer, and close() does not wait out the keep-alive timeout.
 */
export function inFlightResponses(server: Server): { endWithThem(): void } {
  const current = new Map<Socket, ServerResponse>();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    if (!current.has(socket)) socket.once('close', () => current.delete(socket));
    current.set(socket, response);
  });
  return {
    endWithThem(): void {
      for (const response of current.values()) {
        if (!response.headersSent && !response.writableEnded) response.setHeader('connection', 'close');
      }
    },
  };
}
