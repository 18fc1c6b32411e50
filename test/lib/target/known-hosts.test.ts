import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fingerprintSha256,
  hashHostName,
  hostFieldMatches,
  keyTypeOfBlob,
  knownHostName,
  knownHostsLine,
  knownKeyTypes,
  parseKnownHosts,
  verifyHostKey,
} from '../../../lib/target/known-hosts.js';

const dir = mkdtempSync(join(tmpdir(), 'kafclaw-known-hosts-'));
function newKey(name: string, type = 'ed25519'): { line: string; blob: Buffer } {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', '', '-f', path]);
  const line = readFileSync(`${path}.pub`, 'utf8').trim();
  return { line, blob: Buffer.from(line.split(/\s+/)[1]!, 'base64') };
}
const a = newKey('a');
const b = newKey('b');
const ecdsa = newKey('c', 'ecdsa');

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('fingerprint and key type agree with ssh-keygen', () => {
  const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'a.pub')]).toString().split(' ')[1];
  assert.is(fingerprintSha256(a.blob), printed);
  assert.is(keyTypeOfBlob(a.blob), 'ssh-ed25519');
  assert.is(keyTypeOfBlob(ecdsa.blob), 'ecdsa-sha2-nistp256');
});

test('parse skips comments, blank and short lines, and keeps markers and line numbers', () => {
  const entries = parseKnownHosts(`# comment\n\nhost1 ${a.line}\nbroken\n@revoked * ${b.line}\n`);
  assert.equal(
    entries.map((e) => [e.line, e.marker, e.hosts, e.keyType]),
    [
      [3, '', 'host1', 'ssh-ed25519'],
      [5, '@revoked', '*', 'ssh-ed25519'],
    ],
  );
});

test('host patterns: lists, ports, wildcards, negation', () => {
  assert.is(knownHostName('h', 22), 'h');
  assert.is(knownHostName('h', 2222), '[h]:2222');
  assert.ok(hostFieldMatches('x,10.0.0.2,y', '10.0.0.2'));
  assert.not.ok(hostFieldMatches('10.0.0.2', '10.0.0.2', 2222));
  assert.ok(hostFieldMatches('[10.0.0.2]:2222', '10.0.0.2', 2222));
  assert.ok(hostFieldMatches('10.0.0.*', '10.0.0.9'));
  assert.not.ok(hostFieldMatches('10.0.0.*,!10.0.0.9', '10.0.0.9'));
  assert.not.ok(hostFieldMatches('10.0.0.2', '10.0.0.22'));
});

test('hashed names match what ssh-keygen -H writes, for port 22 and other ports', () => {
  const file = join(dir, 'known_hosts');
  writeFileSync(file, `gw.example ${a.line}\n[gw.example]:2222 ${b.line}\n`);
  execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'ignore' });
  const entries = parseKnownHosts(readFileSync(file, 'utf8'));
  assert.ok(entries.every((e) => e.hosts.startsWith('|1|')));
  assert.is(verifyHostKey(entries, 'gw.example', 22, a.blob).status, 'known');
  assert.is(verifyHostKey(entries, 'gw.example', 2222, b.blob).status, 'known');
  assert.is(verifyHostKey(entries, 'other.example', 22, a.blob).status, 'unknown');
  assert.ok(hostFieldMatches(hashHostName('h'), 'h'));
  assert.not.ok(hostFieldMatches(hashHostName('h'), 'i'));
});

test('verdicts: known, unknown, changed (other key or other type), revoked', () => {
  const entries = parseKnownHosts(`h1 ${a.line}\nh2 ${ecdsa.line}\n@revoked * ${b.line}\n`);
  assert.is(verifyHostKey(entries, 'h1', 22, a.blob).status, 'known');
  assert.is(verifyHostKey(entries, 'h3', 22, a.blob).status, 'unknown');
  const changed = verifyHostKey(entries, 'h2', 22, a.blob);
  assert.is(changed.status, 'changed');
  assert.equal(changed.status === 'changed' && changed.entries.map((e) => e.line), [2]);
  const revoked = verifyHostKey(entries, 'h3', 22, b.blob);
  assert.equal(revoked.status === 'changed' && revoked.revoked, true);
  assert.equal(knownKeyTypes(entries, 'h2'), ['ecdsa-sha2-nistp256']);
});

test('a written line reads back as known, hashed or not', () => {
  for (const hashed of [false, true]) {
    const line = knownHostsLine('10.0.0.5', 22, a.blob, { hashed });
    assert.is(verifyHostKey(parseKnownHosts(line), '10.0.0.5', 22, a.blob).status, 'known');
  }
  assert.is(knownHostsLine('h', 2200, a.blob), `[h]:2200 ${a.line.split(' ').slice(0, 2).join(' ')}`);
});

test.run();
