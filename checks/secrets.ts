import type { Check, CheckContext, Verdict } from './types.js';
import type { ConfigFact } from './config-fact.js';
import type { PathFacts, GitFacts } from '../lib/facts/probes/paths.js';
import type { LeakFinding } from '../lib/facts/probes/leaks.js';
import { FactError } from '../lib/facts/snapshot.js';
import { isEnvReference, matchCredentialFormat, Secret } from '../lib/secrets/index.js';
import { configEdit } from '../lib/resources/config-edit.js';
import { envFileValue } from '../lib/resources/env-file-value.js';
import { fileMode } from '../lib/resources/file-mode.js';
import type { Resource } from '../lib/resources/types.js';
import { shellQuote } from '../lib/target/quote.js';
import { kafclawEnvFile } from './locations.js';
import { backedUpFile, secretBearingFiles, sensitiveFiles, type SensitiveFile } from './sensitive-files.js';

const config = (ctx: CheckContext) => ctx.facts.get<ConfigFact>('config');

/** Key names that hold credentials in KafClaw's config tree. */
export const CREDENTIAL_KEYS = new Set([
  'apiKey', 'authToken', 'botToken', 'appToken', 'inboundToken', 'appPassword', 'token', 'appSecret',
  'encryptKey', 'verificationToken', 'lfsProxyApiKey', 'kafkaSaslPassword', 'password', 'secret', 'clientSecret',
]);

export interface LiteralCredential {
  keyPath: string[];
  value: string;
  reason: string;
}

/** Every credential literal in the file tree (not `${VAR}`), except the gateway token (its own check). */
export function findLiteralCredentials(tree: unknown, path: string[] = []): LiteralCredential[] {
  if (typeof tree === 'string') {
    if (tree === '' || isEnvReference(tree) || path.join('.') === 'gateway.authToken') return [];
    const key = path[path.length - 1] ?? '';
    if (CREDENTIAL_KEYS.has(key)) return [{ keyPath: path, value: tree, reason: `${key} is a credential field` }];
    const format = matchCredentialFormat(tree);
    return format ? [{ keyPath: path, value: tree, reason: `the value looks like a ${format.name}` }] : [];
  }
  if (Array.isArray(tree)) return tree.flatMap((item, index) => findLiteralCredentials(item, [...path, String(index)]));
  if (tree && typeof tree === 'object') {
    return Object.entries(tree).flatMap(([key, value]) => findLiteralCredentials(value, [...path, key]));
  }
  return [];
}

/** `providers.anthropic.apiKey` → `KAFCLAW_PROVIDERS_ANTHROPIC_API_KEY`. */
export function envNameFor(keyPath: readonly string[]): string {
  const snake = keyPath.map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase());
  return ['KAFCLAW', ...snake].join('_');
}

export const providerKeysInConfig: Check = {
  id: 'secrets.provider-keys-in-config',
  title: 'Provider and channel credentials live in the environment, not config.json',
  severity: 'high',
  profiles: ['doctor', 'go-live'],
  rationale: 'A key inside config.json leaks with every copy, commit and backup of the file.',
  runbook: '§2, §3',
  needs: ['config'],
  fixKind: 'auto',
  fixSummary: 'Move each credential to ~/.config/kafclaw/env and leave a ${VAR} reference in config.json.',
  run(ctx) {
    const loaded = config(ctx);
    const literals = findLiteralCredentials(loaded.fileConfig);
    if (literals.length === 0) return { status: 'pass', message: 'config.json holds no credential literals' };
    return literals.map((literal): Verdict => ({
      status: 'fail',
      subject: literal.keyPath.join('.'),
      message: `${literal.keyPath.join('.')} is a literal in ${loaded.path} (${literal.reason})`,
    }));
  },
  fix(ctx) {
    const loaded = config(ctx);
    const literals = findLiteralCredentials(loaded.fileConfig);
    const file = kafclawEnvFile(loaded);
    const resources: Resource[] = literals.map((literal) => envFileValue(ctx.target, file, envNameFor(literal.keyPath), new Secret(literal.value, `file:${loaded.path}`)));
    resources.push(configEdit(ctx.target, loaded.path, literals.map((literal) => ({ keyPath: literal.keyPath, value: `\${${envNameFor(literal.keyPath)}}` }))));
    return {
      resources,
      steps: [
        ...literals.map((literal) => `${literal.keyPath.join('.')} → ${file} as ${envNameFor(literal.keyPath)}`),
        `Rotate any key that was ever committed or shared: every earlier copy of ${loaded.path} still holds it.`,
      ],
    };
  },
};

