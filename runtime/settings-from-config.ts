import { posix } from 'node:path';
import { ENV_GROUPS } from '../lib/config/index.js';
import type { LoadedConfig } from '../lib/config/index.js';
import { isSecret, Secret } from '../lib/secrets/index.js';
import type { ChannelInboundTokens, ChannelTokens } from './auth/channel-token.js';
import { previousGatewayToken } from './previous-token.js';
import { monitorThresholds } from '../lib/monitor/index.js';
import { gatewaySettings, type AgentSettings, DEFAULT_CHANNEL_POLICY, DEFAULT_TOOL_POLICY, type ChannelPolicy, type DmPolicy, type GatewaySettings, type GroupPolicy, type ModelPrice, type SessionScope, type ToolLimits, type ToolPolicy } from './settings.js';

const DM: readonly DmPolicy[] = ['pairing', 'allowlist', 'open', 'disabled'];
const GROUP: readonly GroupPolicy[] = ['allowlist', 'open', 'disabled'];
const SCOPE: readonly SessionScope[] = ['channel', 'account', 'room', 'thread', 'user'];

function pick<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function channelPolicy(channel: Record<string, unknown>): ChannelPolicy {
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  return {
    enabled: channel.enabled === true,
    dmPolicy: pick(channel.dmPolicy, DM, DEFAULT_CHANNEL_POLICY.dmPolicy),
    groupPolicy: pick(channel.groupPolicy, GROUP, DEFAULT_CHANNEL_POLICY.groupPolicy),
    allowFrom: strings(channel.allowFrom),
    groupAllowFrom: strings(channel.groupAllowFrom),
    requireMention: channel.requireMention !== false,
    sessionScope: pick(channel.sessionScope, SCOPE, DEFAULT_CHANNEL_POLICY.sessionScope),
  };
}

function inboundToken(value: unknown, key: string): Secret | null {
  if (isSecret(value)) return value.isEmpty() ? null : value;
  return typeof value === 'string' && value !== '' ? new Secret(value, `file:${key}`) : null;
}

/**
 * The channel's `inboundToken` from its bare env name (`SLACK_INBOUND_TOKEN`, `MSTEAMS_INBOUND_TOKEN`)
 * where KafClaw would take it from there: KafClaw reads `KAFCLAW_CHANNELS_SLACK_SLACK_INBOUND_TOKEN`,
 * else the bare name, in each of its MIKROBOT_ and KAFCLAW_ passes (facts §1.5), so the bare name
 * loses only to the KAFCLAW_ name and wins over the MIKROBOT_ one and the file. Set but empty counts
 * as set, as in KafClaw. The loader leaves bare names out unless asked; these are read regardless,
 * because a bridge set up for KafClaw may carry its token only there. Null: the loader's value stands.
 */
export function bareInboundToken(loaded: Pick<LoadedConfig, 'env' | 'sourceOf'>, channel: string): Secret | null {
  const key = `channels.${channel}.inboundToken`;
  for (const group of ENV_GROUPS) {
    const field = group.fields.find((candidate) => candidate.key === key);
    if (!field?.alt) continue;
    const value = loaded.env[field.alt];
    if (value === undefined) return null;
    const source = loaded.sourceOf(key);
    if (source.kind === 'env' && source.name === `KAFCLAW_${group.prefix}_${field.suffix}`) return null;
    return new Secret(value, `env:${field.alt}`);
  }
  return null;
}

/** Every channel's `inboundToken` and its accounts' own (KafClaw `channels.<name>.accounts[].inboundToken`). */
export function channelTokens(channels: Record<string, unknown>): ChannelTokens {
  const tokens: Record<string, ChannelInboundTokens> = {};
  for (const [name, value] of Object.entries(channels)) {
    if (!value || typeof value !== 'object') continue;
    const channel = value as { inboundToken?: unknown; accounts?: unknown };
    const accounts: Record<string, Secret> = {};
    for (const account of Array.isArray(channel.accounts) ? channel.accounts : []) {
      const { id, inboundToken: own } = (account ?? {}) as { id?: unknown; inboundToken?: unknown };
      const secret = typeof id === 'string' && id !== '' ? inboundToken(own, `channels.${name}.accounts[${id}].inboundToken`) : null;
      if (secret && typeof id === 'string') accounts[id] = secret;
    }
    tokens[name] = { token: inboundToken(channel.inboundToken, `channels.${name}.inboundToken`), accounts };
  }
  return tokens;
}

function tier(value: unknown, fallback: 0 | 1 | 2): 0 | 1 | 2 {
  return value === 0 || value === 1 || value === 2 ? value : fallback;
}

export const OPENAI_DEFAULT_BASE = 'https://api.openai.com/v1';

/**
 * KafClaw's `finops.pricing.<provider>` (USD per 1000 tokens) as the price of the configured model
 * (`model.name` = `<provider>/<model>`), keyed by the model part: the name the agent falls back to
 * when the provider reports a dated variant. Only a provider with both prices set prices the model;
 * otherwise its cost stays unknown rather than zero. Applies whether or not `finops.enabled` is set:
 * it states prices, not a feature.
 */
export function modelPricesFromConfig(loaded: LoadedConfig): Record<string, ModelPrice> {
  const name = loaded.config.model.name ?? '';
  const slash = name.indexOf('/');
  if (slash <= 0 || slash === name.length - 1) return {};
  const pricing = loaded.config.finops?.pricing ?? {};
  const provider = name.slice(0, slash);
  const entry = Object.hasOwn(pricing, provider) ? pricing[provider] : undefined;
  if (entry?.promptPer1kTokens === undefined || entry.completionPer1kTokens === undefined) return {};
  return { [name.slice(slash + 1)]: { promptUsdPerMTok: entry.promptPer1kTokens * 1000, completionUsdPerMTok: entry.completionPer1kTokens * 1000 } };
}

