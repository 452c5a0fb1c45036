/** /healthz (the process is alive), /readyz (database reachable and index built), /metrics (Prometheus). */
import { Router } from 'express';
import { Registry, collectDefaultMetrics, Counter, Histogram } from 'prom-client';
import type { Database } from '../db/database.js';

/** The app's metrics; one registry per app so tests can build several apps. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'status'], registers: [registry],
  });
  const latency = new Histogram({
    name: 'http_request_duration_seconds', help: 'HTTP request latency', labelNames: ['route'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry],
  });
  return { registry, requests, latency };
}
export type Metrics = ReturnType<typeof createMetrics>;

export function healthRoutes(deps: { db: Database; isReady: () => boolean; metrics: Metrics }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    let database = false;
    try {
      await deps.db.query('SELECT 1');
      database = true;
    } catch {
      database = false;
    }
    const index = deps.isReady();
    res.status(database && index ? 200 : 503).json({ status: database && index ? 'ready' : 'not ready', database, index });
  });
  router.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });
  return router;
}
