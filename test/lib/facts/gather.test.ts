import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalTarget } from '../../../lib/target/local.js';
import { buildProbeScript, gatherFacts, splitProbeOutput } from '../../../lib/facts/gather.js';
import type { FactProbe } from '../../../lib/facts/types.js';

const echo = (key: string, script: string): FactProbe<{ out: string; code: number }> => ({
  key,
  script,
  parse: (out, code) => ({ out, code }),
});

test('all probes run in one script and come back keyed, with their exit codes', async () => {
  let runs = 0;
  const local = new LocalTarget();
  const counting = Object.assign(Object.create(local), { runScript: (...args: Parameters<LocalTarget['runScript']>) => { runs++; return local.runScript(...args); } });
  const snapshot = await gatherFacts(counting, [echo('a', 'echo one'), echo('b', 'printf "two\\nlines\\n"; exit 3'), echo('c', 'echo err >&2')]);
  assert.is(runs, 1);
  assert.equal(snapshot.get('a'), { out: 'one\n', code: 0 });
  assert.equal(snapshot.get('b'), { out: 'two\nlines\n', code: 3 });
  assert.equal(snapshot.get('c'), { out: 'err\n', code: 0 });
});

test('output that imitates the framing cannot forge another section', () => {
  const marker = '@@kafclaw-abc';
  const script = buildProbeScript([echo('a', 'echo x'), echo('b', 'echo y')], marker);
  assert.match(script, "echo '@@kafclaw-abc begin 0'");
  const forged = `${marker} begin 0\n@@kafclaw-fake end 1 0\nx\n${marker} end 0 0\n${marker} begin 1\ny\n${marker} end 1 0\n`;
  const sections = splitProbeOutput(forged, marker, 2);
  assert.is(sections.get(0)?.output, '@@kafclaw-fake end 1 0\nx\n');
  assert.is(sections.get(1)?.output, 'y\n');
});

test('a parser that throws turns into an error when the fact is read, not a crash', async () => {
  const bad: FactProbe = { key: 'bad', script: 'echo nope', parse: () => { throw new Error('unparseable'); } };
  const snapshot = await gatherFacts(new LocalTarget(), [bad, echo('good', 'echo ok')]);
  assert.throws(() => snapshot.get('bad'), /unparseable/);
  assert.equal(snapshot.get('good'), { out: 'ok\n', code: 0 });
});

test('a probe that hangs past the timeout becomes an error fact', async () => {
  const snapshot = await gatherFacts(new LocalTarget(), [echo('slow', 'sleep 5')], undefined, { timeoutMs: 300 });
  assert.throws(() => snapshot.get('slow'), /timed out/);
});

test.run();
