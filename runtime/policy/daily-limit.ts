import type { TimelineStore } from '../timeline/store.js';

/** KafClaw's settings key (facts §3): the most tokens all tasks created on one UTC date may use. */
export const DAILY_TOKEN_LIMIT_SETTING = 'daily_token_limit';

export type ParsedLimit = { ok: true; limit: number | null } | { ok: false; problem: string };

/**
 * The setting's value as a limit. Absent, empty or `0` means no limit (KafClaw's reading of an
 * unset value); anything other than a whole number is a problem, not "no limit". Pure.
 */
export function parseDailyTokenLimit(raw: string | null): ParsedLimit {
  const value = raw?.trim() ?? '';
  if (value === '') return { ok: true, limit: null };
  if (!/^\d{1,15}$/.test(value)) {
    return { ok: false, problem: `the ${DAILY_TOKEN_LIMIT_SETTING} setting is ${JSON.stringify(value.slice(0, 40))}, not a whole number of tokens: set it to one (0 for no limit)` };
  }
  const limit = Number(value);
  return { ok: true, limit: limit === 0 ? null : limit };
}

export type DailyBudget =
  | { ok: true; limit: number | null; used: number }
  | { ok: false; reason: 'daily_token_limit_reached'; limit: number; used: number }
  | { ok: false; reason: 'daily_token_limit_unavailable'; problem: string };

/**
 * Whether another model call may be made today. Unlike KafClaw, which lets the call through when
 * the database cannot answer, any failure to read the setting or the day's usage refuses the call.
 */
export function checkDailyBudget(timeline: TimelineStore, now: Date): DailyBudget {
  let raw: string | null;
  let parsed: ParsedLimit;
  try {
    raw = timeline.getSetting(DAILY_TOKEN_LIMIT_SETTING);
    parsed = parseDailyTokenLimit(raw);
    if (!parsed.ok) return { ok: false, reason: 'daily_token_limit_unavailable', problem: parsed.problem };
    if (parsed.limit === null) return { ok: true, limit: null, used: 0 };
    const used = timeline.tokensUsedOn(now);
    if (used >= parsed.limit) return { ok: false, reason: 'daily_token_limit_reached', limit: parsed.limit, used };
    return { ok: true, limit: parsed.limit, used };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { ok: false, reason: 'daily_token_limit_unavailable', problem: `the token usage could not be read from the timeline database${typeof code === 'string' ? ` (${code})` : ''}` };
  }
}
