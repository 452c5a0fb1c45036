/**
 * The local Direct Line 3.0 emulation over real HTTP against the real app: the bot is the app's /api/messages
 * (startTestApp), the emulation is mounted on a second express server as buildApp would mount it (JSON parser, the
 * router, the error handler), and the bot's replies come back through the emulation's Bot Connector endpoints.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatPageRoutes } from '../../api/chat-page.routes.js';
import { directLineRoutes } from '../../api/directline.routes.js';
import { errorHandler } from '../../api/http-errors.js';
import { SUPPORTED_LANGS, type Lang } from '../../conversation/languages.js';
import { DirectLineError, LocalDirectLine, type DlActivity } from '../../directline/local-direct-line.js';
import { createLogger } from '../../logger.js';
import { buildApp } from '../../server.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { testConfig } from '../helpers/kb.js';

const ROOT = join(import.meta.dirname, '..', '..');
interface BotStrings { welcome: string; choose_language: string; language_set: string; menu_intro: string; menu: Record<'place_tonight' | 'report' | 'complaint' | 'person', string>; followups: { open_now: string } }
const translation = (lang: Lang) => JSON.parse(readFileSync(join(ROOT, 'locales', lang, 'translation.json'), 'utf8')) as { bot: BotStrings; language: { name: string } };
const bot = (lang: Lang) => translation(lang).bot;
const chat = (lang: Lang) => JSON.parse(readFileSync(join(ROOT, 'locales', lang, 'chat.json'), 'utf8')) as Record<'dl_forbidden' | 'dl_too_long' | 'dl_too_large' | 'dl_bot_error', string>;
const card = (id: string) => JSON.parse(readFileSync(join(ROOT, 'knowledge', 'cards', 'data', `${id}.json`), 'utf8')) as { text: Record<Lang, { title: string; body: string }> };

interface Listening { server: Server; base: string }

async function listen(app: express.Express): Promise<Listening> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const close = (l?: Listening) => new Promise<void>((r) => (l ? l.server.close(() => r()) : r()));

/** An express app as buildApp composes one: JSON body limit, the routers, the one error boundary. */
function appWith(...routers: express.Router[]): express.Express {
  const app = express();
  app.use(express.json({ limit: '64kb', type: ['application/json', 'application/*+json'] }));
  for (const r of routers) app.use(r);
  app.use(errorHandler(createLogger('silent')));
  return app;
}

interface ErrorBody { error: { code: string; message: string } }
interface Conv { conversationId: string; token: string; expires_in: number }

let app: TestApp;
let dl: Listening;
let router: ReturnType<typeof directLineRoutes>;

beforeAll(async () => {
  app = await startTestApp();
  router = directLineRoutes({ botEndpoint: `${app.base}/api/messages` });
  dl = await listen(appWith(router));
});

afterAll(async () => {
  router?.directLine.close();
  await close(dl);
  await app?.stop();
});

const post = (url: string, body: unknown, token?: string, headers: Record<string, string> = {}) => fetch(url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  body: JSON.stringify(body),
});
const get = (url: string, token?: string) => fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });

/** Starts a conversation as the page does: a token, then the conversation with that token. */
async function startConversation(base: string, locale: string, user = `dl_test${Math.random().toString(36).slice(2, 8)}`): Promise<Conv & { user: string }> {
  const gen = await post(`${base}/v3/directline/tokens/generate`, { user: { id: user }, locale });
  expect(gen.status).toBe(200);
  const issued = (await gen.json()) as Conv;
  const res = await post(`${base}/v3/directline/conversations`, { locale }, issued.token);
  expect(res.status).toBe(201);
  const conv = (await res.json()) as Conv;
  expect(conv.conversationId).toBe(issued.conversationId);
  return { ...conv, user };
}

