import { command, commandSync } from './command.js';

/** Lab hosts live in 10.213.0.0/16, one /30 per slot: .1 is the controller side, .2 the host. */
export const LAB_NETWORK = '10.213.0.0/16';
export const MAX_SLOTS = 16384;

export interface SlotNetwork {
  slot: number;
  controllerAddress: string;
  hostAddress: string;
  prefixLength: 30;
  /** Controller-side veth, in the root namespace. */
  veth: string;
  /** Host-side veth before it is moved into the namespace and renamed eth0. */
  peer: string;
}

export function slotNetwork(slot: number): SlotNetwork {
  if (!Number.isInteger(slot) || slot < 0 || slot >= MAX_SLOTS) throw new Error(`lab slot ${slot} is outside 0..${MAX_SLOTS - 1}`);
  const base = slot * 4;
  const third = Math.floor(base / 256);
  const fourth = base % 256;
  return {
    slot,
    controllerAddress: `10.213.${third}.${fourth + 1}`,
    hostAddress: `10.213.${third}.${fourth + 2}`,
    prefixLength: 30,
    veth: `klv${slot}`,
    peer: `klh${slot}`,
  };
}

/** Lowest slot not taken; `busy` also rules out slots whose interface names exist for another reason. */
export function freeSlot(taken: ReadonlySet<number>, busy: (slot: number) => boolean = () => false): number {
  for (let slot = 0; slot < MAX_SLOTS; slot++) {
    if (!taken.has(slot) && !busy(slot)) return slot;
  }
  throw new Error(`all ${MAX_SLOTS} lab slots are in use: run "kafclaw lab down" to free some`);
}

export function linkExists(name: string): boolean {
  return commandSync(['ip', 'link', 'show', 'dev', name], { allowFail: true }).code === 0;
}

export function netnsExists(name: string): boolean {
  return commandSync(['ip', 'netns', 'pids', name], { allowFail: true }).code === 0;
}

/** A network namespace named after the host, wired to the controller by a veth pair. */
export async function createHostNetwork(netns: string, net: SlotNetwork): Promise<void> {
  const cidr = (address: string) => `${address}/${net.prefixLength}`;
  await command(['ip', 'netns', 'add', netns]);
  await command(['ip', '-batch', '-'], {
    input: [
      `link add ${net.veth} type veth peer name ${net.peer} netns ${netns}`,
      `addr add ${cidr(net.controllerAddress)} dev ${net.veth}`,
      `link set ${net.veth} up`,
    ].join('\n'),
  });
  await command(['ip', '-n', netns, '-batch', '-'], {
    input: [
      `link set lo up`,
      `link set ${net.peer} name eth0`,
      `addr add ${cidr(net.hostAddress)} dev eth0`,
      `link set eth0 up`,
      `route add default via ${net.controllerAddress}`,
    ].join('\n'),
  });
}

/** Remove what createHostNetwork made; parts already gone are fine. */
export function removeHostNetworkSync(netns: string, veth: string): void {
  commandSync(['ip', 'link', 'del', 'dev', veth], { allowFail: true });
  commandSync(['ip', 'netns', 'del', netns], { allowFail: true });
}
