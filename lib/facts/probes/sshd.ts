import type { FactProbe } from '../types.js';

export type SshdSettings = { available: true; values: Record<string, string> } | { available: false; reason: string };

/** `sshd -T` prints lower-cased `key value` lines; repeated keys keep the first value. */
export function parseSshdT(text: string, exitCode: number): SshdSettings {
  if (exitCode === 127 || /not found/.test(text) && exitCode !== 0) return { available: false, reason: 'sshd is not installed' };
  if (exitCode !== 0) return { available: false, reason: `sshd -T failed: ${text.trim().split('\n')[0] ?? ''}` };
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^(\S+)\s+(.*)$/.exec(line.trim());
    if (match && !(match[1]! in values)) values[match[1]!.toLowerCase()] = match[2] ?? '';
  }
  return { available: true, values };
}

export const sshdProbe: FactProbe<SshdSettings> = {
  key: 'host.sshd',
  root: true,
  script: 'command -v sshd >/dev/null 2>&1 || [ -x /usr/sbin/sshd ] || exit 127\nPATH="$PATH:/usr/sbin"; sshd -T',
  parse: parseSshdT,
};
