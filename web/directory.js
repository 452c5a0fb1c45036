/*
 * The public directory page (plain browser JS, no build step). Strings come from /api/page-strings (i18next "page"
 * section), categories and pictograms from /api/taxonomy, communes from /api/communes, services from /api/services.
 * The query lives in the URL (?lang=&need=&group=&commune=&open=now) so a link or a printout can be shared.
 * Data is always inserted as text (never as HTML): names and addresses come from files others edit.
 */
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const state = { lang: 'en', need: '', group: '', commune: '', open: false };
  const data = { strings: {}, languages: [], documents: {}, categories: [], communes: [] };
  let searchSeq = 0;
  let retryTimer = 0;

  /** Reads the query from the URL (unknown values are left to the API to refuse). */
  function readUrl() {
    const p = new URLSearchParams(location.search);
    state.lang = p.get('lang') || document.documentElement.lang || 'en';
    state.need = p.get('need') || '';
    state.group = p.get('group') || '';
    state.commune = p.get('commune') || '';
    state.open = p.get('open') === 'now';
  }

  /** The current query as URL parameters, only the ones that are set. */
  function queryParams() {
    const p = new URLSearchParams({ lang: state.lang });
    if (state.need) p.set('need', state.need);
    if (state.group) p.set('group', state.group);
    if (state.commune) p.set('commune', state.commune);
    if (state.open) p.set('open', 'now');
    return p;
  }

  function writeUrl() {
    const url = `${location.pathname}?${queryParams()}`;
    if (url !== `${location.pathname}${location.search}`) history.pushState(null, '', url);
  }

  /** A page string with {{placeholders}} filled (the same syntax as i18next), as plain text. */
  function t(key, params) {
    const s = data.strings[key] ?? key;
    return s.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k) => String(params?.[k] ?? ''));
  }

  /**
   * The same as nodes, each value isolated in a <bdi>: a Dutch name or a phone number inside an Arabic sentence
   * keeps its own direction instead of being reordered ("0800 99 340" must not read "340 99 0800").
   */
  function tn(key, params) {
    const s = data.strings[key] ?? key;
    return s.split(/(\{\{\s*\w+\s*\}\})/).filter(Boolean).map((part) => {
      const m = /^\{\{\s*(\w+)\s*\}\}$/.exec(part);
      if (!m) return part;
      const v = params?.[m[1]];
      return v instanceof Node ? v : el('bdi', {}, String(v ?? ''));
    });
  }

  /** "a, b and c" in the page's language (its own comma and "and": Arabic has both). */
  function list(items) {
    return new Intl.ListFormat(state.lang, { style: 'long', type: 'conjunction' }).format(items);
  }

  /** Creates an element; children are nodes or strings (as text). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') node.textContent = v;
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
    return node;
  }

  async function getJson(url) {
    const res = await fetch(url, { headers: { accept: 'application/json' } });
    const body = await res.json().catch(() => null);
    if (!res.ok) throw Object.assign(new Error(body?.error?.message || res.statusText), { status: res.status });
    return body;
  }

  const label = (id) => data.categories.find((c) => c.id === id)?.label || id;
  const communeName = (id) => data.communes.find((c) => c.id === id)?.name || id;

  /** Loads the strings, categories and communes of a language and redraws the controls. */
  async function loadLanguage(lang) {
    const q = encodeURIComponent(lang);
    const [ps, tx, cm] = await Promise.all([
      getJson(`/api/page-strings?lang=${q}`), getJson(`/api/taxonomy?lang=${q}`), getJson(`/api/communes?lang=${q}`),
    ]);
    state.lang = ps.lang;
    Object.assign(data, { strings: ps.strings, languages: ps.languages, documents: ps.documents, categories: tx.categories, communes: cm.communes });
    document.documentElement.lang = ps.lang;
    document.documentElement.dir = ps.dir;
    applyStrings();
    renderControls();
  }

  function applyStrings() {
    document.title = t('title');
    const texts = {
      title: 'title', intro: 'intro', emergency: 'emergency', skip: 'skip', 'search-heading': 'search', 'lang-label': 'language',
      'group-label': 'group', 'commune-label': 'commune', 'open-label': 'open_now', 'need-legend': 'need', apply: 'apply',
      reset: 'reset', print: 'print', 'results-heading': 'results', footer: 'footer',
    };
    for (const [id, key] of Object.entries(texts)) $(id).textContent = t(key);
    $('reset').setAttribute('href', `/directory?lang=${encodeURIComponent(state.lang)}`);
  }

  function options(select, items, selected) {
    select.replaceChildren(...items.map((o) => el('option', { value: o.value, lang: o.lang, selected: o.value === selected }, o.text)));
  }

  function renderControls() {
    options($('lang'), data.languages.map((l) => ({ value: l.code, text: l.name, lang: l.code })), state.lang);
    const groups = data.categories.filter((c) => c.kind === 'group');
    options($('group'), [{ value: '', text: t('group_any') }, ...groups.map((g) => ({ value: g.id, text: g.label }))], state.group);
    options($('commune'), [{ value: '', text: t('commune_any') }, ...data.communes.map((c) => ({ value: c.id, text: c.name }))], state.commune);
    $('open').checked = state.open;
    const needs = data.categories.filter((c) => c.kind === 'need');
    const tile = (value, text, icon) => el('div', { class: 'need-option' },
      el('input', { type: 'radio', name: 'need', id: `need-${value || 'any'}`, value, checked: state.need === value }),
      el('label', { for: `need-${value || 'any'}` }, icon, el('span', { text })));
    $('need-options').replaceChildren(
      tile('', t('need_any'), el('span', { class: 'any-mark', 'aria-hidden': 'true', text: '∗' })),
      ...needs.map((n) => tile(n.id, n.label, el('img', { src: n.pictogram, alt: '', width: 32, height: 32 }))),
    );
  }

  /** Reads the controls into the state. */
  function readForm() {
    const form = $('filters');
    state.need = form.querySelector('input[name="need"]:checked')?.value || '';
    state.group = $('group').value;
    state.commune = $('commune').value;
    state.open = $('open').checked;
  }

  function setStatus(text, isError) {
    const s = $('status');
    s.textContent = text;
    s.classList.toggle('error', Boolean(isError));
  }

  function summary() {
    const parts = [state.need ? label(state.need) : t('need_any')];
    if (state.group) parts.push(label(state.group));
    parts.push(state.commune ? communeName(state.commune) : t('commune_any'));
    if (state.open) parts.push(t('open_now'));
    const filters = el('span', {}, parts.flatMap((p, i) => [i ? ' · ' : null, el('bdi', {}, p)]));
    return tn('query', { filters });
  }

  function printedLine() {
    const date = new Intl.DateTimeFormat(state.lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Brussels' }).format(new Date());
    $('printed').replaceChildren(...tn('printed', { date, url: el('bdi', { dir: 'ltr' }, location.href) }));
  }

  /**
   * The services of the current query. With no need chosen, one request per need (emergency shelter first, the
   * taxonomy's order), merged: one request returns at most 100 services, and "all needs" must list them all.
   */
  async function fetchServices() {
    const needs = state.need ? [state.need] : data.categories.filter((c) => c.kind === 'need').map((c) => c.id);
    const bodies = await Promise.all(needs.map((need) => {
      const p = queryParams();
      p.set('need', need);
      p.set('limit', '500');
      return getJson(`/api/services?${p}`);
    }));
    const seen = new Set();
    return bodies.flatMap((b) => b.services).filter((s) => !seen.has(s.id) && seen.add(s.id));
  }

  /** Searches the directory for the current state and draws the cards; only the latest answer is drawn. */
  async function search() {
    const seq = ++searchSeq;
    clearTimeout(retryTimer);
    const results = $('results');
    results.setAttribute('aria-busy', 'true');
    setStatus(t('loading'));
    $('query-summary').replaceChildren(...summary());
    printedLine();
    try {
      const services = await fetchServices();
      if (seq !== searchSeq) return;
      $('cards').replaceChildren(...services.map(card));
      setStatus(services.length ? t('count', { count: services.length }) : t('none'));
    } catch (err) {
      if (seq !== searchSeq) return;
      $('cards').replaceChildren();
      // 503: the index is still being built; try again shortly instead of leaving an empty page.
      if (err.status === 503) retryTimer = setTimeout(search, 3000);
      setStatus(err.status === 400 ? err.message : t('error'), true);
    } finally {
      if (seq === searchSeq) results.setAttribute('aria-busy', 'false');
    }
  }

  const missing = (text) => el('span', { class: 'missing', text });

  function ages(a) {
    if (!a || (a.min === null && a.max === null)) return null;
    if (a.min !== null && a.max !== null) return t('ages', { min: a.min, max: a.max });
    return a.min !== null ? t('age_from', { min: a.min }) : t('age_to', { max: a.max });
  }

  function ago(minutes) {
    const rtf = new Intl.RelativeTimeFormat(state.lang, { numeric: 'auto' });
    if (minutes < 60) return rtf.format(-minutes, 'minute');
    if (minutes < 48 * 60) return rtf.format(-Math.round(minutes / 60), 'hour');
    return rtf.format(-Math.round(minutes / 1440), 'day');
  }

  function source(s) {
    if (s.kind === 'plan' && s.document) {
      const doc = data.documents[s.document] || s.document;
      const title = el('bdi', { class: 'doc' }, doc);
      return s.lines ? tn('source_plan', { document: title, lines: el('bdi', { dir: 'ltr' }, s.lines) }) : title;
    }
    return s.kind === 'public' ? t('source_public') : s.kind;
  }

  /** One service as a card: every field the directory lacks is said to be "not on file". */
  function card(s) {
    const pictoId = (s.pictogram.match(/\/pictograms\/([^/]+)\.svg$/) || [])[1] || '';
    const headingId = `svc-${s.id}`;
    const phones = s.phones.length
      ? el('ul', { class: 'phones' }, s.phones.map((ph) => el('li', {},
        el('a', { href: `tel:${ph.number.replace(/[^\d+]/g, '')}`, dir: 'ltr', text: ph.number }),
        ph.description ? el('span', { class: 'phone-note' }, el('bdi', {}, ph.description)) : null)))
      : missing(t('no_phone'));
    const place = s.commune ? communeName(s.commune) : null;
    const address = s.address
      ? el('bdi', {}, [s.address, place].filter(Boolean).join(', '))
      : [missing(t('no_address')), place ? ' (' : null, place ? el('bdi', {}, place) : null, place ? ')' : null];
    const who = [list(s.groups.map(label)), ages(s.ages)].filter(Boolean).join(' · ');
    const forWhom = who || s.conditions
      ? [who || null, who && s.conditions ? el('br') : null, s.conditions ? el('bdi', { class: 'conditions' }, s.conditions) : null]
      : missing(t('for_unknown'));
    const badges = [
      s.foreseen ? el('li', { class: 'badge foreseen', text: t('foreseen') }) : null,
      s.openNow === 'open' ? el('li', { class: 'badge open', text: t('status_open') }) : null,
      s.openNow === 'closed' ? el('li', { class: 'badge closed', text: t('status_closed') }) : null,
    ].filter(Boolean);
    const row = (key, value) => [el('dt', { text: t(key) }), el('dd', {}, value)];
    return el('li', { class: 'card', 'data-id': s.id },
      el('article', { 'aria-labelledby': headingId },
        el('div', { class: 'card-head' },
          el('img', { src: s.pictogram, alt: label(pictoId), width: 48, height: 48 }),
          el('div', {},
            el('h3', { id: headingId }, el('bdi', {}, s.name)),
            el('p', { class: 'what', text: s.categories.map(label).join(' · ') }))),
        badges.length ? el('ul', { class: 'badges' }, badges) : null,
        el('dl', {},
          row('organisation', el('bdi', {}, s.organization)),
          row('phone', phones),
          row('address', address),
          row('hours', s.hours || missing(t('no_hours'))),
          row('for', forWhom),
          row('source', source(s.source))),
        s.freePlaces ? el('p', { class: 'free' },
          el('strong', {}, tn('free_places', { free: s.freePlaces.free, total: s.freePlaces.total })),
          ' (', ...tn('updated', { age: ago(s.freePlaces.ageMinutes) }), ')',
          el('span', { class: 'note', text: t('no_promise') })) : null));
  }

  async function start() {
    readUrl();
    try {
      await loadLanguage(state.lang);
    } catch {
      // An unknown ?lang= falls back to the language the server chose for the page (browser's, else English).
      state.lang = document.documentElement.lang || 'en';
      await loadLanguage(state.lang);
    }
    await search();
  }

  document.addEventListener('DOMContentLoaded', () => {
    const form = $('filters');
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      readForm();
      writeUrl();
      void search().then(() => $('results').focus());
    });
    form.addEventListener('change', async (e) => {
      if (e.target.id === 'lang') {
        readForm();
        state.lang = e.target.value;
        writeUrl();
        await loadLanguage(state.lang).catch(() => setStatus(t('error'), true));
        $('lang').focus();
      } else {
        readForm();
        writeUrl();
      }
      await search();
    });
    $('print').addEventListener('click', () => window.print());
    window.addEventListener('beforeprint', printedLine);
    window.addEventListener('popstate', () => {
      readUrl();
      void loadLanguage(state.lang).then(search, () => setStatus(t('error'), true));
    });
    void start().catch(() => setStatus(t('error'), true));
  });
})();
