import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { matchCredentialFormat } from '../../../lib/secrets/index.js';

// Shaped like the real thing, but not real credentials.
const MATCHES: Array<[string, string]> = [
  ['sk-ant-api03-Xq7vN2kLp9RtY4wZ8mBc', 'Anthropic API key'],
  ['xoxb-2048-4096-Ab12Cd34Ef56', 'Slack bot token'],
  ['AKIAQ3EXAMPLE7KEYID0', 'AWS access key id'],
  ['xapp-1-A0123BCDEF-1234567890-abcdef0123', 'Slack app token'],
  ['AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY', 'Google API key'],
  ['ghp_R2d2C3poBb8Yoda0Luke1Leia2Han3Solo4', 'GitHub token'],
  ['gsk_8Hx2Lm4Np6Qr8St0Uv2Wx4Yz6Ab8Cd0Ef2Gh', 'Groq API key'],
  ['sk-4xYz9QwErTy7UiOp1AsDf3GhJk5LzXc', 'OpenAI-style API key'],
  ['sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z', 'OpenAI-style API key'],
];

// Close to a format but not it: wrong separator, too short, wrong case, or glued to a word.
const NEAR_MISSES: Array<[string, string]> = [
  ['xapp_1-A0123BCDEF-1234567890', 'xapp- with an underscore'],
  ['xapp-1', 'xapp- with too little after it'],
  ['AIzaShort', 'AIza with under 10 characters after it'],
  ['aizaSyD-9tSrke72PouQMnMX-a7eZSW0', 'AIza in the wrong case'],
  ['ghp-R2d2C3poBb8Yoda0Luke1Leia2', 'ghp with a dash'],
  ['ghp_R2d2C3p', 'ghp_ with under 10 characters after it'],
  ['gsk-8Hx2Lm4Np6Qr8St0Uv2Wx4', 'gsk with a dash (and no sk- at a word boundary)'],
  ['gsk_8Hx2Lm4', 'gsk_ with under 10 characters after it'],
  ['sk-ab', 'sk- with under 3 characters after it'],
  ['risk-assessment-weekly', 'sk- inside a word'],
  ['SK-4xYz9QwErTy7UiOp1AsDf3', 'sk- in the wrong case'],
  ['desk-proj-Ab3dEf6hIj9kLm2n', 'sk-proj- inside a word'],
  ['sk_proj_Ab3dEf6hIj9kLm2n', 'sk_proj_ with underscores'],
  ['AKIA1234', 'AKIA with too little after it'],
];

test('each recognised format matches a value of its shape, under its own name', () => {
  for (const [value, name] of MATCHES) assert.is(matchCredentialFormat(value)?.name, name, value);
});

test('a value inside a longer text is still found', () => {
  assert.is(matchCredentialFormat('Authorization: Bearer ghp_R2d2C3poBb8Yoda0Luke1Leia2Han3Solo4')?.name, 'GitHub token');
  assert.is(matchCredentialFormat('key="AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"')?.name, 'Google API key');
});

test('near misses are not taken for credentials', () => {
  for (const [value, why] of NEAR_MISSES) assert.is(matchCredentialFormat(value), null, `${value}: ${why}`);
});

test.run();
