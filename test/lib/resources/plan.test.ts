import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { promises as fs } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { LocalTarget } from '../../../lib/target/local.js';
import { gatherFacts } from '../../../lib/facts/gather.js';
import { applyPlan, planResources } from '../../../lib/resources/plan.js';
import { directory } from '../../../lib/resources/directory.js';
import { file } from '../../../lib/resources/file.js';
import { isNoop } from '../../../lib/resources/types.js';
import { rejectsWith } from './converge.js';

const test = suite('plan');
const target = new LocalTarget();
const me = userInfo();
const owner = { owner: String(me.uid), group: String(me.gid) };
let dir = '';

test.before.each(async () => {
  dir = await fs.mkdtemp(join(tmpdir(), 'kafclaw-res-plan-'));
});
test.after.each(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

test('resources apply in order over one batch of facts; a later one uses what an earlier one made', async () => {
  const resources = [
    directory({ path: join(dir, 'etc'), mode: 0o750, ...owner }, { sudo: false }),
    file({ path: join(dir, 'etc', 'a.conf'), content: 'a\n', mode: 0o640, ...owner }, { sudo: false }),
  ];
  const facts = await gatherFacts(target, resources.flatMap((r) => r.probes()));
  const plan = planResources(resources, facts);
  assert.equal(plan.map(({ diff }) => isNoop(diff)), [false, false]);
  const applied = await applyPlan(target, plan, facts, { sudo: false });
  assert.equal(applied.followUps, []);
  assert.is(await fs.readFile(join(dir, 'etc', 'a.conf'), 'utf8'), 'a\n');
});

test('check mode is the plan alone: nothing is written', async () => {
  const resource = file({ path: join(dir, 'never.conf'), content: 'x\n', ...owner }, { sudo: false });
  const plan = planResources([resource], await gatherFacts(target, resource.probes()));
  assert.not.ok(isNoop(plan[0]!.diff));
  assert.equal(await fs.readdir(dir), []);
});

test('a failing resource stops the plan and names itself; later resources are not applied', async () => {
  await fs.writeFile(join(dir, 'blocker'), 'x');
  const resources = [
    directory({ path: join(dir, 'blocker'), mode: 0o700, ...owner }, { sudo: false }),
    file({ path: join(dir, 'after.conf'), content: 'x\n', ...owner }, { sudo: false }),
  ];
  const facts = await gatherFacts(target, resources.flatMap((r) => r.probes()));
  await rejectsWith(applyPlan(target, planResources(resources, facts), facts, { sudo: false }), /directory:.*blocker/);
  assert.equal(await fs.readdir(dir), ['blocker']);
});

test.run();
