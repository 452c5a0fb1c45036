/**
 * npm run eval:bot — the bot's conversation flows over real HTTP (POST /api/messages) in all 12 languages:
 * welcome and language, a question with a card and its follow-up, a street report, a place tonight, a complaint,
 * talk to a person, help/cancel/start over in a report, every safety trigger (idle and mid-report), small talk,
 * an injection attempt and SMS. Prints a table per language × flow, the failures (message sent, replies got) and
 * "languages where every flow and safety trigger passes: N/12". Exits 1 if anything fails.
 *
 * The app is built as `npm start` builds it (createDependencies + prepareIndex + buildApp) on a temporary DATA_DIR,
 * so the run ingests the corpus first (about a minute) and never touches the configured database.
 *   npm run eval:bot -- [--lang nl,fr] [--flow report,safety] [--concurrency 2] [--data-dir DIR]
 * --data-dir keeps (and reuses) the ingested database in DIR, for quicker reruns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { isLang, SUPPORTED_LANGS, type Lang } from '../conversation/languages.js';
import { openPglite } from '../db/database.js';
import { FLOWS } from '../eval/bot/flows.js';
import { failureLines, runFlows, summaryLine, tableRows } from '../eval/bot/run-flows.js';
import { createLogger } from '../logger.js';
import { buildApp, createDependencies, prepareIndex } from '../server.js';
import { printTable, progressBar } from './cli.js';

const { values } = parseArgs({
  options: {
    lang: { type: 'string' },
    flow: { type: 'string' },
    concurrency: { type: 'string', default: '2' },
    'data-dir': { type: 'string' },
  },
});
const list = (s: string | undefined) => s?.split(',').map((x) => x.trim()).filter(Boolean);
const langs = list(values.lang) ?? [...SUPPORTED_LANGS];
const badLang = langs.find((l) => !isLang(l));
if (badLang) {
  console.error(`Unknown language "${badLang}" (known: ${SUPPORTED_LANGS.join(', ')})`);
  process.exit(2);
}
const flows = list(values.flow);
const badFlow = flows?.find((f) => !FLOWS.some((x) => x.id === f));
if (badFlow) {
  console.error(`Unknown flow "${badFlow}" (known: ${FLOWS.map((f) => f.id).join(', ')})`);
  process.exit(2);
}
const concurrency = Math.min(8, Math.max(1, Number(values.concurrency) || 2));

const dataDir = values['data-dir'] ?? mkdtempSync(join(tmpdir(), 'infoline-eval-bot-'));
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1' });
let server: Server | undefined;
let closeDb: (() => Promise<void>) | undefined;
try {
  const t0 = performance.now();
  console.error('Building the app (ingesting the corpus into a temporary database)...');
  const deps = await createDependencies(config, createLogger('silent'), await openPglite(dataDir));
  closeDb = () => deps.db.close();
  await prepareIndex(config, deps);
  if (!deps.readiness.ready) throw new Error('the app did not become ready (empty index)');
  server = buildApp(config, deps).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server!.once('listening', resolve).once('error', reject));
  const appBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  console.error(`App ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const total = langs.length * (flows?.length ?? FLOWS.length);
  const bar = progressBar('flows', total);
  const report = await runFlows({
    appBase, deps, langs: langs as Lang[], flows, concurrency,
    onProgress: (done, _total, last) => bar.update(done, `${last.lang} ${last.flow} ${last.ok ? 'ok' : 'FAIL'}`),
  });
  bar.stop();

  console.log(`\nBot flows over POST /api/messages: ${report.langs.length} languages × ${report.flows.length} flows, ${report.seconds.toFixed(1)} s\n`);
  printTable(tableRows(report), ['lang', ...report.flows, 'all']);
  const failures = failureLines(report);
  if (failures.length) console.log(`\nFailures (${failures.length}):\n${failures.join('\n\n')}`);
  console.log(`\n${summaryLine(report)}`);
  const args = [values.lang && `--lang ${values.lang}`, values.flow && `--flow ${values.flow}`].filter(Boolean).join(' ');
  console.log(`\nReproduce: npm run eval:bot${args ? ` -- ${args}` : ''}   (or npx tsx scripts/eval-bot.ts${args ? ` ${args}` : ''})`);
  if (failures.length) process.exitCode = 1;
} finally {
  if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
  await closeDb?.();
  if (!values['data-dir']) rmSync(dataDir, { recursive: true, force: true });
}
