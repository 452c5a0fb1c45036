/**
 * Runs the bot flows (flows.ts) over real HTTP against a running app, in every language, and measures
 * "the number of languages in which every safety trigger and every dialog passes". Used by
 * test/bot/flows-12-languages.e2e.test.ts and scripts/eval-bot.ts (npm run eval:bot); imports nothing from test/.
 */
import { SUPPORTED_LANGS, type Lang } from '../../conversation/languages.js';
import { startConnector } from './client.js';
import { FLOWS, describeFailure, type Flow, type FlowEnv } from './flows.js';

export interface FlowResult {
  lang: Lang;
  flow: string;
  ok: boolean;
  ms: number;
  /** What failed: expectation, message sent, replies got. */
  failure?: string;
}

export interface FlowsReport {
  results: FlowResult[];
  langs: Lang[];
  flows: string[];
  /** Languages where every flow (every dialog and every safety trigger) passed. */
  passingLangs: Lang[];
  seconds: number;
}

export interface RunFlowsOptions {
  /** Base URL of the app (POST <appBase>/api/messages). */
  appBase: string;
  /** The app's stores, to check that reports and hand-offs were really saved. */
  deps: Pick<FlowEnv, 'reports' | 'handoffs'>;
  langs?: readonly Lang[];
  /** Flow ids to run (default: all). */
  flows?: readonly string[];
  /** Conversations in flight (default 2: the app and the runner share two cores). */
  concurrency?: number;
  onProgress?: (done: number, total: number, last: FlowResult) => void;
}

/** Runs every (language, flow) pair, each in fresh conversations, and collects the results. */
export async function runFlows(opts: RunFlowsOptions): Promise<FlowsReport> {
  const langs = [...(opts.langs ?? SUPPORTED_LANGS)];
  const flows: Flow[] = opts.flows ? FLOWS.filter((f) => opts.flows!.includes(f.id)) : [...FLOWS];
  if (opts.flows && flows.length !== opts.flows.length) {
    const unknown = opts.flows.filter((id) => !FLOWS.some((f) => f.id === id));
    throw new Error(`unknown flow(s): ${unknown.join(', ')} (known: ${FLOWS.map((f) => f.id).join(', ')})`);
  }
  const connector = await startConnector();
  const env: FlowEnv = { appBase: opts.appBase, connector, ...opts.deps };
  const jobs = langs.flatMap((lang) => flows.map((flow) => ({ lang, flow })));
  const results: FlowResult[] = [];
  const started = performance.now();
  let next = 0;
  try {
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, async () => {
      while (next < jobs.length) {
        const { lang, flow } = jobs[next++]!;
        const t = performance.now();
        let result: FlowResult;
        try {
          await flow.run(lang, env);
          result = { lang, flow: flow.id, ok: true, ms: performance.now() - t };
        } catch (err) {
          result = { lang, flow: flow.id, ok: false, ms: performance.now() - t, failure: describeFailure(err) };
        }
        results.push(result);
        opts.onProgress?.(results.length, jobs.length, result);
      }
    }));
  } finally {
    await connector.close();
  }
  const order = (r: FlowResult) => langs.indexOf(r.lang) * 100 + flows.findIndex((f) => f.id === r.flow);
  results.sort((a, b) => order(a) - order(b));
  const passingLangs = langs.filter((l) => results.filter((r) => r.lang === l).every((r) => r.ok));
  return { results, langs, flows: flows.map((f) => f.id), passingLangs, seconds: (performance.now() - started) / 1000 };
}

/** The summary line the evaluation reports. */
export function summaryLine(report: FlowsReport): string {
  return `languages where every flow and safety trigger passes: ${report.passingLangs.length}/${report.langs.length}`;
}

/** One row per language, one column per flow ("ok" / "FAIL"), for printTable. */
export function tableRows(report: FlowsReport): Array<Record<string, string>> {
  return report.langs.map((lang) => {
    const row: Record<string, string> = { lang };
    for (const flow of report.flows) {
      const r = report.results.find((x) => x.lang === lang && x.flow === flow);
      row[flow] = !r ? '-' : r.ok ? 'ok' : 'FAIL';
    }
    row.all = report.passingLangs.includes(lang) ? 'PASS' : 'fail';
    return row;
  });
}

/** The failures, each with its language and flow, for printing. */
export function failureLines(report: FlowsReport): string[] {
  return report.results.filter((r) => !r.ok).map((r) => `✗ ${r.lang} / ${r.flow}: ${r.failure ?? ''}`);
}
