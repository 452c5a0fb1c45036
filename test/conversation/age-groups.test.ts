/** Ages people state, in the 12 languages, become target groups; durations and prices do not. */
import { describe, expect, it } from 'vitest';
import { ageGroups, statedAge } from '../../conversation/age-groups.js';

describe('age-groups', () => {
  it.each([
    ['i am 16 and alone in brussels', 16], ["I'm 20, sleeping outside", 20], ['my brother is 15 years old', 15],
    ['ik ben 17 en heb geen plek', 17], ['hij is 16 jaar oud', 16], ["j'ai 19 ans et je dors dehors", 19],
    ['mon fils a 14 ans', 14], ['tengo 22 años', 22], ['tenho 17 anos', 17], ['am 16 ani', 16], ['mam 24 lata', 24],
    ['на 17 години съм', 17], ['20 yaşındayım', 20], ['мне 20 лет, живу на улице', 20], ['мені 16 років', 16],
    ['اخوي عمره ١٦ سنة لحاله', 16], ['عمري 70 سنة', 70],
  ] as const)('should read the age in "%s"', (text, age) => {
    expect(statedAge(text)).toBe(age);
  });

  it.each([
    'je dors dehors depuis 2 ans', 'il y a 2 ans que je suis à la rue', 'ik slaap al 3 weken buiten', 'it costs 20 euro', 'bus 71 to the station', 'ik ben 5 dagen op straat',
  ])('should not take "%s" for an age', (text) => {
    expect(statedAge(text)).toBeUndefined();
  });

  it('should map ages to the directory groups', () => {
    expect(ageGroups('i am 16')).toEqual(['minors-youth']);
    expect(ageGroups("j'ai 24 ans")).toEqual(['young-adults']);
    expect(ageGroups('ik ben 40')).toEqual([]);
    expect(ageGroups('عمري 70 سنة')).toEqual(['elderly']);
  });
});
