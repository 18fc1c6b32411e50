import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { AgentAdapter } from './agent/types.js';
import { authHook } from './auth/hook.js';
import { corsPreflightHook, corsResponseHook } from './http/cors.js';
import { errorHandler } from './http/errors.js';
import { loggerOptions } from './http/logger.js';
import type { LogDestination } from './http/logger.js';
import { securityHeadersHook } from './http/security-headers.js';
import type { Surface } from './http/security-headers.js';
import { adminRoutes } from './routes/admin.js';
import { authVerifyRoutes } from './routes/auth-verify.js';
import { dashboardAssetRoutes, dashboardDataRoutes } from './routes/dashboard.js';
import { GatewayMetrics, requestLabels } from './metrics.js';
import { healthRoutes } from './routes/health.js';
import { inboundRoutes } from './routes/inbound.js';
import { metricsRoutes } from './routes/metrics.js';
import { currentSignals, signalsRoutes } from './routes/signals.js';
import { timelineRoutes } from './routes/timeline.js';
import type { GatewaySettings } from './settings.js';
import { GatewayState } from './state.js';
import type { TimelineStore } from './timeline/store.js';

export interface AppDeps {
  timeline: TimelineStore;
  /** Shared by both listeners so that tokens, lockouts and reloads hold on both ports. */
  state?: GatewayState;
  /** `api` (gateway.port) or `dashboard` (gateway.dashboardPort, which adds the dashboard headers). */
  surface?: Surface;
  /** Shared by both listeners; one registry per gateway. */
  metrics?: GatewayMetrics;
  logDestination?: LogDestination;
  now?: () => number;
  /** Overrides the agent adapter the settings choose. */
  agent?: AgentAdapter;
  /** Fresh settings from the config (what SIGHUP uses); the admin endpoints compare against it. */
  reloadSettings?: () => GatewaySettings | Promise<GatewaySettings>;
}

/**
 * The gateway as a fastify app, not listening. Public routes sit in the root context; every other
 * route, and the 404 handler, sits in the authenticated child context behind the bearer hook.
 */
export function build(settings: GatewaySettings, deps: AppDeps): FastifyInstance {
  const state = deps.state ?? new GatewayState(settings);
  const surface = deps.surface ?? 'api';
  const now = deps.now ?? Date.now;
  const metrics = deps.metrics ?? new GatewayMetrics();
  const limits = settings.limits;

  const app = Fastify({
    logger: loggerOptions(settings.logLevel, deps.logDestination),
    bodyLimit: limits.bodyLimitBytes,
    connectionTimeout: limits.connectionTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    http: {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      requestTimeout: limits.requestTimeoutMs,
      // Node enforces the two timeouts above only when it sweeps its connections (default every 30 s).
      connectionsCheckingInterval: Math.max(100, Math.min(2_000, Math.floor(limits.headersTimeoutMs / 2))),
    },
    trustProxy: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  });

  metrics.watchSignals(() => (deps.timeline.isOpen ? currentSignals(state, deps.timeline, new Date(now())) : []));

  app.setErrorHandler(errorHandler);
  app.removeContentTypeParser('text/plain');
  app.addHook('onRequest', securityHeadersHook(surface));
  // While closing, in-flight responses end their connection so shutdown does not wait out keep-alive.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.requests.inc({ listener: surface, ...requestLabels(request.method, request.routeOptions.url, reply.statusCode) });
  });
  // Installed always: they read the origin list from the live state, so a reload can turn CORS on or off.
  app.addHook('onRequest', corsPreflightHook(state));
  app.addHook('onSend', corsResponseHook(state));

  app.register(healthRoutes);
  if (surface === 'dashboard') app.register(dashboardAssetRoutes);

  app.register(async function authenticated(child) {
    child.addHook('onRequest', authHook({ state, timeline: deps.timeline, metrics, surface, now }));
    child.setNotFoundHandler(async (_request, reply) => reply.code(404).send({ error: 'Not Found', message: 'no such route' }));
    await child.register(authVerifyRoutes);
    await child.register(timelineRoutes, { timeline: deps.timeline });
    await child.register(metricsRoutes, { metrics });
    await child.register(adminRoutes, { state, timeline: deps.timeline, metrics, ...(deps.reloadSettings ? { reloadSettings: deps.reloadSettings } : {}) });
    await child.register(dashboardDataRoutes, { state, timeline: deps.timeline, now });
    await child.register(signalsRoutes, { state, timeline: deps.timeline, now });
    await child.register(inboundRoutes, { state, timeline: deps.timeline, metrics, ...(deps.agent ? { agent: deps.agent } : {}) });
  });

  return app;
}
