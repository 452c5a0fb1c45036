/**
 * The public directory page end to end: the real app (createDependencies + buildApp on a copy of the template
 * database, directory seed imported), over real HTTP, then in Debian's Chromium driven by
 * playwright-core: French and Arabic, a need and a commune filter, keyboard, a 360 px phone and the print sheet.
 * Screenshots go to test-artifacts/screenshots/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPPORTED_LANGS, type Lang } from '../../conversation/languages.js';
import type { AppDeps } from '../../server.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');
const COMMUNES = [
  'anderlecht', 'auderghem', 'berchem-sainte-agathe', 'bruxelles', 'etterbeek', 'evere', 'forest', 'ganshoren', 'ixelles',
  'jette', 'koekelberg', 'molenbeek-saint-jean', 'saint-gilles', 'saint-josse-ten-noode', 'schaerbeek', 'uccle',
  'watermael-boitsfort', 'woluwe-saint-lambert', 'woluwe-saint-pierre',
];

/** The shipped "page" strings: the test never hard-codes a user-facing string. */
/** The keys of the English "page" section (every locale has the same, test/locales.test.ts). */
type PageStrings = Record<keyof (typeof import('../../locales/en/translation.json'))['page'], string>;
const page = (lang: Lang): PageStrings =>
  (JSON.parse(readFileSync(join(ROOT, 'locales', lang, 'translation.json'), 'utf8')) as { page: PageStrings }).page;
const taxonomy = JSON.parse(readFileSync(join(ROOT, 'directory', 'taxonomy', 'taxonomy.json'), 'utf8')) as {
  categories: Array<{ id: string; kind: string; labels: Record<Lang, string> }>;
};
const categoryLabel = (id: string, lang: Lang) => taxonomy.categories.find((c) => c.id === id)!.labels[lang];
/** A template's fixed text before its first placeholder ("Services trouvés : "). */
const prefix = (template: string) => template.split('{{')[0]!;

interface ServicesBody { count: number; services: Array<{ id: string; name: string; commune: string | null; foreseen: boolean }> }

let base: string;
let deps: AppDeps;
let app: TestApp;

// server.ts mounts the pages router in buildApp: the page is tested as `npm start` serves it.
beforeAll(async () => {
  app = await startTestApp();
  ({ base, deps } = app);
});

afterAll(async () => app?.stop());

