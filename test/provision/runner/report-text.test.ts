import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Secret } from '../../../lib/secrets/secret.js';
import { eventText, summaryText } from '../../../provision/runner/report-text.js';
import { eventJson, summaryJson } from '../../../provision/runner/report-json.js';
import type { RunEvent } from '../../../provision/runner/events.js';

const changed: RunEvent = {
  type: 'task', play: 'p', host: 'gw1', task: 'sshd drop-in', index: 6, status: 'changed', check: false,
  changes: [{ resource: 'sshd_config:10-kafclaw.conf', field: 'content', before: null, after: 'sha256:1543a19b0728 (260 bytes)' }],
};

test('a changed task: one line, its changes only with --diff or in check mode', () => {
  assert.is(eventText(changed, { diff: false }), 'gw1: changed      sshd drop-in');
  assert.is(eventText(changed, { diff: true }), 'gw1: changed      sshd drop-in\n    content: (none) -> sha256:1543a19b0728 (260 bytes)');
  assert.match(eventText({ ...changed, check: true }, { diff: false })!, /^gw1: would change sshd drop-in\n    content:/);
});

test('an unreachable host names the step', () => {
  assert.is(eventText({ type: 'unreachable', play: 'p', host: 'gw2', step: 'authenticate', message: 'refused' }, { diff: false }), 'gw2: UNREACHABLE at authenticate: refused');
});

test('a secret value that slipped into a message is scrubbed in text and JSON', () => {
  const secret = new Secret('sk-ant-leaked-value-0123456789', 'test');
  const event: RunEvent = { ...changed, status: 'failed', message: `boom ${secret.reveal()}`, changes: [] };
  assert.not.match(eventText(event, { diff: true })!, /leaked-value/);
  assert.not.match(eventJson(event), /leaked-value/);
  assert.match(eventJson(event), /\(secret\)/);
});

test('the summary: one line per host; JSON is the cli.md shape', () => {
  const summary = { schemaVersion: 1 as const, hosts: { gw1: { ok: 20, changed: 0, failed: 0, unreachable: false } } };
  assert.match(summaryText(summary, false), /SUMMARY\n  gw1   ok=20  changed=0  failed=0  unreachable=no/);
  assert.match(summaryText(summary, true), /check mode: nothing was changed[\s\S]*would-change=0/);
  assert.equal(JSON.parse(summaryJson(summary)), summary);
});

test.run();
