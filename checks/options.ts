import type { CheckOptions } from './types.js';

/** Every tunable with its default. Operators override them in config.json under `hardening`. */
export const DEFAULT_CHECK_OPTIONS: CheckOptions = {
  tokenRotationDays: 90,
  tokenAgeWarnDays: 30,
  allowlistMaxEntries: 25,
  checkTimeoutMs: 10_000,
};
