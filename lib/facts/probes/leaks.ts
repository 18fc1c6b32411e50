import type { FactProbe } from '../types.js';
import type { Secret } from '../../secrets/secret.js';
import { shellPattern, type PathSpec } from './paths.js';
import { isEnvReference } from '../../secrets/formats.js';

export interface LeakFinding {
  /** Which secret (its label, e.g. `gateway token`), never its value. */
  secret: string;
  file: string;
}

export function parseLeaks(labels: readonly string[], text: string): LeakFinding[] {
  const findings: LeakFinding[] = [];
  for (const line of text.split('\n')) {
    const bar = line.indexOf('|');
    if (bar < 0) continue;
    const label = labels[Number(line.slice(0, bar))];
    if (label !== undefined) findings.push({ secret: label, file: line.slice(bar + 1) });
  }
  return findings;
}

/**
 * Search places (files, directories, or every file with a prefix) for secret values. Each value travels inside the probe script (standard input of
 * `sh -s`) and reaches grep as a here-document on its standard input (`-f -`): never on a command line.
 */
export function leaksProbe(
  key: string,
  secrets: ReadonlyArray<{ label: string; secret: Secret }>,
  places: readonly PathSpec[],
): FactProbe<LeakFinding[]> {
  // An unresolved `${VAR}` reference is not a secret value: searching for it finds only the config.
  const usable = secrets.filter(({ secret }) => secret.length >= 8 && !secret.reveal().includes('\n') && !isEnvReference(secret.reveal()));
  const quotedPlaces = places.map(shellPattern).join(' ');
  const lines: string[] = [];
  if (places.length > 0) {
    usable.forEach(({ secret }, index) => {
      const delimiter = `KAFCLAW_EOF_${index}_${Date.now()}`;
      lines.push(
        `set --; for p in ${quotedPlaces}; do [ -e "$p" ] && set -- "$@" "$p"; done`,
        `[ $# -gt 0 ] && grep -rlsF --exclude-dir=node_modules --exclude-dir=.git -f - -- "$@" <<'${delimiter}' | sed 's/^/${index}|/'`,
        secret.reveal(),
        delimiter,
      );
    });
  }
  lines.push('true');
  return { key, root: true, script: lines.join('\n'), parse: (text) => parseLeaks(usable.map((s) => s.label), text) };
}
