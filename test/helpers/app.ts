/** Test helper: the real app (createDependencies + buildApp) on a copy of the template database, on a loopback port. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openPglite } from '../../db/database.js';
import { createLogger, type Logger } from '../../logger.js';
import { buildApp, createDependencies, prepareIndex, type AppDeps } from '../../server.js';
import { copyTemplate, testConfig } from './kb.js';

export interface TestApp {
  deps: AppDeps;
  base: string;
  server: Server;
  /** Closes the server and the database and removes the copy. */
  stop: () => Promise<void>;
}

/** Starts the app as `npm start` would (index and directory seed ready) and returns its base URL. */
export async function startTestApp(opts: { logger?: Logger; env?: Record<string, string> } = {}): Promise<TestApp> {
  const copy = copyTemplate();
  const config = testConfig(copy.dir, opts.env);
  const deps = await createDependencies(config, opts.logger ?? createLogger('silent'), await openPglite(copy.dir));
  await prepareIndex(config, deps);
  if (!deps.readiness.ready) throw new Error('the test app did not become ready');
  const server = buildApp(config, deps).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await deps.db.close();
    copy.cleanup();
  };
  return { deps, base, server, stop };
}
