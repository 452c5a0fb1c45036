/**
 * The web chat page end to end: the real app is the bot (startTestApp: /api/messages), and a second express server
 * serves what buildApp would add for the chat (the page, its strings and config, the local Direct Line emulation,
 * the pictograms, and the existing /static route for its css and js). Chromium (Debian's, through playwright-core)
 * drives it on a 360 x 640 phone, in French (with the keyboard) and in Arabic: the bot's own welcome buttons, answers
 * with hero cards, and the full street report, checked in the database. Screenshots go to test-artifacts/screenshots/.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { chromium, type Browser, type BrowserContextOptions, type Page, type Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatPageRoutes } from '../../api/chat-page.routes.js';
import { directLineRoutes } from '../../api/directline.routes.js';
import { directoryRoutes } from '../../api/directory.routes.js';
import { errorHandler } from '../../api/http-errors.js';
import { pagesRoutes } from '../../api/pages.routes.js';
import { SUPPORTED_LANGS, type Lang } from '../../conversation/languages.js';
import { createLogger } from '../../logger.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = join(ROOT, 'test-artifacts', 'screenshots');
const PHONE = { width: 360, height: 640 };

type ChatStrings = Record<keyof typeof import('../../locales/en/chat.json'), string>;
const strings = (lang: Lang) => JSON.parse(readFileSync(join(ROOT, 'locales', lang, 'chat.json'), 'utf8')) as ChatStrings;
const json = (lang: Lang, file: string) => JSON.parse(readFileSync(join(ROOT, 'locales', lang, `${file}.json`), 'utf8')) as Record<string, unknown>;
/** Nested strings as flat keys: { menu: { report } } → 'menu.report'. */
function flat(o: Record<string, unknown>, prefix = ''): Record<string, string> {
  return Object.fromEntries(Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [[prefix + k, v]] : Object.entries(flat(v as Record<string, unknown>, `${prefix}${k}.`)))));
}
/** The bot's strings (translation.json "bot") and the report dialog's (report.json), flat. */
const lookup = (table: Record<string, string>) => (key: string): string => {
  const v = table[key];
  if (v === undefined) throw new Error(`no string ${key}`);
  return v;
};
const bot = (lang: Lang) => lookup(flat(json(lang, 'translation').bot as Record<string, unknown>));
const report = (lang: Lang) => lookup(flat(json(lang, 'report')));
const languageName = (lang: Lang) => (JSON.parse(readFileSync(join(ROOT, 'locales', lang, 'translation.json'), 'utf8')) as { language: { name: string } }).language.name;
const card = (id: string) => JSON.parse(readFileSync(join(ROOT, 'knowledge', 'cards', 'data', `${id}.json`), 'utf8')) as { text: Record<Lang, { title: string; body: string }> };

let app: TestApp;
let chat: { server: Server; base: string };
let router: ReturnType<typeof directLineRoutes>;
let base: string;

beforeAll(async () => {
  app = await startTestApp();
  router = directLineRoutes({ botEndpoint: `${app.base}/api/messages` });
  // As buildApp composes it: JSON body limit, the routers, one error boundary.
  const web = express();
  web.use(express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] }));
  web.use(pagesRoutes());
  const { search, taxonomy, places } = app.deps.directory;
  web.use(directoryRoutes({ search, taxonomy, places, isReady: () => true })); // the pictograms of hero cards
  web.use(chatPageRoutes());
  web.use(router);
  web.use(errorHandler(createLogger('silent')));
  const server = web.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  chat = { server, base };
});

afterAll(async () => {
  router?.directLine.close();
  await new Promise<void>((r) => (chat ? chat.server.close(() => r()) : r()));
  await app?.stop();
});

