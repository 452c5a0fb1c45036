/**
 * npm run ask -- [--json] [--lang xx] "question"
 * Asks the running service (ASK_URL, default http://localhost:$PORT/api/ask); when none answers, opens the
 * database itself (the embedded one cannot be shared between two processes).
 */
import { parseArgs } from 'node:util';
import { isLang, SUPPORTED_LANGS } from '../conversation/languages.js';
import { createLogger } from '../logger.js';
import { createAskService, createDirectory, prepareDirectory } from '../server.js';
import { configOrExit, openKnowledgeOrExit } from './cli.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { json: { type: 'boolean', default: false }, lang: { type: 'string' }, url: { type: 'string' } },
});
const text = positionals.join(' ').trim();
if (!text) {
  console.error('Usage: npm run ask -- [--json] [--lang nl|fr|en|…] "your question"');
  process.exit(2);
}
if (values.lang && !isLang(values.lang)) {
  console.error(`Unknown language "${values.lang}". Supported: ${SUPPORTED_LANGS.join(', ')}`);
  process.exit(2);
}
const config = configOrExit();
const url = values.url ?? `http://localhost:${config.http.port}/api/ask`;
const body = { text, ...(values.lang ? { lang: values.lang } : {}) };

let response: unknown;
try {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(30_000) });
  response = await res.json();
} catch {
  // No service listening: answer in-process on the configured database.
  const { db, kb } = await openKnowledgeOrExit(config);
  await kb.ensureIndexed();
  const logger = createLogger('silent');
  const directory = createDirectory(db);
  await prepareDirectory(config, { db, directory, logger });
  const ask = createAskService(config, db, kb, logger, directory);
  response = await ask.ask({ text, lang: isLang(values.lang) ? values.lang : undefined, channel: 'cli' });
  await db.close();
}
if (values.json) console.log(JSON.stringify(response, null, 2));
else {
  const r = response as { answer?: string; lang?: string; sources?: Array<{ title: string; locator?: string; score: number }>; error?: { message: string } };
  if (r.error) {
    console.error(r.error.message);
    process.exit(1);
  }
  console.log(`[${r.lang}] ${r.answer}\n`);
  for (const s of r.sources ?? []) console.log(`  ${s.score.toFixed(3)}  ${s.title} — ${s.locator ?? ''}`);
}
