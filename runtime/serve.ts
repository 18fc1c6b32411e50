import type { LogDestination } from './http/logger.js';
import { loadTls } from './http/tls.js';
import type { TlsMaterial } from './http/tls.js';
import type { GatewaySettings } from './settings.js';
import type { ReloadResult } from './state.js';
import { assertStartable, GatewayStartupError, isLoopbackHost, liveTokens } from './startup-check.js';
import { keepTickObjectShape } from './tick-object-shape.js';

export { GatewayStartupError } from './startup-check.js';

export interface StartOptions {
  /** Install SIGTERM/SIGINT (graceful close) and SIGHUP (reload) handlers; the CLI wants them, tests do not. */
  signals?: boolean;
  /** Where SIGHUP gets fresh settings from (the CLI reloads config.json and the env files). */
  reloadSettings?: () => GatewaySettings | Promise<GatewaySettings>;
  logDestination?: LogDestination;
  /** Clock for token expiry and lockouts (milliseconds); tests pass a controllable one. */
  now?: () => number;
}

export interface GatewayHandle {
  /** `http(s)://host:port` of each listener, with the real port when 0 was asked for (https: the dashboard with TLS set). */
  readonly urls: { api: string; dashboard: string };
  readonly ports: { api: number; dashboard: number };
  /** Replaces tokens, policy, limits and CORS without dropping connections; throws and keeps the old ones when refused. */
  reload(settings: GatewaySettings): ReloadResult;
  /** Stops accepting, lets in-flight requests finish, closes idle keep-alive sockets, then the database. */
  close(): Promise<void>;
  /** Settles once the gateway has closed, whoever closed it. */
  readonly closed: Promise<void>;
}

function listenProblem(error: unknown, host: string, port: number, key: string): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return new GatewayStartupError(`${host}:${port} is already in use: stop the other process or set ${key}`);
  if (code === 'EADDRNOTAVAIL') return new GatewayStartupError(`${host} is not an address of this machine: set gateway.host`);
  if (code === 'EACCES') return new GatewayStartupError(`binding ${host}:${port} is not permitted: set ${key} to a port above 1023`);
  return error instanceof Error ? error : new Error(String(error));
}

/** The TLS files of the settings, loaded, or null when none are set; a file that fails refuses the start. */
async function tlsOf(settings: GatewaySettings): Promise<TlsMaterial | null> {
  const { tlsCert, tlsKey } = settings;
  if (!tlsCert || !tlsKey) return null;
  try {
    return await loadTls(tlsCert, tlsKey);
  } catch (error) {
    throw new GatewayStartupError(`the gateway refuses to start: ${(error as Error).message}; fix the file or unset gateway.tlsCert and gateway.tlsKey`);
  }
}

/**
 * Checks the settings (failing closed before anything heavy is loaded), loads the TLS files if set,
 * opens the timeline, and starts both listeners on gateway.host: the API on gateway.port, dashboard
 * + API on gateway.dashboardPort. With TLS the dashboard listener serves HTTPS; the API listener stays
 * plain HTTP, as KafClaw's does (its `/chat` clients speak HTTP).
 */
export async function startGateway(settings: GatewaySettings, options: StartOptions = {}): Promise<GatewayHandle> {
  assertStartable(settings, new Date());
  keepTickObjectShape();
  const tls = await tlsOf(settings);

  const [{ build }, { GatewayState }, { TimelineStore }, { GatewayMetrics }] = await Promise.all([
    import('./app.js'),
    import('./state.js'),
    import('./timeline/store.js'),
    import('./metrics.js'),
  ]);

  const timeline = TimelineStore.open(settings.stateDir);
  const state = new GatewayState(settings);
  const metrics = new GatewayMetrics();
  const common = {
    timeline,
    state,
    metrics,
    ...(options.logDestination ? { logDestination: options.logDestination } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.reloadSettings ? { reloadSettings: options.reloadSettings } : {}),
  };
  const api = build(settings, { ...common, surface: 'api' });
  const dashboard = build(settings, { ...common, surface: 'dashboard', ...(tls ? { tls } : {}) });

  let closing: Promise<void> | null = null;
  let markClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const onTerminate = (): void => void close();
  const onHangup = (): void => void hangup();

  function close(): Promise<void> {
    closing ??= (async () => {
      if (options.signals) {
        process.off('SIGTERM', onTerminate);
        process.off('SIGINT', onTerminate);
        process.off('SIGHUP', onHangup);
      }
      api.log.info('gateway closing: finishing in-flight requests');
      try {
        await Promise.all([api.close(), dashboard.close()]);
      } finally {
        timeline.close();
        markClosed();
      }
    })();
    return closing;
  }

  async function hangup(): Promise<void> {
    if (!options.reloadSettings) {
      api.log.warn('SIGHUP ignored: this gateway was started without a settings source to reload from');
      return;
    }
    try {
      const result = reload(await options.reloadSettings());
      api.log.info({ needsRestart: result.needsRestart }, 'gateway settings reloaded');
    } catch (error) {
      api.log.error({ err: error }, 'reload refused; still running with the previous settings');
    }
  }

  function reload(next: GatewaySettings): ReloadResult {
    const result = state.reload(next);
    if (result.needsRestart.length > 0) {
      api.log.warn({ keys: result.needsRestart }, 'these settings changed but take effect only after a restart');
    }
    return result;
  }

  try {
    await api.listen({ host: settings.host, port: settings.port }).catch((error: unknown) => {
      throw listenProblem(error, settings.host, settings.port, 'gateway.port');
    });
    await dashboard.listen({ host: settings.host, port: settings.dashboardPort }).catch((error: unknown) => {
      throw listenProblem(error, settings.host, settings.dashboardPort, 'gateway.dashboardPort');
    });
  } catch (error) {
    await close();
    throw error;
  }

  if (liveTokens(settings.tokens, new Date()).length === 0) {
    api.log.warn(
      'no gateway token is set: every route but /healthz and /api/v1/status answers 401; ' +
        'set KAFCLAW_GATEWAY_AUTH_TOKEN (or gateway.authToken)',
    );
  }
  if (tls && !isLoopbackHost(settings.host)) {
    api.log.warn(
      `the dashboard port serves HTTPS; the API port ${settings.port} (/chat and the API) is plain HTTP, as in KafClaw: ` +
        'keep it behind a TLS proxy or a firewall',
    );
  }
  if (options.signals) {
    process.on('SIGTERM', onTerminate);
    process.on('SIGINT', onTerminate);
    process.on('SIGHUP', onHangup);
  }

  const port = (app: typeof api): number => {
    const address = app.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  };
  const ports = { api: port(api), dashboard: port(dashboard) };
  const hostForUrl = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return {
    urls: { api: `http://${hostForUrl}:${ports.api}`, dashboard: `${tls ? 'https' : 'http'}://${hostForUrl}:${ports.dashboard}` },
    ports,
    reload,
    close,
    closed,
  };
}
