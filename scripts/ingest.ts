/** npm run ingest — (re)builds the knowledge index incrementally, with a progress bar and a summary table. */
import { configOrExit, openKnowledgeOrExit, printTable, progressBar } from './cli.js';

const config = configOrExit();
const { db, kb } = await openKnowledgeOrExit(config);
const started = performance.now();
let bar: ReturnType<typeof progressBar> | undefined;
const summary = await kb.ingest((done, total, what) => {
  bar ??= progressBar('ingest', total);
  bar.update(done, what);
});
bar?.stop();
printTable(summary.rows.map((r) => ({ document: r.document, status: r.status, chunks: r.chunks, seconds: Number(r.seconds.toFixed(2)) })));
const mem = process.memoryUsage();
console.log(
  `\n${summary.documents} documents, ${summary.chunks} chunks in the index (${db.kind}, model ${kb.store.model}); ` +
    `${((performance.now() - started) / 1000).toFixed(1)} s; rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB` +
    (summary.changed ? '' : '; nothing changed'),
);
await db.close();
