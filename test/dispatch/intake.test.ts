/** The intake's pure rules: question order, options that fit (measure 17.1), priority, topic ids, parsing. */
import { describe, expect, it } from 'vitest';
import {
  ageGroupOf, applies, childrenCount, handoffGroups, handoffNeeds, handoffPriority, IntakeSchema, isMinorAlone, isSkip,
  nextQuestion, optionCards, withChildren, wordList, type Intake, type Question,
} from '../../dispatch/intake.js';
import { loadCards } from '../../knowledge/cards/load-cards.js';

const intake = (over: Partial<Intake> = {}): Intake => IntakeSchema.parse(over);

/** Every question asked, in order, for an intake that stays as given. */
function asked(i: Intake): Question[] {
  const out: Question[] = [];
  for (let q = nextQuestion(i); q; q = nextQuestion(i, q)) out.push(q);
  return out;
}

describe('intake', () => {
  describe('nextQuestion', () => {
    it('should ask the situation first, then everything for someone already without a place', () => {
      expect(nextQuestion(intake())).toBe('situation');
      expect(asked(intake({ situation: 'no_place', household: 'alone' }))).toEqual(
        ['situation', 'household', 'gender', 'age', 'medical', 'pets', 'languages', 'area']);
    });

    it('should ask how many children only for a family or a parent with children', () => {
      expect(asked(intake({ household: 'family' }))).toContain('children');
      expect(asked(intake({ household: 'with_children' }))).toContain('children');
      expect(asked(intake({ household: 'couple' }))).not.toContain('children');
      expect(nextQuestion(intake({ household: 'with_children' }), 'household')).toBe('children');
    });

    it('should ask whether someone about to lose a home also needs a bed tonight, and stop there when not', () => {
      expect(nextQuestion(intake({ situation: 'losing_home' }), 'situation')).toBe('tonight');
      expect(nextQuestion(intake({ situation: 'no_place' }), 'situation')).toBe('household');
      expect(nextQuestion(intake({ situation: 'losing_home', tonight: false }), 'tonight')).toBeUndefined();
      expect(nextQuestion(intake({ situation: 'losing_home', tonight: true }), 'tonight')).toBe('household');
    });

    it('should ask for medical detail only after a plain yes', () => {
      expect(applies('medical_detail', intake({ medical: true }))).toBe(true);
      expect(applies('medical_detail', intake({ medical: true, said: { medical: 'diabetes' } }))).toBe(false);
      expect(applies('medical_detail', intake({ medical: false }))).toBe(false);
      expect(nextQuestion(intake({ medical: false }), 'medical')).toBe('pets');
    });
  });

  describe('optionCards', () => {
    it('should put prevention first for a home about to be lost, and housing for someone without a place', () => {
      expect(optionCards('losing_home')).toEqual(['losing-home']);
      expect(optionCards('evicted')).toEqual(['illegal-eviction']);
      expect(optionCards('no_place')).toEqual(['housing-first', 'transit-housing']);
      expect(optionCards(undefined)).toEqual([]);
    });

    it('should name cards that exist and cite the plans', () => {
      const cards = loadCards();
      for (const s of ['losing_home', 'evicted', 'no_place'] as const) {
        for (const id of optionCards(s)) expect(cards.get(id)?.citations.length, id).toBeGreaterThan(0);
      }
    });
  });

  describe('handoffPriority', () => {
    it('should be high with children, a medical need, extreme cold or a safety alert, else normal', () => {
      expect(handoffPriority(intake({ household: 'with_children' }))).toBe('high');
      expect(handoffPriority(intake({ household: 'family', children: 0 }))).toBe('normal');
      expect(handoffPriority(intake({ medical: true }))).toBe('high');
      expect(handoffPriority(intake({ household: 'alone' }), { extremeCold: true })).toBe('high');
      expect(handoffPriority(intake({ household: 'alone' }), { safetyKind: 'medical' })).toBe('high');
      expect(handoffPriority(intake({ household: 'alone', medical: false, pets: true }))).toBe('normal');
      expect(handoffPriority(intake())).toBe('normal');
    });
  });

  describe('handoffNeeds and handoffGroups', () => {
    it('should give the taxonomy ids the request and the person fit', () => {
      expect(handoffNeeds(intake({ situation: 'no_place' }))).toEqual(['emergency-shelter']);
      expect(handoffNeeds(intake({ situation: 'losing_home', tonight: false }))).toEqual(['eviction-prevention']);
      expect(handoffNeeds(intake({ situation: 'evicted', medical: true }))).toEqual(['eviction-prevention', 'emergency-shelter', 'health-care']);
      expect(handoffGroups(intake({ household: 'with_children', gender: 'woman', ageGroup: '18_25', pets: true })))
        .toEqual(['families', 'women', 'young-adults', 'pets']);
      expect(handoffGroups(intake({ ageGroup: '65_plus' }))).toEqual(['elderly']);
      expect(handoffGroups(intake({ gender: 'man', ageGroup: '26_64' }))).toEqual([]);
    });
  });

  describe('isMinorAlone and withChildren', () => {
    it('should recognise a minor alone, not a minor with family', () => {
      expect(isMinorAlone(intake({ ageGroup: 'under_18', household: 'alone' }))).toBe(true);
      expect(isMinorAlone(intake({ ageGroup: 'under_18', household: 'family' }))).toBe(false);
      expect(isMinorAlone(intake({ ageGroup: '18_25', household: 'alone' }))).toBe(false);
      expect(withChildren(intake({ household: 'couple' }))).toBe(false);
    });
  });

  describe('parsing', () => {
    it('should turn ages into age groups at the boundaries', () => {
      expect([5, 17, 18, 25, 26, 64, 65, 90].map(ageGroupOf)).toEqual(
        ['under_18', 'under_18', '18_25', '18_25', '26_64', '26_64', '65_plus', '65_plus']);
    });

    it('should read the number of children from digits, Arabic digits or number words', () => {
      expect(childrenCount('2')).toBe(2);
      expect(childrenCount('3 enfants de 2, 5 et 9 ans')).toBe(3);
      expect(childrenCount('٣')).toBe(3);
      expect(childrenCount('deux, 4 et 7 ans', { deux: 2 })).toBe(2);
      expect(childrenCount('ثلاثة أطفال', { 'ثلاثة': 3 })).toBe(3);
      expect(childrenCount('constructor toString')).toBeUndefined();
      expect(childrenCount('deux petits', { deux: 2 })).toBe(2);
      expect(childrenCount('beaucoup')).toBeUndefined();
      expect(childrenCount('45')).toBeUndefined();
    });

    it('should recognise skipped answers', () => {
      const words = wordList('passer, je sais pas , ');
      expect(words).toEqual(['passer', 'je sais pas']);
      for (const a of ['', '-', ' – ', 'skip', 'Skip.', 'passer', 'Je sais pas', '?']) expect(isSkip(a, words), a).toBe(true);
      for (const a of ['non', 'gare du Midi', 'passer la nuit à Ixelles']) expect(isSkip(a, words), a).toBe(false);
    });

    it('should refuse an intake with values outside the model', () => {
      expect(IntakeSchema.safeParse({ household: 'crowd' }).success).toBe(false);
      expect(IntakeSchema.safeParse({ children: -1 }).success).toBe(false);
      expect(IntakeSchema.safeParse({ said: { medical: 'x'.repeat(301) } }).success).toBe(false);
      expect(IntakeSchema.parse({}).said).toEqual({});
    });
  });
});
