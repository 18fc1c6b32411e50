import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { phaseProgress } from '../../cli/backup-progress.js';

test('a quick phase prints nothing; a slow one is announced once it runs long, and its end is reported', async () => {
  const lines: string[] = [];
  const progress = phaseProgress('backup', (line) => lines.push(line), 50);
  progress.phase('prepare');
  await sleep(5);
  progress.phase('snapshot');
  await sleep(120);
  progress.end();
  assert.is(lines.length, 2, lines.join('\n'));
  assert.is(lines[0], 'backup: snapshot…');
  assert.match(lines[1]!, /^backup: snapshot done in \d+\.\d s$/);
  progress.end();
  assert.is(lines.length, 2);
});

test.run();
