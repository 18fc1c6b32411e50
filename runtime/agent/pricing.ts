import type { ModelPrice } from '../settings.js';
import { OFFLINE_MODEL } from './offline.js';
import type { TokenUsage } from './types.js';

/** Models that run in the gateway itself and cost nothing. */
const LOCAL_PRICES: Readonly<Record<string, ModelPrice>> = { [OFFLINE_MODEL]: { promptUsdPerMTok: 0, completionUsdPerMTok: 0 } };

/**
 * The USD cost of one model call: the price of the model the provider named, else of the model
 * that was configured; null when neither is priced, because an unknown price is not a zero one. Pure.
 */
export function callCostUsd(prices: Readonly<Record<string, ModelPrice>>, models: readonly string[], usage: TokenUsage): number | null {
  for (const model of models) {
    const price = Object.hasOwn(prices, model) ? prices[model] : Object.hasOwn(LOCAL_PRICES, model) ? LOCAL_PRICES[model] : undefined;
    if (price) return (usage.promptTokens * price.promptUsdPerMTok + usage.completionTokens * price.completionUsdPerMTok) / 1_000_000;
  }
  return null;
}

/** A sum of per-call costs: unknown as soon as one call's cost is unknown. */
export function addCost(total: number | null, call: number | null): number | null {
  return total === null || call === null ? null : total + call;
}
