// One server for bench/gateway/run.mjs, in its own process: `gateway` (the real runtime) or `bare`
// (fastify with the same routes and nothing else). Prints {"port":N} on stdout; the gateway token
// comes from BENCH_TOKEN in the environment, never from arguments. Stops on SIGTERM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const kind = process.argv[2];
const STATUS = { status: 'ok', auth_required: true };
const VERIFY = { valid: true, auth_required: true };

async function startBare() {
  const { default: Fastify } = await import('fastify');
  // The one process-wide V8 measure the gateway takes at start (runtime/tick-object-shape.ts), taken
  // here too: without it bare fastify's nextTick falls into V8's slow path after an idle collection
  // in some runs, and the ratio would credit the gateway for that.
  const { keepTickObjectShape } = await import('../../runtime/tick-object-shape.ts');
  keepTickObjectShape();
  const app = Fastify({ logger: { level: 'warn' } });
  app.get('/api/v1/status', async () => STATUS);
  app.get('/api/v1/auth/verify', async () => VERIFY);
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { port: app.server.address().port, close: () => app.close() };
}

async function startRuntime() {
  const { Secret } = await import('../../lib/secrets/index.ts');
  const { gatewaySettings } = await import('../../runtime/settings.ts');
  const { startGateway } = await import('../../runtime/serve.ts');
  const dir = mkdtempSync(join(tmpdir(), 'kafclaw-bench-gateway-'));
  const settings = gatewaySettings({
    stateDir: join(dir, 'state'),
    workspace: join(dir, 'workspace'),
    tokens: [{ secret: new Secret(process.env.BENCH_TOKEN ?? '', 'env:BENCH_TOKEN') }],
    port: 0,
    dashboardPort: 0,
    logLevel: 'warn',
  });
  const handle = await startGateway(settings);
  return {
    port: handle.ports.api,
    close: async () => {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const server = kind === 'bare' ? await startBare() : kind === 'gateway' ? await startRuntime() : null;
if (!server) {
  process.stderr.write('usage: server.mjs gateway|bare\n');
  process.exit(2);
}
process.stdout.write(JSON.stringify({ port: server.port }) + '\n');
// CPU time used so far (user + system, microseconds), asked for over IPC by run.mjs: CPU per request
// is what the server costs, whatever else the machine is doing while the bench runs.
process.on('message', (message) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system });
  }
});
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
