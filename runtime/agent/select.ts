import type { AgentSettings } from '../settings.js';
import { OfflineAgent } from './offline.js';
import { OpenAiAgent } from './openai.js';
import type { AgentAdapter } from './types.js';

/** The adapter the settings ask for; built per message, so a reload switches providers at once. */
export function agentFor(settings: AgentSettings): AgentAdapter {
  if (settings.kind === 'openai') {
    return new OpenAiAgent({
      baseUrl: settings.baseUrl,
      model: settings.model,
      apiKey: settings.apiKey,
      timeoutMs: settings.timeoutMs,
      ...(settings.maxTokens ? { maxTokens: settings.maxTokens } : {}),
    });
  }
  return new OfflineAgent();
}
