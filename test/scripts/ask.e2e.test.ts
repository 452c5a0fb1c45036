import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTemplate } from '../helpers/kb.js';

const run = promisify(execFile);

describe('scripts/ask', () => {
  const { dir, cleanup } = copyTemplate();
  afterAll(cleanup);
  const env = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent', PORT: '1' };

  it('should answer with the /api/ask JSON contract when no service is running', async () => {
    const { stdout } = await run('npx', ['tsx', 'scripts/ask.ts', '--json', 'waar kan ik een klacht indienen over de opvang?'], { env, timeout: 120_000 });
    const r = JSON.parse(stdout) as Record<string, unknown> & { sources: Array<Record<string, unknown>>; services: unknown[] };
    expect(r).toMatchObject({ lang: 'nl', intent: 'service', escalate: false, answer: expect.any(String) });
    // A complaint question: the complaint card, its plan citations and the complaint bodies of the directory.
    expect(r.card).toMatchObject({ id: expect.stringMatching(/^complain/) });
    expect((r.services as Array<{ id: string }>).map((s) => s.id)).toContain('svc-ombuds-brussels-complaints');
    expect(r.sources[0]).toMatchObject({ kind: 'card' });
    expect(r.sources.find((s) => s.kind === 'plan')).toMatchObject({ document: expect.any(String), title: expect.any(String), locator: expect.stringMatching(/lines \d+-\d+/) });
  });

  it('should refuse an unknown language with a clear message', async () => {
    const err = (await run('npx', ['tsx', 'scripts/ask.ts', '--lang', 'xx', 'hallo'], { env, timeout: 60_000 }).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/Unknown language "xx"/);
  });
});
