import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { OpenConnections, sweepEveryMs } from '../../../runtime/http/open-connections.js';
import { tempDir } from '../fixtures.js';
import { selfSigned } from './tls-fixture.js';

const IDLE_MS = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function listening<T extends Server>(server: T): Promise<{ server: T; port: number; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { server, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A raw TCP server tracked by OpenConnections; `accepted` resolves with the server's end of the next connection. */
async function tracked(idleMs = IDLE_MS) {
  let accept: (socket: Socket) => void = () => {};
  const server = createServer((socket) => accept(socket));
  const connections = new OpenConnections(server, { idleMs });
  const listener = await listening(server);
  const open = async () => {
    const serverSide = new Promise<Socket>((resolve) => (accept = resolve));
    const client = connect(listener.port, '127.0.0.1');
    const started = Date.now();
    const closed = new Promise<number>((resolve) => client.once('close', () => resolve(Date.now() - started)));
    client.on('error', () => undefined);
    return { client, socket: await serverSide, closed, started };
  };
  return { connections, open, close: listener.close };
}

test('the sweep runs at a quarter of the idle time, between 25 ms and 1 s', () => {
  assert.is(sweepEveryMs(60_000), 1_000);
  assert.is(sweepEveryMs(200), 50);
  assert.is(sweepEveryMs(40), 25);
});

test('a connection that moves no byte is cut after the idle time, not before; one that keeps talking is not', async () => {
  const { connections, open, close } = await tracked();
  let ticker: NodeJS.Timeout | undefined;
  try {
    const quiet = await open();
    const talking = await open();
    ticker = setInterval(() => talking.client.write('.'), 60);
    assert.is(connections.size, 2);
    const quietAfter = await quiet.closed;
    assert.ok(quietAfter >= IDLE_MS - 5 && quietAfter < IDLE_MS + sweepEveryMs(IDLE_MS) + 250, `cut after ${quietAfter} ms`);
    await sleep(IDLE_MS * 2);
    assert.ok(!talking.client.destroyed, 'a connection sending a byte every 60 ms stays open');
    clearInterval(ticker);
    const talkingAfter = await talking.closed;
    assert.ok(talkingAfter >= IDLE_MS * 3, 'cut once it went quiet');
    for (let i = 0; i < 50 && connections.size > 0; i++) await sleep(10);
    assert.is(connections.size, 0, 'closed connections are forgotten');
  } finally {
    clearInterval(ticker);
    await close();
  }
});

test('an answer the client does not read is cut after the idle time', async () => {
  const { open, close } = await tracked();
  try {
    const { client, socket } = await open();
    client.pause();
    const started = Date.now();
    const cut = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - started)));
    socket.write(Buffer.alloc(64 * 1024 * 1024));
    const after = await cut;
    assert.ok(after >= IDLE_MS - 5 && after < IDLE_MS * 10, `the server end was cut after ${after} ms`);
    client.destroy();
  } finally {
    await close();
  }
});

test('a held connection outlives the idle time; released, the usual timeout restarts from the release', async () => {
  const { connections, open, close } = await tracked();
  try {
    const { socket, closed, started } = await open();
    const release = connections.holdFor(socket)(300);
    const second = connections.holdFor(socket)(100);
    await sleep(IDLE_MS + 200);
    assert.ok(!socket.destroyed, 'no cut during the hold');
    second();
    second(); // releasing twice counts once
    await sleep(100);
    assert.ok(!socket.destroyed, 'one hold is still there');
    const releasedAt = Date.now() - started;
    release();
    const after = await closed;
    assert.ok(after - releasedAt >= IDLE_MS - 5, `the usual timeout restarted at the release (${after - releasedAt} ms after it)`);
  } finally {
    await close();
  }
});

test('a hold longer than nothing: without an idle timeout there is nothing to hold, and no sweep cuts anything', async () => {
  const { connections, open, close } = await tracked(0);
  try {
    const { client, socket } = await open();
    const release = connections.holdFor(socket)(50);
    await sleep(120);
    release();
    assert.ok(!client.destroyed && !socket.destroyed);
    client.destroy();
  } finally {
    await close();
  }
});

test('endInFlight marks unanswered responses Connection: close and leaves answered ones alone', async () => {
  let finish: (() => void) | null = null;
  const server = createHttpServer((request, response) => {
    OpenConnections.working(request, response);
    if (request.url === '/fast') return void response.end('fast');
    finish = () => response.end('slow');
  });
  server.keepAliveTimeout = 5_000;
  const connections = new OpenConnections(server, { idleMs: 60_000 });
  const { port, close } = await listening(server);
  const get = (path: string) =>
    new Promise<{ connection: string | undefined; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, agent: false, headers: { connection: 'keep-alive' } }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ connection: response.headers.connection, body }));
      });
      req.on('error', reject).end();
    });
  try {
    assert.is((await get('/fast')).connection, 'keep-alive');
    const slow = get('/slow');
    while (!finish) await sleep(5);
    connections.endInFlight();
    (finish as () => void)();
    assert.equal(await slow, { connection: 'close', body: 'slow' });
  } finally {
    server.closeAllConnections();
    await close();
  }
});

