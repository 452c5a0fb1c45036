/**
 * Composition root: buildApp(config, deps) makes the express app with no side effects (tests build the same app
 * on PGlite); createDependencies() wires database, knowledge base and services; main() adds listen and the
 * start-up ingestion.
 */
import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { askRoutes } from './api/ask.routes.js';
import { capacityRoutes } from './api/capacity.routes.js';
import { directoryRoutes } from './api/directory.routes.js';
import { pagesRoutes } from './api/pages.routes.js';
import { chatPageRoutes } from './api/chat-page.routes.js';
import { directLineRoutes } from './api/directline.routes.js';
import { messagesRoutes } from './api/messages.routes.js';
import { createBotAdapter } from './bot/create-adapter.js';
import { InfolineBot } from './bot/infoline-bot.js';
import { PgStorage } from './bot/pg-storage.js';
import { ReportDialog } from './bot/dialogs/report-dialog.js';
import { PlaceTonightDialog } from './bot/dialogs/place-tonight-dialog.js';
import { ComplaintDialog } from './bot/dialogs/complaint-dialog.js';
import { createBodyContact, createFindService } from './conversation/complaint-guide.js';
import { HandoffRepository } from './dispatch/handoff.repository.js';
import { ReportsRepository } from './dispatch/reports.repository.js';
import { purgeExpired } from './dispatch/retention.js';
import { eraseConversation } from './dispatch/erase.js';
import { healthRoutes, createMetrics, type Metrics } from './api/health.routes.js';
import { errorHandler } from './api/http-errors.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { AskService } from './conversation/ask-service.js';
import { ConversationRepository } from './conversation/conversation.repository.js';
import { DatabaseError, openDatabase, type Database } from './db/database.js';
import { CapacityRepository } from './directory/capacity.repository.js';
import { DirectorySearch } from './directory/directory-search.js';
import { loadGazetteer } from './directory/gazetteer.js';
import { Places } from './directory/places.js';
import { ensureDirectorySeeded } from './directory/seed.js';
import { loadTaxonomy, type Taxonomy } from './directory/taxonomy.js';
import { migrate } from './db/migrate.js';
import { openKnowledgeBase, type KnowledgeBase } from './knowledge/knowledge-base.js';
import { loadCorpusMeta } from './knowledge/ingest/load-corpus.js';
import { createLogger, type Logger } from './logger.js';

export interface AppDeps {
  db: Database;
  kb: KnowledgeBase;
  ask: AskService;
  directory: Directory;
  capacity: CapacityRepository;
  reports: ReportsRepository;
  handoffs: HandoffRepository;
  logger: Logger;
  metrics: Metrics;
  /** Set once the index is built; /api/ask and /readyz answer 503 before. */
  readiness: { ready: boolean };
}

/** The express app: routes, body limits, metrics and one error boundary. */
export function buildApp(config: Config, deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use((req, res, next) => {
    const end = deps.metrics.latency.startTimer();
    res.on('finish', () => {
      const route = (req.route?.path as string | undefined) ?? 'other';
      end({ route });
      deps.metrics.requests.inc({ route, status: String(res.statusCode) });
    });
    next();
  });
  // Questions are short; a 64 kB cap stops abuse while leaving room for JSON overhead.
  app.use(express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] }));
  const isReady = () => deps.readiness.ready;
  app.use(healthRoutes({ db: deps.db, isReady, metrics: deps.metrics }));
  app.use(askRoutes({ ask: deps.ask, maxQuestionChars: config.http.maxQuestionChars, isReady }));
  app.use(directoryRoutes({ search: deps.directory.search, taxonomy: deps.directory.taxonomy, places: deps.directory.places, isReady }));
  app.use(pagesRoutes());
  app.use(chatPageRoutes({ maxChars: config.http.maxQuestionChars }));
  // Local Direct Line for the chat page (a path is resolved against this server's own socket, so PORT=0 works).
  // With MicrosoftAppId set the bot refuses unsigned activities: production uses Azure Direct Line instead.
  if (!config.bot.appId) app.use(directLineRoutes({ botEndpoint: '/api/messages', maxTextChars: config.http.maxQuestionChars }));
  app.use(messagesRoutes({ adapter: createBotAdapter(config.bot, deps.logger), bot: createBot(config, deps) }));
  app.use(capacityRoutes({ capacity: deps.capacity, rateLimit: { windowMs: 10 * 60_000, max: config.directory.capacityUpdatesPer10Min } }));
  app.use(errorHandler(deps.logger));
  return app;
}

/** The bot with its task dialogs, state in the database. */
export function createBot(config: Config, deps: AppDeps): InfolineBot {
  const { places } = deps.directory;
  return new InfolineBot({
    ask: deps.ask,
    handoffs: deps.handoffs,
    storage: new PgStorage(deps.db),
    tasks: [
      new ReportDialog({ reports: deps.reports, places, logger: deps.logger }),
      new PlaceTonightDialog({ handoffs: deps.handoffs, places, cards: deps.kb.cards }),
      new ComplaintDialog({ findService: createFindService(deps.db), findContact: createBodyContact(deps.db) }),
    ],
    logger: deps.logger,
    maxChars: config.http.maxQuestionChars,
    publicUrl: config.publicUrl,
    erase: (conversationId) => eraseConversation(deps.db, conversationId),
  });
}

