// Unit tests of the regex deny list: named matches with any flags, overlaps, and its streaming contract for patterns within a line and across lines.
import { describe, expect, it } from 'vitest';
import { mayMatchLineBreak, patternListDetector } from './pattern-list.js';
import { CLEAN_PROSE, expectPendingContract } from './pending-property.js';

describe('patternListDetector', () => {
  it('finds every match of every pattern, named, in order, whatever flags the pattern had', () => {
    const detector = patternListDetector([
      { name: 'employee_id', pattern: /EMP-\d{6}/ },
      { name: 'codename', pattern: /\bproject-[a-z]+\b/giy },
    ]);
    expect(detector.types).toEqual(['employee_id', 'codename']);
    const text = 'EMP-123456 works on project-aurora and project-borealis; EMP-654321 too.';
    expect(detector.find(text)).toEqual([
      { type: 'employee_id', start: 0, end: 10 },
      { type: 'codename', start: 20, end: 34 },
      { type: 'codename', start: 39, end: 55 },
      { type: 'employee_id', start: 57, end: 67 },
    ]);
  });

  it('never counts an empty match, and keeps the longest of overlapping ones', () => {
    const detector = patternListDetector([
      { name: 'maybe', pattern: /x*/ },
      { name: 'short', pattern: /ab/ },
      { name: 'long', pattern: /abc/ },
    ]);
    expect(detector.find('--abc--')).toEqual([{ type: 'long', start: 2, end: 5 }]);
  });

  it('passes text without a match untouched', () => {
    expect(patternListDetector([{ name: 'employee_id', pattern: /EMP-\d{6}/ }]).find('EMP-12345 and emp-123456 and XEMP-1234567')).toEqual([
      // `EMP-1234567` holds `EMP-123456`: the caller's pattern has no boundary, and the detector adds none.
      { type: 'employee_id', start: 30, end: 40 },
    ]);
  });

  it('keeps its streaming contract on patterns within a line', () => {
    const detector = patternListDetector([{ name: 'employee_id', pattern: /\bEMP-\d{6}\b/ }]);
    for (const text of ['Please file EMP-123456 under HR.\nAnd EMP-654321 too, thanks.', CLEAN_PROSE]) expectPendingContract(detector, text);
    // Within a line, at most `maxLength` back: ordinary text after a line break is not held.
    expect(detector.pending('first line\nsecond')).toBe(11);
    expect(detector.pending(`${'a'.repeat(300)}`)).toBe(300 - 256);
  });

  it('tells patterns that may match a line break from those that cannot', () => {
    for (const pattern of [/a\s+b/, /a[^x]b/, /a\Wb/, /a\nb/, /a\cJb/, /a\p{White_Space}b/u, /a.b/s]) expect(mayMatchLineBreak(pattern), String(pattern)).toBe(true);
    for (const pattern of [/EMP-\d{6}/, /\bproject-[a-z]+\b/i, /a.b/, /[A-Z]{2}\d{2}/, /\w+@\w+\.com/]) expect(mayMatchLineBreak(pattern), String(pattern)).toBe(false);
  });

  it('keeps its streaming contract on patterns that may match across a line break', () => {
    const detector = patternListDetector([{ name: 'codename', pattern: /project\s+aurora/i }], 64);
    expectPendingContract(detector, 'The project\naurora launch moved; project aurora is late.');
    const dotAll = patternListDetector([{ name: 'block', pattern: /BEGIN.{0,20}END/s }], 64);
    expectPendingContract(dotAll, 'x BEGIN one\ntwo END y');
  });
});
