// The backup checks over SSH on a real Debian 12 lab host (systemd is PID 1 there): real timers,
// a real operations store copied off the host, a real destination directory.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useLabHosts, labTarget } from '../lab/hosts.js';
import { runDoctor } from '../../checks/doctor.js';
import { openStore, recordBackup, recordRestoreTest } from '../../lib/store/index.js';
import type { CheckResult } from '../../checks/types.js';
import type { Target } from '../../lib/target/types.js';

const test = suite('backup facts over SSH');
const lab = useLabHosts(test, 1);
const IDS = ['backup.configured', 'backup.fresh', 'backup.restore-tested'];
const verdicts = (results: CheckResult[]) => results.map((r) => `${r.id} ${r.status}: ${r.message}`).join('\n');

async function sh(target: Target, script: string): Promise<void> {
  const result = await target.runScript(script);
  assert.is(result.exitCode, 0, result.stdout + result.stderr);
}

test('nothing configured on a fresh host: all three fail, none errors', async () => {
  const target = labTarget(lab.hosts[0]!);
  try {
    const run = await runDoctor(target, { profile: 'go-live', only: IDS });
    assert.ok(run.results.every((r) => r.status === 'fail'), verdicts(run.results));
  } finally {
    await target.close();
  }
});

test('a real timer, a private destination and a store with fresh records pass; a wide mode or a stopped timer fails', async () => {
  const target = labTarget(lab.hosts[0]!);
  const local = mkdtempSync(join(tmpdir(), 'kafclaw-ops-'));
  try {
    await sh(target, `
      cat > /etc/systemd/system/kafclaw-backup.service <<'UNIT'
[Service]
Type=oneshot
ExecStart=/opt/kafclaw/current/bin/kafclaw backup --dest /var/backups/kafclaw
UNIT
      cat > /etc/systemd/system/kafclaw-backup.timer <<'UNIT'
[Timer]
OnCalendar=daily
[Install]
WantedBy=timers.target
UNIT
      systemctl daemon-reload && systemctl enable --now kafclaw-backup.timer
      install -d -m 0700 /var/backups/kafclaw`);
    const store = openStore(join(local, 'ops.db'));
    const at = new Date(Date.now() - 3600_000).toISOString();
    recordBackup(store, { host: 'gw1', path: '/var/backups/kafclaw/b', name: 'b', createdAt: at, sizeBytes: 1, manifestSha256: 'b'.repeat(64), encrypted: false, verified: true, verifiedAt: at });
    recordRestoreTest(store, { host: 'gw1', backupPath: '/var/backups/kafclaw/b', backupName: 'b', manifestSha256: null, target: 'local-temp', startedAt: at, durationMs: 5, ok: true, failedSteps: [], steps: [] });
    store.close();
    await sh(target, 'install -d -m 0700 /root/.kafclaw');
    await target.writeFileAtomic('/root/.kafclaw/ops.db', readFileSync(join(local, 'ops.db')), { mode: 0o600 });

    const good = await runDoctor(target, { profile: 'go-live', only: IDS });
    assert.equal(good.results.map((r) => r.status), ['pass', 'pass', 'pass'], verdicts(good.results));
    assert.match(good.results[0]!.message, /timer kafclaw-backup\.timer/);

    await sh(target, 'chmod 0755 /var/backups/kafclaw && systemctl disable --now kafclaw-backup.timer');
    const bad = await runDoctor(target, { profile: 'go-live', only: ['backup.configured'] });
    const messages = verdicts(bad.results);
    assert.ok(bad.results.every((r) => r.status === 'fail'), messages);
    assert.match(messages, /kafclaw-backup\.timer is disabled\/inactive/);
    assert.match(messages, /mode 0755/);
  } finally {
    rmSync(local, { recursive: true, force: true });
    await target.close();
  }
});

test.run();
