import { randomBytes } from 'node:crypto';
import type { FactProbe } from '../facts/types.js';
import type { FactSnapshot } from '../facts/snapshot.js';
import type { Target } from '../target/types.js';
import type { Change, Noop, Resource } from './types.js';
import type { ResourceContext } from './context.js';
import { useSudo } from './context.js';
import { shellQuote } from '../target/quote.js';
import { STAT_LINE, parsePathState, sha256Of, type PathState } from './path-state.js';
import { applyAttributes, managedFileChanges } from './managed-file.js';
import { ApplyError, runChecked } from './run-checked.js';
import { describeContent, sha256Hex } from './fingerprint.js';
import { renderNftTable, type NftTableSpec } from './nftables-render.js';

export interface NftablesParams {
  /** The ruleset file nftables.service loads at boot. Default /etc/nftables.conf. */
  path?: string;
  /** Ruleset text; it replaces only its own tables (no `flush ruleset`), leaving others alone. One of ruleset and table. */
  ruleset?: string;
  /** The structured form, rendered by renderNftTable. */
  table?: NftTableSpec;
  /** Default 0640 root:root. */
  mode?: number;
  /** Seconds after which the host restores the previous ruleset unless a fresh login was proven. Default 60. */
  revertAfterSeconds?: number;
}

export type NftablesFacts =
  | { nft: false }
  | {
      nft: true;
      file: PathState;
      /** sha256 of `nft -s list table` for each managed table, concatenated; null when one is not loaded. */
      live: string | null;
      /** The same listing of the wanted ruleset, loaded into a throwaway network namespace; null when that is impossible here. */
      wanted: string | null;
      /** Why `wanted` is null, or the error `nft` gave for the wanted ruleset. */
      wantedError: string | null;
    };

/** `table FAMILY NAME` declarations of a ruleset, in order, without duplicates. */
export function managedTables(content: string): string[] {
  const tables = [...content.matchAll(/^\s*(?:add\s+)?table\s+(ip|ip6|inet|arp|bridge|netdev)\s+([A-Za-z0-9_-]+)/gm)].map((m) => `${m[1]} ${m[2]}`);
  return [...new Set(tables)];
}

/** Sections `@@file` (path state), `@@live` (hash or `@@absent`), `@@wanted` (hash, `@@nounshare` or `@@invalid` + message); or `@@nonft`. */
export function parseNftablesFacts(path: string, output: string): NftablesFacts {
  if (output.includes('@@nonft')) return { nft: false };
  const section = (name: string) => {
    const start = output.indexOf(`@@${name}\n`);
    if (start < 0) return '';
    const rest = output.slice(start + name.length + 3);
    const end = rest.search(/^@@(file|live|wanted)$/m);
    return (end < 0 ? rest : rest.slice(0, end)).trim();
  };
  const live = section('live');
  const wanted = section('wanted');
  const hash = (text: string) => (text.includes('\n') ? null : sha256Of(text));
  let wantedError: string | null = null;
  if (wanted.startsWith('@@nounshare')) wantedError = 'no throwaway network namespace here (unshare failed); the live ruleset is compared by table presence only';
  else if (wanted.startsWith('@@invalid')) wantedError = wanted.slice('@@invalid'.length).trim().split('\n').slice(0, 3).join('; ');
  return { nft: true, file: parsePathState(path, section('file'), 0), live: hash(live), wanted: hash(wanted), wantedError };
}

/**
 * Where the listing of a ruleset file loaded alone (in a throwaway network namespace, as the probe
 * does) is kept after each load: `CONTENT_SHA256 LISTING_SHA256`. Not the live listing: a ruleset
 * that adds to a table without deleting it first would record the merged rules as wanted.
 */
export const NFT_RECORD_DIR = '/var/lib/kafclaw-hardening/nftables';
export const nftRecordPath = (path: string) => `${NFT_RECORD_DIR}/${sha256Hex(path).slice(0, 16)}`;

const listCommand = (tables: readonly string[]) => tables.map((t) => `nft -s list table ${t}`).join(' && ');

/**
 * The wanted listing comes from the record the last load left (`nftRecordPath`) when it was made
 * for this very content; otherwise the content is loaded into a throwaway network namespace and
 * listed there, which costs about a tenth of a second of processes on every run.
 */
