// Bundles the CLI into dist/bin/ so `kafclaw` starts from a handful of files instead of hundreds of
// modules (its cold start is benchmarked in bench/doctor). The library keeps tsc's one-file-per-module
// output in dist/ with type declarations. Native and runtime-only packages stay external.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';

rmSync('dist/bin', { recursive: true, force: true });

await build({
  entryPoints: { kafclaw: 'cli/main.ts' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: false,
  external: ['better-sqlite3', 'ssh2', 'node-ssh', 'cpu-features', 'fastify', '@fastify/*', 'pino', 'prom-client', 'playwright-core', 'listr2', '@inquirer/*'],
  banner: { js: "import { createRequire as __kafclawCreateRequire } from 'node:module'; const require = __kafclawCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync('dist/bin/kafclaw.js', 0o755);
