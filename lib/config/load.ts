/**
 * `loadConfig`: KafClaw's configuration as the gateway would see it (facts §1.2): env files, the
 * config file with `$include` and `${VAR}`, zod validation onto the defaults, the env overlay
 * (environment over file over defaults), the OPENAI_API_KEY fallback, `~` expansion and normalisation.
 * Works over any file reader, so the same loader runs on a remote Target.
 */
import { promises as fs } from 'node:fs';
import { posix } from 'node:path';
import { inspect } from 'node:util';
import { Secret } from '../secrets/secret.js';
import { isEnvReference, matchCredentialFormat } from '../secrets/formats.js';
import { registerSecretValue, scrub } from '../secrets/scrub.js';
import { credentialPathsIn, isCredentialKeyPath } from './credentials.js';
import { envFileCandidates, layerEnvFiles } from './env-file.js';
import { computeEnvOverlay } from './env-overlay.js';
import type { EnvIssue } from './env-overlay.js';
import { ConfigError } from './errors.js';
import { fileProvidingKey, isPlainObject, readConfigTree } from './includes.js';
import type { JsonObject, ReadFile } from './includes.js';
import { formatKeyPath, getAtPath, parseKeyPath, setAtPath } from './key-path.js';
import type { KeySegments } from './key-path.js';
import { migrateLegacy } from './legacy.js';
import { normalizeConfig } from './normalize.js';
import { expandHome, resolveConfigPath } from './paths.js';
import type { EnvMap } from './paths.js';
import { DEFAULT_WORKSPACE, loadConfigSchema } from './schema.js';
import type { KafClawConfig } from './schema.js';
import { substituteEnv } from './substitute.js';
import { configErrorFromIssue } from './type-error.js';

export interface LoadConfigOptions {
  /** The process environment of the gateway; default `process.env`. */
  env?: EnvMap;
  /** The user's home ($HOME); default `env.HOME`. */
  home?: string;
  /** Directory relative paths resolve against; default `process.cwd()`. */
  cwd?: string;
  /** Reads a file, null when it does not exist; default node fs. Pass `target.readFile` for remote hosts. */
  readFile?: ReadFile;
  /** Read this file instead of resolving KAFCLAW_CONFIG / MIKROBOT_CONFIG / ~/.kafclaw/config.json. */
  configPath?: string;
  /**
   * Where the bare fallback names (HOST, PORT, AUTH_TOKEN, …) count, as KafClaw counts them.
   * `'env-files'` (default): only from the env files KafClaw loads, since `env` is usually this
   * process's own environment, not the gateway's (a shell sets HOST). `'everywhere'`: from `env` too,
   * for an `env` that is the gateway's own.
   */
  bareAltNamesFrom?: 'env-files' | 'everywhere';
}

export type ConfigSource =
  | { kind: 'default' }
  | { kind: 'file'; path: string; /** Env names substituted into the value via `${VAR}`. */ references?: string[] }
  | { kind: 'env'; name: string; /** The env file that set it; absent when it came from the process environment. */ file?: string };

export interface LoadedConfig {
  /** The config file KafClaw would read (whether or not it exists). */
  path: string;
  exists: boolean;
  /** The effective configuration; credential fields are `Secret`. */
  config: KafClawConfig;
  /**
   * The merged file content after `$include`, before `${VAR}` substitution: plain JSON, so a check can
   * tell a literal from a `"${VAR}"` reference. Not enumerable: never serialised.
   */
  fileConfig: JsonObject;
  /** Where a key's effective value came from (`gateway.authToken`, `channels.slack.accounts[0].botToken`). */
  sourceOf(keyPath: string): ConfigSource;
  /** The effective environment: process env plus env-file values. Not enumerable: never serialised. */
  env: Readonly<Record<string, string>>;
  /** Env name → `'process'` or the env file that defined it. */
  envSources: Readonly<Record<string, string>>;
  /** The candidate env files that exist, in KafClaw's order. */
  envFiles: string[];
  /** Files pulled in by `$include`, in read order. */
  includes: string[];
  /** Env values KafClaw fails to parse (each silently ends its group in KafClaw). */
  envIssues: EnvIssue[];
  /** Where KafClaw itself puts the workspace whatever the config says: `$HOME/KafClaw-Workspace` (facts §0.1). */
  kafclawWorkspace: string;
}

