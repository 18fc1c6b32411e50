import { randomUUID } from 'node:crypto';
import { checkDailyBudget } from '../policy/daily-limit.js';
import type { ConnectionHold } from '../http/open-connections.js';
import type { GatewayMetrics } from '../metrics.js';
import { DEFAULT_MAX_AGENT_ITERATIONS, DEFAULT_TOOL_LIMITS } from '../settings.js';
import type { ModelPrice, ToolLimits, ToolPolicy } from '../settings.js';
import type { TimelineStore } from '../timeline/store.js';
import { redactSecrets } from '../tools/redact.js';
import { addCost, callCostUsd } from './pricing.js';
import { handleToolCall } from './tool-call.js';
import type { ToolOutcome } from './tool-call.js';
import { AgentError } from './types.js';
import type { AgentAdapter, AgentRequest, AgentTurn, ConversationEntry, TokenUsage } from './types.js';

export { confinementProblem } from './tool-call.js';
export type { ToolOutcome } from './tool-call.js';

export type TurnFailure = 'agent_failed' | 'daily_token_limit_reached' | 'daily_token_limit_unavailable';

export type TurnResult =
  | { ok: true; taskId: string; reply: string; tools: ToolOutcome[]; totalTokens: number; usage: TokenUsage; costUsd: number | null; modelCalls: number }
  | { ok: false; taskId: string; reason: TurnFailure; error: string; tools: ToolOutcome[] };

export interface TurnDeps {
  agent: AgentAdapter;
  timeline: TimelineStore;
  toolPolicy: ToolPolicy;
  workspace: string;
  chatId?: string;
  metrics?: GatewayMetrics;
  now?: () => Date;
  toolLimits?: ToolLimits;
  /** Model calls one message may take; default 8. */
  maxIterations?: number;
  modelPrices?: Readonly<Record<string, ModelPrice>>;
  /** The gateway's environment (default process.env); exec gets only its allow-listed part. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  approvalPollMs?: number;
  /** The HTTP connection the answer goes back on, kept open through approval waits. */
  holdConnection?: ConnectionHold;
}

/**
 * One message through the agent: a `tasks` row, then model calls until an answer asks for no
 * tools or `maxIterations` calls were made. Before every call the daily token budget is checked
 * (a refusal or an unreadable budget stops the turn without calling the model); after every call
 * the task's token use and cost are written. Each tool call goes through `handleToolCall`, and
 * its result goes back to the agent with the next call. The message and the reply are stored
 * with secret values redacted; the agent gets them as they are.
 */
export async function runAgentTurn(deps: TurnDeps, request: AgentRequest): Promise<TurnResult> {
  const now = deps.now ?? (() => new Date());
  const { agent, timeline } = deps;
  const maxIterations = Math.max(1, deps.maxIterations ?? DEFAULT_MAX_AGENT_ITERATIONS);
  const taskId = randomUUID();
  timeline.startTask({
    taskId,
    traceId: request.traceId,
    channel: request.channel,
    ...(deps.chatId ? { chatId: deps.chatId } : {}),
    senderId: request.sender,
    contentIn: redactSecrets(request.text),
    messageType: request.messageType,
    providerId: agent.providerId,
    modelName: agent.modelName,
    at: now(),
  });

  const toolDeps = {
    timeline,
    toolPolicy: deps.toolPolicy,
    workspace: deps.workspace,
    toolLimits: deps.toolLimits ?? DEFAULT_TOOL_LIMITS,
    env: deps.env ?? process.env,
    now,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(deps.approvalPollMs ? { approvalPollMs: deps.approvalPollMs } : {}),
    ...(deps.holdConnection ? { holdConnection: deps.holdConnection } : {}),
  };
  const conversation: ConversationEntry[] = [];
  const tools: ToolOutcome[] = [];
  const usage: TokenUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
  let costUsd: number | null = 0;
  const fail = (reason: TurnFailure, error: string): TurnResult => {
    timeline.finishTask(taskId, { status: 'failed', errorText: redactSecrets(error), at: now() });
    deps.metrics?.agentTurns.inc({ provider: agent.providerId, status: 'failed' });
    return { ok: false, taskId, reason, error, tools };
  };

  for (let call = 1; ; call++) {
    const budget = checkDailyBudget(timeline, now());
    if (!budget.ok) {
      const error = budget.reason === 'daily_token_limit_reached'
        ? `the daily token limit (${budget.limit}) has been reached: ${budget.used} tokens used today (UTC); the message was not sent to the model`
        : `the daily token limit could not be checked, so the message was not sent to the model: ${budget.problem}`;
      timeline.record({
        eventType: 'SYSTEM', classification: budget.reason.toUpperCase(), senderId: request.sender, senderName: 'token-budget', traceId: request.traceId,
        contentText: error, metadata: { task_id: taskId, channel: request.channel, session_key: request.sessionKey, model_call: call, ...(budget.reason === 'daily_token_limit_reached' ? { limit: budget.limit, used: budget.used } : {}) }, at: now(),
      });
      return fail(budget.reason, error);
    }

    let turn: AgentTurn;
    try {
      turn = await agent.respond(request, conversation);
    } catch (error) {
      return fail('agent_failed', error instanceof AgentError ? error.message : 'the agent failed unexpectedly');
    }
    usage.promptTokens += turn.usage.promptTokens;
    usage.completionTokens += turn.usage.completionTokens;
    usage.totalTokens += turn.usage.totalTokens;
    costUsd = addCost(costUsd, callCostUsd(deps.modelPrices ?? {}, [turn.modelName, agent.modelName], turn.usage));
    timeline.updateTaskUsage(taskId, { ...usage, costUsd, modelName: turn.modelName, at: now() });
    deps.metrics?.agentTokens.inc({ provider: agent.providerId, kind: 'prompt' }, turn.usage.promptTokens);
    deps.metrics?.agentTokens.inc({ provider: agent.providerId, kind: 'completion' }, turn.usage.completionTokens);

    let reply = turn.reply;
    const done = turn.toolCalls.length === 0;
    if (!done && call >= maxIterations) {
      const note = `(stopped: the agent asked for more tools after ${maxIterations} model calls, the most one message may take)`;
      reply = reply ? `${reply}\n${note}` : note;
      timeline.record({
        eventType: 'SYSTEM', classification: 'AGENT_ITERATION_LIMIT', senderId: request.sender, senderName: 'agent', traceId: request.traceId,
        contentText: note, metadata: { task_id: taskId, not_run: turn.toolCalls.map((c) => c.tool) }, at: now(),
      });
    }
    if (done || call >= maxIterations) {
      timeline.finishTask(taskId, { status: 'completed', contentOut: redactSecrets(reply), at: now() });
      deps.metrics?.agentTurns.inc({ provider: agent.providerId, status: 'completed' });
      return { ok: true, taskId, reply, tools, totalTokens: usage.totalTokens, usage: { ...usage }, costUsd, modelCalls: call };
    }

    const calls = turn.toolCalls.map((c, i) => ({ ...c, id: c.id ?? `call_${call}_${i + 1}` }));
    conversation.push({ kind: 'assistant', text: turn.reply, toolCalls: calls });
    for (const toolCall of calls) {
      const { outcome, content } = await handleToolCall(toolDeps, request, taskId, toolCall);
      tools.push(outcome);
      conversation.push({ kind: 'tool', callId: toolCall.id, tool: toolCall.tool, content });
    }
  }
}
