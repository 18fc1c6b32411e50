import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { currentProcess, isAlive, isInUseElsewhere, isLeftover, processStart } from '../../../provision/lab/state.js';
import type { HostState, ProcessRef } from '../../../provision/lab/state.js';

test('a process is named by pid and start time; a reused pid is not the same process', () => {
  const me = currentProcess();
  assert.ok(isAlive(me));
  assert.not.ok(isAlive({ pid: me.pid, start: String(Number(me.start) + 1) }));
  assert.not.ok(isAlive(null));
  assert.is(processStart(2 ** 22 + 12345), null);
});

test('a child that exited is not alive, even before it is reaped', async () => {
  const child = spawn('sleep', ['0.2']);
  const ref: ProcessRef = { pid: child.pid!, start: processStart(child.pid!)! };
  assert.ok(isAlive(ref));
  await new Promise((resolve) => child.on('exit', resolve));
  assert.not.ok(isAlive(ref));
});

test('leftovers: the creator is dead, and the host was not made to persist or no longer runs', () => {
  const owner = { pid: 1, start: 'owner' };
  const nspawn = { pid: 2, start: 'nspawn' };
  const state = { owner, nspawn, persist: false } as HostState;
  const alive = (...living: ProcessRef[]) => (ref: ProcessRef | null) => ref !== null && living.includes(ref);
  assert.not.ok(isLeftover(state, alive(owner, nspawn)));
  assert.not.ok(isLeftover(state, alive(owner)), 'the creator is still alive: its host, its job');
  assert.ok(isLeftover(state, alive(nspawn)));
  assert.not.ok(isLeftover({ ...state, persist: true }, alive(nspawn)), 'persisted and running');
  assert.ok(isLeftover({ ...state, persist: true }, alive()), 'persisted but crashed');
  assert.ok(isLeftover({ ...state, nspawn: null }, alive()));
});

test("labDown('all') spares only hosts another living process made for itself", () => {
  const me = { pid: 10, start: 'me' };
  const other = { pid: 11, start: 'other' };
  const alive = (ref: ProcessRef | null) => ref !== null && (ref === me || ref === other);
  const state = (owner: ProcessRef, persist: boolean) => ({ owner, persist, nspawn: null }) as unknown as HostState;
  assert.ok(isInUseElsewhere(state(other, false), me, alive));
  assert.not.ok(isInUseElsewhere(state(other, true), me, alive), 'persisted: anyone may remove it');
  assert.not.ok(isInUseElsewhere(state({ pid: 10, start: 'me' }, false), me, alive), 'our own');
  assert.not.ok(isInUseElsewhere(state({ pid: 12, start: 'dead' }, false), me, alive), 'a leftover');
});

test.run();
