import Fastify from 'fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { AgentAdapter } from './agent/types.js';
import { channelTokenHook } from './auth/channel-token.js';
import { authHook } from './auth/hook.js';
import { clientAddressReader } from './http/client-address.js';
import { routePatternOf } from './http/route-pattern.js';
import { corsPreflight, corsResponseHeaders } from './http/cors.js';
import { errorHandler } from './http/errors.js';
import { AccessLog, gatewayLogger } from './http/logger.js';
import type { LogDestination } from './http/logger.js';
import { OpenConnections } from './http/open-connections.js';
import type { TlsMaterial } from './http/tls.js';
import { securityHeaders } from './http/security-headers.js';
import type { Surface } from './http/security-headers.js';
import { adminRoutes } from './routes/admin.js';
import { approvalRoutes } from './routes/approvals.js';
import { authVerifyRoutes } from './routes/auth-verify.js';
import { chatRoutes } from './routes/chat.js';
import { dashboardAssetRoutes, dashboardDataRoutes } from './routes/dashboard.js';
import { GatewayMetrics } from './metrics.js';
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
  /** Certificate and key: this listener serves HTTPS. */
  tls?: TlsMaterial;
}

/**
 * The gateway as a fastify app, not listening. Public routes sit in a child context of their own; every
 * other route, and the 404 handler, sits in the authenticated child context behind the bearer check.
 */
export function build(settings: GatewaySettings, deps: AppDeps): FastifyInstance {
  const state = deps.state ?? new GatewayState(settings);
  const surface = deps.surface ?? 'api';
  const now = deps.now ?? Date.now;
  const metrics = deps.metrics ?? new GatewayMetrics();
  const limits = settings.limits;
  const addressOf = clientAddressReader(() => state.settings.trustedProxies);
  // Counted where fastify reports every finished request anyway: an onResponse hook would cost each request a hook run.
  const accessLog = new AccessLog(addressOf, (request, reply) =>
    metrics.answered(surface, request.method, routePatternOf(request), reply.statusCode),
  );

  const server = {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    requestTimeout: limits.requestTimeoutMs,
    // Node enforces the two timeouts above only when it sweeps its connections (default every 30 s).
    connectionsCheckingInterval: Math.max(100, Math.min(2_000, Math.floor(limits.headersTimeoutMs / 2))),
  };

  const app = Fastify({
    // Fastify hands `http` only to http.createServer; with TLS the same limits go into the https options.
    // (The app stays typed as an HTTP one: an https.Server serves the same requests and replies.)
    ...(deps.tls ? { https: { ...server, cert: deps.tls.cert, key: deps.tls.key } as unknown as null } : {}),
    loggerInstance: gatewayLogger(settings.logLevel, deps.logDestination),
    logController: accessLog,
    bodyLimit: limits.bodyLimitBytes,
    // no connectionTimeout, and no Node keep-alive timer (below): OpenConnections' sweep keeps both timeouts
    requestTimeout: limits.requestTimeoutMs,
    http: server,
    trustProxy: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  });

  // Node's keep-alive timer is set and cleared around every request; OpenConnections' sweep (below) keeps
  // that timeout per connection instead. So answers carry no `Keep-Alive: timeout=N` hint (nginx sends none
  // by default either); `Connection: keep-alive` stays. (Set here: fastify reads 0 as "use its default".)
  app.server.keepAliveTimeout = 0;

  metrics.watchSignals(() => (deps.timeline.isOpen ? currentSignals(state, deps.timeline, new Date(now())) : []));

  accessLog.attach(app.log, surface);
  app.setErrorHandler(errorHandler);
  app.removeContentTypeParser('text/plain');
  // One synchronous onRequest hook per route, and no other hook stage: each hook run costs every
  // request (an async one a promise and a microtask turn too). It notes the response on its connection
  // (for a clean close), sets the security headers and CORS (which reads the live state, so a reload
  // turns it on or off) and, on protected routes, authenticates.
  const headers = securityHeaders(surface);
  const answerPreflight = corsPreflight(state);
  const addCorsHeaders = corsResponseHeaders(state);
  /** The headers every answer carries; true when this was a CORS preflight, now answered. */
  function prepared(request: FastifyRequest, reply: FastifyReply): boolean {
    OpenConnections.working(request.raw, reply.raw);
    reply.headers(headers);
    if (answerPreflight(request, reply)) return true;
    addCorsHeaders(request, reply);
    return false;
  }
  const open: onRequestHookHandler = (request, reply, done) => {
    if (!prepared(request, reply)) done();
  };
  function guardedBy(authenticate: ReturnType<typeof authHook>): onRequestHookHandler {
    return (request, reply, done) => {
      if (!prepared(request, reply)) authenticate(request, reply, done);
    };
  }
  // Between requests the keep-alive timeout governs, plus the second Node itself allows: a client whose own
  // pool idles a socket for as long (Node's global agent: 5 s) then closes it before the gateway does.
  const connections = new OpenConnections(app.server, {
    idleMs: limits.connectionTimeoutMs,
    ...(limits.keepAliveTimeoutMs > 0 ? { betweenRequestsMs: limits.keepAliveTimeoutMs + 1_000 } : {}),
    tls: deps.tls !== undefined,
  });
  // While closing, in-flight responses end their connection so shutdown does not wait out keep-alive.
  app.addHook('preClose', (done) => {
    connections.endInFlight();
    done();
  });

  app.register(async function publicRoutes(unauthenticated) {
    unauthenticated.addHook('onRequest', open);
    await unauthenticated.register(healthRoutes);
    if (surface === 'dashboard') await unauthenticated.register(dashboardAssetRoutes);
  });

  const auth = { state, timeline: deps.timeline, metrics, surface, now, addressOf };
  app.register(async function authenticated(child) {
    child.addHook('onRequest', guardedBy(authHook(auth)));
    child.setNotFoundHandler(async (_request, reply) => reply.code(404).send({ error: 'Not Found', message: 'no such route' }));
    await child.register(authVerifyRoutes);
    await child.register(timelineRoutes, { timeline: deps.timeline });
    await child.register(metricsRoutes, { metrics });
    await child.register(adminRoutes, { state, timeline: deps.timeline, metrics, ...(deps.reloadSettings ? { reloadSettings: deps.reloadSettings } : {}) });
    await child.register(dashboardDataRoutes, { state, timeline: deps.timeline, now });
    await child.register(signalsRoutes, { state, timeline: deps.timeline, now });
    if (surface === 'api') await child.register(chatRoutes, { state, timeline: deps.timeline, metrics, connections, ...(deps.agent ? { agent: deps.agent } : {}) });
    await child.register(approvalRoutes, { timeline: deps.timeline, now });
  });
  // Channel bridges need the bearer token and then their channel's token, checked once the body
  // (which names the account) is parsed; the address's failure count clears only when both were right.
  app.register(async function channelInbound(inbound) {
    inbound.addHook('onRequest', guardedBy(authHook({ ...auth, clearFailuresOnSuccess: false })));
    inbound.addHook('preHandler', channelTokenHook(auth));
    await inbound.register(inboundRoutes, { state, timeline: deps.timeline, metrics, ...(deps.agent ? { agent: deps.agent } : {}) });
  });

  return app;
}
