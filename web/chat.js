/*
 * The web chat page (plain browser JS, no build step). It speaks Direct Line 3.0: a token from the configured token
 * URL, POST /v3/directline/conversations to start, POST .../activities to send, GET .../activities?watermark= to
 * poll. /api/chat-config says where Direct Line is: 'local' (the app's own emulation, same origin) or Azure's base
 * URL (the token then comes from /api/chat-token, made with the secret on the server).
 * Everything from the bot is inserted as text, never as HTML.
 */
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const POLL_MS = 700;
  const state = {
    lang: 'en', strings: {}, languages: [], base: '', tokenUrl: '', maxChars: 2000,
    userId: '', conversationId: '', token: '', watermark: '', polling: 0, failures: 0, typingTimer: 0, refreshTimer: 0, ended: false,
    pending: new Map(), seen: new Set(), seq: 0, botLang: '',
  };

  function t(key, params) {
    const s = state.strings[key] ?? key;
    return s.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k) => String(params?.[k] ?? ''));
  }

  /** Creates an element; children are nodes or strings (as text). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== '') node.append(c);
    return node;
  }

  /** The locale the bot gets: Belgian variants where the line speaks them, the language otherwise. */
  const localeOf = (lang) => ({ nl: 'nl-BE', fr: 'fr-BE' })[lang] || lang;

  function setStatus(text, isError) {
    const s = $('status');
    s.textContent = text || '';
    s.classList.toggle('error', Boolean(isError));
  }

  async function json(url, opts = {}) {
    const headers = { accept: 'application/json', ...(opts.body ? { 'content-type': 'application/json' } : {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const res = await fetch(url, { method: opts.method || 'GET', headers, body: opts.body ? JSON.stringify(opts.body) : undefined });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw Object.assign(new Error(body?.error?.message || res.statusText), { status: res.status, code: body?.error?.code });
    return body;
  }

  // ---- language ----

  async function loadLanguage(lang) {
    const ps = await json(`/api/chat-strings?lang=${encodeURIComponent(lang)}`);
    state.lang = ps.lang;
    state.strings = ps.strings;
    state.languages = ps.languages;
    document.documentElement.lang = ps.lang;
    document.documentElement.dir = ps.dir;
    document.title = t('title');
    const texts = {
      title: 'title', emergency: 'emergency', skip: 'skip', 'lang-label': 'language', 'log-heading': 'conversation', intro: 'intro',
      typing: 'typing', 'choices-label': 'choices', 'input-label': 'input_label', send: 'send', location: 'location',
      restart: 'restart', privacy: 'privacy',
    };
    for (const [id, key] of Object.entries(texts)) $(id).textContent = t(key);
    // Who said what, for screen readers and on screen, follows the page's language.
    for (const who of document.querySelectorAll('.who')) who.textContent = t(who.dataset.role === 'user' ? 'you' : 'bot');
    const select = $('lang');
    select.replaceChildren(...state.languages.map((l) => el('option', { value: l.code, lang: l.code, selected: l.code === state.lang }, l.name)));
    const url = new URL(location.href);
    url.searchParams.set('lang', state.lang);
    history.replaceState(null, '', url);
  }

  // ---- Direct Line ----

  const dl = (path) => `${state.base}/v3/directline${path}`;

  async function connect() {
    state.ended = false;
    $('restart').hidden = true;
    setStatus(t('connecting'));
    const config = await json('/api/chat-config');
    state.base = config.directLine === 'local' ? location.origin : String(config.directLine).replace(/\/+$/, '');
    state.tokenUrl = config.tokenUrl;
    state.maxChars = config.maxChars || 2000;
    $('input').maxLength = state.maxChars;
    if (!state.userId) state.userId = `dl_${randomId()}`;
    const locale = localeOf(state.lang);
    const issued = await json(state.tokenUrl, { method: 'POST', body: { user: { id: state.userId }, locale } });
    if (issued.user?.id) state.userId = issued.user.id;
    const conv = await json(dl('/conversations'), { method: 'POST', token: issued.token, body: { locale } });
    state.conversationId = conv.conversationId;
    state.token = conv.token;
    state.watermark = '';
    state.failures = 0;
    scheduleRefresh(conv.expires_in);
    $('messages').dataset.conversation = state.conversationId;
    setStatus('');
    for (const id of ['input', 'send', 'location']) $(id).disabled = false;
    poll();
  }

  /** Direct Line tokens live about 30 minutes: a fresh one halfway keeps a long conversation going. */
  function scheduleRefresh(expiresIn) {
    clearTimeout(state.refreshTimer);
    const seconds = Number(expiresIn) > 60 ? Number(expiresIn) / 2 : 60;
    state.refreshTimer = setTimeout(async () => {
      try {
        const r = await json(dl('/tokens/refresh'), { method: 'POST', token: state.token });
        state.token = r.token;
        scheduleRefresh(r.expires_in);
      } catch {
        scheduleRefresh(120);
      }
    }, seconds * 1000);
  }

  function randomId() {
    const bytes = crypto.getRandomValues(new Uint8Array(12));
    return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  }

  function schedule(ms) {
    clearTimeout(state.polling);
    state.polling = setTimeout(poll, ms);
  }

  async function poll() {
    if (state.ended) return;
    try {
      const q = state.watermark ? `?watermark=${encodeURIComponent(state.watermark)}` : '';
      const r = await json(dl(`/conversations/${encodeURIComponent(state.conversationId)}/activities${q}`), { token: state.token });
      if (state.failures) setStatus('');
      state.failures = 0;
      state.watermark = r.watermark;
      for (const a of r.activities) receive(a);
      schedule(POLL_MS);
    } catch (err) {
      if (err.status === 403 || err.status === 404) return end(err.message);
      state.failures++;
      setStatus(t('offline'), true);
      schedule(Math.min(10_000, POLL_MS * 2 ** state.failures));
    }
  }

  function end(message) {
    state.ended = true;
    clearTimeout(state.polling);
    clearTimeout(state.refreshTimer);
    setStatus(message || t('ended'), true);
    for (const id of ['input', 'send', 'location']) $(id).disabled = true;
    $('restart').hidden = false;
  }

  /** Sends a message activity; shows it at once and marks it sent when Direct Line answers with its id. */
  async function sendActivity(activity, shown) {
    if (!state.conversationId || state.ended) return;
    const clientActivityId = `${Date.now().toString(36)}-${state.seq++}`;
    const item = addMessage('user', shown ?? activity.text ?? '');
    item.classList.add('sending');
    state.pending.set(clientActivityId, item);
    clearSuggestions();
    try {
      const body = {
        type: 'message', from: { id: state.userId, role: 'user' }, locale: localeOf(state.lang), textFormat: 'plain',
        ...activity, channelData: { ...(activity.channelData || {}), clientActivityId },
      };
      const r = await json(dl(`/conversations/${encodeURIComponent(state.conversationId)}/activities`), { method: 'POST', token: state.token, body });
      item.classList.remove('sending');
      state.pending.delete(clientActivityId);
      item.dataset.id = r.id;
      state.seen.add(r.id);
      setStatus('');
    } catch (err) {
      item.classList.remove('sending');
      item.classList.add('failed');
      if (err.status === 403 || err.status === 404) return end(err.message);
      setStatus(err.status === 413 || err.status === 400 ? err.message : t('send_failed'), true);
    }
  }

  // ---- rendering ----

  function receive(a) {
    if (!a || state.seen.has(a.id)) return;
    state.seen.add(a.id);
    const mine = a.from?.id === state.userId;
    if (mine) {
      // Our own message echoed back: already on screen (sent from this tab), otherwise shown now.
      const cid = a.channelData?.clientActivityId;
      if (cid && state.pending.has(cid)) {
        state.pending.get(cid).dataset.id = a.id;
        state.pending.delete(cid);
        return;
      }
      if (a.type === 'message') addMessage('user', a.text || '');
      return;
    }
    if (a.type === 'typing') return showTyping();
    if (a.type !== 'message') return;
    hideTyping();
    followBotLanguage(a.locale);
    const item = addMessage('bot', a.text || '', a);
    renderSuggestions(a.suggestedActions?.actions || []);
    reveal(item);
  }

  /** Shows a new message: a long one (an answer with its sources and cards) from its start, so it reads from the top. */
  function reveal(item) {
    item.scrollIntoView({ block: item.offsetHeight > $('log').clientHeight ? 'start' : 'nearest' });
  }

  /**
   * When the bot changes language (the person tapped a language button or wrote in another language), the page
   * follows: its labels, direction and the locale it sends. A bot reply in the same language as the last one leaves
   * a language picked in the page's own menu alone.
   */
  function followBotLanguage(locale) {
    const lang = String(locale || '').slice(0, 2).toLowerCase();
    if (!state.languages.some((l) => l.code === lang)) return;
    const changed = state.botLang && state.botLang !== lang;
    state.botLang = lang;
    if (changed && lang !== state.lang) loadLanguage(lang).catch(() => undefined);
  }

  function addMessage(role, text, activity) {
    const body = el('div', { class: 'bubble' });
    if (text) body.append(el('p', { class: 'text', text }));
    if (activity?.locale) body.lang = String(activity.locale).slice(0, 2);
    for (const att of activity?.attachments || []) {
      const card = heroCard(att);
      if (card) body.append(card);
    }
    const item = el('li', { class: `message ${role}`, 'data-role': role },
      el('span', { class: 'who visually-hidden', 'data-role': role, text: t(role === 'user' ? 'you' : 'bot') }), body);
    if (activity?.attachmentLayout === 'carousel') body.classList.add('carousel');
    $('messages').append(item);
    reveal(item);
    return item;
  }

  /** Only links the page can safely follow or load: same origin paths and http(s). */
  function safeUrl(url) {
    try {
      const u = new URL(String(url), location.href);
      return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
    } catch {
      return undefined;
    }
  }

  function heroCard(att) {
    if (att?.contentType !== 'application/vnd.microsoft.card.hero' && att?.contentType !== 'application/vnd.microsoft.card.thumbnail') return null;
    const c = att.content || {};
    const card = el('article', { class: 'hero' });
    const img = c.images?.[0];
    const src = img && safeUrl(img.url);
    if (src) card.append(el('img', { src, alt: img.alt || '', width: 48, height: 48 }));
    const body = el('div', { class: 'hero-body' },
      c.title ? el('h3', { class: 'hero-title', text: c.title }) : null,
      c.subtitle ? el('p', { class: 'hero-subtitle', text: c.subtitle }) : null,
      c.text ? el('p', { class: 'hero-text', text: c.text }) : null);
    card.append(body);
    const buttons = (c.buttons || []).map(actionButton).filter(Boolean);
    if (buttons.length) body.append(el('div', { class: 'hero-buttons' }, buttons));
    return card;
  }

  /** A button (or link) for a card action: imBack sends its value as the message; postBack and messageBack their value. */
  function actionButton(action) {
    if (!action || !action.title) return null;
    if (action.type === 'openUrl') {
      const href = safeUrl(action.value);
      return href ? el('a', { class: 'button secondary', href, target: '_blank', rel: 'noopener noreferrer', text: action.title }) : null;
    }
    const b = el('button', { type: 'button', class: 'choice', text: action.title });
    b.addEventListener('click', () => {
      const value = action.value;
      if (action.type === 'postBack') void sendActivity({ text: typeof value === 'string' ? value : undefined, value }, action.title);
      else if (action.type === 'messageBack') void sendActivity({ text: action.text, value }, action.displayText || action.text || action.title);
      else void sendActivity({ text: typeof value === 'string' ? value : action.title });
      $('input').focus();
    });
    return b;
  }

  function renderSuggestions(actions) {
    const box = $('suggestions');
    const buttons = actions.map(actionButton).filter(Boolean);
    box.replaceChildren($('choices-label'), ...buttons);
    box.hidden = buttons.length === 0;
  }

  function clearSuggestions() {
    renderSuggestions([]);
  }

  function showTyping() {
    $('typing').hidden = false;
    clearTimeout(state.typingTimer);
    state.typingTimer = setTimeout(hideTyping, 8000);
  }

  function hideTyping() {
    clearTimeout(state.typingTimer);
    $('typing').hidden = true;
  }

  // ---- location ----

  function shareLocation() {
    if (!('geolocation' in navigator) || !window.isSecureContext) return setStatus(t('location_unavailable'), true);
    setStatus(t('location_locating'));
    $('location').disabled = true;
    navigator.geolocation.getCurrentPosition((pos) => {
      $('location').disabled = false;
      setStatus('');
      const latitude = Number(pos.coords.latitude.toFixed(5));
      const longitude = Number(pos.coords.longitude.toFixed(5));
      // The text carries the coordinates too, for a bot step that reads text only; the entity is the structured form.
      void sendActivity({ text: `${latitude}, ${longitude}`, entities: [{ type: 'GeoCoordinates', latitude, longitude }] }, `📍 ${t('location_shared')}`);
    }, (err) => {
      $('location').disabled = false;
      setStatus(t(err.code === 1 ? 'location_denied' : 'location_unavailable'), true);
    }, { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 });
  }

  // ---- wiring ----

  function init() {
    $('composer').addEventListener('submit', (e) => {
      e.preventDefault();
      const input = $('input');
      const text = input.value.trim();
      if (!text) return;
      input.value = '';
      void sendActivity({ text });
    });
    $('lang').addEventListener('change', (e) => {
      loadLanguage(e.target.value).catch((err) => setStatus(err.message, true));
    });
    $('location').addEventListener('click', shareLocation);
    $('restart').addEventListener('click', () => {
      $('messages').replaceChildren();
      state.botLang = '';
      clearSuggestions();
      connect().catch((err) => end(err.message));
    });
    const lang = new URLSearchParams(location.search).get('lang') || document.documentElement.lang || 'en';
    loadLanguage(lang)
      .catch(() => loadLanguage(document.documentElement.lang || 'en'))
      .then(connect)
      .catch((err) => end(err.message || t('send_failed')));
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