async function nodeReadFile(path: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

const SENSITIVE_NAME = /TOKEN|SECRET|PASSWORD|API_KEY|ACCESS_KEY|PRIVATE_KEY|CLIENT_SECRET/i;
const SENSITIVE_KEY = /token$|secret$|password$|passphrase$|apikey$|api_key$|privatekey$|encryptkey$/i;

/**
 * Registers with the scrubber every string the file holds under a credential-like key this model does
 * not know (`signingSecret`, `hardening.webhookToken`) or in a known credential format, so no view of
 * the loaded config can print it.
 */
function registerFileSecrets(node: unknown, key = ''): void {
  if (typeof node === 'string') {
    if (isEnvReference(node)) return;
    if (SENSITIVE_KEY.test(key) || matchCredentialFormat(node)) registerSecretValue(node);
  } else if (Array.isArray(node)) {
    for (const item of node) registerFileSecrets(item, key);
  } else if (isPlainObject(node)) {
    for (const [name, value] of Object.entries(node)) registerFileSecrets(value, name);
  }
}

function stripNulls(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripNulls);
  if (isPlainObject(node)) {
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (value === null) continue;
      Object.defineProperty(out, key, { value: stripNulls(value), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return node;
}

/** String values under credential-like keys the schema does not know become Secrets too. */
function wrapUnknownCredentials(node: unknown, path: (string | number)[], label: (segments: (string | number)[]) => string): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => wrapUnknownCredentials(item, [...path, index], label));
    return;
  }
  if (!isPlainObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'string' && SENSITIVE_KEY.test(key)) node[key] = new Secret(value, label([...path, key]));
    else wrapUnknownCredentials(value, [...path, key], label);
  }
}