export const configInGit: Check = {
  id: 'secrets.config-in-git',
  title: 'config.json and env files are not tracked by git',
  severity: 'high',
  profiles: ['doctor', 'go-live'],
  rationale: 'A tracked or unignored config or env file is one `git add -A` away from being pushed.',
  runbook: '§2',
  needs: ['config', 'git.sensitive-files'],
  fixKind: 'guided',
  fixSummary: 'Untrack the file (`git rm --cached FILE`), add it to .gitignore, and rotate anything it held if it was ever pushed.',
  run(ctx) {
    const facts = ctx.facts.get<GitFacts[]>('git.sensitive-files');
    const verdicts: Verdict[] = [];
    for (const fact of facts) {
      if (!fact.workTree) continue;
      if (fact.tracked) verdicts.push({ status: 'fail', subject: fact.path, message: `${fact.path} is tracked by git in ${fact.workTree}`, evidence: { workTree: fact.workTree } });
      else if (!fact.ignored) verdicts.push({ status: 'fail', subject: fact.path, message: `${fact.path} sits in the work tree ${fact.workTree} and is not ignored`, evidence: { workTree: fact.workTree } });
    }
    if (verdicts.length > 0) return verdicts;
    return { status: 'pass', message: `none of ${facts.length} config and env file(s) is tracked or unignored in a git work tree` };
  },
};

/** The account the gateway runs as: the owner its state must have, and its private group. */
export interface RuntimeUser {
  uid: number;
  gid: number;
}

/**
 * State (the state dir, timeline.db) must be private to the gateway's user. Config and env files may
 * also be read by the gateway's own group (host-end-state: config.json root:kafclaw 0640), never by others.
 */
export function permissionProblem(file: SensitiveFile, stat: PathFacts, runtime: RuntimeUser): string | null {
  const mode = stat.mode ?? 0;
  const octal = `0${mode.toString(8)}`;
  const groupIsRuntime = stat.gid === runtime.gid;
  if (file.ownedByRuntime && file.kind === 'dir' && (mode & 0o077) !== 0) return `mode ${octal}, expected 0700`;
  if (file.ownedByRuntime && file.kind === 'file' && (mode & 0o077) !== 0) return `mode ${octal} lets group or others in, expected 0600`;
  if ((mode & 0o007) !== 0) return `mode ${octal} lets others in`;
  if ((mode & 0o070) !== 0 && !groupIsRuntime) return `mode ${octal} lets group ${stat.gid} in, which is not the gateway's group`;
  if ((mode & 0o020) !== 0) return `mode ${octal} lets the group write`;
  if (file.ownedByRuntime && stat.uid !== runtime.uid) return `owned by uid ${stat.uid}, not by the gateway's user (uid ${runtime.uid})`;
  return null;
}

/** What is wrong with a fix backup, and whether `chmod 0600` repairs it. */
export interface BackupProblem {
  message: string;
  chmod: boolean;
}

/**
 * A fix backup holds the secrets its file held. It is as private as that file when it is a regular
 * file (doctor writes no links), only its owner can read it (whatever the file's own mode), and that
 * owner is the original's (`owner`): no other account may read it.
 */
