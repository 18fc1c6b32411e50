import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { newestBackupEntry } from '../../lib/backup/entries.js';
import type { FactProbe } from '../../lib/facts/types.js';
import type { FactSnapshot } from '../../lib/facts/snapshot.js';
import type { Change, Noop, Resource, ResourceContext } from '../../lib/resources/index.js';
import { useSudo } from '../../lib/resources/context.js';
import { shellQuote } from '../../lib/target/quote.js';
import type { FetchBackupParams } from '../playbook/kinds/index.js';

type Listing = { entries: string[] } | { error: string };

function listingProbe(dir: string): FactProbe<Listing> {
  return {
    key: `backups:${dir}`,
    root: true,
    script: `ls -1 -- ${shellQuote(dir)}`,
    parse: (stdout, exitCode) => (exitCode === 0 ? { entries: stdout.split('\n') } : { error: stdout.trim() }),
  };
}

/** The newest backup of the listing, or why there is none. */
export function newestOf(listing: Listing, dir: string): string {
  if ('error' in listing) throw new Error(`cannot list ${dir}: ${listing.error}`);
  const newest = newestBackupEntry(listing.entries);
  if (!newest) throw new Error(`no backup in ${dir}: run \`kafclaw backup\` on the host first`);
  return newest;
}

/** fetch_backup: the controller holds the host's newest backup. */
export function fetchBackupResource(params: FetchBackupParams, context: ResourceContext = {}, hasLocally: (path: string) => boolean = existsSync): Resource {
  const probe = listingProbe(params.dir);
  const id = `fetch_backup:${params.dir}`;
  return {
    kind: 'fetch_backup',
    id,
    probes: () => [probe],
    diff(facts: FactSnapshot): Change[] | Noop {
      const newest = newestOf(facts.get<Listing>(probe.key), params.dir);
      if (hasLocally(join(params.to, newest))) return { resource: id, reason: `${newest} is already in ${params.to} on the controller` };
      return [{ resource: id, field: 'controller copy', before: null, after: join(params.to, newest) }];
    },
    async apply(target, _changes, facts) {
      const newest = newestOf(facts.get<Listing>(probe.key), params.dir);
      // the backup code (and SQLite) loads only when a backup is fetched
      const { fetchBackup } = await import('../../lib/backup/drill.js');
      await fetchBackup(target, params.dir, newest, params.to, useSudo(context));
    },
  };
}
