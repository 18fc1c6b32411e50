import type { ToolPolicy } from '../settings.js';
import type { TimelineStore } from '../timeline/store.js';
import { decideTool } from './tools.js';
import type { MessageType, ToolDecision } from './tools.js';

export interface ToolCall {
  tool: string;
  messageType: MessageType;
  sender: string;
  channel: string;
  traceId?: string;
  taskId?: string;
}

/** Decides one tool call and writes the decision to `policy_decisions`, allowed or not. */
export function gateToolCall(policy: ToolPolicy, timeline: TimelineStore, call: ToolCall): ToolDecision {
  const decision = decideTool(policy, call.tool, call.messageType);
  timeline.recordPolicyDecision({
    tool: call.tool,
    tier: decision.tier,
    sender: call.sender,
    channel: call.channel,
    allowed: decision.allowed,
    reason: decision.reason,
    ...(call.traceId ? { traceId: call.traceId } : {}),
    ...(call.taskId ? { taskId: call.taskId } : {}),
  });
  return decision;
}
