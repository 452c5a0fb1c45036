/** The same retrieval suite through node-postgres over the wire, against PGlite served by pglite-socket. */
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { openPostgres } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { openKnowledgeBase } from '../../knowledge/knowledge-base.js';
import { copyTemplate, testConfig } from '../helpers/kb.js';
import { retrievalSuite } from './retrieval-suite.js';

retrievalSuite('pg over the wire', async () => {
  const { dir, cleanup } = copyTemplate();
  const served = await PGlite.create(dir, { extensions: { vector } });
  const server = new PGLiteSocketServer({ db: served, port: 0, host: '127.0.0.1', maxConnections: 8 });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres`;
  const db = await openPostgres(url, { poolMax: 4 });
  await migrate(db);
  const kb = await openKnowledgeBase(db, testConfig(dir).embeddings);
  await kb.ensureIndexed();
  return {
    db,
    kb,
    close: async () => {
      await db.close();
      await server.stop();
      await served.close();
      cleanup();
    },
  };
});
