import { randomBytes } from 'node:crypto';
import type { Target } from '../target/types.js';
import { FactError, FactSnapshot } from './snapshot.js';
import { servesReadsFromMemory, type FactProbe } from './types.js';

/** One script for many probes: each section is framed by a per-run random marker. */
export function buildProbeScript(probes: readonly FactProbe[], marker: string): string {
  const lines = ['#!/bin/sh', 'export LC_ALL=C', 'unset HISTFILE'];
  probes.forEach((probe, index) => {
    lines.push(`echo '${marker} begin ${index}'`);
    lines.push(`( ${probe.script}\n) 2>&1`);
    lines.push(`echo "${marker} end ${index} $?"`);
  });
  return lines.join('\n') + '\n';
}

export interface ProbeSection {
  output: string;
  exitCode: number;
}

export function splitProbeOutput(stdout: string, marker: string, count: number): Map<number, ProbeSection> {
  const sections = new Map<number, ProbeSection>();
  const pattern = new RegExp(`^${marker} begin (\\d+)\\n([\\s\\S]*?)^${marker} end \\1 (\\d+)$`, 'gm');
  for (const match of stdout.matchAll(pattern)) {
    const index = Number(match[1]);
    if (index < count) sections.set(index, { output: match[2] ?? '', exitCode: Number(match[3]) });
  }
  return sections;
}

/** Probes that read through the target (`read`) do so, one call each. */
async function readFacts(target: Target, probes: readonly FactProbe[], snapshot: FactSnapshot, sudo: boolean): Promise<void> {
  await Promise.all(
    probes.map(async (probe) => {
      try {
        snapshot.set(probe.key, await probe.read!(target, sudo && probe.root === true));
      } catch (error) {
        snapshot.set(probe.key, new FactError(probe.key, (error as Error).message));
      }
    }),
  );
}

/**
 * Run every probe in one round trip (two when some need root and the login is not root). On a target
 * that serves reads from memory (a dry run's), probes that can `read` through it do so beside the script.
 */
export async function gatherFacts(
  target: Target,
  probes: readonly FactProbe[],
  snapshot = new FactSnapshot(),
  options: { timeoutMs?: number; sudo?: boolean } = {},
): Promise<FactSnapshot> {
  const viaRead = servesReadsFromMemory(target) ? probes.filter((p) => p.read) : [];
  const scripted = probes.filter((p) => !viaRead.includes(p));
  const groups = options.sudo
    ? [scripted.filter((p) => !p.root), scripted.filter((p) => p.root)]
    : [scripted];
  await Promise.all([
    readFacts(target, viaRead, snapshot, options.sudo === true),
    ...groups.map(async (group, groupIndex) => {
      if (group.length === 0) return;
      const marker = `@@kafclaw-${randomBytes(6).toString('hex')}`;
      const result = await target.runScript(buildProbeScript(group, marker), {
        sudo: options.sudo === true && groupIndex === 1,
        timeoutMs: options.timeoutMs ?? 30_000,
      });
      const sections = splitProbeOutput(result.stdout, marker, group.length);
      group.forEach((probe, index) => {
        const section = sections.get(index);
        if (!section) {
          const why = result.timedOut ? 'the probe timed out' : `the probe script exited ${result.exitCode}`;
          snapshot.set(probe.key, new FactError(probe.key, why));
          return;
        }
        try {
          snapshot.set(probe.key, probe.parse(section.output, section.exitCode));
        } catch (error) {
          snapshot.set(probe.key, new FactError(probe.key, (error as Error).message));
        }
      });
    }),
  ]);
  return snapshot;
}
