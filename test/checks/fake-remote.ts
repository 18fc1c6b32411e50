import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalTarget } from '../../lib/target/local.js';
import type { RunOptions, Target } from '../../lib/target/types.js';

export const FRAGMENT = '/etc/systemd/system/kafclaw-gateway.service';

export interface FakeRemote {
  target: Target;
  /** Every path read through the target, in order. */
  reads: string[];
  cleanup(): void;
}

/**
 * A "remote" host for the collector: this machine's files and shell, reached through a target of
 * kind `ssh`, where systemd runs kafclaw-gateway.service with these [Service] lines (a `systemctl`
 * on the probes' PATH prints the unit; other units do not exist).
 */
export function fakeRemote(serviceLines: string): FakeRemote {
  const bin = mkdtempSync(join(tmpdir(), 'kafclaw-fake-systemd-'));
  mkdirSync(join(bin, 'unit'));
  writeFileSync(join(bin, 'unit', 'show'), `LoadState=loaded\nActiveState=active\nUnitFileState=enabled\nUser=root\nFragmentPath=${FRAGMENT}\n`);
  writeFileSync(join(bin, 'unit', 'cat'), `# ${FRAGMENT}\n[Service]\nExecStart=/usr/local/bin/kafclaw gateway\n${serviceLines}\n`);
  writeFileSync(
    join(bin, 'systemctl'),
    `#!/bin/sh\ncase "$1 $2" in\n  "show kafclaw-gateway.service") cat '${bin}/unit/show' ;;\n  "cat kafclaw-gateway.service") cat '${bin}/unit/cat' ;;\nesac\n`,
  );
  chmodSync(join(bin, 'systemctl'), 0o755);
  const local = new LocalTarget();
  const reads: string[] = [];
  const target: Target = {
    name: 'gw1',
    kind: 'ssh',
    run: (argv, options?: RunOptions) => local.run(argv, options),
    runScript: (script, options) =>
      local.runScript(`PATH='${bin}':$PATH\n${script.replaceAll('[ -d /run/systemd/system ]', 'true')}`, options),
    readFile: (path) => {
      reads.push(path);
      return local.readFile(path);
    },
    writeFileAtomic: (path, content, options) => local.writeFileAtomic(path, content, options),
    stat: (path) => local.stat(path),
    close: () => local.close(),
  };
  return { target, reads, cleanup: () => rmSync(bin, { recursive: true, force: true }) };
}
