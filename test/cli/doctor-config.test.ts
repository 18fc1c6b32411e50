import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fixtureHome } from '../checks/fixture-home.js';
import { kafclaw } from './run-cli.js';

test('an empty HOME: doctor names the config it audited as missing, and file permissions have nothing to judge', () => {
  const home = fixtureHome(null);
  try {
    const text = kafclaw(['doctor'], home.env);
    assert.is(text.stdout.split('\n')[1], `config: ${home.path('.kafclaw/config.json')} (does not exist: KafClaw's defaults were audited)`);
    assert.match(text.stdout, /^SKIP +high secrets\.file-permissions: nothing to judge: none of the state, config and env paths exists \(/m);
    const json = JSON.parse(kafclaw(['doctor', '--format', 'json'], home.env).stdout);
    assert.is(json.schemaVersion, 1);
    assert.equal(json.config, { path: home.path('.kafclaw/config.json'), exists: false });
    assert.is(json.checks.find((c: { id: string }) => c.id === 'secrets.file-permissions').status, 'skip');
    const present = fixtureHome({});
    try {
      const json = JSON.parse(kafclaw(['doctor', '--format', 'json'], present.env).stdout);
      assert.equal(json.config, { path: present.path('.kafclaw/config.json'), exists: true });
      assert.is(kafclaw(['doctor'], present.env).stdout.split('\n')[1], `config: ${present.path('.kafclaw/config.json')}`);
    } finally {
      present.cleanup();
    }
  } finally {
    home.cleanup();
  }
});

test.run();
