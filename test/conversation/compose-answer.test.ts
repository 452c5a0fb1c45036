import { describe, expect, it } from 'vitest';
import { bestExcerpt, composeAnswer, toSource } from '../../conversation/compose-answer.js';
import { tFor } from '../../conversation/i18n.js';
import { Lexicon } from '../../knowledge/embeddings/lexicon.js';
import type { Passage } from '../../knowledge/types.js';

const lexicon = new Lexicon(
  [
    { id: 't.complaint', nl: ['klacht'], fr: ['plainte'], en: ['complaint'], ar: ['شكوى'] },
    { id: 't.shelter', nl: ['opvang'], fr: ['hébergement'], en: ['shelter'], ar: ['إيواء'] },
  ],
  'compose-test',
);

const passage = (over: Partial<Passage>): Passage => ({
  kind: 'plan', chunkId: '1', documentId: '004_x', title: 'Masterplan', shortTitle: 'Masterplan 2024', organisation: "Bruss'help",
  year: 2024, scope: 'brussels-region', programmatic: true, headings: ['Maatregel 32 – Klachtenprocedure'], lineFrom: 4780, lineTo: 4818,
  lang: 'nl', text: 'Er komt een klachtenprocedure op drie niveaus. Eerst bij de dienst zelf. Daarna bij de administratie. Ten slotte bij Ombuds.brussels.',
  concepts: ['t.complaint'], score: 0.4, fused: 0.05, ...over,
});

describe('compose-answer', () => {
  describe('composeAnswer', () => {
    it('should answer in the person language with scope, "the plan foresees", the quote and the citation', () => {
      const r = composeAnswer('comment porter plainte', 'fr', [passage({})], lexicon, ['t.complaint']);
      const t = tFor('fr');
      expect(r.answered).toBe(true);
      expect(r.escalate).toBe(false);
      expect(r.answer).toContain(t('answer.found_intro'));
      expect(r.answer).toContain(t('answer.scope.brussels-region', { organisation: "Bruss'help", year: 2024 }));
      expect(r.answer).toContain(t('answer.plan_foresees'));
      expect(r.answer).toContain(t('answer.citation', { title: 'Masterplan 2024', section: 'Maatregel 32 – Klachtenprocedure', from: 4780, to: 4818 }));
      expect(r.answer).toContain(t('answer.topics', { topics: 'plainte' }));
      expect(r.answer).toContain('klachtenprocedure');
    });

    it('should say a Limburg passage is not about Brussels and not call a descriptive note foreseen', () => {
      const r = composeAnswer('klacht', 'nl', [passage({ scope: 'limburg', programmatic: false, organisation: 'RIMO', year: 2018 })], lexicon, ['t.complaint']);
      expect(r.answer).toContain(tFor('nl')('answer.scope.limburg', { organisation: 'RIMO', year: 2018 }));
      expect(r.answer).not.toContain(tFor('nl')('answer.plan_foresees'));
    });

    it('should say nothing was found, offer a person and escalate when no passage shares a topic', () => {
      const r = composeAnswer('hoeveel kost een pizza', 'nl', [passage({ score: 0.9 })], lexicon, []);
      expect(r.answered).toBe(false);
      expect(r.escalate).toBe(true);
      expect(r.answer).toBe(`${tFor('nl')('answer.no_result')}\n${tFor('nl')('answer.offer_person')}`);
      expect(r.sources).toHaveLength(1);
    });

    it('should not answer from a passage that matches too little of the question', () => {
      const r = composeAnswer('klacht', 'nl', [passage({ score: 0.05 })], lexicon, ['t.complaint'], { minScore: 0.1 });
      expect(r.answered).toBe(false);
    });
  });

  describe('bestExcerpt', () => {
    it('should keep the sentences about the question, in order, within the length limit', () => {
      const text = 'Inleiding over het plan. De klacht gaat eerst naar de dienst. Het weer is mooi. Een klacht kan ook naar Ombuds.brussels.';
      const out = bestExcerpt(text, 'klacht', { lang: 'nl' }, ['t.complaint'], lexicon, 120);
      expect(out).toBe('De klacht gaat eerst naar de dienst. … Een klacht kan ook naar Ombuds.brussels.');
      expect(bestExcerpt(text.repeat(20), 'klacht', { lang: 'nl' }, ['t.complaint'], lexicon, 80).length).toBeLessThanOrEqual(82);
    });
  });

  describe('toSource', () => {
    it('should give the API source with the section path and lines as locator', () => {
      expect(toSource(passage({ score: 0.12345 }))).toMatchObject({
        kind: 'plan', document: '004_x', title: 'Masterplan', locator: 'Maatregel 32 – Klachtenprocedure, lines 4780-4818', score: 0.123,
      });
    });
  });
});