/** Polls like the page until `done` finds what it waits for. */
async function pollUntil(base: string, conv: Conv, done: (all: DlActivity[]) => boolean, ms = 30_000): Promise<{ all: DlActivity[]; watermark: string }> {
  const all: DlActivity[] = [];
  let watermark = '';
  const end = Date.now() + ms;
  for (;;) {
    const res = await get(`${base}/v3/directline/conversations/${conv.conversationId}/activities${watermark ? `?watermark=${watermark}` : ''}`, conv.token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { activities: DlActivity[]; watermark: string };
    all.push(...body.activities);
    watermark = body.watermark;
    if (done(all)) return { all, watermark };
    if (Date.now() > end) throw new Error(`timed out; activities: ${JSON.stringify(all.map((a) => a.type))}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const botMessages = (all: DlActivity[]) => all.filter((a) => a.type === 'message' && a.from?.role === 'bot');

describe('local Direct Line with the real bot', () => {
  it('starts a conversation with a token and shows the bot welcome in the conversation language', async () => {
    const conv = await startConversation(dl.base, 'fr-BE');
    expect(conv.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(conv.expires_in).toBeGreaterThan(0);
    const { all } = await pollUntil(dl.base, conv, (a) => botMessages(a).length > 0);
    const welcome = botMessages(all)[0]!;
    expect(welcome.text).toContain(bot('fr').welcome);
    expect(welcome.inputHint).toBe('expectingInput');
    expect(welcome.speak).toContain('xml:lang="fr"');
    expect(welcome.conversation?.id).toBe(conv.conversationId);
    expect(welcome.id).toMatch(new RegExp(`^${conv.conversationId}\\|\\d{7}$`));
    // The language choice comes as suggested actions: each language in its own name, sent back as typed text.
    const actions = (welcome.suggestedActions as { actions: Array<{ type: string; title: string; value: string }> }).actions;
    expect(actions.map((a) => a.title)).toEqual(SUPPORTED_LANGS.map((l) => translation(l).language.name));
    expect(actions.every((a) => a.type === 'imBack' && a.value === a.title)).toBe(true);
    // Starting again answers the same conversation and does not welcome twice.
    const again = await post(`${dl.base}/v3/directline/conversations`, {}, conv.token);
    expect(again.status).toBe(200);
    expect(((await again.json()) as Conv).conversationId).toBe(conv.conversationId);
  });

  it('forwards a French question to the bot and returns its answer with text, speak, inputHint, hero cards and follow-ups', async () => {
    const conv = await startConversation(dl.base, 'fr-BE');
    await pollUntil(dl.base, conv, (a) => botMessages(a).length > 0);
    // Tapping "Français" in the welcome: the menu as suggested actions.
    const tapped = await post(`${dl.base}/v3/directline/conversations/${conv.conversationId}/activities`, { type: 'message', from: { id: conv.user }, locale: 'fr-BE', text: 'Français' }, conv.token);
    const tapId = ((await tapped.json()) as { id: string }).id;
    const t = bot('fr');
    const menu = (await pollUntil(dl.base, conv, (a) => a.some((x) => x.replyToId === tapId && x.type === 'message'))).all.find((x) => x.replyToId === tapId && x.type === 'message')!;
    expect(menu.text).toBe(`${t.language_set}\n${t.menu_intro}`);
    expect((menu.suggestedActions as { actions: Array<{ title: string }> }).actions.map((a) => a.title)).toEqual([t.menu.place_tonight, t.menu.report, t.menu.complaint, t.menu.person]);
    const res = await post(`${dl.base}/v3/directline/conversations/${conv.conversationId}/activities`, {
      type: 'message', from: { id: conv.user }, locale: 'fr-BE', text: 'je cherche une douche près de la gare du Midi',
      channelData: { clientActivityId: 'c-1' },
    }, conv.token);
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    expect(id).toMatch(new RegExp(`^${conv.conversationId}\\|\\d{7}$`));
    const body = card('shower-wash').text.fr.body;
    const { all, watermark } = await pollUntil(dl.base, conv, (a) => a.some((x) => x.type === 'message' && x.replyToId === id && !!x.text?.includes(body)));
    // The page sees its own message (to match it by clientActivityId), the typing indicator, then the answer.
    const mine = all.find((a) => a.id === id)!;
    expect(mine.from).toMatchObject({ id: conv.user, role: 'user' });
    expect(mine.text).toBe('je cherche une douche près de la gare du Midi');
    expect((mine.channelData as { clientActivityId: string }).clientActivityId).toBe('c-1');
    expect(all.some((a) => a.type === 'typing' && a.replyToId === id)).toBe(true);
    const answer = all.find((a) => a.type === 'message' && a.replyToId === id && a.text?.includes(body))!;
    expect(answer.locale).toBe('fr');
    expect(answer.speak).toMatch(/^<speak version="1.0" [^>]*xml:lang="fr">[\s\S]+<\/speak>$/);
    expect(answer.inputHint).toBe('expectingInput');
    expect(answer.from?.role).toBe('bot');
    expect(answer.channelId).toBe('directline');
    // The knowledge card, then services, as hero cards with their pictograms; then the follow-up choices.
    const heroes = (answer.attachments as Array<{ contentType: string; content: { title: string; images: Array<{ url: string; alt: string }> } }>);
    expect(heroes.length).toBeGreaterThanOrEqual(2);
    expect(heroes.every((h) => h.contentType === 'application/vnd.microsoft.card.hero')).toBe(true);
    expect(heroes[0]!.content.title).toBe(card('shower-wash').text.fr.title);
    for (const h of heroes) expect(h.content.images[0]).toEqual({ url: expect.stringMatching(/^\/pictograms\/[a-z-]+\.svg$/), alt: h.content.title });
    expect((answer.suggestedActions as { actions: Array<{ title: string }> }).actions.map((a) => a.title)).toEqual([t.followups.open_now, t.menu.person]);
    // After the watermark there is nothing old again.
    const after = (await (await get(`${dl.base}/v3/directline/conversations/${conv.conversationId}/activities?watermark=${watermark}`, conv.token)).json()) as { activities: DlActivity[]; watermark: string };
    expect(after.activities).toEqual([]);
    expect(after.watermark).toBe(watermark);
  });

  it('passes a shared location to the bot as a GeoCoordinates entity', async () => {
    const conv = await startConversation(dl.base, 'en');
    const entity = { type: 'GeoCoordinates', latitude: 50.83556, longitude: 4.33583 };
    const res = await post(`${dl.base}/v3/directline/conversations/${conv.conversationId}/activities`, {
      type: 'message', from: { id: conv.user }, text: '50.83556, 4.33583', entities: [entity],
    }, conv.token);
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    const { all } = await pollUntil(dl.base, conv, (a) => a.some((x) => x.type === 'message' && x.replyToId === id));
    expect(all.find((a) => a.id === id)!.entities).toEqual([entity]);
  });

  it('refuses a bad, missing or other conversation\'s token with 403, and an unknown conversation with 404', async () => {
    const a = await startConversation(dl.base, 'fr-BE');
    const b = await startConversation(dl.base, 'fr-BE');
    const url = `${dl.base}/v3/directline/conversations/${a.conversationId}/activities`;
    for (const token of ['not-a-token', b.token, undefined]) {
      const g = await get(url, token);
      expect(g.status, String(token)).toBe(403);
      expect(((await g.json()) as ErrorBody).error.code).toBe('dl_forbidden');
      const p = await post(url, { type: 'message', text: 'bonjour', locale: 'fr-BE' }, token);
      expect(p.status).toBe(403);
      const err = (await p.json()) as ErrorBody;
      expect(err.error.code).toBe('dl_forbidden');
      expect(err.error.message).toBe(chat('fr').dl_forbidden);
    }
    const none = await get(`${dl.base}/v3/directline/conversations/nope/activities`, a.token);
    expect(none.status).toBe(404);
    // The bot cannot post into a conversation that does not exist either.
    const connector = await post(`${dl.base}/v3/conversations/nope/activities`, { type: 'message', text: 'x' });
    expect(connector.status).toBe(404);
  });

  it('refuses an oversized message with 413 and a clear message, and never forwards it', async () => {
    const conv = await startConversation(dl.base, 'fr-BE');
    await pollUntil(dl.base, conv, (a) => botMessages(a).length > 0);
    const url = `${dl.base}/v3/directline/conversations/${conv.conversationId}/activities`;
    const before = (await pollUntil(dl.base, conv, () => true)).all.length;
    const tooLong = await post(url, { type: 'message', from: { id: conv.user }, locale: 'fr-BE', text: 'a'.repeat(2001) }, conv.token);
    expect(tooLong.status).toBe(413);
    const body = (await tooLong.json()) as ErrorBody;
    expect(body.error.code).toBe('dl_too_long');
    expect(body.error.message).toBe(chat('fr').dl_too_long.replace('{{max}}', '2000'));
    const tooLarge = await post(url, { type: 'message', locale: 'en', text: 'hi', channelData: { blob: 'x'.repeat(20_000) } }, conv.token);
    expect(tooLarge.status).toBe(413);
    expect(((await tooLarge.json()) as ErrorBody).error.message).toBe(chat('en').dl_too_large.replace('{{max}}', '16'));
    // Above the app's body limit the JSON parser refuses it before the emulation sees it.
    const huge = await post(url, { type: 'message', text: 'x'.repeat(70_000) }, conv.token);
    expect(huge.status).toBe(413);
    const attachment = await post(url, { type: 'message', text: 'hi', attachments: [{ contentType: 'image/png', contentUrl: 'http://x' }] }, conv.token);
    expect(attachment.status).toBe(400);
    expect(((await attachment.json()) as ErrorBody).error.code).toBe('dl_no_attachments');
    const notAnActivity = await post(url, { type: 'nonsense' }, conv.token);
    expect(notAnActivity.status).toBe(400);
    await new Promise((r) => setTimeout(r, 300));
    const { all } = await pollUntil(dl.base, conv, () => true);
    expect(all.length).toBe(before);
  });

  it('answers 502 when the bot cannot be reached, and still stores the person\'s message', async () => {
    const deadRouter = directLineRoutes({ botEndpoint: 'http://127.0.0.1:9/api/messages', botTimeoutMs: 2000 });
    const dead = await listen(appWith(deadRouter));
    try {
      const conv = await startConversation(dead.base, 'nl-BE');
      const res = await post(`${dead.base}/v3/directline/conversations/${conv.conversationId}/activities`, { type: 'message', text: 'hallo', locale: 'nl-BE' }, conv.token);
      expect(res.status).toBe(502);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.code).toBe('dl_bot_error');
      expect(body.error.message).toBe(chat('nl').dl_bot_error);
    } finally {
      deadRouter.directLine.close();
      await close(dead);
    }
  });
});

describe('mounted in the same server as the bot, with a path as botEndpoint (as server.ts would wire it)', () => {
  it('reaches the bot on its own socket and welcomes, with no port known in advance', async () => {
    const sameRouter = directLineRoutes({ botEndpoint: '/api/messages' });
    const combined = express();
    combined.use(sameRouter);
    combined.use(buildApp(testConfig(tmpdir()), app.deps));
    const one = await listen(combined);
    try {
      const conv = await startConversation(one.base, 'pl');
      const { all } = await pollUntil(one.base, conv, (a) => botMessages(a).length > 0);
      expect(botMessages(all)[0]!.text).toContain(bot('pl').welcome);
    } finally {
      sameRouter.directLine.close();
      await close(one);
    }
  });
});

describe('with a Direct Line secret, as Azure: the chat page makes tokens on the server', () => {
  const secret = 'local-test-secret-0123456789';
  let secured: Listening;
  let securedRouter: ReturnType<typeof directLineRoutes>;
  let page: Listening;

  beforeAll(async () => {
    securedRouter = directLineRoutes({ botEndpoint: `${app.base}/api/messages`, secret });
    secured = await listen(appWith(securedRouter));
    page = await listen(appWith(chatPageRoutes({ directLine: { url: `${secured.base}/`, secret } })));
  });
  afterAll(async () => {
    securedRouter?.directLine.close();
    await close(secured);
    await close(page);
  });

  it('refuses to start a conversation without the secret', async () => {
    expect((await post(`${secured.base}/v3/directline/tokens/generate`, {})).status).toBe(403);
    expect((await post(`${secured.base}/v3/directline/conversations`, {}, 'wrong')).status).toBe(403);
    expect((await post(`${secured.base}/v3/directline/conversations`, {})).status).toBe(403);
    const direct = await post(`${secured.base}/v3/directline/conversations`, { locale: 'en' }, secret);
    expect(direct.status).toBe(201);
  });

  it('gives the page the Azure base URL and a token from /api/chat-token that starts a real conversation', async () => {
    const config = (await (await get(`${page.base}/api/chat-config`)).json()) as { directLine: string; tokenUrl: string };
    expect(config).toMatchObject({ directLine: secured.base, tokenUrl: '/api/chat-token' });
    const csp = (await get(`${page.base}/api/chat-config`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' ${secured.base}`);
    const tokenRes = await post(`${page.base}${config.tokenUrl}`, {});
    expect(tokenRes.status).toBe(200);
    const issued = (await tokenRes.json()) as Conv & { user: { id: string } };
    expect(JSON.stringify(issued)).not.toContain(secret);
    expect(issued.user.id).toMatch(/^dl_/);
    const started = await post(`${config.directLine}/v3/directline/conversations`, { locale: 'ar' }, issued.token);
    expect(started.status).toBe(201);
    const conv = (await started.json()) as Conv;
    const { all } = await pollUntil(config.directLine, conv, (a) => botMessages(a).length > 0);
    expect(botMessages(all)[0]!.text).toContain(bot('ar').welcome);
    expect(all.every((a) => a.from?.id !== issued.user.id || a.from.role === 'user')).toBe(true);
  });
});

