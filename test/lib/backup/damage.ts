// Test helper (not a suite): ways to damage a backup.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, statSync } from 'node:fs';

/** Flip every bit of one byte, by default the middle one. */
export function flipByte(path: string, offset?: number): void {
  const bytes = readFileSync(path);
  const at = offset ?? Math.floor(bytes.length / 2);
  bytes[at] = bytes[at]! ^ 0xff;
  writeFileSync(path, bytes);
}

export function truncate(path: string, keep: number): void {
  const bytes = readFileSync(path);
  writeFileSync(path, bytes.subarray(0, Math.min(keep, statSync(path).size)));
}

/** Make the manifest agree with a changed file again (a "consistent" forgery), so checks past verify run. */
export function resign(dir: string, relPath: string): void {
  const path = `${dir}/manifest.json`;
  const manifest = JSON.parse(readFileSync(path, 'utf8'));
  const bytes = readFileSync(`${dir}/${relPath}`);
  const entry = manifest.files.find((f: { path: string }) => f.path === relPath);
  entry.size = bytes.length;
  entry.sha256 = createHash('sha256').update(bytes).digest('hex');
  const text = JSON.stringify(manifest, null, 2) + '\n';
  writeFileSync(path, text);
  writeFileSync(`${dir}/manifest.json.sha256`, `${createHash('sha256').update(text).digest('hex')}  manifest.json\n`);
}
