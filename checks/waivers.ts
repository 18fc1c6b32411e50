import { readFile } from 'node:fs/promises';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { CatalogEntry } from '../lib/report/types.js';
import type { CheckResult, Waiver } from './types.js';

/**
 * A waivers file is a YAML list of `{id, match?, reason, owner, expires}`:
 *
 *   - id: host.patches
 *     match: /var/lib        # optional: only results whose subject contains this text
 *     reason: vendor kernel, patched monthly
 *     owner: ops@example.org
 *     expires: 2026-12-31    # ISO date; the waiver holds through that day (UTC)
 *
 * An empty file (or one holding only comments) waives nothing.
 */

/** A waiver with where it was written, so that findings about it can point there. */
export interface WaiverEntry extends Waiver {
  file?: string;
  line?: number;
}

/** A bad waivers file: what, where (file, line, column, key) and what to do. The CLI exits 2. */
export class WaiverFileError extends Error {
  readonly exitCode = 2;
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
    readonly key: string | undefined,
    readonly problem: string,
    readonly hint: string,
  ) {
    const where = line === undefined ? file : `${file}:${line}:${column ?? 1}`;
    const what = key === undefined ? problem : `${key}: ${problem}`;
    super(`${where}: ${what}; ${hint}`);
    this.name = 'WaiverFileError';
  }
}

const KEYS = ['id', 'match', 'reason', 'owner', 'expires'] as const;
type Key = (typeof KEYS)[number];
const REQUIRED: readonly Key[] = ['id', 'reason', 'owner', 'expires'];
const ID = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Parse and validate a waivers file's text. Pure; `path` is only used in messages. */
export function parseWaivers(text: string, path: string): WaiverEntry[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  const at = (node: Node | null | undefined) => {
    const offset = node?.range?.[0];
    return offset === undefined ? { line: undefined, col: undefined } : lines.linePos(offset);
  };
  const fail = (node: Node | null | undefined, key: string | undefined, problem: string, hint: string): never => {
    const { line, col } = at(node);
    throw new WaiverFileError(path, line, col, key, problem, hint);
  };

  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const problem = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const hint =
      first.code === 'DUPLICATE_KEY'
        ? 'each waiver names each key once; start a new list item ("- id: …") for another waiver'
        : 'fix the YAML syntax (a list of waivers, each "- id: …" with indented keys)';
    throw new WaiverFileError(path, pos?.line, pos?.col, undefined, problem, hint);
  }

  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return [];
  if (!isSeq(root)) {
    return fail(root, undefined, 'the file is not a list of waivers', 'write each waiver as a list item starting with "- id: CHECK_ID"');
  }

  const waivers: WaiverEntry[] = [];
  const seen = new Map<string, number | undefined>();
  root.items.forEach((item, index) => {
    const node = item as Node;
    if (!isMap(node)) {
      return fail(node, undefined, `waiver ${index + 1} is not a mapping`, 'give it the keys id, reason, owner, expires (and optionally match)');
    }
    const values: Partial<Record<Key, string>> = {};
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
      if (key === undefined || !(KEYS as readonly string[]).includes(key)) {
        fail(keyNode, key ?? '(complex key)', 'unknown key', `allowed keys are ${KEYS.join(', ')}`);
      }
      const valueNode = pair.value as Node | null;
      const value = isScalar(valueNode) ? valueNode.value : undefined;
      if (typeof value !== 'string' || value.trim() === '') {
        fail(valueNode ?? keyNode, key, 'must be non-empty text', key === 'expires' ? 'write the date as YYYY-MM-DD' : `give ${key} a value`);
      }
      values[key as Key] = (value as string).trim();
    }
    for (const key of REQUIRED) {
      if (values[key] === undefined) {
        fail(node, key, `missing in waiver ${index + 1}`, `every waiver needs ${REQUIRED.join(', ')}`);
      }
    }
    const keyNodeFor = (name: Key) => node.items.find((pair) => isScalar(pair.key) && pair.key.value === name)?.value as Node | null;
    if (!ID.test(values.id!)) {
      fail(keyNodeFor('id'), 'id', `"${values.id}" is not a check id`, 'use a catalog id such as gateway.bind-loopback');
    }
    if (!isCalendarDate(values.expires!)) {
      fail(keyNodeFor('expires'), 'expires', `"${values.expires}" is not a date`, 'write the date as YYYY-MM-DD, e.g. 2026-12-31');
    }
    const line = at(node).line;
    const identity = `${values.id}\u0000${values.match ?? ''}`;
    if (seen.has(identity)) {
      fail(node, 'id', `a second waiver for ${values.id}${values.match ? ` matching "${values.match}"` : ''} (first at line ${seen.get(identity)})`, 'merge the two waivers into one');
    }
    seen.set(identity, line);
    const waiver: WaiverEntry = {
      id: values.id!,
      reason: values.reason!,
      owner: values.owner!,
      expires: values.expires!,
      file: path,
    };
    if (values.match !== undefined) waiver.match = values.match;
    if (line !== undefined) waiver.line = line;
    waivers.push(waiver);
  });
  return waivers;
}

