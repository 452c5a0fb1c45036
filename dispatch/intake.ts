/**
 * The "I need a place tonight" intake: what a person tells the line once so the dispatcher does not ask again,
 * and the pure rules around it — which question comes next, which prevention or housing options fit (Masterplan
 * measure 17.1: prevention and housing solutions are always proposed before an emergency bed), the hand-off's
 * priority, and the topic ids it carries. No I/O here: bot/dialogs/place-tonight-dialog.ts asks and renders.
 *
 * @example
 *   const intake = IntakeSchema.parse({ situation: 'no_place', household: 'with_children', children: 2 });
 *   handoffPriority(intake); // 'high'
 *   nextQuestion(intake, 'household'); // 'children'
 */
import { z } from 'zod';

export const SITUATIONS = ['losing_home', 'evicted', 'no_place'] as const;
export const HOUSEHOLDS = ['alone', 'couple', 'family', 'with_children'] as const;
export const GENDERS = ['woman', 'man', 'other'] as const;
export const AGE_GROUPS = ['under_18', '18_25', '26_64', '65_plus'] as const;

/** Free text is short: a few words per answer (a cheap phone, an SMS). */
const Said = z.string().trim().min(1).max(300);

export const IntakeSchema = z.object({
  /** About to lose a home, just put out without a judge (illegal eviction), or already without a place. */
  situation: z.enum(SITUATIONS).optional(),
  /** For someone still housed: whether they also need a bed tonight (false: prevention only). */
  tonight: z.boolean().optional(),
  household: z.enum(HOUSEHOLDS).optional(),
  /** Number of children with the person, when said. */
  children: z.number().int().min(0).max(20).optional(),
  gender: z.enum(GENDERS).optional(),
  ageGroup: z.enum(AGE_GROUPS).optional(),
  /** True when the person named a health problem or need for care. */
  medical: z.boolean().optional(),
  pets: z.boolean().optional(),
  /** Languages spoken besides the conversation's, as said. */
  otherLanguages: Said.optional(),
  /** Preferred area: what was said, and the Brussels place and commune it names, if recognised. */
  area: z.object({ text: Said, place: z.string().optional(), commune: z.string().optional() }).optional(),
  /** The person's own words where a question had choices or asked for detail (e.g. medical, children's ages). */
  said: z.record(z.string(), Said).default({}),
});

export type Intake = z.infer<typeof IntakeSchema>;
export type Situation = (typeof SITUATIONS)[number];
export type Household = (typeof HOUSEHOLDS)[number];
export type AgeGroup = (typeof AGE_GROUPS)[number];

/** The intake's questions, in the order they are asked. */
export const QUESTIONS = [
  'situation', 'tonight', 'household', 'children', 'gender', 'age', 'medical', 'medical_detail', 'pets', 'languages', 'area',
] as const;
export type Question = (typeof QUESTIONS)[number];

/** Whether a question applies to what the person said so far (the rest are left out, not asked). */
export function applies(q: Question, intake: Intake): boolean {
  const prevention = intake.situation === 'losing_home' && intake.tonight === false;
  switch (q) {
    case 'situation':
      return true;
    case 'tonight':
      return intake.situation === 'losing_home';
    case 'children':
      return !prevention && hasChildren(intake.household);
    case 'medical_detail':
      // Only after a plain "yes": a described need needs no second question.
      return !prevention && intake.medical === true && !intake.said.medical;
    default:
      return !prevention;
  }
}

/** The question after `after` (the first one when undefined), or undefined when the intake is complete. */
export function nextQuestion(intake: Intake, after?: Question): Question | undefined {
  const start = after ? QUESTIONS.indexOf(after) + 1 : 0;
  return QUESTIONS.slice(start).find((q) => applies(q, intake));
}

function hasChildren(h: Household | undefined): boolean {
  return h === 'family' || h === 'with_children';
}

