/**
 * The service as operators run it: `tsx server.ts` in a child process with only environment variables,
 * a fresh DATA_DIR, real HTTP on a free loopback port, SIGTERM to stop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, logRecords, start, stop, waitReady, type Service } from '../helpers/service.js';

describe('server', () => {
  const dirs: string[] = [];
  const running: Service[] = [];
  afterAll(async () => {
    for (const s of running) await stop(s, 2_000);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  describe('main', () => {
    it('should ingest on first start, answer, stop on SIGTERM, and restart on the same DATA_DIR without re-ingesting', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'infoline-start-'));
      dirs.push(dataDir);
      const port = await freePort();
      const first = start({ DATA_DIR: dataDir, PORT: String(port) });
      running.push(first);
      await waitReady(first, port, 120_000);
      expect(logRecords(first).some((r) => r.stage === 'ingest')).toBe(true);
      expect(logRecords(first).some((r) => r.stage === 'listen' && r.port === port)).toBe(true);

      const res = await fetch(`http://127.0.0.1:${port}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'waar kan ik klagen over de opvang?' }),
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { lang: string; answer: string; sources: unknown[] };
      expect(body.lang).toBe('nl');
      expect(body.answer.length).toBeGreaterThan(0);
      expect(Array.isArray(body.sources)).toBe(true);

      expect(await stop(first)).toBe(0);
      expect(logRecords(first).some((r) => r.stage === 'shutdown')).toBe(true);

      const port2 = await freePort();
      const second = start({ DATA_DIR: dataDir, PORT: String(port2) });
      running.push(second);
      const seconds = await waitReady(second, port2, 30_000);
      expect(logRecords(second).some((r) => r.stage === 'ingest'), second.stdout()).toBe(false);
      expect(logRecords(second).some((r) => r.stage === 'ready')).toBe(true);
      expect(seconds).toBeLessThan(30);
      expect(await stop(second)).toBe(0);
    }, 240_000);

    it('should exit 1 with the "vector" extension message when DATABASE_URL has no pgvector', async () => {
      const bare = await PGlite.create(); // no vector extension
      const server = new PGLiteSocketServer({ db: bare, port: 0, host: '127.0.0.1' });
      await server.start();
      const dbPort = Number(server.getServerConn().split(':').pop());
      try {
        const s = start({ DATABASE_URL: `postgres://postgres@127.0.0.1:${dbPort}/postgres`, PORT: String(await freePort()) });
        running.push(s);
        const code = await Promise.race([s.exited, new Promise((r) => setTimeout(() => r('timeout'), 60_000))]);
        expect(code, s.stdout()).toBe(1);
        expect(s.stderr()).toMatch(/"vector" extension/);
        expect(s.stderr()).toMatch(/pgvector/);
      } finally {
        await server.stop();
        await bare.close();
      }
    }, 90_000);

    it('should exit 1 naming PORT when PORT is not a number', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'infoline-badport-'));
      dirs.push(dataDir);
      const s = start({ DATA_DIR: dataDir, PORT: 'abc' });
      running.push(s);
      const code = await Promise.race([s.exited, new Promise((r) => setTimeout(() => r('timeout'), 60_000))]);
      expect(code).toBe(1);
      expect(s.stderr()).toMatch(/PORT/);
      expect(s.stderr()).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
    }, 90_000);
  });
});
