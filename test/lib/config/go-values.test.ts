import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseGoBool, parseGoInt, parseGoFloat, parseGoDuration, parseGoList, parseGoMap, formatGoDuration } from '../../../lib/config/go-values.js';

test('ParseBool accepts Go spellings only', () => {
  for (const yes of ['1', 't', 'T', 'true', 'TRUE', 'True']) assert.is(parseGoBool(yes), true);
  for (const no of ['0', 'f', 'F', 'false', 'FALSE', 'False']) assert.is(parseGoBool(no), false);
  for (const bad of ['', 'yes', 'on', ' true', 'tRuE']) assert.throws(() => parseGoBool(bad), /boolean/);
});

test('ParseInt base 0: decimal, hex, octal, binary, underscores; blanks and junk fail', () => {
  assert.is(parseGoInt('18790'), 18790);
  assert.is(parseGoInt('-5'), -5);
  assert.is(parseGoInt('0x1F'), 31);
  assert.is(parseGoInt('017'), 15);
  assert.is(parseGoInt('0o17'), 15);
  assert.is(parseGoInt('0b101'), 5);
  assert.is(parseGoInt('1_000'), 1000);
  assert.is(parseGoInt('0'), 0);
  for (const bad of ['', ' 1', '1.5', '80a', '08', '1__0', '99999999999999999999']) assert.throws(() => parseGoInt(bad), undefined, bad);
});

test('ParseFloat and durations', () => {
  assert.is(parseGoFloat('0.7'), 0.7);
  assert.is(parseGoFloat('1e3'), 1000);
  assert.is(parseGoFloat('.5'), 0.5);
  assert.throws(() => parseGoFloat(''));
  assert.is(parseGoDuration('60s'), 60e9);
  assert.is(parseGoDuration('1h30m'), 5400e9);
  assert.is(parseGoDuration('1.5s'), 1.5e9);
  assert.is(parseGoDuration('300ms'), 300e6);
  assert.is(parseGoDuration('-2m'), -120e9);
  assert.is(parseGoDuration('0'), 0);
  for (const bad of ['', '60', 's', '1d', '5 m']) assert.throws(() => parseGoDuration(bad), /duration/, bad);
  assert.is(formatGoDuration(60e9), '1m0s');
  assert.is(formatGoDuration(5400e9), '1h30m0s');
  assert.is(formatGoDuration(1.5e9), '1.5s');
  assert.is(formatGoDuration(300e6), '300ms');
});

test('lists split on commas without trimming; maps need exactly one colon per item', () => {
  assert.equal(parseGoList('a,b, c'), ['a', 'b', ' c']);
  assert.equal(parseGoList(''), []);
  assert.equal(parseGoMap('fast:openai/x,slow:anthropic/y'), { fast: 'openai/x', slow: 'anthropic/y' });
  assert.equal(parseGoMap(''), {});
  assert.throws(() => parseGoMap('a:b:c'), /map item/);
});

test.run();
