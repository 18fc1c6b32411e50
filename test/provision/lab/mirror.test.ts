import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAptSources, readAptMirror } from '../../../provision/lab/mirror.js';

const MIRROR = 'http://mirror.invalid/debian';

const DEB822 = `Types: deb deb-src
# a comment
URIs: ${MIRROR}
Suites: bookworm bookworm-updates
Components: main contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://security.invalid/debian-security
Suites: bookworm-security
Components: main
`;

test('deb822 .sources: the entry serving "bookworm main", with its keyring', () => {
  assert.equal(parseAptSources([{ path: '/etc/apt/sources.list.d/debian.sources', text: DEB822 }]), [
    { uri: MIRROR, source: '/etc/apt/sources.list.d/debian.sources', keyring: '/usr/share/keyrings/debian-archive-keyring.gpg' },
  ]);
});

test('deb822: disabled entries, other suites and missing main are skipped', () => {
  const text = `Enabled: no\nTypes: deb\nURIs: http://a.invalid/\nSuites: bookworm\nComponents: main\n\nTypes: deb\nURIs: http://b.invalid/\nSuites: bookworm\nComponents: contrib\n`;
  assert.equal(parseAptSources([{ path: 'x.sources', text }]), []);
});

test('one-line .list format, with and without options', () => {
  const text = `# deb http://commented.invalid bookworm main\ndeb-src http://src.invalid bookworm main\ndeb [arch=amd64 signed-by=/k.gpg] ${MIRROR} bookworm main\ndeb http://other.invalid bookworm-security main\n`;
  assert.equal(parseAptSources([{ path: '/etc/apt/sources.list', text }]), [{ uri: MIRROR, source: '/etc/apt/sources.list', keyring: '/k.gpg' }]);
});

test('readAptMirror reads sources.list first, then sources.list.d in order, ignoring other file names', async () => {
  const root = mkdtempSync(join(tmpdir(), 'kafclaw-apt-'));
  try {
    mkdirSync(join(root, 'sources.list.d'));
    writeFileSync(join(root, 'sources.list.d', 'a.list.disabled'), `deb http://disabled.invalid bookworm main\n`);
    writeFileSync(join(root, 'sources.list.d', 'debian.sources'), DEB822);
    assert.is((await readAptMirror(root)).uri, MIRROR);
    writeFileSync(join(root, 'sources.list'), `deb http://first.invalid/debian bookworm main\n`);
    assert.is((await readAptMirror(root)).uri, 'http://first.invalid/debian');
    const empty = mkdtempSync(join(tmpdir(), 'kafclaw-apt-empty-'));
    try {
      await readAptMirror(empty).then(
        () => assert.unreachable('expected an error'),
        (error: Error) => assert.match(error.message, /no "bookworm main" Debian mirror found in .*sources\.list/),
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('this machine has a mirror for the lab', async () => {
  assert.match((await readAptMirror()).uri, /^(https?|file):/);
});

test.run();
