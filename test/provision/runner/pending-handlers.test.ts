import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parsePendingHandlers, pendingHandlersProbe, PENDING_HANDLERS_PATH } from '../../../provision/runner/pending-handlers.js';

test('one handler name a line, blank lines and duplicates dropped', () => {
  assert.equal(parsePendingHandlers('reload sshd\n\nrestart nftables\nreload sshd\n'), ['reload sshd', 'restart nftables']);
  assert.equal(parsePendingHandlers(''), []);
});

test('the probe reads the file as root and tolerates its absence', () => {
  const probe = pendingHandlersProbe();
  assert.ok(probe.root);
  assert.ok(probe.script.includes(PENDING_HANDLERS_PATH));
  assert.ok(probe.script.includes('|| true'));
});

test.run();
