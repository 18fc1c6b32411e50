/**
 * Which config keys hold credentials. Patterns use `*` for any one key and `[]` for any array index;
 * checks use the list, the loader turns every matching value into a `Secret`.
 */
import type { KeySegments } from './key-path.js';
import { parseKeyPath } from './key-path.js';

export const CREDENTIAL_KEY_PATHS: readonly string[] = [
  'gateway.authToken',
  'providers.*.apiKey',
  'channels.telegram.token',
  'channels.discord.token',
  'channels.feishu.appSecret',
  'channels.feishu.encryptKey',
  'channels.feishu.verificationToken',
  'channels.slack.botToken',
  'channels.slack.appToken',
  'channels.slack.inboundToken',
  'channels.slack.accounts[].botToken',
  'channels.slack.accounts[].appToken',
  'channels.slack.accounts[].inboundToken',
  'channels.msteams.appPassword',
  'channels.msteams.inboundToken',
  'channels.msteams.accounts[].appPassword',
  'channels.msteams.accounts[].inboundToken',
  'group.lfsProxyApiKey',
  'group.kafkaSaslPassword',
  'tools.web.search.apiKey',
  'er1.apiKey',
];

type PatternSegment = string | typeof ANY_KEY | typeof ANY_INDEX;
const ANY_KEY = Symbol('any key');
const ANY_INDEX = Symbol('any index');

let patterns: PatternSegment[][] | undefined;

function compiled(): PatternSegment[][] {
  patterns ??= CREDENTIAL_KEY_PATHS.map((pattern) =>
    pattern.split('.').flatMap((part): PatternSegment[] => {
      const name = part.replace(/\[\]$/, '');
      const head: PatternSegment = name === '*' ? ANY_KEY : name;
      return part.endsWith('[]') ? [head, ANY_INDEX] : [head];
    }),
  );
  return patterns;
}

/** True when the key path (`providers.openai.apiKey`, `channels.slack.accounts[2].botToken`) is a credential. */
export function isCredentialKeyPath(keyPath: string | KeySegments): boolean {
  const segments = typeof keyPath === 'string' ? parseKeyPath(keyPath) : keyPath;
  return compiled().some(
    (pattern) =>
      pattern.length === segments.length &&
      pattern.every((part, i) => {
        const segment = segments[i];
        if (part === ANY_INDEX) return typeof segment === 'number' || /^\d+$/.test(String(segment));
        if (part === ANY_KEY) return typeof segment === 'string' && segment !== '';
        return part === segment;
      }),
  );
}

/** Every credential path present in JSON data, as concrete segments (`['providers','anthropic','apiKey']`). */
export function credentialPathsIn(root: unknown): (string | number)[][] {
  const found: (string | number)[][] = [];
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (path.length > 0 && isCredentialKeyPath(path)) {
      if (node !== undefined && node !== null) found.push(path);
      return;
    }
    if (Array.isArray(node)) node.forEach((item, index) => walk(item, [...path, index]));
    else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) walk(value, [...path, key]);
    }
  };
  walk(root, []);
  return found;
}
