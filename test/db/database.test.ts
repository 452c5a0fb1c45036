import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseError, openPglite, openPostgres } from '../../db/database.js';
import { listMigrations, migrate, splitSql } from '../../db/migrate.js';

describe('database', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  describe('migrate', () => {
    it('should apply every migration once and be idempotent', async () => {
      const db = await openPglite();
      const first = await migrate(db);
      expect(first).toEqual(listMigrations().map((m) => m.version));
      expect(await migrate(db)).toEqual([]);
      const { rows } = await db.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE tablename = 'chunk_embeddings'`);
      expect(rows.map((r) => r.indexname)).toContain('chunk_embeddings_hnsw_4000');
      await db.close();
    });

    it('should split statements but keep dollar-quoted bodies whole', () => {
      const parts = splitSql('CREATE TABLE a (x int);\n-- c;\nDO $$ BEGIN\nPERFORM 1;\nEND $$;\nSELECT 1;');
      expect(parts).toHaveLength(3);
      expect(parts[1]).toContain('PERFORM 1;');
    });
  });

  describe('openPglite', () => {
    it('should persist data in its folder across reopenings', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'infoline-db-'));
      dirs.push(dir);
      const a = await openPglite(dir);
      await migrate(a);
      await a.query(`INSERT INTO kb_meta (key, value) VALUES ('k', 'v')`);
      await a.close();
      const b = await openPglite(dir);
      expect((await b.query<{ value: string }>(`SELECT value FROM kb_meta WHERE key = 'k'`)).rows[0]?.value).toBe('v');
      await b.close();
    });

    it('should refuse a folder another live process holds', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'infoline-lock-'));
      dirs.push(dir);
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dir, '.infoline.lock'), String(process.ppid));
      await expect(openPglite(dir)).rejects.toThrow(/in use by process/);
    });

    it('should roll a failed transaction back', async () => {
      const db = await openPglite();
      await migrate(db);
      await expect(
        db.transaction(async (tx) => {
          await tx.query(`INSERT INTO kb_meta (key, value) VALUES ('t', '1')`);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect((await db.query(`SELECT 1 FROM kb_meta WHERE key = 't'`)).rows).toHaveLength(0);
      await db.close();
    });
  });

  describe('openPostgres over the wire', () => {
    it('should fail at start-up with a clear message when the server lacks the vector extension', async () => {
      const bare = await PGlite.create(); // no pgvector extension loaded
      const server = new PGLiteSocketServer({ db: bare, port: 0, host: '127.0.0.1' });
      await server.start();
      const port = Number(server.getServerConn().split(':').pop());
      try {
        const err = await openPostgres(`postgres://postgres@127.0.0.1:${port}/postgres`).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DatabaseError);
        expect((err as Error).message).toMatch(/no "vector" extension/);
        expect((err as Error).message).toMatch(/pgvector/);
      } finally {
        await server.stop();
        await bare.close();
      }
    });

    it('should say it cannot connect when nothing listens', async () => {
      await expect(openPostgres('postgres://u:secret@127.0.0.1:1/x')).rejects.toThrow(/Cannot connect.*\*\*\*/);
    });
  });
});
