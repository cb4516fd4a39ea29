import type { FastifyInstance } from 'fastify';
import type { ErrorFormat } from './error-format.js';

interface IndexedRoute {
  readonly pattern: RegExp;
  readonly methods: Set<string>;
  readonly errorFormat: ErrorFormat;
}

/** What the router knows about a path it has no route for under the requested method. */
export interface RouteIndex {
  /** Methods served at `path` (empty when nothing is), and how that resource reports errors. */
  lookup(path: string): { readonly methods: readonly string[]; readonly errorFormat: ErrorFormat };
}

/** `/tenants/:tenant/jwks` → `^/tenants/[^/]+/jwks$`; `*` matches the rest of the path. */
function toPattern(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * Remembers every route as it is registered, so that a request for an existing resource with a
 * method it does not serve can be answered 405 with `Allow` (RFC 9110 §15.5.6) instead of 404.
 * Must be registered before the routes.
 */
export function registerRouteIndex(app: FastifyInstance): RouteIndex {
  const routes = new Map<string, IndexedRoute>();
  app.addHook('onRoute', (route) => {
    const key = route.url;
    const entry = routes.get(key) ?? { pattern: toPattern(route.url), methods: new Set<string>(), errorFormat: route.config?.errorFormat ?? 'problem' };
    for (const method of [route.method].flat()) entry.methods.add(method.toUpperCase());
    routes.set(key, entry);
  });
  return {
    lookup(path) {
      const methods = new Set<string>();
      let errorFormat: ErrorFormat = 'problem';
      for (const route of routes.values()) {
        if (!route.pattern.test(path)) continue;
        for (const method of route.methods) methods.add(method);
        errorFormat = route.errorFormat;
      }
      return { methods: [...methods].sort(), errorFormat };
    },
  };
}