test('between requests the between-requests limit applies, here the longer; during a request and before the first, the idle one', async () => {
  let answer: (() => void) | null = null;
  const server = createHttpServer((request, response) => {
    OpenConnections.working(request, response);
    if (request.url === '/wait') answer = () => response.end('late');
    else response.end('ok');
  });
  server.keepAliveTimeout = 0; // Node's own keep-alive timer off, as the gateway has it
  new OpenConnections(server, { idleMs: IDLE_MS, betweenRequestsMs: IDLE_MS * 4 });
  const { port, close } = await listening(server);
  const closedAfter = (socket: Socket, started: number) => new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - started)));
  try {
    const answered = connect(port, '127.0.0.1');
    answered.on('error', () => undefined);
    let reply = '';
    answered.on('data', (chunk) => (reply += chunk));
    answered.write('GET /ok HTTP/1.1\r\nHost: x\r\n\r\n');
    while (!reply.includes('ok')) await sleep(5);
    const answeredClosed = closedAfter(answered, Date.now());

    const waiting = connect(port, '127.0.0.1');
    waiting.on('error', () => undefined);
    waiting.write('GET /wait HTTP/1.1\r\nHost: x\r\n\r\n');
    const waitingClosed = closedAfter(waiting, Date.now());
    const silent = connect(port, '127.0.0.1');
    silent.on('error', () => undefined);
    const silentClosed = closedAfter(silent, Date.now());

    const [betweenMs, waitingMs, silentMs] = await Promise.all([answeredClosed, waitingClosed, silentClosed]);
    assert.ok(betweenMs >= IDLE_MS * 4 - 5, `after an answer: cut after ${betweenMs} ms, the between-requests limit`);
    assert.ok(waitingMs >= IDLE_MS - 5 && waitingMs < IDLE_MS * 3, `a request waiting on its answer: cut after ${waitingMs} ms, the idle limit`);
    assert.ok(silentMs >= IDLE_MS - 5 && silentMs < IDLE_MS * 3, `nothing sent yet: cut after ${silentMs} ms, the idle limit`);
    assert.ok(answer, 'the waiting request reached the server');
  } finally {
    server.closeAllConnections();
    await close();
  }
});

test('a between-requests limit shorter than the idle one cuts answered connections only, not an answer the client is slow to read', async () => {
  const BETWEEN_MS = 100;
  const LONG_IDLE_MS = 600;
  // the server's end of each connection, closed after how long from its request
  const closed = new Map<string, Promise<number>>();
  const server = createHttpServer((request, response) => {
    OpenConnections.working(request, response);
    const started = Date.now();
    closed.set(request.url ?? '', new Promise((resolve) => request.socket.once('close', () => resolve(Date.now() - started))));
    response.end(request.url === '/big' ? Buffer.alloc(64 * 1024 * 1024) : 'ok');
  });
  server.keepAliveTimeout = 0;
  new OpenConnections(server, { idleMs: LONG_IDLE_MS, betweenRequestsMs: BETWEEN_MS });
  const { port, close } = await listening(server);
  const clients: Socket[] = [];
  try {
    for (const path of ['/ok', '/big']) {
      const client = connect(port, '127.0.0.1');
      client.on('error', () => undefined);
      // the answer to /big is handed to the response whole, but most of it waits in Node's buffer: not yet between requests
      client.once('data', () => client.pause());
      client.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
      clients.push(client);
    }
    while (closed.size < 2) await sleep(5);
    const [betweenMs, readerMs] = await Promise.all([closed.get('/ok'), closed.get('/big')]);
    assert.ok(betweenMs! >= BETWEEN_MS - 5 && betweenMs! < LONG_IDLE_MS, `after an answer: cut after ${betweenMs} ms, the between-requests limit`);
    assert.ok(readerMs! >= LONG_IDLE_MS - 5, `an answer still being written: cut after ${readerMs} ms, the idle limit`);
  } finally {
    for (const client of clients) client.destroy();
    server.closeAllConnections();
    await close();
  }
});

test('over TLS the TLS sockets are tracked: an idle one is cut after the idle time', async () => {
  const dir = tempDir();
  try {
    const material = await selfSigned(dir.path);
    const server = createHttpsServer({ cert: readFileSync(material.cert), key: readFileSync(material.key) });
    const connections = new OpenConnections(server, { idleMs: IDLE_MS, tls: true });
    const { port, close } = await listening(server);
    try {
      const started = Date.now();
      const client = tlsConnect({ host: '127.0.0.1', port, ca: readFileSync(material.cert) });
      client.on('error', () => undefined);
      await new Promise<void>((resolve) => client.once('secureConnect', () => resolve()));
      while (connections.size < 1) await sleep(5);
      const after = await new Promise<number>((resolve) => client.once('close', () => resolve(Date.now() - started)));
      assert.ok(after >= IDLE_MS - 5, `cut after ${after} ms`);
      for (let i = 0; i < 50 && connections.size > 0; i++) await sleep(10);
      assert.is(connections.size, 0);
    } finally {
      await close();
    }
  } finally {
    dir.remove();
  }
});

test.run();
