/**
 * The bot's conversation flows in all 12 languages over real HTTP (POST /api/messages on the real app): welcome and
 * language, a question with a card and its follow-up, a street report stored with its reference, a place tonight
 * with an open hand-off, a complaint draft, talk to a person, help/cancel/start over inside a report, every safety
 * trigger (idle and mid-report), small talk, an injection attempt and SMS. The flows live in eval/bot/flows.ts
 * (also run by `npm run eval:bot`); this test runs them once on one app and checks every language passes all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPPORTED_LANGS } from '../../conversation/languages.js';
import { FLOWS } from '../../eval/bot/flows.js';
import { failureLines, runFlows, summaryLine, tableRows, type FlowsReport } from '../../eval/bot/run-flows.js';
import { printTable } from '../../scripts/cli.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe('bot flows in 12 languages (POST /api/messages)', () => {
  let app: TestApp;
  let report: FlowsReport;

  beforeAll(async () => {
    app = await startTestApp();
    report = await runFlows({ appBase: app.base, deps: app.deps, concurrency: 2 });
    printTable(tableRows(report), ['lang', ...report.flows, 'all']);
    console.log(`${summaryLine(report)} (${report.seconds.toFixed(1)} s)`);
  }, 300_000);
  afterAll(async () => app?.stop());

  it('should run every flow in every language, each once', () => {
    expect(report.langs).toEqual([...SUPPORTED_LANGS]);
    expect(report.results).toHaveLength(SUPPORTED_LANGS.length * FLOWS.length);
    for (const lang of SUPPORTED_LANGS) expect(report.results.filter((r) => r.lang === lang).map((r) => r.flow)).toEqual(FLOWS.map((f) => f.id));
  });

  it.each(SUPPORTED_LANGS.map((l) => [l] as const))('should pass every flow and safety trigger in %s', (lang) => {
    const failed = report.results.filter((r) => r.lang === lang && !r.ok);
    expect(failed.map((r) => `${r.flow}: ${r.failure}`).join('\n\n')).toBe('');
  });

  it('should count 12/12 languages where every flow and safety trigger passes', () => {
    expect(summaryLine(report), failureLines(report).join('\n\n')).toBe('languages where every flow and safety trigger passes: 12/12');
    expect(report.passingLangs).toHaveLength(12);
  });
});