export async function loadWaivers(path: string): Promise<WaiverEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? (error as Error).message})`;
    throw new WaiverFileError(path, undefined, undefined, undefined, problem, 'check the path given to --waivers');
  }
  return parseWaivers(text, path);
}

/** The waiver holds through its `expires` day, UTC: it lapses at the following midnight. */
export function isExpired(waiver: Pick<Waiver, 'expires'>, now: Date): boolean {
  const [year, month, day] = waiver.expires.split('-').map(Number) as [number, number, number];
  return now.getTime() >= Date.UTC(year, month - 1, day + 1);
}

/** Catalog entry (for reports) of the failing finding an expired waiver produces. */
export const WAIVER_EXPIRED: CatalogEntry = {
  id: 'waiver.expired',
  title: 'Waiver expired',
  severity: 'high',
  rationale: 'An accepted risk must be looked at again when its waiver runs out, not stay silently accepted.',
  runbook: '',
  fixSummary: 'fix the finding and remove the waiver, or renew it with a new expiry date',
};

/** Catalog entry (for reports) of the warning a waiver that waives nothing produces. */
export const WAIVER_UNUSED: CatalogEntry = {
  id: 'waiver.unused',
  title: 'Waiver matches no finding',
  severity: 'low',
  rationale: 'A waiver that waives nothing is stale and could silently hide a future finding.',
  runbook: '',
  fixSummary: 'remove the waiver (or correct its id or match)',
};

export interface ApplyWaiversOptions {
  /**
   * Every check id the run knows. When given, a waiver whose check did not run in this profile is
   * left alone, and only an id outside this set (a typo) is reported as unused.
   */
  knownIds?: Iterable<string>;
}

function describe(waiver: WaiverEntry): string {
  const match = waiver.match ? ` matching "${waiver.match}"` : '';
  const where = waiver.file ? ` (${waiver.file}${waiver.line ? `:${waiver.line}` : ''})` : '';
  return `waiver for ${waiver.id}${match}${where}`;
}

function waiverEvidence(waiver: WaiverEntry): NonNullable<CheckResult['evidence']> {
  const evidence: NonNullable<CheckResult['evidence']> = { waivedId: waiver.id, owner: waiver.owner, expires: waiver.expires };
  if (waiver.match !== undefined) evidence['match'] = waiver.match;
  if (waiver.file !== undefined) evidence['file'] = waiver.file;
  if (waiver.line !== undefined) evidence['line'] = waiver.line;
  return evidence;
}

const WAIVABLE = new Set(['fail', 'warn', 'error']);

/**
 * Marks results covered by a current waiver as `waived` (they keep their status), and adds a failing
 * `waiver.expired` result per expired waiver and a `waiver.unused` warning per waiver that matches no
 * failing, warning or error result. Pure: returns new results, leaves the inputs alone.
 */
export function applyWaivers(
  results: readonly CheckResult[],
  waivers: readonly WaiverEntry[],
  now: Date,
  opts: ApplyWaiversOptions = {},
): CheckResult[] {
  const known = opts.knownIds ? new Set(opts.knownIds) : undefined;
  const current = waivers.filter((waiver) => !isExpired(waiver, now));
  const used = new Set<WaiverEntry>();
  const out = results.map((result) => {
    if (!WAIVABLE.has(result.status)) return result;
    const waiver = current.find(
      (w) => w.id === result.id && (w.match === undefined || (result.subject ?? '').includes(w.match)),
    );
    if (!waiver) return result;
    for (const w of current) {
      if (w.id === result.id && (w.match === undefined || (result.subject ?? '').includes(w.match))) used.add(w);
    }
    return { ...result, waived: { reason: waiver.reason, owner: waiver.owner, expires: waiver.expires } };
  });

  for (const waiver of waivers) {
    if (isExpired(waiver, now)) {
      out.push({
        id: 'waiver.expired',
        title: WAIVER_EXPIRED.title,
        status: 'fail',
        severity: 'high',
        message: `${describe(waiver)}, owned by ${waiver.owner}, expired on ${waiver.expires}; ${waiver.id} is no longer waived`,
        subject: waiver.id,
        evidence: waiverEvidence(waiver),
        fix: { kind: 'guided', summary: WAIVER_EXPIRED.fixSummary },
        durationMs: 0,
      });
      continue;
    }
    if (used.has(waiver)) continue;
    const ran = results.some((result) => result.id === waiver.id);
    if (!ran && known?.has(waiver.id)) continue;
    const why = ran
      ? 'matches no failing, warning or error result (the finding may be fixed)'
      : known
        ? 'names no known check'
        : 'matches no result of this run';
    out.push({
      id: 'waiver.unused',
      title: WAIVER_UNUSED.title,
      status: 'warn',
      severity: 'low',
      message: `${describe(waiver)}, owned by ${waiver.owner}, ${why}`,
      subject: waiver.id,
      evidence: waiverEvidence(waiver),
      fix: { kind: 'guided', summary: WAIVER_UNUSED.fixSummary },
      durationMs: 0,
    });
  }
  return out;
}