describe('bounded memory (LocalDirectLine with a clock)', () => {
  it('drops a conversation idle for an hour, evicts the least recently used, keeps at most maxActivities', () => {
    let now = 1_000_000;
    const service = new LocalDirectLine({ botEndpoint: 'http://127.0.0.1:9/api/messages', now: () => now, maxConversations: 2, maxActivities: 5, tokenSeconds: 7200 });
    try {
      const a = service.generate();
      now += 30 * 60_000;
      const b = service.generate();
      service.authorize(a.conversationId, a.token); // a is now the most recently used
      const c = service.generate();
      expect(service.size).toBe(2);
      expect(() => service.authorize(b.conversationId, b.token)).toThrow(DirectLineError);
      service.authorize(a.conversationId, a.token);
      for (let i = 0; i < 12; i++) service.fromBot(c.conversationId, { type: 'message', text: `m${i}` });
      const page = service.activities(c.conversationId, c.token, undefined);
      expect(page.activities.map((x) => x.text)).toEqual(['m7', 'm8', 'm9', 'm10', 'm11']);
      expect(page.watermark).toBe('11');
      expect(service.activities(c.conversationId, c.token, '9').activities.map((x) => x.text)).toEqual(['m10', 'm11']);
      now += 60 * 60_000 + 1;
      service.sweep();
      expect(service.size).toBe(0);
      let status = 0;
      try {
        service.authorize(c.conversationId, c.token);
      } catch (err) {
        status = (err as DirectLineError).status;
      }
      expect(status).toBe(404);
    } finally {
      service.close();
    }
  });

  it('expires tokens and refreshes them (the old token works until it expires)', () => {
    let now = 0;
    const service = new LocalDirectLine({ botEndpoint: 'http://127.0.0.1:9/', now: () => now, tokenSeconds: 60 });
    try {
      const a = service.generate();
      expect(a.expires_in).toBe(60);
      now += 30_000;
      const fresh = service.refresh(a.token);
      expect(fresh.conversationId).toBe(a.conversationId);
      expect(fresh.token).not.toBe(a.token);
      expect(fresh.expires_in).toBe(60);
      service.authorize(a.conversationId, a.token);
      now += 31_000;
      expect(() => service.authorize(a.conversationId, a.token)).toThrow(DirectLineError);
      service.authorize(a.conversationId, fresh.token);
      now += 30_000;
      expect(() => service.authorize(a.conversationId, fresh.token)).toThrow(DirectLineError);
      expect(() => service.refresh(fresh.token)).toThrow(DirectLineError);
    } finally {
      service.close();
    }
  });
});