/** Opens and migrates the database and wires the services. */
export async function createDependencies(config: Config, logger: Logger, db?: Database): Promise<AppDeps> {
  const database = db ?? (await openDatabase(config.db));
  await migrate(database);
  const kb = await openKnowledgeBase(database, config.embeddings);
  const directory = createDirectory(database);
  const ask = createAskService(config, database, kb, logger, directory);
  return {
    db: database, kb, ask, directory, capacity: new CapacityRepository(database),
    reports: new ReportsRepository(database, { retentionDays: config.dispatch.retentionDays }),
    handoffs: new HandoffRepository(database, { retentionDays: config.dispatch.retentionDays }),
    logger, metrics: createMetrics(),
    readiness: { ready: false },
  };
}

/** The service directory: taxonomy, places and search on the database. */
export interface Directory {
  taxonomy: Taxonomy;
  places: Places;
  search: DirectorySearch;
}

/** Wires the directory's parts (the taxonomy and gazetteer are files in the repository, loaded once). */
export function createDirectory(db: Database): Directory {
  const taxonomy = loadTaxonomy();
  const places = new Places(loadGazetteer());
  const kinds = new Map(taxonomy.categories.map((c) => [c.id, c.kind]));
  const search = new DirectorySearch({ db, kindOf: (id) => kinds.get(id), locate: places.locate, distanceKm: (a, b) => places.distanceKm(a, b) });
  return { taxonomy, places, search };
}

/** The question-answering service on a database and knowledge base (also used by `npm run ask`). */
export function createAskService(
  config: Config, db: Database, kb: KnowledgeBase, logger: Logger, directory: Directory = createDirectory(db),
): AskService {
  const documents = new Map<string, { shortTitle: string }>(loadCorpusMeta().map((d) => [d.id, { shortTitle: d.shortTitle }]));
  return new AskService({
    retriever: kb.retriever,
    lexicon: kb.lexicon,
    conversations: new ConversationRepository(db),
    logger,
    minScore: config.knowledge.answerMinScore,
    informative: (c) => kb.informativeConcepts(c),
    directory: {
      taxonomy: directory.taxonomy, places: directory.places, search: directory.search, cards: kb.cards, documents,
    },
  });
}

/** Imports the directory seed when the directory is empty or the seed changed (unless turned off). */
export async function prepareDirectory(config: Config, deps: Pick<AppDeps, 'db' | 'directory' | 'logger'>): Promise<void> {
  if (!config.directory.seedOnStart) return;
  const seeded = await ensureDirectorySeeded(deps.db, deps.directory.taxonomy.toTaxonomyTerms());
  if (seeded) deps.logger.info({ stage: 'directory' }, 'directory seed imported');
}

/** Builds the index if needed, then marks the app ready. */
export async function prepareIndex(config: Config, deps: AppDeps): Promise<void> {
  const { logger, kb } = deps;
  await prepareDirectory(config, deps);
  if (config.knowledge.ingestOnStart) {
    const summary = await kb.ensureIndexed();
    if (summary) logger.info({ stage: 'ingest', documents: summary.documents, chunks: summary.chunks, seconds: summary.seconds }, 'index built');
  } else {
    await kb.ensureIndexed().catch(() => undefined);
  }
  const counts = await kb.store.counts();
  deps.readiness.ready = counts.chunks > 0;
  logger.info({ stage: 'ready', ...counts, model: kb.store.model }, counts.chunks ? 'ready' : 'index is empty: run npm run ingest');
}

/** Starts the service: config, database, HTTP, then the index in the background. */
export async function main(): Promise<Server> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.log.level);
  let deps: AppDeps;
  try {
    deps = await createDependencies(config, logger);
  } catch (err) {
    if (err instanceof DatabaseError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const app = buildApp(config, deps);
  const server = app.listen(config.http.port, config.http.host, () => {
    logger.info({ stage: 'listen', port: config.http.port, database: deps.db.kind }, `listening on http://localhost:${config.http.port}`);
  });
  prepareIndex(config, deps).catch((err: Error) => logger.error({ stage: 'ingest', err: { message: err.message } }, 'index build failed'));
  const retention = () =>
    purgeExpired({ db: deps.db, reports: deps.reports, handoffs: deps.handoffs, stateRetentionDays: config.bot.stateRetentionDays })
      .then((r) => logger.info({ stage: 'retention', ...r }, 'expired data deleted'))
      .catch((err: Error) => logger.error({ stage: 'retention', err: { message: err.message } }, 'retention failed'));
  void retention();
  setInterval(() => void retention(), 60 * 60_000).unref();
  const shutdown = () => {
    logger.info({ stage: 'shutdown' }, 'stopping');
    server.close(() => void deps.db.close().finally(() => process.exit(0)));
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  return server;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
