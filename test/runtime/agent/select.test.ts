import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Secret } from '../../../lib/secrets/index.js';
import { OfflineAgent } from '../../../runtime/agent/offline.js';
import { OpenAiAgent } from '../../../runtime/agent/openai.js';
import { agentFor } from '../../../runtime/agent/select.js';

test('offline unless the settings name the OpenAI provider', () => {
  assert.instance(agentFor({ kind: 'offline' }), OfflineAgent);
  const agent = agentFor({ kind: 'openai', baseUrl: 'http://127.0.0.1:9/v1/', model: 'gpt-x', apiKey: new Secret('k'.repeat(40)), timeoutMs: 10 });
  assert.instance(agent, OpenAiAgent);
  assert.is((agent as OpenAiAgent).endpoint, 'http://127.0.0.1:9/v1/chat/completions');
  assert.is(agent.modelName, 'gpt-x');
});

test.run();