function setConfigValue(config: KafClawConfig, key: string, value: unknown): void {
  setAtPath(config as unknown as Record<string, unknown>, key.split('.'), value);
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const processEnv = options.env ?? process.env;
  const home = options.home ?? processEnv.HOME;
  const cwd = options.cwd ?? process.cwd();
  const readFile = options.readFile ?? nodeReadFile;

  const envFiles: { path: string; text: string }[] = [];
  for (const candidate of envFileCandidates(processEnv, home, cwd)) {
    let bytes: Buffer | null = null;
    try {
      bytes = await readFile(candidate);
    } catch {
      // KafClaw ignores env files it cannot read.
    }
    if (bytes !== null) envFiles.push({ path: candidate, text: bytes.toString('utf8') });
  }
  const layered = layerEnvFiles(processEnv, envFiles);
  const env = layered.env;
  for (const source of [env, layered.fileEnv]) {
    for (const [name, value] of Object.entries(source)) if (SENSITIVE_NAME.test(name)) registerSecretValue(value);
  }

  const path = options.configPath
    ? posix.resolve(cwd, expandHome(options.configPath, home))
    : resolveConfigPath(env, home, cwd);
  if (!path) {
    throw new ConfigError('cannot tell where the config file is: HOME is not set; set HOME or KAFCLAW_CONFIG', { path: '(unknown)' });
  }

  const tree = await readConfigTree(path, readFile);
  const fileConfig: JsonObject = tree?.object ?? {};
  const { value: substituted, references } = substituteEnv(fileConfig, env);
  registerFileSecrets(substituted);
  const input = stripNulls(substituted) as JsonObject;
  const migrated = migrateLegacy(input);

  const fileOf = (segments: KeySegments): string | null => (tree ? fileProvidingKey(tree, segments) : null);
  for (const segments of credentialPathsIn(input)) {
    const value = getAtPath(input, segments);
    if (typeof value !== 'string') continue;
    const holder = getAtPath(input, segments.slice(0, -1)) as Record<string | number, unknown>;
    holder[segments[segments.length - 1]!] = new Secret(value, `file:${fileOf(segments) ?? path}`);
  }

  // One parse per process: skipping zod's code generation makes it several times cheaper.
  const parsed = (await loadConfigSchema()).safeParse(input, { jitless: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw configErrorFromIssue(issue, {
      data: input,
      fallbackPath: path,
      fileFor: (segments) => {
        const file = fileOf(segments) ?? path;
        const text = tree?.texts.get(file);
        return text === undefined ? null : { path: file, text };
      },
    });
  }
  const config = parsed.data;
  wrapUnknownCredentials(config, [], (segments) => `file:${fileOf(segments) ?? path}`);

  const bareFromFilesOnly = (options.bareAltNamesFrom ?? 'env-files') === 'env-files';
  const fileOfName = (name: string, bare: boolean): string | undefined => {
    const source = bare && bareFromFilesOnly ? layered.fileSources[name] : layered.sources[name];
    return source === undefined || source === 'process' ? undefined : source;
  };
  const envKeys = new Map<string, ConfigSource & { kind: 'env' }>();
  const envSource = (name: string, bare = false): ConfigSource & { kind: 'env' } => {
    const file = fileOfName(name, bare);
    return file === undefined ? { kind: 'env', name } : { kind: 'env', name, file };
  };
  const overlay = computeEnvOverlay(env, { bareEnv: bareFromFilesOnly ? layered.fileEnv : env });
  for (const [key, { value, name, bare }] of overlay.assignments) {
    setConfigValue(config, key, isCredentialKeyPath(key) ? new Secret(String(value), `env:${name}`) : value);
    envKeys.set(key, envSource(name, bare));
  }
  if (config.providers.openai.apiKey.isEmpty()) {
    for (const name of ['OPENAI_API_KEY', 'OPENROUTER_API_KEY']) {
      const value = env[name];
      if (value) {
        config.providers.openai.apiKey = new Secret(value, `env:${name}`);
        envKeys.set('providers.openai.apiKey', envSource(name));
        break;
      }
    }
  }

  config.paths.workspace = expandHome(config.paths.workspace, home);
  config.paths.workRepoPath = expandHome(config.paths.workRepoPath, home);
  config.paths.systemRepoPath = expandHome(config.paths.systemRepoPath, home);
  config.memory.embedding.cacheDir = expandHome(config.memory.embedding.cacheDir, home);
  normalizeConfig(config);

  const sourceOf = (keyPath: string): ConfigSource => {
    const segments = parseKeyPath(keyPath);
    for (let i = segments.length; i > 0; i--) {
      const source = envKeys.get(formatKeyPath(segments.slice(0, i)));
      if (source) return { ...source };
    }
    const dotted = formatKeyPath(segments);
    const legacy = migrated.get(dotted);
    const file = fileOf(legacy ? parseKeyPath(legacy) : segments);
    if (!file) return { kind: 'default' };
    const used = references.get(legacy ?? dotted);
    return used ? { kind: 'file', path: file, references: used } : { kind: 'file', path: file };
  };

  return finish({
    path,
    exists: tree !== null,
    config,
    fileConfig,
    sourceOf,
    env,
    envSources: layered.sources,
    envFiles: envFiles.map((file) => file.path),
    includes: tree?.includes ?? [],
    envIssues: overlay.issues,
    kafclawWorkspace: home ? posix.join(home, 'KafClaw-Workspace') : DEFAULT_WORKSPACE,
  });
}

/** A serialisable view: no env values, no file content, every string scrubbed. */
function safeView(loaded: LoadedConfig): unknown {
  const scrubbed = (node: unknown): unknown => {
    if (typeof node === 'string') return scrub(node);
    if (node instanceof Secret) return node;
    if (Array.isArray(node)) return node.map(scrubbed);
    if (isPlainObject(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, scrubbed(v)]));
    return node;
  };
  return {
    path: loaded.path,
    exists: loaded.exists,
    config: scrubbed(loaded.config),
    envSources: loaded.envSources,
    envFiles: loaded.envFiles,
    includes: loaded.includes,
    envIssues: loaded.envIssues,
  };
}

function finish(loaded: LoadedConfig): LoadedConfig {
  for (const hidden of ['fileConfig', 'env'] as const) {
    Object.defineProperty(loaded, hidden, { value: loaded[hidden], enumerable: false, writable: false });
  }
  Object.defineProperty(loaded, 'toJSON', { value: () => safeView(loaded), enumerable: false });
  Object.defineProperty(loaded, inspect.custom, { value: () => safeView(loaded), enumerable: false });
  return loaded;
}