describe('chat page routes over HTTP', () => {
  it('serves /chat in the asked language, right-to-left in Arabic, under a self-only CSP', async () => {
    const fr = await fetch(`${base}/chat?lang=fr`);
    expect(fr.status).toBe(200);
    const csp = fr.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    const html = await fr.text();
    expect(html).toContain('<html lang="fr" dir="ltr">');
    expect(html).toContain(`<h1 id="title">${strings('fr').title.replace(/'/g, '&#39;')}</h1>`);
    expect(html).not.toMatch(/\{\{\w+\}\}/);
    expect(html).not.toMatch(/<script>|<style>| style="/);
    expect(await (await fetch(`${base}/chat?lang=ar`)).text()).toContain('<html lang="ar" dir="rtl">');
    expect(await (await fetch(`${base}/chat`, { headers: { 'accept-language': 'tr-TR,tr;q=0.9' } })).text()).toContain('<html lang="tr" dir="ltr">');
    const js = await fetch(`${base}/static/chat.js`);
    expect(js.status).toBe(200);
    expect(await js.text()).toContain('/v3/directline');
  });

  it('serves the chat strings of all 12 languages and says the page talks to the local Direct Line', async () => {
    const en = strings('en');
    for (const lang of SUPPORTED_LANGS) {
      const body = (await (await fetch(`${base}/api/chat-strings?lang=${lang}`)).json()) as { dir: string; strings: Record<string, string>; languages: Array<{ code: string; name: string }> };
      expect(body.dir).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      expect(Object.keys(body.strings).sort()).toEqual(Object.keys(en).sort());
      expect(body.strings).toEqual(strings(lang));
      expect(body.languages.map((l) => l.code)).toEqual([...SUPPORTED_LANGS]);
      expect(body.languages.find((l) => l.code === lang)!.name).toBe(languageName(lang));
    }
    expect((await fetch(`${base}/api/chat-strings?lang=xx`)).status).toBe(400);
    expect(await (await fetch(`${base}/api/chat-config`)).json()).toMatchObject({ directLine: 'local', tokenUrl: '/v3/directline/tokens/generate' });
  });
});

describe('chat page in Chromium', () => {
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: the browser tests need Debian's Chromium (sudo apt-get install chromium)`);
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** A phone-sized page that records script errors, failed requests and CSP violations. */
  async function open(path: string, context: BrowserContextOptions = {}): Promise<Page> {
    const ctx = await browser.newContext({ viewport: PHONE, ...context });
    const p = await ctx.newPage();
    p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    p.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    p.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
    await p.goto(`${base}${path}`);
    await p.waitForSelector('#input:not([disabled])');
    return p;
  }

  const botCount = (p: Page) => p.locator('#messages > li.message.bot').count();
  /** Waits for the n-th bot message (1-based) and returns its text. */
  async function nthBotMessage(p: Page, n: number, timeout = 30_000): Promise<string> {
    await p.waitForFunction((count) => document.querySelectorAll('#messages > li.message.bot').length >= count, n, { timeout });
    return (await p.locator('#messages > li.message.bot').nth(n - 1).innerText()).trim();
  }
  /**
   * Waits for a bot message after the first `after` ones containing the text (the bot may send other messages
   * around it) and returns what it shows.
   */
  async function botMessageContaining(p: Page, text: string, after = 0, timeout = 30_000): Promise<string> {
    const handle = await p.waitForFunction(({ t, n }) => [...document.querySelectorAll('#messages > li.message.bot')].slice(n)
      .find((li) => li.textContent?.includes(t)), { t: text, n: after }, { timeout });
    return ((await handle.evaluate((li) => (li as HTMLElement).innerText)) ?? '').trim();
  }
  /** Does something (a click, Enter) and waits for the bot's reply containing `expected`. */
  async function replyTo(p: Page, action: () => Promise<unknown>, expected: string): Promise<string> {
    const n = await botCount(p);
    await action();
    return botMessageContaining(p, expected, n);
  }
  const suggestions = (p: Page) => p.locator('#suggestions button').allTextContents();
  const posted = (p: Page) => p.waitForRequest((r: Request) => r.method() === 'POST' && /\/v3\/directline\/conversations\/[^/]+\/activities$/.test(r.url()));
  const conversationId = (p: Page) => p.getAttribute('#messages', 'data-conversation');
  const box = async (p: Page, selector: string) => (await p.locator(selector).last().boundingBox())!;

  /** Nothing wider than the phone; every suggested action inside the screen (many of them wrap onto more rows). */
  async function fitsThePhone(p: Page) {
    const widths = await p.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
    expect(widths.doc).toBeLessThanOrEqual(widths.view);
    for (const b of await p.locator('#suggestions button').all()) {
      const at = (await b.boundingBox())!;
      expect(at.x).toBeGreaterThanOrEqual(0);
      expect(at.x + at.width).toBeLessThanOrEqual(PHONE.width);
    }
    // At least the first row of choices is fully shown (the box scrolls past a few rows, it never squeezes them).
    const first = p.locator('#suggestions button').first();
    if (await first.count()) {
      const row = (await first.boundingBox())!;
      const area = await box(p, '#suggestions');
      expect(row.y).toBeGreaterThanOrEqual(area.y);
      expect(row.y + row.height).toBeLessThanOrEqual(area.y + area.height);
    }
    // The message box stays on screen.
    const input = await box(p, '#input');
    expect(input.y + input.height).toBeLessThanOrEqual(PHONE.height);
  }

  /** The hero cards of the last bot message: title, alt text, and a pictogram that really loaded. */
  async function heroCards(p: Page) {
    const heroes = p.locator('#messages > li.message.bot').last().locator('.hero');
    await heroes.first().waitFor();
    const out: Array<{ title: string; alt: string | null; src: string | null }> = [];
    for (const hero of await heroes.all()) {
      const img = hero.locator('img');
      await p.waitForFunction((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0, await img.elementHandle(), { timeout: 10_000 });
      out.push({ title: (await hero.locator('.hero-title').textContent()) ?? '', alt: await img.getAttribute('alt'), src: await img.getAttribute('src') });
    }
    return out;
  }

  /** Presses Tab (or Shift+Tab) until the focused element matches, and returns how many presses it took. */
  async function tabTo(p: Page, test: (el: { id: string; text: string; tag: string }) => boolean, back = false, max = 25): Promise<number> {
    for (let i = 1; i <= max; i++) {
      await p.keyboard.press(back ? 'Shift+Tab' : 'Tab');
      const el = await p.evaluate(() => {
        const a = document.activeElement as HTMLElement;
        return { id: a.id, text: (a.textContent ?? '').trim(), tag: a.tagName };
      });
      if (test(el)) return i;
    }
    throw new Error('focus never reached the element');
  }
  const focusedOutline = (p: Page) => p.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);

  it('French on a phone, keyboard only: the language from the welcome buttons, a question answered with its card, services and follow-ups', async () => {
    const fr = strings('fr');
    const t = bot('fr');
    const p = await open('/chat?lang=fr');
    expect(await p.getAttribute('html', 'lang')).toBe('fr');
    expect(await p.getAttribute('html', 'dir')).toBe('ltr');
    expect(await botMessageContaining(p, t('welcome'))).toContain(t('choose_language'));
    expect(await p.getAttribute('#messages', 'aria-live')).toBe('polite');
    expect(await p.inputValue('#lang')).toBe('fr');
    expect(await p.locator('#lang option').allTextContents()).toEqual(SUPPORTED_LANGS.map(languageName));
    // The 12 languages, each in its own name, as buttons that wrap on the small screen.
    expect(await suggestions(p)).toEqual(SUPPORTED_LANGS.map(languageName));
    await fitsThePhone(p);
    await p.screenshot({ path: join(SHOTS, 'chat-welcome-fr.png') });

    // The skip link is the first stop and leads to the message box.
    await p.keyboard.press('Tab');
    expect(await p.evaluate(() => document.activeElement?.id)).toBe('skip');
    expect(await focusedOutline(p)).not.toBe('none');
    await p.keyboard.press('Enter');
    await p.waitForFunction(() => document.activeElement?.id === 'input');

    // From the message box, Shift+Tab reaches the suggested actions; Enter sends the button's value.
    await tabTo(p, (el) => el.tag === 'BUTTON' && el.text === languageName('fr'), true);
    expect(await focusedOutline(p)).not.toBe('none');
    const chosen = posted(p);
    const menu = await replyTo(p, () => p.keyboard.press('Enter'), t('language_set'));
    expect(((await chosen).postDataJSON() as { text: string }).text).toBe(languageName('fr'));
    expect(menu).toContain(t('menu_intro'));
    expect(await suggestions(p)).toEqual([t('menu.place_tonight'), t('menu.report'), t('menu.complaint'), t('menu.person')]);
    // After a button the focus is back in the message box, ready to type.
    expect(await p.evaluate(() => document.activeElement?.id)).toBe('input');

    const question = 'je cherche une douche près de la gare du Midi';
    await p.keyboard.type(question);
    const sent = posted(p);
    const n = await botCount(p);
    await p.keyboard.press('Enter');
    const body = (await sent).postDataJSON() as { type: string; text: string; locale: string; from: { id: string } };
    expect(body).toMatchObject({ type: 'message', text: question, locale: 'fr-BE' });
    expect(body.from.id).toMatch(/^dl_/);
    expect(await p.inputValue('#input')).toBe('');
    expect(await p.locator('#messages > li.message.user .text').last().textContent()).toBe(question);
    await botMessageContaining(p, card('shower-wash').text.fr.body, n);
    // The person's messages are shown once each, though Direct Line also returns them in the activity stream.
    expect(await p.locator('#messages > li.message.user .text').allTextContents()).toEqual([languageName('fr'), question]);
    // A reading order for screen readers: who speaks, then what is said.
    expect(await p.locator('#messages > li.message.bot .who').last().textContent()).toBe(fr.bot);

    // The bot's own hero cards: the knowledge card first, then services, each with its pictogram.
    const heroes = await heroCards(p);
    expect(heroes.length).toBeGreaterThanOrEqual(2);
    expect(heroes[0]!.title).toBe(card('shower-wash').text.fr.title);
    for (const h of heroes) {
      expect(h.src).toMatch(new RegExp(`^${base}/pictograms/[a-z-]+\\.svg$`));
      expect(h.alt).toBe(h.title);
    }
    expect(await suggestions(p)).toEqual([t('followups.open_now'), t('menu.person')]);

    // Phone layout: nothing wider than the screen, own messages on the inline end (right), the bot's on the start.
    await fitsThePhone(p);
    const mine = await box(p, '#messages > li.message.user .bubble');
    const theirs = await box(p, '#messages > li.message.bot .bubble');
    expect(mine.x + mine.width).toBeGreaterThan(PHONE.width - 40);
    expect(theirs.x).toBeLessThan(40);
    // A long answer is shown from its start, so it is read from the top.
    const top = await p.locator('#messages > li.message.bot').last().boundingBox();
    const log = await box(p, '#log');
    expect(top!.y).toBeGreaterThanOrEqual(log.y - 1);
    await p.screenshot({ path: join(SHOTS, 'chat-question-fr.png') });

    // The follow-up button, by keyboard again.
    await p.focus('#input');
    await tabTo(p, (el) => el.tag === 'BUTTON' && el.text === t('followups.open_now'), true);
    const followUp = posted(p);
    const before = await botCount(p);
    await p.keyboard.press('Enter');
    expect(((await followUp).postDataJSON() as { text: string }).text).toBe(t('followups.open_now'));
    expect(await p.locator('#messages > li.message.user .text').last().textContent()).toBe(t('followups.open_now'));
    expect(await p.isHidden('#suggestions')).toBe(true);
    await nthBotMessage(p, before + 1);
    await p.context().close();
  });

  it('Arabic from the language picker: right-to-left, mirrored, Arabic strings, an Arabic question answered with its cards', async () => {
    const ar = strings('ar');
    const t = bot('ar');
    const p = await open('/chat?lang=fr');
    await nthBotMessage(p, 1);
    await p.selectOption('#lang', 'ar');
    await p.waitForFunction(() => document.documentElement.dir === 'rtl');
    expect(await p.getAttribute('html', 'lang')).toBe('ar');
    expect(await p.textContent('h1')).toBe(ar.title);
    expect(await p.textContent('#send')).toBe(ar.send);
    expect(await p.textContent('label[for="input"]')).toBe(ar.input_label);
    expect(p.url()).toMatch(/lang=ar/);
    expect(await p.locator('#messages > li.message.bot .who').first().textContent()).toBe(ar.bot);
    // The welcome's language buttons start on the right, and still fit the screen.
    const firstChoice = (await p.locator('#suggestions button').first().boundingBox())!;
    expect(firstChoice.x + firstChoice.width).toBeGreaterThan(PHONE.width - 40);
    await fitsThePhone(p);

    const question = 'أين يمكنني أن أستحم وأغتسل؟';
    await p.fill('#input', question);
    const sent = posted(p);
    const n = await botCount(p);
    await p.click('#send');
    expect(((await sent).postDataJSON() as { locale: string }).locale).toBe('ar');
    await botMessageContaining(p, card('shower-wash').text.ar.body, n);
    const heroes = await heroCards(p);
    expect(heroes[0]!.title).toBe(card('shower-wash').text.ar.title);
    expect(await suggestions(p)).toEqual([t('followups.open_now'), t('menu.person')]);

    // Mirrored: own messages on the left, the bot's on the right, the send button on the left of the box, the
    // pictogram of a card on its right.
    const mine = await box(p, '#messages > li.message.user .bubble');
    const theirs = await box(p, '#messages > li.message.bot .bubble');
    expect(mine.x).toBeLessThan(40);
    expect(theirs.x + theirs.width).toBeGreaterThan(PHONE.width - 40);
    const input = await box(p, '#input');
    const send = await box(p, '#send');
    expect(send.x).toBeLessThan(input.x);
    const hero = (await p.locator('#messages .hero').first().boundingBox())!;
    const heroImg = (await p.locator('#messages .hero img').first().boundingBox())!;
    expect(heroImg.x + heroImg.width).toBeGreaterThan(hero.x + hero.width - 30);
    await fitsThePhone(p);
    await p.locator('#messages > li.message.bot').last().scrollIntoViewIfNeeded();
    await p.screenshot({ path: join(SHOTS, 'chat-question-ar.png') });
    await p.context().close();
  });

  it('keeps what the bot sends as text: HTML in a card is not markup, line breaks stay, unsafe image links are dropped', async () => {
    const p = await open('/chat?lang=fr');
    await nthBotMessage(p, 1);
    const res = await fetch(`${base}/v3/conversations/${await conversationId(p)}/activities`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message', locale: 'fr', text: 'Voici un lieu.\nChoisissez une réponse.',
        attachments: [
          { contentType: 'application/vnd.microsoft.card.hero', content: { title: '<i>Douches</i>', text: '<b>pas du HTML</b><img src=x onerror=alert(1)>', images: [{ url: '/pictograms/shower-hygiene.svg', alt: 'Douches' }] } },
          { contentType: 'application/vnd.microsoft.card.hero', content: { title: 'Lien', images: [{ url: 'javascript:alert(1)', alt: 'x' }] } },
        ],
        suggestedActions: { actions: [{ type: 'imBack', title: '<u>Oui</u>', value: 'Oui' }], to: [] },
      }),
    });
    expect(res.status).toBe(200);
    await p.waitForSelector('#messages .hero');
    const heroes = p.locator('#messages .hero');
    expect(await heroes.first().locator('.hero-title').textContent()).toBe('<i>Douches</i>');
    expect(await heroes.first().locator('.hero-text').textContent()).toBe('<b>pas du HTML</b><img src=x onerror=alert(1)>');
    expect(await p.locator('#messages b, #messages i, #messages u').count()).toBe(0);
    expect(await heroes.first().locator('img').count()).toBe(1);
    expect(await heroes.nth(1).locator('img').count()).toBe(0);
    expect(await p.locator('#messages > li.message.bot .text').last().innerText()).toBe('Voici un lieu.\nChoisissez une réponse.');
    expect(await suggestions(p)).toEqual(['<u>Oui</u>']);
    await p.context().close();
  });

  it('shares the location as a GeoCoordinates entity, and says so when it is refused', async () => {
    const fr = strings('fr');
    const p = await open('/chat?lang=fr', { geolocation: { latitude: 50.835563, longitude: 4.335834 }, permissions: ['geolocation'] });
    await nthBotMessage(p, 1);
    await p.focus('#location');
    const sent = posted(p);
    await p.keyboard.press('Enter');
    const body = (await sent).postDataJSON() as { text: string; entities: unknown[] };
    expect(body.entities).toEqual([{ type: 'GeoCoordinates', latitude: 50.83556, longitude: 4.33583 }]);
    expect(body.text).toBe('50.83556, 4.33583');
    expect(await p.locator('#messages > li.message.user .text').last().textContent()).toContain(fr.location_shared);
    await p.context().close();

    const denied = await open('/chat?lang=fr');
    await nthBotMessage(denied, 1);
    await denied.click('#location');
    await denied.waitForFunction((text) => document.getElementById('status')?.textContent === text, fr.location_denied);
    expect(await denied.locator('#messages > li.message.user').count()).toBe(0);
    await denied.context().close();
  });

  it('keeps text contrast at 4.5:1 or more and labels every control, on a real answer with cards and buttons', async () => {
    const p = await open('/chat?lang=fr');
    await nthBotMessage(p, 1);
    await p.fill('#input', 'où prendre une douche');
    await replyTo(p, () => p.press('#input', 'Enter'), card('shower-wash').text.fr.body);
    await heroCards(p);
    await p.waitForSelector('#suggestions button');
    const report = await p.evaluate(() => {
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
      const low: string[] = [];
      let checked = 0;
      for (const el of document.querySelectorAll('h1, h2, h3, p, label, a, button, li, span, select')) {
        if (!(el as HTMLElement).offsetParent || !el.textContent?.trim() || el.closest('.visually-hidden')) continue;
        checked++;
        const fg = lum(rgb(getComputedStyle(el).color));
        const bg = lum(background(el));
        const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
        if (ratio < 4.5) low.push(`${el.tagName}.${el.className} ${ratio.toFixed(2)}`);
      }
      const unlabeled = [...document.querySelectorAll('input, select, button')].filter((el) => {
        if (el instanceof HTMLButtonElement) return !el.textContent?.trim();
        return !(el as HTMLInputElement).labels?.length || !(el as HTMLInputElement).labels![0]!.textContent?.trim();
      }).map((el) => el.id);
      const heroes = document.querySelectorAll('#messages .hero-title, #messages .hero-subtitle').length;
      return { low, unlabeled, checked: checked > 20, heroes: heroes > 0 };
    });
    expect(report).toEqual({ low: [], unlabeled: [], checked: true, heroes: true });
    expect(await p.locator('h1').count()).toBe(1);
    await p.context().close();
  });

  /**
   * THE FULL REPORT CONVERSATION through the page, as a citizen would do it: the language from the welcome buttons,
   * the report from the menu button, then each question (typing when there are no buttons, tapping the sensible
   * button otherwise), until the reference; then the report is in the database as answered.
   */
  describe.each([
    {
      lang: 'fr' as const,
      where: 'Devant la gare du Midi, rue de France',
      description: 'Un homme, environ 50 ans, veste rouge, un sac de sport',
    },
    {
      lang: 'ar' as const,
      where: 'أمام محطة بروكسل الجنوبية، شارع فرنسا',
      description: 'رجل، حوالي 50 سنة، سترة حمراء، حقيبة رياضية',
    },
  ])('full report conversation in $lang', ({ lang, where, description }) => {
    it('language and report from the buttons, every question answered, a reference, and the report in the database', async () => {
      const t = bot(lang);
      const r = report(lang);
      const reporter = strings(lang);
      // Arabic starts on the French page: choosing Arabic in the bot's buttons turns the page right-to-left too.
      const p = await open('/chat?lang=fr');
      await botMessageContaining(p, bot('fr')('welcome'));
      await replyTo(p, () => p.click(button(languageName(lang))), t('language_set'));
      await p.waitForFunction((l) => document.documentElement.lang === l, lang);
      expect(await p.getAttribute('html', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      expect(await p.textContent('#send')).toBe(reporter.send);

      // Where: free text, no buttons.
      await replyTo(p, () => p.click(button(t('menu.report'))), r('intro_where'));
      expect(await p.isHidden('#suggestions')).toBe(true);
      // When: the three choices; "now".
      await replyTo(p, () => typeAndSend(p, where), r('when'));
      expect(await suggestions(p)).toEqual([r('choice.now'), r('choice.earlier_today'), r('choice.last_night')]);
      // What the person looks like: free text.
      await replyTo(p, () => p.click(button(r('choice.now'))), r('describe'));
      expect(await p.isHidden('#suggestions')).toBe(true);
      // How the person seems: "sleeping".
      await replyTo(p, () => typeAndSend(p, description), r('condition'));
      expect(await suggestions(p)).toEqual(['sleeping', 'injured', 'not_moving', 'minor_alone', 'ok'].map((c) => r(`choice.${c}`)));
      // Did they ask for help: "no".
      await replyTo(p, () => p.click(button(r('choice.sleeping'))), r('asked_help'));
      expect(await suggestions(p)).toEqual([r('choice.help_yes'), r('choice.help_no'), r('choice.dont_know')]);
      // A contact: "no thanks".
      await replyTo(p, () => p.click(button(r('choice.help_no'))), r('contact'));
      expect(await suggestions(p)).toEqual([r('choice.no_thanks')]);
      // The summary names what was answered, then consent: "yes".
      const closing = r('summary').split(/\{\{\w+\}\}/).map((s) => s.trim()).filter(Boolean).at(-1)!;
      const summary = await replyTo(p, () => p.click(button(r('choice.no_thanks'))), closing);
      expect(summary).toContain(r('choice.now'));
      expect(summary).toContain(r('choice.sleeping'));
      expect(summary).toContain(where.slice(0, 15));
      expect(await suggestions(p)).toEqual([r('choice.consent_yes'), r('choice.consent_no')]);
      await replyTo(p, () => p.click(button(r('choice.consent_yes'))), t('anything_else'));
      expect(await suggestions(p)).toEqual([t('menu.place_tonight'), t('menu.report'), t('menu.complaint'), t('menu.person')]);

      const texts = (await p.locator('#messages > li.message.bot .text').allTextContents()).slice(-3).join('\n');
      const ref = texts.match(/R-[0-9A-HJKMNP-TV-Z]{6}/)?.[0];
      expect(ref, texts).toBeDefined();
      expect(texts).toContain(r('saved').replace('{{reference}}', ref!));
      expect(texts).toContain(r('route.outreach'));
      // Every question and answer is on screen in order, one user bubble per answer.
      expect(await p.locator('#messages > li.message.user .text').allTextContents()).toEqual([
        languageName(lang), t('menu.report'), where, r('choice.now'), description, r('choice.sleeping'), r('choice.help_no'),
        r('choice.no_thanks'), r('choice.consent_yes'),
      ]);
      await fitsThePhone(p);
      await p.screenshot({ path: join(SHOTS, `chat-report-${lang}.png`) });
      await p.context().close();

      // The report is stored as answered, under that reference, from this conversation.
      const stored = await app.deps.reports.getByReference(ref!);
      expect(stored).toMatchObject({
        reference: ref, lang, channel: 'directline', description, conditions: ['sleeping'], askedForHelp: 'no',
        consent: true, contact: null, route: 'outreach',
      });
      expect(stored!.where.text).toBe(where);
      expect(stored!.when.kind).toBe('now');
      expect(stored!.conversationId).toBeTruthy();
    }, 60_000);
  });

  it('loads without script errors, failed requests or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});

/** A suggested action by its exact title. */
function button(title: string): string {
  return `#suggestions button:text-is(${JSON.stringify(title)})`;
}

async function typeAndSend(p: Page, text: string): Promise<void> {
  await p.fill('#input', text);
  await p.press('#input', 'Enter');
}