export function nftablesProbe(key: string, path: string, content: string, tables: readonly string[]): FactProbe<NftablesFacts> {
  const p = shellQuote(path);
  const delimiter = `KAFCLAW_NFT_${randomBytes(6).toString('hex')}`;
  const list = listCommand(tables);
  const record = shellQuote(nftRecordPath(path));
  return {
    key,
    root: true,
    script: [
      'PATH="$PATH:/usr/sbin:/sbin"; command -v nft >/dev/null 2>&1 || { echo @@nonft; exit 0; }',
      'echo @@file',
      `if [ -e ${p} ] || [ -L ${p} ]; then ${STAT_LINE} ${p}; if [ -f ${p} ]; then sha256sum < ${p}; fi; else echo @@missing; fi`,
      'echo @@live',
      `if out=$( { ${list}; } 2>/dev/null); then printf '%s\\n' "$out" | sha256sum; else echo @@absent; fi`,
      'echo @@wanted',
      `rec=''; if [ -f ${record} ] && read -r k h _ < ${record} && [ "$k" = ${sha256Hex(content)} ] && [ \${#h} -eq 64 ]; then`,
      `  case "$h" in *[!0-9a-f]*) ;; *) rec=$h;; esac`,
      'fi',
      'if [ -n "$rec" ]; then echo "$rec"',
      `elif ! unshare --net true 2>/dev/null; then echo @@nounshare`,
      `elif out=$(unshare --net sh -c ${shellQuote(`nft -f - && { ${list}; }`)} 2>&1 <<'${delimiter}'`,
      content,
      delimiter,
      `  ); then printf '%s\\n' "$out" | sha256sum`,
      `else echo @@invalid; printf '%s\\n' "$out"; fi`,
    ].join('\n'),
    parse: (output) => parseNftablesFacts(path, output),
  };
}

export function nftablesChanges(id: string, desired: { path: string; content: string; mode: number }, tables: readonly string[], facts: NftablesFacts): Change[] {
  if (!facts.nft) return [{ resource: id, field: 'nft', before: null, after: 'nftables installed' }];
  if (facts.wantedError && facts.wanted === null && !facts.wantedError.startsWith('no throwaway')) {
    return [{ resource: id, field: 'ruleset', before: 'invalid', after: `fix the ruleset: ${facts.wantedError}` }];
  }
  const changes = managedFileChanges(id, { ...desired, owner: 'root', group: 'root' }, facts.file);
  const loaded = facts.live === null ? null : describeContent(facts.live);
  if (facts.live === null) changes.push({ resource: id, field: 'ruleset', before: `${tables.join(', ')} not loaded`, after: 'loaded' });
  else if (facts.wanted !== null && facts.live !== facts.wanted) changes.push({ resource: id, field: 'ruleset', before: loaded, after: describeContent(facts.wanted) });
  else if (facts.wanted === null && changes.some((c) => c.field === 'content')) changes.push({ resource: id, field: 'ruleset', before: loaded, after: 'reloaded from the new file' });
  return changes;
}

/** Load the new ruleset with a revert already scheduled. Arguments: $1 candidate, $2 saved ruleset, $3 revert unit, $4 seconds. */
const LOAD_SCRIPT = `PATH="$PATH:/usr/sbin:/sbin"
{ echo 'flush ruleset'; nft -s list ruleset; } > "$2" || exit 1
systemd-run --quiet --unit="$3" --description='kafclaw: restore the previous nftables ruleset' \\
  --on-active="$4s" --timer-property=AccuracySec=1s \\
  /bin/sh -c 'mv -- "$1" "$1.revert" && nft -f "$1.revert"; rm -f -- "$1.revert" "$2"' sh "$2" "$1" || { rm -f -- "$2"; exit 2; }
if ! out=$(nft -f "$1" 2>&1); then
  systemctl stop "$3.timer" >/dev/null 2>&1; rm -f -- "$2" "$1"; printf '%s\\n' "$out" >&2; exit 3
fi
`;

/**
 * Keep the new ruleset: stop the revert timer, then claim the saved ruleset with a rename (the
 * revert claims it the same way, so only one side wins), then put the file in place and record
 * the hash of its listing loaded alone in a throwaway namespace (best effort: without the record
 * the next probe makes that listing itself).
 * Arguments: $1 candidate, $2 saved ruleset, $3 revert unit, $4 final path, $5 record, $6 content sha256, $7 list command.
 */
const CONFIRM_SCRIPT = `PATH="$PATH:/usr/sbin:/sbin"
systemctl stop "$3.timer" >/dev/null 2>&1
if ! mv -- "$2" "$2.keep" 2>/dev/null; then exit 5; fi
rm -f -- "$2.keep"
mv -f -- "$1" "$4" || exit 1
mkdir -p -m 0700 "\${5%/*}" && out=$(unshare --net sh -c "nft -f \\"\\$0\\" && { $7; }" "$4" 2>/dev/null) &&
  { printf '%s ' "$6"; printf '%s\\n' "$out" | sha256sum; } > "$5.tmp" && mv -f -- "$5.tmp" "$5" || rm -f -- "$5.tmp"
exit 0
`;

/** A timeout that turns a hanging proof into a failed one. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)))]).finally(() => clearTimeout(timer));
}

/**
 * The nftables ruleset file and the live ruleset, with lockout protection: the previous ruleset is
 * saved, a revert is scheduled on the host (a transient systemd timer), the new ruleset is loaded,
 * a fresh login is proven through `context.proveLogin`, and only then is the revert cancelled and
 * the file put in place. If the proof fails, apply throws and the host reverts by itself.
 */
