import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { taskSelected, splitTags } from '../../../provision/playbook/tags.js';

test('no --tags: every task but never-tagged ones', () => {
  assert.ok(taskSelected([], {}));
  assert.ok(taskSelected(['sshd'], {}));
  assert.ok(taskSelected(['always'], {}));
  assert.not.ok(taskSelected(['never'], {}));
  assert.ok(taskSelected([], { tags: [] }));
});

test('--tags: matching tasks and always-tagged ones; untagged tasks do not run', () => {
  const selection = { tags: ['sshd', 'firewall'] };
  assert.ok(taskSelected(['sshd'], selection));
  assert.ok(taskSelected(['accounts', 'firewall'], selection));
  assert.ok(taskSelected(['always'], selection));
  assert.not.ok(taskSelected(['accounts'], selection));
  assert.not.ok(taskSelected([], selection));
  assert.ok(taskSelected(['never', 'sshd'], selection));
});

test('special tags: all, tagged, untagged', () => {
  assert.ok(taskSelected([], { tags: ['all'] }));
  assert.not.ok(taskSelected(['never'], { tags: ['all'] }));
  assert.ok(taskSelected(['x'], { tags: ['tagged'] }));
  assert.not.ok(taskSelected([], { tags: ['tagged'] }));
  assert.ok(taskSelected([], { tags: ['untagged'] }));
  assert.not.ok(taskSelected(['x'], { tags: ['untagged'] }));
});

test('--skip-tags removes tasks, always ones too when named', () => {
  assert.not.ok(taskSelected(['sshd'], { skipTags: ['sshd'] }));
  assert.ok(taskSelected(['always'], { skipTags: ['sshd'] }));
  assert.not.ok(taskSelected(['always'], { tags: ['x'], skipTags: ['always'] }));
  assert.not.ok(taskSelected([], { skipTags: ['untagged'] }));
});

test('splitTags accepts repeated and comma-separated values', () => {
  assert.equal(splitTags(['a,b', ' c ', ',']), ['a', 'b', 'c']);
});

test.run();
