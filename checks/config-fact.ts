import type { LoadedConfig } from '../lib/config/index.js';

/** The `config` fact: KafClaw's configuration as the gateway on this target would load it. */
export type ConfigFact = LoadedConfig;
