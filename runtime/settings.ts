import { DEFAULT_MONITOR_THRESHOLDS } from '../lib/monitor/index.js';
import type { MonitorThresholds } from '../lib/monitor/index.js';
import type { Secret } from '../lib/secrets/index.js';
import type { ChannelTokens } from './auth/channel-token.js';

/** One accepted gateway token; an expired one stays listed during a rotation and simply stops matching. */
export interface GatewayToken {
  secret: Secret;
  expiresAt?: Date;
}

export type DmPolicy = 'pairing' | 'allowlist' | 'open' | 'disabled';
export type GroupPolicy = 'allowlist' | 'open' | 'disabled';
export type SessionScope = 'channel' | 'account' | 'room' | 'thread' | 'user';

/** Sender access for one channel (KafClaw `channels.<name>`, facts §5.3). */
export interface ChannelPolicy {
  enabled: boolean;
  dmPolicy: DmPolicy;
  groupPolicy: GroupPolicy;
  allowFrom: string[];
  groupAllowFrom: string[];
  requireMention: boolean;
  sessionScope: SessionScope;
}

/** Tool tiers (facts §5.1): 0 read-only, 1 controlled write, 2 high-risk. */
export interface ToolPolicy {
  maxAutoTier: 0 | 1 | 2;
  externalMaxTier: 0 | 1 | 2;
}

/** Bounds on the built-in tools the gateway runs for allowed calls. */
export interface ToolLimits {
  /** An exec call is killed (its whole process group) after this long. */
  execTimeoutMs: number;
  /** Most bytes of a tool's output handed back to the agent and kept in the timeline. */
  maxOutputBytes: number;
  /** Most bytes read_file reads from one file. */
  readMaxBytes: number;
  /** Most entries list_dir returns. */
  listMaxEntries: number;
}

/** USD per million tokens, as providers publish their prices. */
export interface ModelPrice {
  promptUsdPerMTok: number;
  completionUsdPerMTok: number;
}

/** Which agent answers authorized messages: the built-in offline one unless a provider is configured. */
export type AgentSettings =
  | { kind: 'offline' }
  | { kind: 'openai'; baseUrl: string; model: string; apiKey: Secret; timeoutMs: number; maxTokens?: number };

export interface GatewayLimits {
  bodyLimitBytes: number;
  /** Longest accepted Authorization header value; longer ones are rejected before hashing. */
  maxAuthHeaderBytes: number;
  /** All request headers together; beyond this Node answers 431. */
  maxHeaderBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** Idle socket timeout. */
  connectionTimeoutMs: number;
  /** Failures an address may make before backoff starts. */
  authFreeFailures: number;
  /** First lockout; each further failure doubles it, up to authBackoffMaxMs. */
  authBackoffBaseMs: number;
  authBackoffMaxMs: number;
  /** A failure older than this no longer counts. */
  authFailureWindowMs: number;
  /** Addresses tracked at once; the least recently seen is forgotten first. */
  authTrackedAddresses: number;
}

/**
 * Everything the gateway runtime needs, already resolved: no environment reads, no defaults applied
 * later. The lead builds it from the loaded KafClaw config (`gateway.*`, `channels.*`, `tools.*`).
 */
export interface GatewaySettings {
  host: string;
  port: number;
  dashboardPort: number;
  tokens: GatewayToken[];
  /** `~/.kafclaw`; `timeline.db` lives here. */
  stateDir: string;
  workspace: string;
  channels: Record<string, ChannelPolicy>;
  toolPolicy: ToolPolicy;
  limits: GatewayLimits;
  /** Empty means CORS is off: no Access-Control-* header is ever sent. */
  corsOrigins: string[];
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  agent: AgentSettings;
  toolLimits: ToolLimits;
  /** Model calls one message may take (each answer with tool calls costs one more). */
  maxAgentIterations: number;
  /** Prices by model name (as the provider reports it, or as configured); a model not listed has an unknown cost. */
  modelPrices: Readonly<Record<string, ModelPrice>>;
  /** The runbook's signal thresholds (config.json `hardening.monitor`). */
  monitor: MonitorThresholds;
  /** config.json, where the admin endpoints persist their changes; absent means they refuse (409). */
  configPath?: string;
  /** The operations database (audit runs, backups, restore tests) shown on the dashboard, read-only. */
  opsStorePath?: string;
  /**
   * `gateway.tlsCert` and `gateway.tlsKey`: PEM files; with both set the dashboard listener serves
   * HTTPS. Read once at start: a reload that changes them reports a restart as needed.
   */
  tlsCert?: string;
  tlsKey?: string;
  /** `gateway.trustedProxies`: peers whose X-Forwarded-For names the client (addresses or CIDR ranges); absent: none. */
  trustedProxies?: readonly string[];
  /**
   * `channels.<name>.inboundToken` and the accounts' own. Absent (settings built without a config)
   * skips the channel token check; a channel listed without a token refuses its bridge.
   */
  channelTokens?: ChannelTokens;
}

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 18790;
export const DEFAULT_DASHBOARD_PORT = 18791;

