import type { ConnectionHold } from '../http/open-connections.js';
import type { GatewayMetrics } from '../metrics.js';
import type { GatewaySettings } from '../settings.js';
import type { TimelineStore } from '../timeline/store.js';
import { agentFor } from './select.js';
import type { TurnDeps } from './turn.js';
import type { AgentAdapter } from './types.js';

/**
 * What an agent turn needs, taken from the settings in force: every route that hands a message to
 * the agent builds its turn here, so none of them can miss a limit the settings set.
 */
export function turnDepsFor(
  settings: GatewaySettings,
  parts: { timeline: TimelineStore; signal: AbortSignal; agent?: AgentAdapter; metrics?: GatewayMetrics; chatId?: string; holdConnection?: ConnectionHold },
): TurnDeps {
  return {
    agent: parts.agent ?? agentFor(settings.agent),
    timeline: parts.timeline,
    toolPolicy: settings.toolPolicy,
    workspace: settings.workspace,
    toolLimits: settings.toolLimits,
    maxIterations: settings.maxAgentIterations,
    modelPrices: settings.modelPrices,
    signal: parts.signal,
    ...(parts.chatId ? { chatId: parts.chatId } : {}),
    ...(parts.metrics ? { metrics: parts.metrics } : {}),
    ...(parts.holdConnection ? { holdConnection: parts.holdConnection } : {}),
  };
}
