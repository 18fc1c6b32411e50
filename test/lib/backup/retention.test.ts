import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { selectRetention, pruneBackups, type RetentionCandidate } from '../../../lib/backup/retention.js';
import { createBackup } from '../../../lib/backup/create.js';
import { backupName } from '../../../lib/backup/layout.js';
import { makeFixture } from './kafclaw-db.js';
import { flipByte } from './damage.js';

/** One backup a day at 02:00 UTC for `days` days up to 2026-11-25. */
function daily(days: number): RetentionCandidate[] {
  return Array.from({ length: days }, (_, i) => {
    const at = new Date(Date.UTC(2026, 10, 25 - i, 2));
    return { name: backupName(at), createdAt: at, verified: true };
  });
}

test('GFS keeps the newest of each of the last N days, weeks and months', () => {
  const all = daily(120);
  const decision = selectRetention(all, { daily: 7, weekly: 4, monthly: 3 });
  const kept = decision.keep.map((k) => k.name);
  assert.equal(kept.slice(0, 7), all.slice(0, 7).map((c) => c.name), 'the last 7 days');
  // weeks: 2026-11-25 is a Wednesday (W48); the newest of W47, W46 and W45 are their Sundays
  for (const day of [22, 15, 8]) assert.ok(kept.includes(backupName(new Date(Date.UTC(2026, 10, day, 2)))), `Sunday Nov ${day}`);
  // months: November (newest), October 31, September 30
  for (const [m, d] of [[9, 31], [8, 30]] as const) assert.ok(kept.includes(backupName(new Date(Date.UTC(2026, m, d, 2)))), `${m + 1}/${d}`);
  assert.is(kept.length, 7 + 2 + 2, "Sunday Nov 22 is also one of the 7 days");
  assert.is(decision.keep.length + decision.remove.length, 120);
  assert.equal(decision.keep[0]!.reasons, ['daily 2026-11-25', 'weekly 2026-W48', 'monthly 2026-11', 'newest verified']);
});

test('the newest verified backup survives even a policy that keeps nothing, and when newer ones are unverified', () => {
  const all = daily(10).map((c, i) => ({ ...c, verified: i >= 3 }));
  const decision = selectRetention(all, { daily: 0, weekly: 0, monthly: 0 });
  assert.equal(decision.keep.map((k) => k.name), [all[3]!.name]);
  const two = selectRetention(all, { daily: 2, weekly: 0, monthly: 0 });
  assert.equal(two.keep.map((k) => k.name), [all[0]!.name, all[1]!.name, all[3]!.name]);
  assert.equal(selectRetention([], { daily: 3, weekly: 3, monthly: 3 }), { keep: [], remove: [] });
});

test('pruneBackups deletes what the policy drops, keeps the newest verified one, and leaves no half backups', async () => {
  const fx = makeFixture(20);
  try {
    const names: string[] = [];
    for (let i = 0; i < 5; i++) {
      const b = await createBackup({ stateDir: fx.stateDir, dest: fx.dest, sourceHost: 'h', toolVersion: 'v', now: () => new Date(Date.UTC(2026, 10, 20 + i, 2)) });
      names.push(b.name);
    }
    // the two newest are damaged: the newest verified is the third newest
    flipByte(join(fx.dest, names[4]!, 'timeline.db'));
    flipByte(join(fx.dest, names[3]!, 'timeline.db'));
    const dry = await pruneBackups(fx.dest, { daily: 1, weekly: 0, monthly: 0 }, { dryRun: true });
    assert.equal(dry.removed, []);
    assert.is(readdirSync(fx.dest).length, 5);
    const result = await pruneBackups(fx.dest, { daily: 1, weekly: 0, monthly: 0 });
    assert.is(result.newestVerified, names[2]);
    assert.equal(readdirSync(fx.dest).sort(), [names[2], names[4]].sort());
    assert.equal(result.removed.sort(), [names[0], names[1], names[3]].sort());
  } finally {
    fx.cleanup();
  }
});

test.run();
