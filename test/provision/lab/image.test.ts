import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureImage } from '../../../provision/lab/image.js';
import { labPaths } from '../../../provision/lab/paths.js';
import { LAB_CUSTOMISE_SCRIPT, LAB_PACKAGES, recipeHash } from '../../../provision/lab/recipe.js';

test('the recipe hash names the image and is stable', () => {
  assert.match(recipeHash(), /^[0-9a-f]{16}$/);
  assert.is(recipeHash(), recipeHash());
  assert.ok(LAB_PACKAGES.includes('openssh-server') && LAB_CUSTOMISE_SCRIPT.includes('ssh_host_'));
});

test('ensureImage builds once (minutes; progress printed) and then answers from the cache', async () => {
  const lines: string[] = [];
  const first = await ensureImage({ onProgress: (line) => (lines.push(line), console.log(`  ${line}`)) });
  assert.is(first.path, labPaths.image(recipeHash()));
  if (first.built) assert.ok(lines.length > 3, 'a build reports progress');
  const started = Date.now();
  const again = await ensureImage();
  assert.equal([again.built, again.path], [false, first.path]);
  assert.ok(Date.now() - started < 1000);
});

test('the image: stock sshd with an ed25519 host key slot, no host keys, empty resolv.conf, no machine id', () => {
  const image = labPaths.image(recipeHash());
  assert.equal(readdirSync(join(image, 'etc/ssh')).filter((n) => n.startsWith('ssh_host_')), []);
  assert.match(readFileSync(join(image, 'etc/ssh/sshd_config'), 'utf8'), /^HostKey \/etc\/ssh\/ssh_host_ed25519_key$/m);
  assert.not.match(readFileSync(join(image, 'etc/ssh/sshd_config'), 'utf8'), /^PermitRootLogin/m);
  assert.is(readFileSync(join(image, 'etc/resolv.conf'), 'utf8'), '');
  assert.is(readFileSync(join(image, 'etc/machine-id'), 'utf8'), '');
  for (const binary of ['usr/sbin/sshd', 'usr/bin/sudo', 'usr/sbin/nft', 'lib/systemd/systemd', 'usr/bin/ps']) {
    assert.ok(existsSync(join(image, binary)), binary);
  }
  assert.not.ok(existsSync(`${image}.building-${process.pid}`));
});

test.run();
