import { createRequire } from 'node:module';
import type { FastifyRequest } from 'fastify';

/** Fastify's own key for a request's route context (internal; absent in a fastify that moved it). */
export const kRouteContext: symbol | undefined = (() => {
  try {
    return (createRequire(import.meta.url)('fastify/lib/symbols.js') as { kRouteContext?: symbol }).kRouteContext;
  } catch {
    return undefined;
  }
})();

/**
 * The route pattern a request matched (`/api/v1/timeline/:id`), or undefined when none did. Read from
 * the route's context: fastify's `request.routeOptions` builds a twelve-field object on every read,
 * which at one read per request showed in the gateway's per-request cost.
 */
export function routePatternOf(request: FastifyRequest): string | undefined {
  const context = kRouteContext ? ((request as unknown as Record<symbol, { config?: { url?: string } } | undefined>)[kRouteContext]) : undefined;
  return context ? context.config?.url : request.routeOptions.url;
}
