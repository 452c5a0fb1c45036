/**
 * Accuracy per language of detectLanguage on the SMS-style fixture, plus time per message.
 * Run: npx tsx scripts/lang-accuracy.ts [--misses]
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SUPPORTED_LANGS, isLang, type Lang } from '../conversation/languages.ts';

const t0 = performance.now();
const { detectLanguage } = await import('../conversation/detect-language.ts');
const loadMs = performance.now() - t0;

const fixture = fileURLToPath(new URL('../test/fixtures/lang-messages.jsonl', import.meta.url));
const rows = readFileSync(fixture, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { lang: string; text: string })
  .filter((r): r is { lang: Lang; text: string } => isLang(r.lang));

const stats = new Map<Lang, { ok: number; n: number; unreliable: number; confusions: Map<string, number> }>();
const misses: string[] = [];
for (const r of rows) {
  const s = stats.get(r.lang) ?? { ok: 0, n: 0, unreliable: 0, confusions: new Map() };
  const d = detectLanguage(r.text);
  s.n++;
  if (!d.reliable) s.unreliable++;
  if (d.lang === r.lang) s.ok++;
  else {
    s.confusions.set(d.lang, (s.confusions.get(d.lang) ?? 0) + 1);
    misses.push(`${r.lang} -> ${d.lang} (${d.confidence}): ${r.text}`);
  }
  stats.set(r.lang, s);
}

// Timing: several passes over the whole fixture after a warm-up pass.
const passes = 20;
const t1 = performance.now();
for (let p = 0; p < passes; p++) for (const r of rows) detectLanguage(r.text);
const perMsg = (performance.now() - t1) / (passes * rows.length);

console.log('lang  n    accuracy  unreliable  confused with');
let ok = 0;
for (const lang of SUPPORTED_LANGS) {
  const s = stats.get(lang);
  if (!s) continue;
  ok += s.ok;
  const conf = [...s.confusions].map(([l, n]) => `${l}:${n}`).join(' ');
  console.log(`${lang.padEnd(5)} ${String(s.n).padEnd(4)} ${(s.ok / s.n).toFixed(3).padEnd(9)} ${String(s.unreliable).padEnd(11)} ${conf}`);
}
console.log(`all   ${String(rows.length).padEnd(4)} ${(ok / rows.length).toFixed(3)}`);
console.log(`load ${loadMs.toFixed(0)} ms, ${(perMsg * 1000).toFixed(1)} µs per message`);
if (process.argv.includes('--misses')) console.log(misses.join('\n'));
