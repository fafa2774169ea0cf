// Unit tests of the topic deny lists: whole words and phrases in any case and script, not parts of words, and the streaming contract.
import { describe, expect, it } from 'vitest';
import { keywordTopicsDetector } from './keyword-topics.js';
import { CLEAN_PROSE, expectPendingContract, LOOK_ALIKES } from './pending-property.js';

const detector = keywordTopicsDetector([
  { topic: 'weapons', keywords: ['gun', 'rifle', 'machine gun', 'оружие'] },
  { topic: 'medical_advice', keywords: ['dosage', 'Diagnose'] },
]);
const found = (text: string) => detector.find(text).map(({ type, start, end }) => ({ type, text: text.slice(start, end) }));

describe('keywordTopicsDetector', () => {
  it('names its topics', () => {
    expect(detector.types).toEqual(['weapons', 'medical_advice']);
  });

  it('finds whole words in any case, with exact offsets', () => {
    expect(detector.find('A GUN, a Rifle; the dosage.')).toEqual([
      { type: 'weapons', start: 2, end: 5 },
      { type: 'weapons', start: 9, end: 14 },
      { type: 'medical_advice', start: 20, end: 26 },
    ]);
    expect(found('please diagnose it')).toEqual([{ type: 'medical_advice', text: 'diagnose' }]);
  });

  it('matches a phrase across any white space, and prefers it to its last word', () => {
    expect(found('a machine\n  gun here')).toEqual([{ type: 'weapons', text: 'machine\n  gun' }]);
  });

  it('matches words of any script', () => {
    expect(found('Здесь оружие.')).toEqual([{ type: 'weapons', text: 'оружие' }]);
  });

  it.each(['The race had begun; Gunnar took a shotgun-free approach to the gunwale.', 'Оружием не торгуем.', 'guns and rifles (plural forms are other words)', 'the diagnoses were out', ...LOOK_ALIKES])('passes %j untouched', (text) => {
    expect(detector.find(text)).toEqual([]);
  });

  it('leaves find unaffected by a call of pending', () => {
    detector.pending('They sold a rifle and a gun at');
    expect(found('gun')).toEqual([{ type: 'weapons', text: 'gun' }]);
  });

  it('keeps its streaming contract', () => {
    for (const text of ['They sold a rifle and a gun at the fair, then left.', 'A machine   gun, then a machine gun and the dosage, ok.', 'Здесь оружие, там нет.', CLEAN_PROSE, ...LOOK_ALIKES]) expectPendingContract(detector, text);
  });
});
