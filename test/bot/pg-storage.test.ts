/** PgStorage (bot/pg-storage.ts) on real PGlite, and through node-postgres over the wire. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { ConversationState, MemoryStorage, TestAdapter, UserState, type Storage, type TurnContext } from 'botbuilder';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_KEY_LENGTH, PgStorage, StorageConflictError } from '../../bot/pg-storage.js';
import { openPglite, openPostgres, type Database } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';

interface Opened {
  db: Database;
  close: () => Promise<void>;
}

async function inMemory(): Promise<Opened> {
  const db = await openPglite();
  await migrate(db);
  return { db, close: () => db.close() };
}

/** node-postgres against PGlite served by pglite-socket (one backend session: pool of one connection). */
async function overTheWire(): Promise<Opened> {
  const served = await PGlite.create({ extensions: { vector } });
  const server = new PGLiteSocketServer({ db: served, port: 0, host: '127.0.0.1' });
  await server.start();
  const db = await openPostgres(`postgres://postgres@${server.getServerConn()}/postgres`, { poolMax: 1 });
  await migrate(db);
  return {
    db,
    close: async () => {
      await db.close();
      await server.stop();
      await served.close();
    },
  };
}

async function stored(db: Database, key: string): Promise<{ etag: string; data: unknown } | undefined> {
  const { rows } = await db.query<{ etag: string; data: unknown }>('SELECT etag, data FROM bot_state WHERE key = $1', [key]);
  return rows[0];
}