/** True when children are with the person (a family, or a parent with children, unless they said none). */
export function withChildren(intake: Intake): boolean {
  return hasChildren(intake.household) && intake.children !== 0;
}

/**
 * A minor alone: never passed to the adults' dispatching (Masterplan M24, l. 4201-4204: unaccompanied minors are
 * not reported to the dispatching services; being received without being reported remains a right).
 */
export function isMinorAlone(intake: Intake): boolean {
  return intake.ageGroup === 'under_18' && intake.household === 'alone';
}

/**
 * The knowledge cards to show before any emergency bed (measure 17.1, l. 3309-3316): prevention for someone about
 * to lose a home, the fight against illegal evictions for someone just put out, housing solutions for someone
 * already without a place.
 */
export function optionCards(situation: Situation | undefined): string[] {
  switch (situation) {
    case 'losing_home':
      return ['losing-home'];
    case 'evicted':
      return ['illegal-eviction'];
    case 'no_place':
      return ['housing-first', 'transit-housing'];
    default:
      return [];
  }
}

export interface PriorityFactors {
  /** Extreme cold tonight (a cold alert in the conversation or the weather plan's alarm code). */
  extremeCold?: boolean;
  /** A safety alert (suicide, violence, medical, cold, child) was shown during the intake. */
  safetyKind?: string;
}

/** 'high' with children, a medical need, extreme cold or a safety alert; else 'normal'. */
export function handoffPriority(intake: Intake, f: PriorityFactors = {}): 'high' | 'normal' {
  return withChildren(intake) || intake.medical === true || f.extremeCold || f.safetyKind ? 'high' : 'normal';
}

/** Taxonomy needs the request is about (directory/taxonomy ids): topic ids, no personal data. */
export function handoffNeeds(intake: Intake): string[] {
  const needs: string[] = [];
  if (intake.situation === 'losing_home' || intake.situation === 'evicted') needs.push('eviction-prevention');
  if (intake.tonight !== false) needs.push('emergency-shelter');
  if (intake.medical) needs.push('health-care');
  return needs;
}

/** Taxonomy groups the person said they belong to: passed on only with consent (they describe the person). */
export function handoffGroups(intake: Intake): string[] {
  const groups: string[] = [];
  if (withChildren(intake)) groups.push('families');
  if (intake.gender === 'woman') groups.push('women');
  if (intake.ageGroup === 'under_18') groups.push('minors-youth');
  if (intake.ageGroup === '18_25') groups.push('young-adults');
  if (intake.ageGroup === '65_plus') groups.push('elderly');
  if (intake.pets) groups.push('pets');
  return groups;
}

/** The age group of an age in years. */
export function ageGroupOf(years: number): AgeGroup {
  return years < 18 ? 'under_18' : years <= 25 ? '18_25' : years <= 64 ? '26_64' : '65_plus';
}

/** The number of children in an answer: its first number, in digits or words ("deux enfants, 3 et 7 ans" -> 2). */
export function childrenCount(text: string, numberWords: Record<string, number> = {}): number | undefined {
  const digits = text.replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660)).toLowerCase();
  for (const token of digits.split(/[^\p{L}\p{N}']+/u)) {
    if (/^\d{1,3}$/.test(token)) {
      const n = Number(token);
      return n <= 20 ? n : undefined;
    }
    if (Object.hasOwn(numberWords, token)) return numberWords[token];
  }
  return undefined;
}

/** Words of a locale list ("skip, pass, -") as a list. */
export function wordList(value: string): string[] {
  return value.split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);
}

/** True when the answer skips the question: empty, a dash, "skip" or one of the language's skip words. */
export function isSkip(answer: string, skipWords: string[]): boolean {
  const a = answer.trim().toLowerCase().replace(/[.!?¿¡،؟]+$/u, '').trim();
  if (!a || /^[-–—/.?]+$/.test(a)) return true;
  return a === 'skip' || skipWords.includes(a);
}
