/** Pure summaries of a loaded config for `status` and reports: no secret values, only whether and where. */
import { isIP } from 'node:net';
import type { Secret } from '../secrets/secret.js';
import type { ConfigSource, LoadedConfig } from './load.js';

export interface CredentialState {
  set: boolean;
  source: ConfigSource;
  /** Set to an empty value by the environment, overriding whatever the file says (disables gateway auth). */
  blankedByEnv: boolean;
}

export interface ConfigDescription {
  configPath: string;
  configExists: boolean;
  gateway: {
    host: string;
    hostSource: ConfigSource;
    loopback: boolean;
    port: number;
    /** 0 means 18791 at runtime. */
    dashboardPort: number;
    auth: CredentialState;
    tls: boolean;
  };
  /** Providers holding an API key. */
  providers: Array<{ id: string; source: ConfigSource; apiBase: string }>;
  /** Channels that are enabled, or have an enabled account; `enabled` is the channel's own switch. */
  channels: Array<{ id: string; enabled: boolean; source: ConfigSource; accounts: string[] }>;
}

export function isLoopbackHost(host: string): boolean {
  const value = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (value === 'localhost' || value === '::1' || value === '0:0:0:0:0:0:0:1') return true;
  if (isIP(value) === 4) return value.startsWith('127.');
  return /^::ffff:127\./.test(value);
}

function credentialState(loaded: LoadedConfig, key: string, value: Secret | undefined): CredentialState {
  const source = loaded.sourceOf(key);
  const set = value !== undefined && !value.isEmpty();
  return { set, source, blankedByEnv: !set && source.kind === 'env' };
}

export function describeConfig(loaded: LoadedConfig): ConfigDescription {
  const { config } = loaded;
  const providers: ConfigDescription['providers'] = [];
  for (const [id, provider] of Object.entries(config.providers)) {
    const apiKey = (provider as { apiKey?: unknown }).apiKey as Secret | undefined;
    if (!apiKey || typeof apiKey.isEmpty !== 'function' || apiKey.isEmpty()) continue;
    providers.push({ id, source: loaded.sourceOf(`providers.${id}.apiKey`), apiBase: String((provider as { apiBase?: unknown }).apiBase ?? '') });
  }
  const channels: ConfigDescription['channels'] = [];
  for (const id of ['whatsapp', 'slack', 'msteams', 'telegram', 'discord', 'feishu'] as const) {
    const channel = config.channels[id];
    const list: { id?: string | undefined; enabled?: boolean | undefined }[] =
      id === 'slack' ? config.channels.slack.accounts : id === 'msteams' ? config.channels.msteams.accounts : [];
    const accounts = list.flatMap((a, i) => (a.enabled ? [a.id || `#${i}`] : []));
    if (!channel.enabled && accounts.length === 0) continue;
    channels.push({ id, enabled: channel.enabled, source: loaded.sourceOf(`channels.${id}.enabled`), accounts });
  }
  const gateway = config.gateway;
  return {
    configPath: loaded.path,
    configExists: loaded.exists,
    gateway: {
      host: gateway.host,
      hostSource: loaded.sourceOf('gateway.host'),
      loopback: isLoopbackHost(gateway.host),
      port: gateway.port,
      dashboardPort: gateway.dashboardPort || 18791,
      auth: credentialState(loaded, 'gateway.authToken', gateway.authToken),
      tls: gateway.tlsCert !== '' && gateway.tlsKey !== '',
    },
    providers,
    channels,
  };
}
