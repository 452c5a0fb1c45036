/**
 * The complaint dialog (Masterplan measure 32): which service, what happened, when, whether the person already
 * complained; then which level applies and who handles it, what to write, and a draft to copy in the person's
 * language and, for the bodies, in French or Dutch. The levels, bodies and texts are in conversation/complaint-guide.ts.
 *
 * The person's own words are never translated: the French/Dutch draft is a fixed template with them quoted.
 */
import { ComponentDialog, WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import {
  BODY_SERVICE_IDS, bodyDisplayName, bodyFor, checklistText, contactText, draftText, guidanceText, levelFor,
  needsOfficialDraft, type BodyContact, type ComplaintBody, type ComplaintFacts, type ComplaintLevel, type FoundService,
  type OfficialLang, type PriorComplaint,
} from '../../conversation/complaint-guide.js';
import { tFor } from '../../conversation/i18n.js';
import type { Lang } from '../../conversation/languages.js';
import { isPlainTextChannel } from '../render.js';
import { ask, langOf, pick, send, TEXT_PROMPT, TextPrompt, type Choice } from './kit.js';

export interface ComplaintDeps {
  /** Looks up the service the person names (createFindService in complaint-guide.ts). */
  findService?: (text: string, lang: Lang) => Promise<{
    id: string; name: string; organization?: string; recognisedBy?: 'vivalis' | 'cocof' | 'vgc' | 'gob' | string;
  } | undefined>;
  /** Contact details the directory has for a service id (createBodyContact); without it they are "not on file". */
  findContact?: (serviceId: string) => Promise<BodyContact | undefined>;
}

/** What the dialog ends with. No free text: the result may be logged or counted. */
export interface ComplaintResult {
  level: ComplaintLevel;
  body: ComplaintBody;
  /** The directory id of the service complained about, when it was found. */
  serviceId?: string;
}

/** Optional: the service already named by the person (the first question is then skipped). */
export interface ComplaintOptions {
  service?: string;
}

const STEPS = 'complaint-steps';
const CHOOSE = 'complaint-choose';

type ChoiceKind = 'prior' | 'official';
interface ChooseOptions { kind: ChoiceKind; retry?: boolean }

function wordsOf(lang: Lang, key: string): string[] {
  return tFor(lang)(key).split(/\s*[,،]\s*/).map((w) => w.trim()).filter(Boolean);
}

/** The answers to "already complained to the service itself?". */
export function priorChoices(lang: Lang): Choice[] {
  const t = tFor(lang);
  return (['none', 'service', 'administration'] as const).map((v) => ({
    value: v, title: t(`complaint.prior_${v}`), words: wordsOf(lang, `complaint.prior_${v}_words`),
  }));
}

/** French or Dutch for the draft sent to the bodies. */
export function officialChoices(lang: Lang): Choice[] {
  const t = tFor(lang);
  return (['fr', 'nl'] as const).map((v) => ({
    value: v, title: t(`complaint.official_${v}`), words: wordsOf(lang, `complaint.official_${v}_words`),
  }));
}

const CHOICES: Record<ChoiceKind, { question: string; list: (lang: Lang) => Choice[]; fallback: string }> = {
  prior: { question: 'complaint.ask_prior', list: priorChoices, fallback: 'none' },
  // French when the answer stays unclear: the person did not ask for Dutch.
  official: { question: 'complaint.ask_official', list: officialChoices, fallback: 'fr' },
};

interface StepValues {
  serviceText: string;
  found?: FoundService;
  what: string;
  when: string;
  level: ComplaintLevel;
  body: ComplaintBody;
}

export class ComplaintDialog extends ComponentDialog {
  static readonly id = 'complaint';

  constructor(private readonly deps: ComplaintDeps) {
    super(ComplaintDialog.id);
    this.addDialog(new TextPrompt(TEXT_PROMPT));
    this.addDialog(new WaterfallDialog(CHOOSE, [
      async (step) => this.askChoice(step),
      async (step) => this.recogniseChoice(step),
    ]));
    this.addDialog(new WaterfallDialog(STEPS, [
      async (step) => this.askService(step),
      async (step) => this.askWhat(step),
      async (step) => this.askWhen(step),
      async (step) => this.askPrior(step),
      async (step) => this.guide(step),
      async (step) => this.officialDraft(step),
    ]));
    this.initialDialogId = STEPS;
  }

  private async askChoice(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const o = step.options as ChooseOptions;
    const lang = langOf(step.context);
    const t = tFor(lang);
    const question = t(CHOICES[o.kind].question);
    return ask(step, { text: o.retry ? `${t('complaint.not_understood')}\n${question}` : question, choices: CHOICES[o.kind].list(lang) });
  }

  private async recogniseChoice(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const o = step.options as ChooseOptions;
    const chosen = pick(String(step.result ?? ''), CHOICES[o.kind].list(langOf(step.context)));
    if (chosen) return step.endDialog(chosen.value);
    if (!o.retry) return step.replaceDialog(CHOOSE, { ...o, retry: true });
    return step.endDialog(CHOICES[o.kind].fallback);
  }

  private values(step: WaterfallStepContext): StepValues {
    return step.values as StepValues;
  }

  private async askService(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const named = (step.options as ComplaintOptions | undefined)?.service?.trim();
    if (named) return step.next(named);
    return ask(step, tFor(langOf(step.context))('complaint.ask_service'));
  }

  private async askWhat(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const lang = langOf(step.context);
    const v = this.values(step);
    v.serviceText = String(step.result ?? '').trim();
    const found = v.serviceText ? await this.lookUp(v.serviceText, lang) : undefined;
    if (found) v.found = found;
    return ask(step, tFor(lang)('complaint.ask_what'));
  }

  private async lookUp(text: string, lang: Lang): Promise<FoundService | undefined> {
    if (!this.deps.findService) return undefined;
    try {
      const s = await this.deps.findService(text, lang);
      // Only plain fields go into dialog state (it is serialised).
      return s ? { id: s.id, name: s.name, ...(s.organization ? { organization: s.organization } : {}), ...(s.recognisedBy ? { recognisedBy: s.recognisedBy } : {}) } : undefined;
    } catch {
      // A directory failure must not stop the guidance: the service is then used as the person wrote it.
      return undefined;
    }
  }

  private async askWhen(step: WaterfallStepContext): Promise<DialogTurnResult> {
    this.values(step).what = String(step.result ?? '').trim();
    return ask(step, tFor(langOf(step.context))('complaint.ask_when'));
  }

  private async askPrior(step: WaterfallStepContext): Promise<DialogTurnResult> {
    this.values(step).when = String(step.result ?? '').trim();
    return step.beginDialog(CHOOSE, { kind: 'prior' } satisfies ChooseOptions);
  }

  private facts(v: StepValues): ComplaintFacts {
    return { service: v.found?.name ?? v.serviceText, what: v.what, when: v.when };
  }

  private result(v: StepValues): ComplaintResult {
    return { level: v.level, body: v.body, ...(v.found ? { serviceId: v.found.id } : {}) };
  }

  private async guide(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const lang = langOf(step.context);
    const t = tFor(lang);
    const v = this.values(step);
    v.level = levelFor(step.result as PriorComplaint);
    v.body = bodyFor(v.level, v.found?.recognisedBy);
    const compact = isPlainTextChannel(step.context.activity.channelId);
    const facts = this.facts(v);

    for (const text of guidanceText(lang, v.level, v.body, v.found, v.serviceText)) await send(step.context, text);
    // Contact of whoever handles it; for an unknown level-2 body a person from the line was just offered.
    const contactId = v.body === 'service' ? v.found?.id : v.body === 'unknown' ? undefined : BODY_SERVICE_IDS[v.body];
    if (v.body !== 'unknown') {
      const contact = contactId ? await this.contactOf(contactId) : undefined;
      await send(step.context, contactText(lang, bodyDisplayName(lang, v.body, facts.service), contact));
    }
    const official = !needsOfficialDraft(lang);
    const intro = t(official ? 'complaint.draft_intro_official' : 'complaint.draft_intro');
    const draft = draftText(lang, facts, { level: v.level, body: v.body, compact });
    if (compact) {
      // SMS: the draft starts its own message, so it can be forwarded or copied as it is.
      await send(step.context, `${checklistText(lang)}\n${intro}`);
      await send(step.context, draft);
    } else {
      await send(step.context, checklistText(lang));
      await send(step.context, `${intro}\n\n${draft}`);
    }
    if (official) return step.endDialog(this.result(v));
    return step.beginDialog(CHOOSE, { kind: 'official' } satisfies ChooseOptions);
  }

  private async contactOf(serviceId: string): Promise<BodyContact | undefined> {
    if (!this.deps.findContact) return undefined;
    try {
      return await this.deps.findContact(serviceId);
    } catch {
      return undefined;
    }
  }

  private async officialDraft(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const lang = langOf(step.context);
    const official = (step.result === 'nl' ? 'nl' : 'fr') satisfies OfficialLang;
    const v = this.values(step);
    const compact = isPlainTextChannel(step.context.activity.channelId);
    const draft = draftText(official, this.facts(v), { level: v.level, body: v.body, compact });
    const intro = tFor(lang)(`complaint.official_intro_${official}`);
    if (compact) {
      await send(step.context, intro);
      await send(step.context, draft);
    } else {
      await send(step.context, `${intro}\n\n${draft}`);
    }
    return step.endDialog(this.result(v));
  }
}