export function backupProblem(stat: PathFacts, owner: number): BackupProblem | null {
  const mode = stat.mode ?? 0;
  if (stat.type === 'symlink') {
    const to = stat.realpath && stat.realpath !== stat.path ? ` to ${stat.realpath}` : '';
    return { message: `a symbolic link${to}, not a backup doctor wrote (its backups are regular files): check what it points to, then remove the link`, chmod: false };
  }
  if (stat.type !== 'file') return { message: `a ${stat.type === 'dir' ? 'directory' : 'special file'}, not a backup doctor wrote: check what it is, then remove it`, chmod: false };
  if (stat.uid !== owner) return { message: `owned by uid ${stat.uid}, not by uid ${owner} who owns the file it backs up, so that account can read it: check it, then remove it as root`, chmod: false };
  if ((mode & 0o077) !== 0) return { message: `mode 0${mode.toString(8)} lets group or others read this backup and the secrets it holds, expected 0600`, chmod: true };
  return null;
}

interface BackupVerdict {
  stat: PathFacts;
  original: string;
  problem: BackupProblem | null;
}

/** The fix backups among the gathered paths, with what is wrong with each (null when nothing is). */
function backupVerdicts(loaded: ConfigFact, stats: Map<string, PathFacts>, runtime: RuntimeUser): BackupVerdict[] {
  const verdicts: BackupVerdict[] = [];
  for (const stat of stats.values()) {
    const original = stat.exists ? backedUpFile(loaded, stat.path) : null;
    if (original === null) continue;
    // A backup keeps its original's owner; with the original gone, the gateway's user is the one expected.
    const owner = stats.get(original)?.uid ?? runtime.uid;
    verdicts.push({ stat, original, problem: backupProblem(stat, owner) });
  }
  return verdicts;
}

export const filePermissions: Check = {
  id: 'secrets.file-permissions',
  title: 'State, config and env files (and their backups) are private to the gateway user',
  severity: 'high',
  profiles: ['doctor', 'go-live'],
  rationale: 'Anyone who can read config.json, an env file, a backup of either or timeline.db can read the tokens and the conversations.',
  runbook: '§2',
  needs: ['config', 'paths.sensitive-files', 'runtime.user'],
  fixKind: 'auto',
  fixSummary: 'chmod the state dir 0700 and the files and backups 0600 (ownership is fixed only when run as root).',
  run(ctx) {
    const stats = ctx.facts.get<Map<string, PathFacts>>('paths.sensitive-files');
    const runtime = ctx.facts.get<RuntimeUser>('runtime.user');
    const verdicts: Verdict[] = [];
    let checked = 0;
    for (const file of sensitiveFiles(config(ctx))) {
      const stat = stats.get(file.path);
      if (!stat?.exists) continue;
      checked++;
      const problem = permissionProblem(file, stat, runtime);
      if (problem) verdicts.push({ status: 'fail', subject: file.path, message: `${file.path}: ${problem}`, evidence: { mode: '0' + (stat.mode ?? 0).toString(8), uid: stat.uid ?? -1 } });
    }
    const backups = backupVerdicts(config(ctx), stats, runtime);
    for (const { stat, problem } of backups) {
      if (problem) verdicts.push({ status: 'fail', subject: stat.path, message: `${stat.path}: ${problem.message}`, evidence: { mode: '0' + (stat.mode ?? 0).toString(8), uid: stat.uid ?? -1 } });
    }
    if (verdicts.length > 0) return verdicts;
    if (checked === 0 && backups.length === 0) return { status: 'skip', message: `nothing to judge: none of the state, config and env paths exists (${sensitiveFiles(config(ctx)).map((f) => f.path).join(', ')})` };
    return { status: 'pass', message: `${checked} state, config and env path(s) and ${backups.length} backup(s) are private` };
  },
  fix(ctx) {
    const stats = ctx.facts.get<Map<string, PathFacts>>('paths.sensitive-files');
    const runtime = ctx.facts.get<RuntimeUser>('runtime.user');
    const resources = sensitiveFiles(config(ctx))
      .filter((file) => {
        const stat = stats.get(file.path);
        return stat?.exists && permissionProblem(file, stat, runtime) !== null && ((stat.mode ?? 0) & 0o077) !== 0;
      })
      .map((file) => fileMode(ctx.target, { path: file.path, mode: file.kind === 'dir' ? 0o700 : 0o600 }));
    const steps = ['Ownership by another user is not changed: chown the files to the gateway user as root.'];
    for (const { stat, problem } of backupVerdicts(config(ctx), stats, runtime)) {
      if (problem?.chmod) resources.push(fileMode(ctx.target, { path: stat.path, mode: 0o600 }));
      else if (problem) steps.push(`${stat.path}: ${problem.message}.`);
    }
    return { resources, steps };
  },
};

