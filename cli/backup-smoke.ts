import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import type { GatewaySmokeHook } from '../lib/backup/index.js';
import { loadConfig } from '../lib/config/index.js';
import { generateToken, type Secret } from '../lib/secrets/index.js';
import { startGateway } from '../runtime/serve.js';
import { gatewaySettings, type GatewaySettings } from '../runtime/settings.js';
import { settingsFromConfig } from '../runtime/settings-from-config.js';

const TIMEOUT_MS = 10_000;

async function get(url: string, token?: Secret): Promise<{ status: number; body: string }> {
  const response = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token.reveal()}` } : {},
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  return { status: response.status, body: await response.text() };
}

/** The restored config mapped as the gateway would map it, or the defaults when the backup holds none. */
async function baseSettings(restored: string, configPath: string | null): Promise<GatewaySettings> {
  if (!configPath) return gatewaySettings({ stateDir: restored, workspace: join(restored, 'workspace') });
  const loaded = await loadConfig({
    env: { HOME: restored },
    home: restored,
    cwd: restored,
    configPath: join(restored, configPath),
    readFile: async (path) => (path.startsWith(restored + '/') ? readFile(path).catch(() => null) : null),
  });
  return settingsFromConfig(loaded);
}

/** The newest event as the timeline route orders them, read straight from the restored file. */
function newestEventId(databaseFile: string): { count: number; newest: string | null } {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const count = (db.prepare('SELECT count(*) AS n FROM timeline').get() as { n: number }).n;
    const row = db.prepare('SELECT event_id FROM timeline ORDER BY timestamp DESC, id DESC LIMIT 1').get() as { event_id: string } | undefined;
    return { count, newest: row?.event_id ?? null };
  } finally {
    db.close();
  }
}

/**
 * The gateway smoke test of a restore test: the runtime started on the restored state (its config,
 * its timeline.db) on free loopback ports with a fresh token that exists only in this process; then
 * `/healthz` must answer 200, the timeline must refuse a request without the token, and an
 * authenticated `GET /api/v1/timeline` must return the restored events, newest first. Always closed.
 */
export const gatewaySmoke: GatewaySmokeHook = async (restored, manifest) => {
  const steps: string[] = [];
  const timed = async <T>(label: string, work: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const value = await work();
    steps.push(`${label} ${Math.round(performance.now() - t0)} ms`);
    return value;
  };
  const expected = newestEventId(join(restored, manifest.database.path));
  const token = generateToken('generated for the restore test');
  // TLS files belong to the source host and the smoke gateway is plain HTTP on loopback: left out.
  const { tlsCert: _cert, tlsKey: _key, ...base } = await baseSettings(restored, manifest.config?.path ?? null);
  const settings: GatewaySettings = {
    ...base,
    host: '127.0.0.1',
    port: 0,
    dashboardPort: 0,
    tokens: [{ secret: token }],
    stateDir: restored,
    workspace: join(restored, 'workspace'),
    logLevel: 'silent',
  };
  const handle = await timed('start', () => startGateway(settings));
  try {
    const health = await timed('/healthz', () => get(`${handle.urls.api}/healthz`));
    if (health.status !== 200) return { ok: false, detail: `/healthz answered ${health.status}` };
    const limit = 500;
    const timeline = await timed('/api/v1/timeline', () => get(`${handle.urls.api}/api/v1/timeline?limit=${limit}`, token));
    if (timeline.status !== 200) return { ok: false, detail: `authenticated /api/v1/timeline answered ${timeline.status}` };
    const events = JSON.parse(timeline.body) as Array<{ event_id: string }>;
    const want = Math.min(expected.count, limit);
    if (events.length !== want) return { ok: false, detail: `/api/v1/timeline returned ${events.length} events, the restored timeline holds ${expected.count}` };
    if (expected.newest !== null && events[0]?.event_id !== expected.newest) {
      return { ok: false, detail: `/api/v1/timeline returned ${events[0]?.event_id ?? 'nothing'} first, the newest restored event is ${expected.newest}` };
    }
    // after the query: the gateway records a refused request as a security event in the timeline
    const anonymous = await get(`${handle.urls.api}/api/v1/timeline?limit=1`);
    if (anonymous.status !== 401) return { ok: false, detail: `/api/v1/timeline without the token answered ${anonymous.status}, not 401` };
    return { ok: true, detail: `/healthz 200; timeline 401 without the token, ${events.length} restored events with it (${steps.join(', ')})` };
  } finally {
    await handle.close();
  }
};
