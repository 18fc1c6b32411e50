// Bundles the CLI into dist/bin/ so `kafclaw` starts from a handful of files instead of hundreds of
// modules (its cold start is benchmarked in bench/doctor). The library keeps tsc's one-file-per-module
// output in dist/ with type declarations. Native and runtime-only packages stay external.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';

rmSync('dist/bin', { recursive: true, force: true });

const shared = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  logLevel: 'warning',
};

// The config schema on zod/mini is a file of its own: bundled with the main graph it would share a
// chunk with the full zod that the provisioner and backups use, and every doctor run would load it.
await build({ ...shared, entryPoints: { 'config-schema': 'lib/config/schema-build.ts' }, outdir: 'dist/bin' });
const configSchemaAsFile = {
  name: 'config-schema-as-file',
  setup(build) {
    build.onResolve({ filter: /\/schema-build\.js$/ }, () => ({ path: './config-schema.js', external: true }));
  },
};

await build({
  ...shared,
  entryPoints: { kafclaw: 'cli/main.ts' },
  plugins: [configSchemaAsFile],
  outdir: 'dist/bin',
  splitting: true,
  external: ['better-sqlite3', 'ssh2', 'node-ssh', 'cpu-features', 'fastify', '@fastify/*', 'pino', 'prom-client', 'playwright-core', 'listr2', '@inquirer/*'],
  banner: { js: "import { createRequire as __kafclawCreateRequire } from 'node:module'; const require = __kafclawCreateRequire(import.meta.url);" },
});
chmodSync('dist/bin/kafclaw.js', 0o755);