/** The gathered path facts, or undefined when the path probe failed (a backup is then not known to be private). */
function pathFacts(ctx: CheckContext): Map<string, PathFacts> | undefined {
  try {
    return ctx.facts.get<Map<string, PathFacts>>('paths.sensitive-files');
  } catch (error) {
    if (error instanceof FactError) return undefined;
    throw error;
  }
}

/**
 * A backup holding a secret, as token-leak reports it. One only its owner (the original's) can read
 * is as protected as the file it backs up: a warning, to delete once the change is checked. One that
 * others could read, or that is not the regular file doctor wrote, fails here as well as in
 * file-permissions: chmod makes it private from now on, but the secret it held must be treated as
 * exposed and rotated, which only this check says.
 */
function backupLeak(finding: LeakFinding, original: string, backup: BackupVerdict | undefined): Verdict {
  const evidence = { secret: finding.secret, file: finding.file };
  const rm = `rm ${shellQuote(finding.file)}`;
  if (backup && backup.problem === null) {
    return {
      status: 'warn',
      subject: finding.file,
      message: `the backup ${finding.file} (of ${original}) still holds the value of ${finding.secret}; only its owner can read it, as with ${original}: once you have checked the fix, delete it (${rm})`,
      evidence,
    };
  }
  const why = backup?.problem ? backup.problem.message : 'its mode and owner could not be read';
  return {
    status: 'fail',
    subject: finding.file,
    message: `the backup ${finding.file} (of ${original}) holds the value of ${finding.secret} where others may read it (${why}): treat ${finding.secret} as exposed and rotate it, then delete the backup (${rm})`,
    evidence,
  };
}

export const tokenLeak: Check = {
  id: 'secrets.token-leak',
  title: 'Tokens and keys appear nowhere they should not',
  severity: 'critical',
  profiles: ['doctor', 'go-live'],
  rationale: 'A token in the workspace, soul files, shell history, logs or a fix backup others can read is readable by the agent and by whoever reads those.',
  runbook: '§3',
  needs: ['config', 'leaks', 'paths.sensitive-files', 'runtime.user'],
  fixKind: 'guided',
  fixSummary: 'Remove the value from each file listed, then rotate the secret: it must be treated as exposed. A fix backup only its owner can read is a warning: delete it once its change is checked.',
  run(ctx) {
    const loaded = config(ctx);
    // Config and env files hold secrets by design; other checks judge them. Their fix backups are
    // reported: they keep values the fix moved out, and nothing reads them.
    const homes = new Set(secretBearingFiles(loaded));
    const findings = ctx.facts.get<LeakFinding[]>('leaks').filter((f) => !homes.has(f.file));
    if (findings.length === 0) return { status: 'pass', message: 'no token or key found in the workspace, work repo, shell history, logs or fix backups' };
    const stats = pathFacts(ctx);
    const backups = new Map(stats ? backupVerdicts(loaded, stats, ctx.facts.get<RuntimeUser>('runtime.user')).map((b) => [b.stat.path, b]) : []);
    return findings.map((finding): Verdict => {
      const original = backedUpFile(loaded, finding.file);
      if (original !== null) return backupLeak(finding, original, backups.get(finding.file));
      return { status: 'fail', subject: finding.file, message: `the value of ${finding.secret} appears in ${finding.file}`, evidence: { secret: finding.secret, file: finding.file } };
    });
  },
};

export const secretsChecks: readonly Check[] = [providerKeysInConfig, configInGit, filePermissions, tokenLeak];
