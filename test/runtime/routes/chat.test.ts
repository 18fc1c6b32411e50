import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from '../../../runtime/app.js';
import type { Surface } from '../../../runtime/http/security-headers.js';
import { chatInput, DEFAULT_CHAT_SESSION } from '../../../runtime/routes/chat.js';
import { TimelineStore } from '../../../runtime/timeline/store.js';
import { LogCapture, strongToken, tempDir, testSettings } from '../fixtures.js';

const token = strongToken();
const auth = { authorization: `Bearer ${token.reveal()}` };

test('chatInput: JSON body or query string, session defaulting to local:default; problems say what to send', () => {
  assert.equal(chatInput({ message: 'hi' }, {}), { message: 'hi', session: DEFAULT_CHAT_SESSION });
  assert.equal(chatInput(undefined, { message: 'hi', session: 'local:ops' }), { message: 'hi', session: 'local:ops' });
  assert.equal(chatInput({ session: 's' }, { message: 'hi' }), { message: 'hi', session: 's' }, 'session from the body, message from the query');
  const problems: Array<[unknown, Record<string, string>, string]> = [
    [undefined, {}, 'message is missing'],
    [{ message: '   ' }, {}, 'message is missing'],
    [{ message: 'a' }, { message: 'b' }, 'both in the body and in the query string'],
    [{ message: 'hi', admin: true }, {}, 'unknown properties (admin)'],
    [['hi'], {}, 'must be a JSON object'],
    [{ message: 42 }, {}, 'message is missing'],
    [{ message: 'x'.repeat(32_001) }, {}, 'longer than 32000'],
    [{ message: 'hi', session: '' }, {}, 'session must be a non-empty string'],
  ];
  for (const [body, query, problem] of problems) {
    const result = chatInput(body, query);
    assert.ok('problem' in result && result.problem.includes(problem), `${JSON.stringify(body)?.slice(0, 40)} -> ${JSON.stringify(result).slice(0, 80)}`);
  }
});

async function withApp(surface: Surface, run: (app: FastifyInstance, timeline: TimelineStore, logs: LogCapture) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const settings = testSettings(dir.path, { tokens: [{ secret: token }], logLevel: 'info' });
  mkdirSync(settings.workspace, { recursive: true });
  const timeline = TimelineStore.open(settings.stateDir);
  const logs = new LogCapture();
  const app = build(settings, { timeline, surface, logDestination: logs });
  try {
    await run(app, timeline, logs);
  } finally {
    await app.close();
    timeline.close();
    dir.remove();
  }
}

function tasks(timeline: TimelineStore): Array<Record<string, unknown>> {
  const db = new Database(timeline.file, { readonly: true });
  try {
    return db.prepare('SELECT channel, sender_id, content_in, message_type, status, trace_id FROM tasks').all() as Array<Record<string, unknown>>;
  } finally {
    db.close();
  }
}

test('POST /chat with a JSON body: text/plain reply from the agent, an internal (owner) task, session local:default', async () => {
  await withApp('api', async (app, timeline) => {
    const response = await app.inject({ method: 'POST', url: '/chat', headers: auth, payload: { message: 'status report please' } });
    assert.is(response.statusCode, 200, response.body);
    assert.match(String(response.headers['content-type']), 'text/plain');
    assert.ok(response.body.length > 0);
    const [task] = tasks(timeline);
    assert.equal([task!.channel, task!.sender_id, task!.content_in, task!.message_type, task!.status], ['local', 'local', 'status report please', 'internal', 'completed']);
    const inbound = timeline.list({ limit: 10, offset: 0 }).find((row) => row.classification === 'INBOUND')!;
    assert.is(inbound.trace_id, task!.trace_id);
    assert.is(inbound.authorized, 1);
    assert.is(JSON.parse(inbound.metadata!).session_key, DEFAULT_CHAT_SESSION);
  });
});

test('KafClaw style ?message=&session=: answered, and the message never reaches the access log', async () => {
  await withApp('api', async (app, timeline, logs) => {
    const secretish = 'canary-message-7f3e9a1c';
    const response = await app.inject({ method: 'POST', url: `/chat?message=${secretish}%20please&session=local:ops`, headers: auth });
    assert.is(response.statusCode, 200, response.body);
    assert.is(tasks(timeline)[0]!.content_in, `${secretish} please`);
    const inbound = timeline.list({ limit: 10, offset: 0 }).find((row) => row.classification === 'INBOUND')!;
    assert.is(JSON.parse(inbound.metadata!).session_key, 'local:ops');
    assert.ok(logs.text.includes('"path":"/chat"'), 'the access line has the path');
    assert.not.ok(logs.text.includes('canary-message'), 'but not the query string');
  });
});

