import { test } from 'uvu';
import * as assert from 'uvu/assert';
import Fastify from 'fastify';
import { kRouteContext, routePatternOf } from '../../../runtime/http/route-pattern.js';

test('the matched route pattern, as routeOptions gives it, and undefined where no route matched', async () => {
  const app = Fastify();
  const seen: Array<[string | undefined, string | undefined]> = [];
  app.get('/api/v1/timeline/:id', async (request) => {
    seen.push([routePatternOf(request), request.routeOptions.url]);
    return {};
  });
  app.register(async (child) => {
    child.get('/scoped', async (request) => {
      seen.push([routePatternOf(request), request.routeOptions.url]);
      return {};
    });
  });
  app.setNotFoundHandler(async (request, reply) => {
    seen.push([routePatternOf(request), request.is404 ? undefined : 'matched']);
    return reply.code(404).send({});
  });
  await app.inject('/api/v1/timeline/42');
  await app.inject('/scoped');
  await app.inject('/nowhere');
  await app.close();
  assert.equal(seen, [
    ['/api/v1/timeline/:id', '/api/v1/timeline/:id'],
    ['/scoped', '/scoped'],
    [undefined, undefined],
  ]);
});

test('the route context is read directly: fastify still keeps it where route-pattern.ts looks', () => {
  // Without it every answered request falls back to routeOptions, which is correct but slower.
  assert.is(typeof kRouteContext, 'symbol');
});

test.run();
