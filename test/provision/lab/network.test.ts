import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { freeSlot, MAX_SLOTS, slotNetwork } from '../../../provision/lab/network.js';

test('each slot is its own /30: .1 controller, .2 host', () => {
  assert.equal(slotNetwork(0), { slot: 0, controllerAddress: '10.213.0.1', hostAddress: '10.213.0.2', prefixLength: 30, veth: 'klv0', peer: 'klh0' });
  assert.equal([slotNetwork(1).controllerAddress, slotNetwork(1).hostAddress], ['10.213.0.5', '10.213.0.6']);
  assert.equal([slotNetwork(64).controllerAddress, slotNetwork(64).hostAddress], ['10.213.1.1', '10.213.1.2']);
  assert.equal(slotNetwork(MAX_SLOTS - 1).hostAddress, '10.213.255.254');
  assert.throws(() => slotNetwork(MAX_SLOTS), /outside/);
  assert.throws(() => slotNetwork(-1), /outside/);
});

test('subnets never overlap and interface names fit the 15-character limit', () => {
  const seen = new Set<string>();
  for (let slot = 0; slot < MAX_SLOTS; slot++) {
    const net = slotNetwork(slot);
    for (const address of [net.controllerAddress, net.hostAddress]) {
      assert.not.ok(seen.has(address));
      seen.add(address);
    }
    assert.ok(net.veth.length <= 15 && net.peer.length <= 15);
  }
});

test('freeSlot takes the lowest slot neither taken nor busy', () => {
  assert.is(freeSlot(new Set()), 0);
  assert.is(freeSlot(new Set([0, 1, 3])), 2);
  assert.is(freeSlot(new Set([0]), (slot) => slot === 1), 2);
  assert.throws(() => freeSlot(new Set(), () => true), /all 16384 lab slots are in use/);
});

test.run();
