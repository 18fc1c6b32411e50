import { randomUUID } from 'node:crypto';
import { scrub } from '../../lib/secrets/index.js';
import { confineToWorkspace } from '../policy/confine.js';
import { checkExec } from '../policy/exec.js';
import { gateToolCall } from '../policy/tool-gate.js';
import type { GatewayMetrics } from '../metrics.js';
import type { ToolPolicy } from '../settings.js';
import type { TimelineStore } from '../timeline/store.js';
import { AgentError } from './types.js';
import type { AgentAdapter, AgentRequest, ToolRequest } from './types.js';

export interface ToolOutcome {
  tool: string;
  tier: number;
  allowed: boolean;
  reason: string;
}

export type TurnResult =
  | { ok: true; taskId: string; reply: string; tools: ToolOutcome[]; totalTokens: number }
  | { ok: false; taskId: string; error: string };

export interface TurnDeps {
  agent: AgentAdapter;
  timeline: TimelineStore;
  toolPolicy: ToolPolicy;
  workspace: string;
  chatId?: string;
  metrics?: GatewayMetrics;
  now?: () => Date;
}

const FILE_TOOLS = new Set(['read_file', 'list_dir', 'write_file', 'edit_file']);

/** Where an allowed call would reach outside the workspace, or null. Tools are not run here. */
export function confinementProblem(workspace: string, call: ToolRequest): string | null {
  if (call.tool === 'exec') {
    const argv = call.arguments.argv;
    if (!Array.isArray(argv) || !argv.every((a): a is string => typeof a === 'string')) return 'exec needs argv: an array of strings';
    const dir = typeof call.arguments.working_dir === 'string' ? call.arguments.working_dir : undefined;
    const checked = checkExec(workspace, argv, dir);
    return checked.ok ? null : checked.reason;
  }
  if (FILE_TOOLS.has(call.tool)) {
    const path = call.arguments.path;
    if (typeof path !== 'string') return `${call.tool} needs a path`;
    const confined = confineToWorkspace(workspace, path);
    return confined.ok ? null : confined.reason;
  }
  return null;
}

/**
 * One agent turn for an authorized message: a `tasks` row (token use, provider, model, status), the
 * agent's reply, and every tool it asks for through the tool policy. Each decision is a
 * `policy_decisions` row; each refusal also a SECURITY/TOOL_DENIED timeline event (what the
 * high-risk signal counts per sender and session). Allowed calls are recorded, not executed.
 */
export async function runAgentTurn(deps: TurnDeps, request: AgentRequest): Promise<TurnResult> {
  const now = deps.now ?? (() => new Date());
  const { agent, timeline } = deps;
  const taskId = randomUUID();
  timeline.startTask({
    taskId,
    traceId: request.traceId,
    channel: request.channel,
    ...(deps.chatId ? { chatId: deps.chatId } : {}),
    senderId: request.sender,
    contentIn: request.text,
    messageType: request.messageType,
    providerId: agent.providerId,
    modelName: agent.modelName,
    at: now(),
  });

  let turn;
  try {
    turn = await agent.respond(request);
  } catch (error) {
    const message = error instanceof AgentError ? error.message : 'the agent failed unexpectedly';
    timeline.finishTask(taskId, { status: 'failed', errorText: scrub(message), at: now() });
    deps.metrics?.agentTurns.inc({ provider: agent.providerId, status: 'failed' });
    return { ok: false, taskId, error: message };
  }

  const tools = timeline.transaction(() => {
    const outcomes: ToolOutcome[] = [];
    for (const call of turn.toolCalls) {
      const common = { sender: request.sender, channel: request.channel, traceId: request.traceId, taskId };
      let decision = gateToolCall(deps.toolPolicy, timeline, { ...common, tool: call.tool, messageType: request.messageType });
      let { allowed, reason } = decision;
      if (allowed) {
        const problem = confinementProblem(deps.workspace, call);
        if (problem) {
          allowed = false;
          reason = `outside_workspace: ${problem}`;
          timeline.recordPolicyDecision({ ...common, tool: call.tool, tier: decision.tier, allowed, reason, at: now() });
          decision = { ...decision, allowed, reason };
        }
      }
      const metadata = {
        tool: call.tool,
        tier: decision.tier,
        reason,
        channel: request.channel,
        session_key: request.sessionKey,
        task_id: taskId,
        tool_call_id: call.id ?? null,
        arguments: scrub(JSON.stringify(call.arguments)).slice(0, 2000),
      };
      if (allowed) {
        timeline.record({ eventType: 'SYSTEM', classification: 'TOOL', senderId: request.sender, senderName: 'Tool', traceId: request.traceId, contentText: `${call.tool} allowed (not executed by this gateway)`, metadata, at: now() });
      } else {
        timeline.record({ eventType: 'SECURITY', classification: 'TOOL_DENIED', senderId: request.sender, senderName: 'tool-policy', traceId: request.traceId, contentText: `${call.tool} (tier ${decision.tier}) denied: ${reason}`, metadata, at: now() });
      }
      outcomes.push({ tool: call.tool, tier: decision.tier, allowed, reason });
      deps.metrics?.toolDecisions.inc({ tier: String(decision.tier), allowed: String(allowed) });
    }
    timeline.finishTask(taskId, {
      status: 'completed',
      contentOut: turn.reply,
      promptTokens: turn.usage.promptTokens,
      completionTokens: turn.usage.completionTokens,
      totalTokens: turn.usage.totalTokens,
      modelName: turn.modelName,
      at: now(),
    });
    return outcomes;
  });
  deps.metrics?.agentTurns.inc({ provider: agent.providerId, status: 'completed' });
  deps.metrics?.agentTokens.inc({ provider: agent.providerId, kind: 'prompt' }, turn.usage.promptTokens);
  deps.metrics?.agentTokens.inc({ provider: agent.providerId, kind: 'completion' }, turn.usage.completionTokens);
  return { ok: true, taskId, reply: turn.reply, tools, totalTokens: turn.usage.totalTokens };
}
