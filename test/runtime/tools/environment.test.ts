import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { toolEnvironment } from '../../../runtime/tools/environment.js';

test('only locale and lookup variables pass; keys, tokens and everything else are dropped', () => {
  const env = toolEnvironment({
    PATH: '/usr/bin:.:relative/bin::/bin',
    HOME: '/home/kafclaw',
    LANG: 'C.UTF-8',
    OPENAI_API_KEY: 'sk-live-1',
    KAFCLAW_GATEWAY_AUTH_TOKEN: 'tok',
    KAFCLAW_OPENAI_API_KEY: 'sk-live-2',
    AWS_SECRET_ACCESS_KEY: 'x',
    LD_PRELOAD: '/tmp/evil.so',
    NODE_OPTIONS: '--require /tmp/x.js',
  });
  assert.equal(env, { PATH: '/usr/bin:/bin', HOME: '/home/kafclaw', LANG: 'C.UTF-8', GIT_TERMINAL_PROMPT: '0' });
});

test('a missing or all-relative PATH falls back to the system directories', () => {
  assert.is(toolEnvironment({}).PATH, '/usr/local/bin:/usr/bin:/bin');
  assert.is(toolEnvironment({ PATH: '.:bin' }).PATH, '/usr/bin:/bin');
});

test.run();