test('/chat needs the bearer token, answers 400 for a bad input, and exists only on the API listener', async () => {
  await withApp('api', async (app, timeline) => {
    assert.is((await app.inject({ method: 'POST', url: '/chat', payload: { message: 'hi' } })).statusCode, 401);
    assert.is((await app.inject({ method: 'POST', url: '/chat?message=hi' })).statusCode, 401);
    const bad = await app.inject({ method: 'POST', url: '/chat?message=a', headers: auth, payload: { message: 'b' } });
    assert.is(bad.statusCode, 400);
    assert.match(bad.json().message, 'send it in one place');
    const extra = await app.inject({ method: 'POST', url: '/chat?message=a&debug=1', headers: auth });
    assert.is(extra.statusCode, 400);
    assert.is((await app.inject({ method: 'GET', url: '/chat?message=a', headers: auth })).statusCode, 404);
    assert.is(tasks(timeline).length, 0, 'nothing refused reached the agent');
  });
  await withApp('dashboard', async (app) => {
    assert.is((await app.inject({ method: 'POST', url: '/chat', headers: auth, payload: { message: 'hi' } })).statusCode, 404);
  });
});

/** POSTs /chat over a real socket; a dropped connection resolves as `dropped: <code>`, not a reply. */
function chatOverSocket(port: number, message: string): Promise<{ status: number; body: string; ms: number } | { dropped: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const body = JSON.stringify({ message });
    const req = httpRequest(
      { host: '127.0.0.1', port, method: 'POST', path: '/chat', agent: false, headers: { ...auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, ms: Date.now() - started }));
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ dropped: error.code ?? error.message, ms: Date.now() - started }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ dropped: error.code ?? error.message, ms: Date.now() - started }));
    req.end(body);
  });
}

test('a /chat waiting for approval longer than the idle timeout gets its answer (approved, denied, timed out), not a dropped connection', async () => {
  const dir = tempDir();
  // The idle timeout (300 ms) is far shorter than the approval wait (1 s) and the operator's answer (700 ms).
  const settings = testSettings(dir.path, { tokens: [{ secret: token }], limits: { connectionTimeoutMs: 300 } });
  mkdirSync(settings.workspace, { recursive: true });
  writeFileSync(join(settings.workspace, 'notes.txt'), 'read after approval');
  const timeline = TimelineStore.open(settings.stateDir);
  timeline.setSetting('approval_timeout_seconds', '1');
  const app = build(settings, { timeline, surface: 'api' });
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    const answerAfter = async (ms: number, approved: boolean) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      const [pending] = timeline.pendingApprovals(10);
      assert.ok(pending, 'the call is waiting for an operator');
      const answer = await app.inject({ method: 'POST', url: `/api/v1/approvals/${pending!.approval_id}`, headers: auth, payload: { approved } });
      assert.is(answer.statusCode, 200, answer.body);
    };

    const [approved] = await Promise.all([chatOverSocket(port, '/tool exec cat notes.txt'), answerAfter(700, true)]);
    assert.ok('status' in approved, `approved: ${JSON.stringify(approved)}`);
    if ('status' in approved) assert.equal([approved.status, approved.body.includes('exec ok: read after approval')], [200, true], approved.body);

    const [denied] = await Promise.all([chatOverSocket(port, '/tool exec cat notes.txt'), answerAfter(700, false)]);
    assert.ok('status' in denied, `denied: ${JSON.stringify(denied)}`);
    if ('status' in denied) assert.equal([denied.status, /exec denied: approval_denied:/.test(denied.body)], [200, true], denied.body);

    const timedOut = await chatOverSocket(port, '/tool exec cat notes.txt');
    assert.ok('status' in timedOut, `timed out: ${JSON.stringify(timedOut)}`);
    if ('status' in timedOut) {
      assert.equal([timedOut.status, /exec denied: approval_timeout:/.test(timedOut.body)], [200, true], timedOut.body);
      assert.ok(timedOut.ms >= 1000, `answered when the 1 s wait ended (${timedOut.ms} ms)`);
    }
  } finally {
    await app.close();
    timeline.close();
    dir.remove();
  }
});

test.run();
