import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OFFLINE_MODEL } from '../../../runtime/agent/offline.js';
import { addCost, callCostUsd } from '../../../runtime/agent/pricing.js';

const usage = { promptTokens: 1_000_000, completionTokens: 500_000, totalTokens: 1_500_000 };
const prices = { 'gpt-4o-mini': { promptUsdPerMTok: 0.15, completionUsdPerMTok: 0.6 } };

test('cost from the reported model, else the configured one; unknown is null; the offline model is free', () => {
  assert.is(callCostUsd(prices, ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'], usage), 0.45);
  assert.is(callCostUsd(prices, ['gpt-4o-mini'], { promptTokens: 0, completionTokens: 0, totalTokens: 0 }), 0);
  assert.is(callCostUsd(prices, ['other', 'also-other'], usage), null);
  assert.is(callCostUsd({}, [OFFLINE_MODEL], usage), 0);
  assert.is(callCostUsd(prices, ['constructor'], usage), null, 'no prototype lookups');
});

test('a sum with one unknown part is unknown', () => {
  assert.is(addCost(0, 0.5), 0.5);
  assert.is(addCost(0.5, null), null);
  assert.is(addCost(null, 0.5), null);
});

test.run();