for (const [driver, open] of [
  ['PGlite', inMemory],
  ['pg over the wire', overTheWire],
] as const) {
  describe(`PgStorage (${driver})`, () => {
    let opened: Opened;
    let storage: PgStorage;
    beforeAll(async () => {
      opened = await open();
    });
    afterAll(async () => opened.close());
    beforeEach(async () => {
      await opened.db.query('DELETE FROM bot_state');
      storage = new PgStorage(opened.db);
    });

    it('should read back what it wrote with an eTag, return only found keys, and delete', async () => {
      const value = { count: 3, lang: 'fr', nested: { list: [1, 'deux', null], ok: true }, text: 'Gare du Midi — ça va' };
      await storage.write({ a: value, 'emulator/conversations/x|y': { n: 1 } });
      const items = await storage.read(['a', 'missing', 'emulator/conversations/x|y']);
      expect(Object.keys(items).sort()).toEqual(['a', 'emulator/conversations/x|y']);
      expect(items.a).toEqual({ ...value, eTag: expect.any(String) });
      expect(items.a.eTag).not.toBe('');
      expect(items['emulator/conversations/x|y']).toEqual({ n: 1, eTag: expect.any(String) });
      // The eTag lives in its column, not in the JSON data.
      const row = await stored(opened.db, 'a');
      const { eTag: given, ...data } = value as typeof value & { eTag?: string };
      expect(row?.data).toEqual(data);
      expect(row?.etag).toBe(items.a.eTag);
      // The written object got its new eTag (so the same item can be written again with it).
      expect(given).toBe(items.a.eTag);

      await storage.delete(['a', 'never-there']);
      expect(await storage.read(['a', 'emulator/conversations/x|y'])).toEqual({
        'emulator/conversations/x|y': { n: 1, eTag: expect.any(String) },
      });
      expect(await stored(opened.db, 'a')).toBeUndefined();
      expect(await storage.read([])).toEqual({});
    });

    it('should give a new eTag on every write and accept the current one', async () => {
      await storage.write({ k: { v: 1 } });
      const first = (await storage.read(['k'])).k;
      await storage.write({ k: { ...first, v: 2 } });
      const second = (await storage.read(['k'])).k;
      expect(second).toEqual({ v: 2, eTag: expect.any(String) });
      expect(second.eTag).not.toBe(first.eTag);
    });

    it('should throw on a stale eTag and leave the stored value and the rest of the batch unwritten', async () => {
      await storage.write({ k: { v: 1 } });
      const stale = (await storage.read(['k'])).k;
      await storage.write({ k: { ...stale, v: 2 } });
      const before = await stored(opened.db, 'k');

      const err = await storage.write({ aaa: { other: true }, k: { ...stale, v: 3 } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StorageConflictError);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toBe('Storage: error writing "k" due to eTag conflict.');
      expect(await stored(opened.db, 'k')).toEqual(before);
      expect((await storage.read(['k'])).k).toEqual({ v: 2, eTag: before?.etag });
      // 'aaa' sorts before 'k' and was written first inside the transaction: rolled back.
      expect(await storage.read(['aaa'])).toEqual({});
    });

    it("should overwrite whatever is stored when the eTag is '*' or missing", async () => {
      await storage.write({ k: { v: 1 } });
      await storage.write({ k: { v: 2, eTag: '*' } });
      expect((await storage.read(['k'])).k.v).toBe(2);
      await storage.write({ k: { v: 3 } });
      expect((await storage.read(['k'])).k).toEqual({ v: 3, eTag: expect.any(String) });
    });

    it('should write an item not stored yet even with a concrete eTag, as MemoryStorage does', async () => {
      const memory = new MemoryStorage();
      await memory.write({ k: { v: 1, eTag: 'from-elsewhere' } });
      expect((await memory.read(['k'])).k.v).toBe(1);

      await storage.write({ k: { v: 1, eTag: 'from-elsewhere' } });
      const item = (await storage.read(['k'])).k;
      expect(item.v).toBe(1);
      expect(item.eTag).not.toBe('from-elsewhere');
      // Once stored, that eTag is stale.
      await expect(storage.write({ k: { v: 2, eTag: 'from-elsewhere' } })).rejects.toThrow(/eTag conflict/);
    });

    it('should let exactly one of two concurrent writers with the same eTag win', async () => {
      await storage.write({ k: { v: 0 } });
      const read = (await storage.read(['k'])).k;
      const other = new PgStorage(opened.db);
      const results = await Promise.allSettled([
        storage.write({ k: { ...read, v: 'first' } }),
        other.write({ k: { ...read, v: 'second' } }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect((lost[0]?.reason as Error).message).toBe('Storage: error writing "k" due to eTag conflict.');
      const winner = results[0]?.status === 'fulfilled' ? 'first' : 'second';
      expect((await storage.read(['k'])).k.v).toBe(winner);
    });

    it('should reject keys longer than the limit and accept one at the limit', async () => {
      const atLimit = 'é'.repeat(MAX_KEY_LENGTH);
      await storage.write({ [atLimit]: { ok: 1 } });
      expect((await storage.read([atLimit]))[atLimit]).toEqual({ ok: 1, eTag: expect.any(String) });
      const tooLong = 'k'.repeat(MAX_KEY_LENGTH + 1);
      await expect(storage.write({ [tooLong]: { ok: 1 } })).rejects.toThrow(/longer than 1024/);
      await expect(storage.read([tooLong])).rejects.toThrow(/longer than 1024/);
      await expect(storage.delete([tooLong])).rejects.toThrow(/longer than 1024/);
      const { rows } = await opened.db.query<{ n: number }>('SELECT count(*)::int AS n FROM bot_state');
      expect(rows[0]?.n).toBe(1);
    });

    it('should refuse values that are not JSON objects', async () => {
      await expect(storage.write({ k: 'text' })).rejects.toThrow(/must be a JSON object/);
      await expect(storage.write({ k: [1, 2] })).rejects.toThrow(/must be a JSON object/);
      await expect(storage.write({ k: null })).rejects.toThrow(/must be a JSON object/);
    });

    it('should store U+0000 and lone surrogates in strings as U+FFFD and keep emoji whole', async () => {
      const cut = '👋🏽'.slice(0, 3); // a message cut in the middle of an emoji
      await storage.write({ k: { nul: 'a\u0000b', cut, list: ['x\ud800', '😀'], slash: '\\u0000' } });
      expect((await storage.read(['k'])).k).toEqual({
        nul: 'a\uFFFDb',
        cut: '👋\uFFFD',
        list: ['x\uFFFD', '😀'],
        slash: '\\u0000',
        eTag: expect.any(String),
      });
    });

    it('should let a second PgStorage on the same database read what the first wrote', async () => {
      await storage.write({ shared: { from: 'instance A' } });
      const b = new PgStorage(opened.db);
      const item = (await b.read(['shared'])).shared;
      expect(item.from).toBe('instance A');
      await b.write({ shared: { ...item, from: 'instance B' } });
      expect((await storage.read(['shared'])).shared.from).toBe('instance B');
    });
  });
}

// BotState keys: `${channelId}/conversations/${conversationId}/` and `${channelId}/users/${userId}/` (empty namespace).
const CONVO = 'test/conversations/Convo1/';
const USER = 'test/users/user1/';

/** A tiny bot: counts turns per conversation, remembers the user's language. */
function countingBot(storage: Storage) {
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const turns = conversationState.createProperty<number>('turns');
  const lang = userState.createProperty<string>('lang');
  const logic = async (context: TurnContext) => {
    const n = ((await turns.get(context, 0)) ?? 0) + 1;
    await turns.set(context, n);
    const text = context.activity.text ?? '';
    if (text.startsWith('lang ')) await lang.set(context, text.slice(5));
    await context.sendActivity(`turn ${n} lang ${(await lang.get(context, 'nl')) ?? 'nl'}`);
    await conversationState.saveChanges(context);
    await userState.saveChanges(context);
  };
  return { logic, conversationState, userState };
}

describe('PgStorage with botbuilder state', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('should keep conversation and user state across new state objects and storages on one database', async () => {
    const db = await openPglite();
    await migrate(db);
    try {
      const first = countingBot(new PgStorage(db));
      await new TestAdapter(first.logic).send('hello').assertReply('turn 1 lang nl').send('lang fr').assertReply('turn 2 lang fr');

      // "Restart": new storage, new state objects, new adapter; same conversation and user ids.
      const second = countingBot(new PgStorage(db));
      await new TestAdapter(second.logic).send('again').assertReply('turn 3 lang fr');

      const rows = (await db.query<{ key: string }>('SELECT key FROM bot_state ORDER BY key')).rows.map((r) => r.key);
      expect(rows).toEqual([CONVO, USER]);
      const items = await new PgStorage(db).read([CONVO, USER]);
      expect(items[CONVO].turns).toBe(3);
      expect(items[USER].lang).toBe('fr');

      // Clearing and deleting conversation state goes through storage.delete.
      const third = countingBot(new PgStorage(db));
      await new TestAdapter(async (context) => {
        await third.conversationState.load(context);
        await third.conversationState.delete(context);
        await context.sendActivity('deleted');
      })
        .send('bye')
        .assertReply('deleted');
      expect(Object.keys(await new PgStorage(db).read([CONVO, USER]))).toEqual([
        USER,
      ]);
    } finally {
      await db.close();
    }
  });

  it('should keep state when the database is closed and opened again (a new process on the same folder)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'infoline-botstate-'));
    dirs.push(dir);
    const a = await openPglite(dir);
    await migrate(a);
    await new TestAdapter(countingBot(new PgStorage(a)).logic).send('lang ar').assertReply('turn 1 lang ar');
    await a.close();

    const b = await openPglite(dir);
    try {
      await migrate(b);
      await new TestAdapter(countingBot(new PgStorage(b)).logic).send('hi').assertReply('turn 2 lang ar');
    } finally {
      await b.close();
    }
  });
});
