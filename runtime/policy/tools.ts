import type { ToolPolicy } from '../settings.js';

export type Tier = 0 | 1 | 2;
export type MessageType = 'internal' | 'external';

/** KafClaw's tool tiers (facts §5.1). */
export const TOOL_TIERS: Readonly<Record<string, Tier>> = {
  read_file: 0, list_dir: 0, resolve_path: 0, recall: 0, agents_list: 0, query_graph: 0,
  write_file: 1, edit_file: 1, remember: 1, sessions_spawn: 1, subagents: 1,
  exec: 2, google_workspace_read: 2, m365_read: 2,
};

export interface ToolDecision {
  tool: string;
  tier: Tier;
  allowed: boolean;
  reason: string;
  requiresApproval: boolean;
}

/** A tool nobody declared is high-risk here (KafClaw treats it as read-only). */
export function toolTier(tool: string): Tier {
  return Object.hasOwn(TOOL_TIERS, tool) ? TOOL_TIERS[tool]! : 2;
}

/**
 * Whether a tool call may run without a human: tier 0 always; above that up to the policy's
 * maximum for the message type. External senders stop at `externalMaxTier`; owners above
 * `maxAutoTier` need approval. Pure.
 */
export function decideTool(policy: ToolPolicy, tool: string, messageType: MessageType): ToolDecision {
  const tier = toolTier(tool);
  if (tier === 0) return { tool, tier, allowed: true, reason: 'tier_0_always_allowed', requiresApproval: false };
  const max = messageType === 'external' ? Math.min(policy.externalMaxTier, policy.maxAutoTier) : policy.maxAutoTier;
  if (tier <= max) return { tool, tier, allowed: true, reason: `tier_${tier}_allowed_for_${messageType}_message`, requiresApproval: false };
  if (messageType === 'external') {
    return { tool, tier, allowed: false, reason: `tier_${tier}_denied_for_external_message`, requiresApproval: false };
  }
  return { tool, tier, allowed: false, reason: `tier_${tier}_requires_approval`, requiresApproval: true };
}