export function nftables(params: NftablesParams, context: ResourceContext = {}): Resource {
  const path = params.path ?? '/etc/nftables.conf';
  if ((params.ruleset === undefined) === (params.table === undefined)) throw new Error(`nftables ${path}: give ruleset or table (one of the two)`);
  const text = params.ruleset ?? renderNftTable(params.table!);
  const content = text.endsWith('\n') ? text : text + '\n';
  const tables = managedTables(content);
  if (tables.length === 0) throw new Error(`nftables ruleset for ${path} declares no table: write it as "table inet NAME { ... }"`);
  if (/^\s*flush\s+ruleset\b/m.test(content)) throw new Error(`nftables ruleset for ${path} flushes the whole ruleset: replace only your own tables ("table inet NAME {}" then "delete table inet NAME") so other tables stay`);
  const revertAfter = params.revertAfterSeconds ?? 60;
  if (!Number.isInteger(revertAfter) || revertAfter < 10 || revertAfter > 3600) throw new Error(`nftables revertAfterSeconds must be a whole number from 10 to 3600, not ${revertAfter}`);
  const desired = { path, content, mode: params.mode ?? 0o640 };
  const id = `nftables:${path}`;
  const key = `resource.${id}`;
  return {
    kind: 'nftables',
    id,
    probes: () => [nftablesProbe(key, path, content, tables)],
    diff(facts: FactSnapshot): Change[] | Noop {
      const changes = nftablesChanges(id, desired, tables, facts.get<NftablesFacts>(key));
      return changes.length > 0 ? changes : { resource: id, reason: `${path} and the live ${tables.join(', ')} already hold this ruleset` };
    },
    async apply(target: Target, changes: Change[]) {
      const sudo = useSudo(context);
      const fields = new Set(changes.map((c) => c.field));
      if (fields.has('nft')) throw new ApplyError(id, 'nft', 'nftables is not installed: add a package task for nftables before this one');
      if (fields.has('ruleset') && changes.find((c) => c.field === 'ruleset')?.before === 'invalid') throw new ApplyError(id, 'nft -c', changes.find((c) => c.field === 'ruleset')!.after!);
      const rewrite = fields.has('content') || fields.has('type') || fields.has('ruleset');
      if (!rewrite) {
        await applyAttributes(target, id, path, { owner: 'root', group: 'root', mode: desired.mode }, changes, sudo);
        return;
      }
      const tag = randomBytes(6).toString('hex');
      const candidate = `${path}.kafclaw-candidate-${tag}`;
      await target.writeFileAtomic(candidate, content, { mode: desired.mode, owner: 'root', group: 'root', sudo });
      const check = await target.run(['sh', '-c', 'PATH="$PATH:/usr/sbin:/sbin"; nft -c -f "$1"', 'sh', candidate], { sudo });
      if (check.exitCode !== 0) {
        await target.run(['rm', '-f', '--', candidate], { sudo });
        throw new ApplyError(id, 'nft -c', `${check.stderr.trim().split('\n').slice(0, 3).join('; ')}; nothing was loaded`);
      }
      if (!fields.has('ruleset')) {
        await runChecked(target, id, 'install the file', ['mv', '-f', '--', candidate, path], { sudo });
        return;
      }
      if (!context.proveLogin) {
        await target.run(['rm', '-f', '--', candidate], { sudo });
        throw new ApplyError(id, 'lockout protection', 'no way to prove a fresh login was given, so the new ruleset was not loaded');
      }
      const saved = `/run/kafclaw-nft-previous-${tag}`;
      const unit = `kafclaw-nft-revert-${tag}`;
      const load = await target.run(['sh', '-c', LOAD_SCRIPT, 'sh', candidate, saved, unit, String(revertAfter)], { sudo, timeoutMs: 60_000 });
      if (load.exitCode !== 0) {
        await target.run(['rm', '-f', '--', candidate], { sudo }).catch(() => undefined);
        const step = load.exitCode === 2 ? 'schedule the revert (systemd-run)' : load.exitCode === 3 ? 'load the ruleset' : 'save the previous ruleset';
        throw new ApplyError(id, step, `${load.stderr.trim().split('\n').slice(0, 3).join('; ') || `exit ${load.exitCode}`}; the previous ruleset is still loaded`);
      }
      const proof = await withTimeout(
        context.proveLogin().then((ok) => ok !== false, () => false),
        Math.max(5, revertAfter - 5) * 1000,
      );
      if (proof !== true) {
        throw new ApplyError(
          id,
          'prove a fresh login',
          `a new login failed with the new ruleset loaded; the host restores the previous ruleset by itself within ${revertAfter} s (timer ${unit}), and ${path} was not changed`,
        );
      }
      const confirm = await target.run(['sh', '-c', CONFIRM_SCRIPT, 'sh', candidate, saved, unit, path, nftRecordPath(path), sha256Hex(content), listCommand(tables)], {
        sudo,
        timeoutMs: 30_000,
      });
      if (confirm.exitCode === 5) throw new ApplyError(id, 'keep the ruleset', `the revert timer fired before the login was proven; the previous ruleset is back and ${path} was not changed`);
      if (confirm.exitCode !== 0) throw new ApplyError(id, 'keep the ruleset', confirm.stderr.trim() || `exit ${confirm.exitCode}`);
    },
  };
}
