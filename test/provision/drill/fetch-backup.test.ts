import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FactSnapshot } from '../../../lib/facts/snapshot.js';
import { isNoop } from '../../../lib/resources/index.js';
import { fetchBackupResource } from '../../../provision/drill/fetch-backup.js';

const OLD = 'kafclaw-backup-20261120T010000.000Z';
const NEW = 'kafclaw-backup-20261124T010000.000Z';

function diffWith(listing: string, exitCode: number, present: string[]) {
  const resource = fetchBackupResource({ dir: '/var/backups/kafclaw', to: '/drill/gw1' }, {}, (path) => present.includes(path));
  const facts = new FactSnapshot();
  const [probe] = resource.probes();
  facts.set(probe!.key, probe!.parse(listing, exitCode));
  return resource.diff(facts);
}

test('the newest backup (directory or archive) is fetched unless the controller has it', () => {
  const listing = `${OLD}\n${NEW}.tar\n.kafclaw-backup-tmp-x-1-ab\nnotes.txt\n`;
  assert.equal(diffWith(listing, 0, []), [{ resource: 'fetch_backup:/var/backups/kafclaw', field: 'controller copy', before: null, after: `/drill/gw1/${NEW}.tar` }]);
  const held = diffWith(listing, 0, [`/drill/gw1/${NEW}.tar`]);
  assert.ok(isNoop(held));
});

test('no backup, or a directory that cannot be listed, is a clear error', () => {
  assert.throws(() => diffWith('.kafclaw-backup-tmp-x-1-ab\n', 0, []), /no backup in \/var\/backups\/kafclaw: run `kafclaw backup` on the host first/);
  assert.throws(() => diffWith("ls: cannot access '/var/backups/kafclaw': No such file or directory", 2, []), /cannot list \/var\/backups\/kafclaw: ls: cannot access/);
});

test.run();