export const DEFAULT_LIMITS: GatewayLimits = {
  bodyLimitBytes: 64 * 1024,
  maxAuthHeaderBytes: 1024,
  maxHeaderBytes: 16 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  connectionTimeoutMs: 60_000,
  authFreeFailures: 5,
  authBackoffBaseMs: 1_000,
  authBackoffMaxMs: 15 * 60_000,
  authFailureWindowMs: 15 * 60_000,
  authTrackedAddresses: 10_000,
};

export const DEFAULT_CHANNEL_POLICY: ChannelPolicy = {
  enabled: true,
  dmPolicy: 'pairing',
  groupPolicy: 'allowlist',
  allowFrom: [],
  groupAllowFrom: [],
  requireMention: true,
  sessionScope: 'room',
};

export const DEFAULT_TOOL_LIMITS: ToolLimits = {
  execTimeoutMs: 10_000,
  maxOutputBytes: 16 * 1024,
  readMaxBytes: 64 * 1024,
  listMaxEntries: 500,
};

export const DEFAULT_MAX_AGENT_ITERATIONS = 8;

/** KafClaw's gateway defaults tightened: owner messages need approval above tier 1, externals stay read-only. */
export const DEFAULT_TOOL_POLICY: ToolPolicy = { maxAutoTier: 1, externalMaxTier: 0 };

/** Settings with the secure defaults filled in; for tests and for the lead's config mapping. */
export function gatewaySettings(
  given: Pick<GatewaySettings, 'stateDir' | 'workspace'> &
    Partial<Omit<GatewaySettings, 'limits' | 'toolLimits'>> & { limits?: Partial<GatewayLimits>; toolLimits?: Partial<ToolLimits> },
): GatewaySettings {
  return {
    host: given.host ?? DEFAULT_HOST,
    port: given.port ?? DEFAULT_PORT,
    dashboardPort: given.dashboardPort ?? DEFAULT_DASHBOARD_PORT,
    tokens: given.tokens ?? [],
    stateDir: given.stateDir,
    workspace: given.workspace,
    channels: given.channels ?? {},
    toolPolicy: given.toolPolicy ?? DEFAULT_TOOL_POLICY,
    limits: { ...DEFAULT_LIMITS, ...given.limits },
    corsOrigins: given.corsOrigins ?? [],
    logLevel: given.logLevel ?? 'info',
    agent: given.agent ?? { kind: 'offline' },
    toolLimits: { ...DEFAULT_TOOL_LIMITS, ...given.toolLimits },
    maxAgentIterations: given.maxAgentIterations ?? DEFAULT_MAX_AGENT_ITERATIONS,
    modelPrices: given.modelPrices ?? {},
    monitor: given.monitor ?? DEFAULT_MONITOR_THRESHOLDS,
    ...(given.configPath ? { configPath: given.configPath } : {}),
    ...(given.opsStorePath ? { opsStorePath: given.opsStorePath } : {}),
    ...(given.tlsCert ? { tlsCert: given.tlsCert } : {}),
    ...(given.tlsKey ? { tlsKey: given.tlsKey } : {}),
    ...(given.trustedProxies ? { trustedProxies: given.trustedProxies } : {}),
    ...(given.channelTokens ? { channelTokens: given.channelTokens } : {}),
  };
}
