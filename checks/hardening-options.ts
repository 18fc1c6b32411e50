import type { CheckOptions } from './types.js';
import type { ConfigFact } from './config-fact.js';
import { getPath } from './json-path.js';

export interface HardeningOptions extends CheckOptions {
  reverseProxy: boolean;
}

/**
 * Our tunables live in config.json under `hardening` (KafClaw ignores unknown keys), so one file
 * describes a deployment. Values of the wrong type are ignored in favour of the defaults.
 */
export function hardeningOptions(config: ConfigFact, defaults: CheckOptions): HardeningOptions {
  const section = getPath(config.fileConfig, 'hardening');
  const read = <T>(key: string, type: 'number' | 'boolean' | 'array'): T | undefined => {
    const value = getPath(section, key);
    if (type === 'array') return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as T) : undefined;
    return typeof value === type ? (value as T) : undefined;
  };
  const options: HardeningOptions = {
    ...defaults,
    tokenRotationDays: read<number>('tokenRotationDays', 'number') ?? defaults.tokenRotationDays,
    tokenAgeWarnDays: read<number>('tokenAgeWarnDays', 'number') ?? defaults.tokenAgeWarnDays,
    allowlistMaxEntries: read<number>('allowlistMaxEntries', 'number') ?? defaults.allowlistMaxEntries,
    reverseProxy: read<boolean>('reverseProxy', 'boolean') ?? false,
  };
  const providers = read<string[]>('expectedProviders', 'array') ?? defaults.expectedProviders;
  const channels = read<string[]>('expectedChannels', 'array') ?? defaults.expectedChannels;
  if (providers) options.expectedProviders = providers;
  if (channels) options.expectedChannels = channels;
  return options;
}