describe('pages routes over HTTP', () => {
  it('serves /directory as html in the asked language, under a self-only CSP', async () => {
    const fr = await fetch(`${base}/directory?lang=fr`);
    expect(fr.status).toBe(200);
    expect(fr.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = fr.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    const html = await fr.text();
    expect(html).toContain('<html lang="fr" dir="ltr">');
    expect(html).toContain(`<h1 id="title">${page('fr').title.replace(/'/g, '&#39;')}</h1>`);
    expect(html).not.toMatch(/\{\{\w+\}\}/);
    expect(html).not.toMatch(/<script>|<style>| style="/);
    const ar = await (await fetch(`${base}/directory?lang=ar`)).text();
    expect(ar).toContain('<html lang="ar" dir="rtl">');
    const byHeader = await (await fetch(`${base}/directory`, { headers: { 'accept-language': 'nl-BE,nl;q=0.9' } })).text();
    expect(byHeader).toContain('<html lang="nl" dir="ltr">');
  });

  it('serves the css and js with their content types, and 404 for anything else under /static', async () => {
    const js = await fetch(`${base}/static/directory.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(await js.text()).toContain('/api/page-strings');
    const css = await fetch(`${base}/static/directory.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toContain('@media print');
    for (const path of ['/static/nothing.js', '/static/directory.html', '/static/%2e%2e%2fserver.ts', '/static/a/directory.js']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });

  it('serves the page strings of all 12 languages from i18next, and refuses an unknown language', async () => {
    const en = page('en');
    for (const lang of SUPPORTED_LANGS) {
      const res = await fetch(`${base}/api/page-strings?lang=${lang}`);
      expect(res.status, lang).toBe(200);
      const body = (await res.json()) as { lang: string; dir: string; strings: Record<string, string>; languages: Array<{ code: string; name: string }>; documents: Record<string, string> };
      expect(body.lang).toBe(lang);
      expect(body.dir).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      expect(Object.keys(body.strings).sort()).toEqual(Object.keys(en).sort());
      expect(body.strings).toEqual(page(lang));
      expect(body.languages.map((l) => l.code)).toEqual([...SUPPORTED_LANGS]);
      expect(Object.keys(body.documents).length).toBeGreaterThan(0);
    }
    const bad = await fetch(`${base}/api/page-strings?lang=xx`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('unknown_lang');
  });

  it('lists the 19 communes with French and Dutch names', async () => {
    const body = (await (await fetch(`${base}/api/communes?lang=nl`)).json()) as { communes: Array<{ id: string; name: string; fr: string; nl: string }> };
    expect(body.communes.map((c) => c.id).sort()).toEqual([...COMMUNES].sort());
    const schaerbeek = body.communes.find((c) => c.id === 'schaerbeek')!;
    expect(schaerbeek.name.startsWith(schaerbeek.nl)).toBe(true);
    expect(schaerbeek.name).toContain(schaerbeek.fr);
  });
});

describe('directory page in Chromium', () => {
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} not found: the browser tests need Debian's Chromium. Install it with: sudo apt-get install chromium`);
    }
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** A page that records script errors, failed requests and CSP violations. */
  async function open(path: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const p = await browser.newPage({ viewport });
    p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    p.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
    p.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`);
    });
    await p.goto(`${base}${path}`);
    await p.waitForSelector('#need-options input[type="radio"]');
    return p;
  }

  /** The top of the page, and the first results (a full page of ~50 cards is too tall to look at). */
  async function shoot(p: Page, name: string): Promise<void> {
    await p.screenshot({ path: join(SHOTS, `${name}.png`) });
    const top = (await p.locator('#results').boundingBox())!.y;
    await p.screenshot({ path: join(SHOTS, `${name}-results.png`), fullPage: true, clip: { x: 0, y: top, width: 1280, height: 900 } });
  }

  /** What the page should list: the services of each need in the taxonomy's order, each once. */
  async function expectedIds(params: string): Promise<string[]> {
    const needs = taxonomy.categories.filter((c) => c.kind === 'need').map((c) => c.id);
    const bodies = await Promise.all(needs.map(async (need) =>
      (await (await fetch(`${base}/api/services?need=${need}&lang=fr&limit=100${params ? `&${params}` : ''}`)).json()) as ServicesBody));
    return [...new Set(bodies.flatMap((b) => b.services.map((s) => s.id)))];
  }

  const cardCount = (p: Page) => p.locator('#cards > li.card').count();
  const waitForSearch = (p: Page) => p.waitForFunction(() => document.getElementById('results')?.getAttribute('aria-busy') === 'false');

  it('French: choosing a need shows cards with a loaded pictogram and French labels; then Arabic is right-to-left', async () => {
    const fr = page('fr');
    // A shelter reported its free places 25 minutes ago: the card must show the figure, its age and that it is no promise.
    const shelters = (await (await fetch(`${base}/api/services?need=emergency-shelter&lang=fr&limit=100`)).json()) as ServicesBody;
    const reporting = shelters.services[1]!;
    await deps.capacity.update(reporting.id, { free: 3, total: 20 }, 'e2e test', new Date(Date.now() - 25 * 60_000));
    const p = await open('/directory?lang=fr');
    expect(await p.textContent('h1')).toBe(fr.title);
    expect((await p.textContent('label[for="need-emergency-shelter"]'))?.trim()).toBe(categoryLabel('emergency-shelter', 'fr'));
    await p.click('label[for="need-emergency-shelter"]');
    await p.waitForURL(/need=emergency-shelter/);
    await waitForSearch(p);
    expect(await cardCount(p)).toBeGreaterThan(0);
    const api = (await (await fetch(`${base}/api/services?need=emergency-shelter&lang=fr&limit=100`)).json()) as ServicesBody;
    expect(await cardCount(p)).toBe(api.count);
    expect(await p.textContent('#status')).toBe(fr.count.replace('{{count}}', String(api.count)));
    const img = p.locator('#cards > li.card img').first();
    await p.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await img.elementHandle());
    expect(await img.getAttribute('alt')).toBe(categoryLabel('emergency-shelter', 'fr'));
    const first = p.locator('#cards > li.card').first();
    expect(await first.locator('h3').textContent()).toBe(api.services[0]!.name);
    expect(await first.locator('dt').allTextContents()).toEqual([fr.organisation, fr.phone, fr.address, fr.hours, fr.for, fr.source]);
    // Every card says what is missing rather than leaving a blank (the seed has entries without an address).
    const cardsText = (await p.locator('#cards').textContent()) ?? '';
    expect(cardsText).toContain(fr.no_address);
    expect(await p.locator('a[href^="tel:"]').count()).toBeGreaterThan(0);
    const free = p.locator(`#cards > li.card[data-id="${reporting.id}"] .free`);
    expect(await free.textContent()).toContain(fr.free_places.replace('{{free}}', '3').replace('{{total}}', '20'));
    expect(await free.textContent()).toContain(fr.updated.replace('{{age}}', new Intl.RelativeTimeFormat('fr', { numeric: 'auto' }).format(-25, 'minute')));
    expect(await free.textContent()).toContain(fr.no_promise);
    expect(await p.locator('#cards .free').count()).toBe(1);
    const foreseen = api.services.filter((s) => s.foreseen).map((s) => s.id);
    expect(foreseen.length).toBeGreaterThan(0);
    const badged = await p.locator('#cards > li.card:has(.badge.foreseen)').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.id));
    expect(badged).toEqual(foreseen);
    expect(await p.locator('#cards .badge.foreseen').first().textContent()).toBe(fr.foreseen);
    await shoot(p, 'directory-fr');

    const ar = page('ar');
    await p.selectOption('#lang', 'ar');
    await p.waitForFunction(() => document.documentElement.dir === 'rtl');
    await waitForSearch(p);
    expect(await p.getAttribute('html', 'lang')).toBe('ar');
    expect(await p.textContent('h1')).toBe(ar.title);
    expect(p.url()).toMatch(/lang=ar/);
    expect(p.url()).toMatch(/need=emergency-shelter/);
    expect(await p.textContent('label[for="lang"]')).toBe(ar.language);
    expect(await p.locator('#cards > li.card').first().locator('dt').first().textContent()).toBe(ar.organisation);
    expect(await p.locator('#cards > li.card img').first().getAttribute('alt')).toBe(categoryLabel('emergency-shelter', 'ar'));
    expect(await p.isChecked('#need-emergency-shelter')).toBe(true);
    // Phone numbers keep their left-to-right order inside the Arabic page.
    expect(await p.locator('a[href^="tel:"]').first().getAttribute('dir')).toBe('ltr');
    await shoot(p, 'directory-ar');
    await p.close();
  });

  it('filters by commune, keeps the query in the URL and restores it from a shared link', async () => {
    const p = await open('/directory?lang=fr');
    await waitForSearch(p);
    const cardIds = () => p.locator('#cards > li.card').evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.id));
    // "All needs" lists every service, more than the 100 one API request returns.
    const everything = await expectedIds('');
    expect(everything.length).toBeGreaterThan(100);
    expect(await cardIds()).toEqual(everything);
    const communes = await p.locator('#commune option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(communes.filter(Boolean).sort()).toEqual([...COMMUNES].sort());
    await p.selectOption('#commune', 'bruxelles');
    await p.waitForURL(/commune=bruxelles/);
    await waitForSearch(p);
    const inBrussels = await expectedIds('commune=bruxelles');
    expect(inBrussels.length).toBeGreaterThan(0);
    expect(inBrussels.length).toBeLessThan(everything.length);
    expect(await cardIds()).toEqual(inBrussels);
    expect(await p.textContent('#query-summary')).toContain('Bruxelles');

    const shared = await open('/directory?lang=fr&need=emergency-shelter&commune=bruxelles&open=now');
    await waitForSearch(shared);
    expect(await shared.inputValue('#commune')).toBe('bruxelles');
    expect(await shared.isChecked('#open')).toBe(true);
    expect(await shared.isChecked('#need-emergency-shelter')).toBe(true);
    const now = (await (await fetch(`${base}/api/services?need=emergency-shelter&commune=bruxelles&open=now&lang=fr&limit=100`)).json()) as ServicesBody;
    expect(await cardCount(shared)).toBe(now.count);
    await Promise.all([p.close(), shared.close()]);
  });

  it('is usable with the keyboard: Tab reaches every control, focus is visible, every control has a label', async () => {
    const p = await open('/directory?lang=fr');
    await waitForSearch(p);
    const reached = new Set<string>();
    const outlines: string[] = [];
    for (let i = 0; i < 14; i++) {
      await p.keyboard.press('Tab');
      const f = await p.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el instanceof HTMLInputElement && el.type === 'radio' ? el.nextElementSibling! : el);
        return { id: el.id, outline: style.outlineStyle };
      });
      reached.add(f.id.startsWith('need-') ? 'need' : f.id);
      outlines.push(f.outline);
    }
    for (const id of ['skip', 'lang', 'group', 'commune', 'open', 'need', 'apply', 'reset', 'print']) expect(reached, id).toContain(id);
    expect(outlines.every((o) => o !== 'none')).toBe(true);
    // Arrow keys move within the need group and search at once.
    await p.focus('#need-any');
    await p.keyboard.press('ArrowDown');
    await p.waitForURL(/need=/);
    const unlabeled = await p.evaluate(() =>
      [...document.querySelectorAll('input, select, button')].filter((el) => {
        if (el instanceof HTMLButtonElement) return !el.textContent?.trim();
        return !(el as HTMLInputElement).labels?.length || !(el as HTMLInputElement).labels![0]!.textContent?.trim();
      }).map((el) => el.id));
    expect(unlabeled).toEqual([]);
    expect(await p.locator('h1').count()).toBe(1);
    expect(await p.getAttribute('#results', 'aria-live')).toBe('polite');
    await p.close();
  });

  it('keeps text contrast at 4.5:1 or more', async () => {
    const p = await open('/directory?lang=fr&need=emergency-shelter');
    await waitForSearch(p);
    const low = await p.evaluate(() => {
      const rgb = (s: string) => (s.match(/[\d.]+/g) ?? []).map(Number);
      const lum = ([r, g, b]: number[]) => {
        const c = [r!, g!, b!].map((v) => { const x = v / 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; });
        return 0.2126 * c[0]! + 0.7152 * c[1]! + 0.0722 * c[2]!;
      };
      const background = (el: Element | null): number[] => {
        for (; el; el = el.parentElement) {
          const c = rgb(getComputedStyle(el).backgroundColor);
          if (c.length === 3 || (c.length === 4 && c[3]! > 0)) return c;
        }
        return [255, 255, 255];
      };
      const out: string[] = [];
      for (const el of document.querySelectorAll('h1, h2, h3, p, dt, dd, label, legend, a, button, li, span, strong')) {
        if (!(el as HTMLElement).offsetParent || !el.textContent?.trim()) continue;
        const fg = lum(rgb(getComputedStyle(el).color));
        const bg = lum(background(el));
        const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        if (ratio < 4.5) out.push(`${el.tagName}.${el.className} ${ratio.toFixed(2)}`);
      }
      return out;
    });
    expect(low).toEqual([]);
    await p.close();
  });

  it('works on a 360 px phone without sideways scrolling', async () => {
    const p = await open('/directory?lang=fr&need=emergency-shelter', { width: 360, height: 640 });
    await waitForSearch(p);
    expect(await cardCount(p)).toBeGreaterThan(0);
    const widths = await p.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
    expect(widths.doc).toBeLessThanOrEqual(widths.view);
    const box = await p.locator('#cards > li.card').first().boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(360);
    await p.screenshot({ path: join(SHOTS, 'directory-mobile.png') });
    await p.locator('#results').scrollIntoViewIfNeeded();
    await p.evaluate(() => document.getElementById('results')!.scrollIntoView());
    await p.screenshot({ path: join(SHOTS, 'directory-mobile-results.png') });
    await p.close();
  });

  it('prints all results without the controls, black on white, with the source of each entry and the link', async () => {
    const fr = page('fr');
    const p = await open('/directory?lang=fr&need=emergency-shelter');
    await waitForSearch(p);
    await p.emulateMedia({ media: 'print' });
    expect(await p.isVisible('#filters')).toBe(false);
    expect(await p.isVisible('#printed')).toBe(true);
    expect(await p.textContent('#printed')).toContain(`${base}/directory?lang=fr&need=emergency-shelter`);
    expect(await p.textContent('#printed')).toContain(prefix(fr.printed));
    const cards = p.locator('#cards > li.card');
    const n = await cards.count();
    for (let i = 0; i < n; i++) {
      const dts = await cards.nth(i).locator('dt').allTextContents();
      expect(dts).toContain(fr.source);
      expect(await cards.nth(i).isVisible()).toBe(true);
    }
    const colors = await p.evaluate(() => [...document.querySelectorAll('#cards, #cards *')].map((el) => getComputedStyle(el).color));
    expect(new Set(colors)).toEqual(new Set(['rgb(0, 0, 0)']));
    await p.screenshot({ path: join(SHOTS, 'directory-print.png') });
    await p.pdf({ path: join(SHOTS, 'directory-print.pdf') });
    await p.close();
  });

  it('loads without script errors, failed requests or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