/**
 * Tool bounds: the exec timeout from KafClaw's `tools.exec.timeout` (nanoseconds; KafClaw itself
 * ignores it) when the file or the environment sets it above 0, the rest from our `tools.limits`.
 * Whatever is not set keeps the gateway's default.
 */
export function toolLimitsFromConfig(loaded: LoadedConfig): Partial<ToolLimits> {
  const limits: Partial<ToolLimits> = {};
  const timeout = loaded.config.tools.exec.timeout;
  if (loaded.sourceOf('tools.exec.timeout').kind !== 'default' && timeout > 0) limits.execTimeoutMs = Math.max(1, Math.round(timeout / 1e6));
  const own = loaded.config.tools.limits ?? {};
  if (own.maxOutputBytes !== undefined) limits.maxOutputBytes = own.maxOutputBytes;
  if (own.readMaxBytes !== undefined) limits.readMaxBytes = own.readMaxBytes;
  if (own.listMaxEntries !== undefined) limits.listMaxEntries = own.listMaxEntries;
  return limits;
}

/**
 * KafClaw's `model.name` picks the provider (`openai/<model>`); the OpenAI adapter is used when that
 * provider is chosen and its key (`providers.openai.apiKey`, normally from the environment) is set.
 * Everything else runs the offline adapter, so the gateway starts with no provider at all.
 */
export function agentSettings(loaded: LoadedConfig): AgentSettings {
  const name = loaded.config.model.name ?? '';
  const openai = loaded.config.providers.openai;
  if (!name.startsWith('openai/') || !openai.apiKey || openai.apiKey.isEmpty()) return { kind: 'offline' };
  return {
    kind: 'openai',
    baseUrl: openai.apiBase || OPENAI_DEFAULT_BASE,
    model: name.slice('openai/'.length),
    apiKey: openai.apiKey,
    timeoutMs: 60_000,
    ...(loaded.config.model.maxTokens > 0 ? { maxTokens: loaded.config.model.maxTokens } : {}),
  };
}

/** The gateway token, and the one a rotation with a grace period replaced while that period lasts. */
function gatewayTokens(loaded: LoadedConfig): GatewaySettings['tokens'] {
  const current = loaded.config.gateway.authToken;
  const tokens = current && !current.isEmpty() ? [{ secret: current }] : [];
  const previous = previousGatewayToken(loaded);
  // Without a current token the gateway is closed; a previous one must not open it.
  if (previous && tokens.length > 0 && !previous.secret.equals(current)) tokens.push(previous);
  return tokens;
}

/**
 * The runtime's settings from KafClaw's configuration: `gateway.*` (TLS files and our own
 * `gateway.trustedProxies` included), `channels.*` (policy and inbound tokens), `paths.workspace`,
 * `finops.pricing`, `tools.exec.timeout`, and our own `tools.limits`,
 * `tools.policy.{maxAutoTier,externalMaxTier}` and `hardening.corsOrigins`. State lives in
 * `$HOME/.kafclaw`, as KafClaw keeps it.
 */
export function settingsFromConfig(loaded: LoadedConfig): GatewaySettings {
  const { gateway } = loaded.config;
  const file = loaded.fileConfig as {
    tools?: { policy?: Record<string, unknown> };
    hardening?: { corsOrigins?: unknown; monitor?: unknown; opsStore?: unknown };
  };
  const policy = file.tools?.policy ?? {};
  const toolPolicy: ToolPolicy = {
    maxAutoTier: tier(policy.maxAutoTier, DEFAULT_TOOL_POLICY.maxAutoTier),
    externalMaxTier: tier(policy.externalMaxTier, DEFAULT_TOOL_POLICY.externalMaxTier),
  };
  const channels: Record<string, ChannelPolicy> = {};
  for (const [name, value] of Object.entries(loaded.config.channels as Record<string, unknown>)) {
    if (value && typeof value === 'object') channels[name] = channelPolicy(value as Record<string, unknown>);
  }
  const cors = file.hardening?.corsOrigins;
  const tokens: Record<string, ChannelInboundTokens> = { ...channelTokens(loaded.config.channels as Record<string, unknown>) };
  for (const name of Object.keys(tokens)) {
    const bare = bareInboundToken(loaded, name);
    if (bare) tokens[name] = { ...tokens[name]!, token: bare.isEmpty() ? null : bare };
  }
  return gatewaySettings({
    host: gateway.host,
    port: gateway.port,
    dashboardPort: gateway.dashboardPort || 18791,
    tokens: gatewayTokens(loaded),
    stateDir: posix.join(loaded.env.HOME ?? '/root', '.kafclaw'),
    workspace: loaded.config.paths.workspace,
    channels,
    toolPolicy,
    corsOrigins: Array.isArray(cors) ? cors.filter((o): o is string => typeof o === 'string') : [],
    agent: agentSettings(loaded),
    toolLimits: toolLimitsFromConfig(loaded),
    modelPrices: modelPricesFromConfig(loaded),
    monitor: monitorThresholds(file.hardening?.monitor),
    ...(loaded.path ? { configPath: loaded.path } : {}),
    ...(typeof file.hardening?.opsStore === 'string' && file.hardening.opsStore ? { opsStorePath: file.hardening.opsStore } : {}),
    ...(gateway.tlsCert ? { tlsCert: gateway.tlsCert } : {}),
    ...(gateway.tlsKey ? { tlsKey: gateway.tlsKey } : {}),
    trustedProxies: gateway.trustedProxies ?? [],
    channelTokens: tokens,
  });
}
