import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { connectionHold } from '../../../runtime/http/connection-hold.js';

/** A real loopback connection; `run` gets the server's end of it. */
async function withSocket(run: (socket: Socket) => Promise<void>): Promise<void> {
  let accepted: (socket: Socket) => void = () => {};
  const serverSide = new Promise<Socket>((resolve) => (accepted = resolve));
  const server = createServer((socket) => accepted(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  const socket = await serverSide;
  try {
    await run(socket);
  } finally {
    client.destroy();
    socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

test('while held the idle timeout is the wait plus the usual one; released, the usual one is back', async () => {
  await withSocket(async (socket) => {
    socket.setTimeout(300);
    const release = connectionHold(socket)(1000);
    assert.is(socket.timeout, 1300);
    release();
    assert.is(socket.timeout, 300);
  });
});

test('a held idle socket outlives its usual timeout; released, it times out after the usual one again', async () => {
  await withSocket(async (socket) => {
    const timeouts: number[] = [];
    const started = Date.now();
    socket.on('timeout', () => timeouts.push(Date.now() - started));
    socket.setTimeout(100);
    const release = connectionHold(socket)(300);
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(timeouts, [], 'no timeout during the hold');
    release();
    for (let i = 0; i < 100 && timeouts.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.is(timeouts.length, 1);
    assert.ok(timeouts[0]! >= 340, `the usual timeout restarted at the release (${timeouts[0]} ms)`);
  });
});

test('a socket without an idle timeout is left without one', async () => {
  await withSocket(async (socket) => {
    const release = connectionHold(socket)(1000);
    assert.ok(!socket.timeout, 'still no timeout');
    release();
    assert.ok(!socket.timeout);
  });
});

test.run();
