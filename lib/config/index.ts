/**
 * The KafClaw configuration model: where KafClaw finds its config, what it reads (env files,
 * config.json with `$include` and `${VAR}`, the environment), the effective values with their
 * sources, and edits that keep what this model does not know. Facts: reference/kafclaw-facts.md §1.
 */
export { loadConfig } from './load.js';
export type { LoadConfigOptions, LoadedConfig, ConfigSource } from './load.js';
export { ConfigError, isConfigError } from './errors.js';
export { loadConfigSchema, DURATION_KEY_PATHS, DEFAULT_WORKSPACE } from './schema.js';
export type { KafClawConfig, ConfigSchema } from './schema.js';
export { CREDENTIAL_KEY_PATHS, isCredentialKeyPath, credentialPathsIn } from './credentials.js';
export { BARE_ALT_ENV_NAMES, ENV_GROUPS, documentedEnvAliases } from './env-bindings.js';
export type { EnvGroup, EnvField, EnvValueType, DocumentedAlias } from './env-bindings.js';
export { computeEnvOverlay } from './env-overlay.js';
export type { EnvOverlay, EnvAssignment, EnvIssue } from './env-overlay.js';
export { parseEnvFile, parseEnvFileEntries, envFileCandidates, layerEnvFiles } from './env-file.js';
export type { EnvFileEntry } from './env-file.js';
export { resolveConfigPath, resolveConfigHome, expandHome } from './paths.js';
export type { EnvMap } from './paths.js';
export { readConfigTree, deepMerge, fileProvidingKey } from './includes.js';
export type { JsonObject, ReadFile, ConfigTree } from './includes.js';
export { substituteEnv, substituteString } from './substitute.js';
export { locateKey, positionAt, findJsonSyntaxIssue } from './json-position.js';
export { parseConfigJson } from './json-file.js';
export { formatKeyPath, parseKeyPath } from './key-path.js';
export { editConfigFile, applyConfigEdits, backupPathFor, formatLike } from './edit.js';
export type { ConfigEdit, EditResult, FileIo } from './edit.js';
export { removeEnvLine, setEnvFileValue, setEnvFileValues, setEnvLine, setEnvLines, envFileValueText } from './env-file-edit.js';
export type { EnvLineValue } from './env-file-edit.js';
export { describeConfig, isLoopbackHost } from './describe.js';
export type { ConfigDescription, CredentialState } from './describe.js';
export { MAX_GRACE_MS, PREVIOUS_TOKEN_ENV, PREVIOUS_TOKEN_EXPIRES_ENV } from './previous-token-env.js';
