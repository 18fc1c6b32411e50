#!/usr/bin/env node
// Runs every uvu suite (test/**/*.test.ts) in its own Node.js process, two at a time, and closes
// with one summary line: "N passed, N failed, N skipped".
// Usage: node test/run.mjs [--only SUBSTRING]... [--serial]
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const only = args.flatMap((arg, i) => (args[i - 1] === '--only' ? [arg] : []));
const concurrency = args.includes('--serial') ? 1 : 2;

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return find(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = find(join(root, 'test'))
  .map((path) => relative(root, path))
  .filter((path) => only.length === 0 || only.some((part) => path.includes(part)))
  .sort();

function runFile(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      const count = (label) => Number(output.match(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm'))?.[1] ?? 0);
      const total = count('Total');
      const passed = count('Passed');
      const skipped = count('Skipped');
      const failed = code === 0 ? total - passed - skipped : Math.max(1, total - passed - skipped);
      resolve({ file, code, output, total, passed, skipped, failed, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const results = [];
const queue = [...files];
async function worker() {
  while (queue.length > 0) {
    const file = queue.shift();
    const result = await runFile(file);
    results.push(result);
    const mark = result.code === 0 ? 'ok  ' : 'FAIL';
    console.log(`${mark} ${file}  (${result.passed}/${result.total}, ${result.seconds.toFixed(1)} s)`);
    if (result.code !== 0) console.log(result.output.replace(/^/gm, '     '));
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));

const sum = (key) => results.reduce((total, r) => total + r[key], 0);
const passed = sum('passed');
const failed = sum('failed');
const skipped = sum('skipped');
if (files.length === 0) console.log('no test files matched');
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || files.length === 0 ? 1 : 0);
