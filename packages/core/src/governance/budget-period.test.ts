// Budget periods: calendar boundaries, ISO weeks, DST and odd offsets, the slot cache. Expectations worked out by hand.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPeriodClock, isValidTimeZone, type BudgetPeriod, type PeriodSlot } from './budget-period.js';

const HOUR = 3_600_000;

/** Epoch ms of an ISO timestamp written with its offset, so each expectation reads as local time. */
function at(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test timestamp ${iso}`);
  return ms;
}

function slotOf(timeZone: string, period: BudgetPeriod, iso: string): PeriodSlot {
  return createPeriodClock(timeZone).slot(period, at(iso));
}

function expectSlot(slot: PeriodSlot, id: string, startsAt: string, endsAt: string): void {
  expect(slot).toEqual({ id, startsAt: at(startsAt), endsAt: at(endsAt) });
}

function hoursLong(slot: PeriodSlot): number {
  if (slot.startsAt === undefined || slot.endsAt === undefined) throw new Error(`${slot.id} has no bounds`);
  return (slot.endsAt - slot.startsAt) / HOUR;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('UTC calendar periods', () => {
  it('a day runs from midnight to midnight', () => {
    expectSlot(slotOf('UTC', 'day', '2026-12-02T13:45:00Z'), '2026-12-02', '2026-12-02T00:00:00Z', '2026-12-03T00:00:00Z');
    expectSlot(slotOf('UTC', 'day', '2026-12-31T23:59:59.999Z'), '2026-12-31', '2026-12-31T00:00:00Z', '2027-01-01T00:00:00Z');
    expectSlot(slotOf('UTC', 'day', '2028-02-29T06:00:00Z'), '2028-02-29', '2028-02-29T00:00:00Z', '2028-03-01T00:00:00Z');
  });

  it('a week runs Monday to Monday (2026-12-02 is a Wednesday in ISO week 49)', () => {
    expectSlot(slotOf('UTC', 'week', '2026-12-02T13:45:00Z'), '2026-W49', '2026-11-30T00:00:00Z', '2026-12-07T00:00:00Z');
    // Sunday is the week's last day, not its first.
    expectSlot(slotOf('UTC', 'week', '2026-12-06T23:59:59.999Z'), '2026-W49', '2026-11-30T00:00:00Z', '2026-12-07T00:00:00Z');
  });

  it('a month runs from the 1st to the next 1st, across the year end and a leap February', () => {
    expectSlot(slotOf('UTC', 'month', '2026-02-15T12:00:00Z'), '2026-02', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z');
    expectSlot(slotOf('UTC', 'month', '2026-12-31T23:59:59.999Z'), '2026-12', '2026-12-01T00:00:00Z', '2027-01-01T00:00:00Z');
    expectSlot(slotOf('UTC', 'month', '2028-02-29T23:00:00Z'), '2028-02', '2028-02-01T00:00:00Z', '2028-03-01T00:00:00Z');
  });

  it('writes years below 1000 with four digits (no two-digit-year trap)', () => {
    expectSlot(slotOf('UTC', 'day', '0099-06-15T12:00:00Z'), '0099-06-15', '0099-06-15T00:00:00Z', '0099-06-16T00:00:00Z');
  });

  it('total has no bounds', () => {
    const clock = createPeriodClock('UTC');
    expect(clock.slot('total', at('2026-12-02T00:00:00Z'))).toEqual({ id: 'total', startsAt: undefined, endsAt: undefined });
    expect(clock.slot('total', 0)).toBe(clock.slot('total', at('2099-01-01T00:00:00Z')));
  });
});

describe('ISO week ids around the new year (week 1 holds the first Thursday)', () => {
  // 2026-01-01 is a Thursday, so 2026-W01 starts Monday 2025-12-29 and 2026 has 53 weeks.
  // 2027-01-01 is a Friday, so it still belongs to 2026-W53; 2027-W01 starts Monday 2027-01-04.
  it.each([
    ['2025-12-29T00:00:00Z', '2026-W01', '2025-12-29T00:00:00Z'],
    ['2026-01-01T12:00:00Z', '2026-W01', '2025-12-29T00:00:00Z'],
    ['2026-01-04T23:59:59.999Z', '2026-W01', '2025-12-29T00:00:00Z'],
    ['2026-01-05T00:00:00Z', '2026-W02', '2026-01-05T00:00:00Z'],
    ['2026-12-28T00:00:00Z', '2026-W53', '2026-12-28T00:00:00Z'],
    ['2026-12-31T12:00:00Z', '2026-W53', '2026-12-28T00:00:00Z'],
    ['2027-01-01T12:00:00Z', '2026-W53', '2026-12-28T00:00:00Z'],
    ['2027-01-03T23:59:59.999Z', '2026-W53', '2026-12-28T00:00:00Z'],
    ['2027-01-04T00:00:00Z', '2027-W01', '2027-01-04T00:00:00Z'],
    // 2025-01-01 is a Wednesday: its week (from Monday 2024-12-30) is 2025-W01.
    ['2024-12-30T00:00:00Z', '2025-W01', '2024-12-30T00:00:00Z'],
    // 2022-01-01 is a Saturday: it ends 2021-W52 (2021 started on a Friday, 52 weeks).
    ['2022-01-01T12:00:00Z', '2021-W52', '2021-12-27T00:00:00Z'],
    // 2020 started on a Wednesday and was a leap year: 53 weeks, the last ending Sunday 2021-01-03.
    ['2021-01-03T12:00:00Z', '2020-W53', '2020-12-28T00:00:00Z'],
  ])('%s is in %s', (now, id, startsAt) => {
    const slot = slotOf('UTC', 'week', now);
    expect(slot.id).toBe(id);
    expect(slot.startsAt).toBe(at(startsAt));
    expect(hoursLong(slot)).toBe(7 * 24);
  });

  it('follows the local date, not the UTC one', () => {
    // 2027-01-03T15:00Z is Monday 2027-01-04 00:00 in Tokyo (+09:00, no DST).
    expectSlot(slotOf('Asia/Tokyo', 'week', '2027-01-03T15:00:00Z'), '2027-W01', '2027-01-04T00:00:00+09:00', '2027-01-11T00:00:00+09:00');
    expectSlot(slotOf('Asia/Tokyo', 'week', '2027-01-03T14:59:59.999Z'), '2026-W53', '2026-12-28T00:00:00+09:00', '2027-01-04T00:00:00+09:00');
  });
});

describe('time zones', () => {
  it('starts the day at local midnight (Tokyo 2026-12-02 00:00 is 2026-12-01T15:00Z)', () => {
    const slot = slotOf('Asia/Tokyo', 'day', '2026-12-01T20:00:00Z');
    expect(slot).toEqual({ id: '2026-12-02', startsAt: at('2026-12-01T15:00:00Z'), endsAt: at('2026-12-02T15:00:00Z') });
  });

  it('spring forward: Europe/Berlin 2026-03-29 is 23 hours (CET +01 until 02:00, then CEST +02)', () => {
    const slot = slotOf('Europe/Berlin', 'day', '2026-03-29T12:00:00Z');
    expectSlot(slot, '2026-03-29', '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00');
    expect(hoursLong(slot)).toBe(23);
  });

  it('fall back: Europe/Berlin 2026-10-25 is 25 hours', () => {
    const slot = slotOf('Europe/Berlin', 'day', '2026-10-25T12:00:00Z');
    expectSlot(slot, '2026-10-25', '2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00');
    expect(hoursLong(slot)).toBe(25);
  });

  it('America/New_York: 2026-03-08 is 23 hours, 2026-11-01 is 25 hours', () => {
    const spring = slotOf('America/New_York', 'day', '2026-03-08T12:00:00Z');
    expectSlot(spring, '2026-03-08', '2026-03-08T00:00:00-05:00', '2026-03-09T00:00:00-04:00');
    expect(hoursLong(spring)).toBe(23);
    const fall = slotOf('America/New_York', 'day', '2026-11-01T12:00:00Z');
    expectSlot(fall, '2026-11-01', '2026-11-01T00:00:00-04:00', '2026-11-02T00:00:00-05:00');
    expect(hoursLong(fall)).toBe(25);
  });

  it('a week and a month spanning a DST change are an hour short', () => {
    const week = slotOf('Europe/Berlin', 'week', '2026-03-25T12:00:00Z');
    expectSlot(week, '2026-W13', '2026-03-23T00:00:00+01:00', '2026-03-30T00:00:00+02:00');
    expect(hoursLong(week)).toBe(7 * 24 - 1);
    const month = slotOf('Europe/Berlin', 'month', '2026-03-15T12:00:00Z');
    expectSlot(month, '2026-03', '2026-03-01T00:00:00+01:00', '2026-04-01T00:00:00+02:00');
    expect(hoursLong(month)).toBe(31 * 24 - 1);
  });

  it('handles offsets that are not whole hours (Asia/Kolkata +05:30, Asia/Kathmandu +05:45)', () => {
    expectSlot(slotOf('Asia/Kolkata', 'day', '2026-12-01T18:30:00Z'), '2026-12-02', '2026-12-02T00:00:00+05:30', '2026-12-03T00:00:00+05:30');
    expectSlot(slotOf('Asia/Kolkata', 'day', '2026-12-01T18:29:59.999Z'), '2026-12-01', '2026-12-01T00:00:00+05:30', '2026-12-02T00:00:00+05:30');
    expectSlot(slotOf('Asia/Kathmandu', 'day', '2026-12-01T18:15:00Z'), '2026-12-02', '2026-12-01T18:15:00Z', '2026-12-02T18:15:00Z');
    expectSlot(slotOf('Asia/Kathmandu', 'month', '2026-12-15T00:00:00Z'), '2026-12', '2026-12-01T00:00:00+05:45', '2027-01-01T00:00:00+05:45');
  });
});

describe('days whose midnight is skipped or repeated', () => {
  it('America/Santiago 2026-09-06: clocks jump 00:00 -04 → 01:00 -03, so the day starts at 01:00', () => {
    const slot = slotOf('America/Santiago', 'day', '2026-09-06T12:00:00Z');
    expectSlot(slot, '2026-09-06', '2026-09-06T01:00:00-03:00', '2026-09-07T00:00:00-03:00');
    expect(hoursLong(slot)).toBe(23);
    // The day before ends where this one starts.
    expect(slotOf('America/Santiago', 'day', '2026-09-05T12:00:00Z').endsAt).toBe(at('2026-09-06T04:00:00Z'));
  });

  it('America/Havana 2026-03-08: clocks jump 00:00 -05 → 01:00 -04', () => {
    const slot = slotOf('America/Havana', 'day', '2026-03-08T12:00:00Z');
    expectSlot(slot, '2026-03-08', '2026-03-08T01:00:00-04:00', '2026-03-09T00:00:00-04:00');
    expect(hoursLong(slot)).toBe(23);
  });

  it('America/Havana 2026-11-01: clocks go back 01:00 -04 → 00:00 -05; the day starts at the first midnight', () => {
    const firstPass = slotOf('America/Havana', 'day', '2026-11-01T00:30:00-04:00');
    const secondPass = slotOf('America/Havana', 'day', '2026-11-01T00:30:00-05:00');
    expectSlot(firstPass, '2026-11-01', '2026-11-01T00:00:00-04:00', '2026-11-02T00:00:00-05:00');
    expect(secondPass).toEqual(firstPass);
    expect(hoursLong(firstPass)).toBe(25);
    expect(slotOf('America/Havana', 'day', '2026-10-31T23:59:59-04:00').endsAt).toBe(at('2026-11-01T00:00:00-04:00'));
  });

  it('Asia/Kathmandu 1986-01-01: +05:30 → +05:45 at midnight, so the year started at 00:15', () => {
    expectSlot(slotOf('Asia/Kathmandu', 'day', '1986-01-01T12:00:00+05:45'), '1986-01-01', '1986-01-01T00:15:00+05:45', '1986-01-02T00:00:00+05:45');
    expect(slotOf('Asia/Kathmandu', 'month', '1985-12-31T12:00:00+05:30').endsAt).toBe(at('1985-12-31T18:30:00Z'));
  });

  it('Pacific/Apia skipped 2011-12-30 (-10 → +14 at midnight): the 29th ends where the 31st starts', () => {
    expectSlot(slotOf('Pacific/Apia', 'day', '2011-12-29T23:00:00-10:00'), '2011-12-29', '2011-12-29T00:00:00-10:00', '2011-12-31T00:00:00+14:00');
    expectSlot(slotOf('Pacific/Apia', 'day', '2011-12-31T02:00:00+14:00'), '2011-12-31', '2011-12-30T10:00:00Z', '2012-01-01T00:00:00+14:00');
    expectSlot(slotOf('Pacific/Apia', 'month', '2011-12-15T12:00:00Z'), '2011-12', '2011-12-01T00:00:00-10:00', '2012-01-01T00:00:00+14:00');
  });
});

describe('boundaries and the slot cache', () => {
  it('puts the boundary instant in the new period', () => {
    const clock = createPeriodClock('UTC');
    expect(clock.slot('day', at('2026-12-02T23:59:59.999Z')).id).toBe('2026-12-02');
    const next = clock.slot('day', at('2026-12-03T00:00:00Z'));
    expect(next.id).toBe('2026-12-03');
    expect(next.startsAt).toBe(at('2026-12-03T00:00:00Z'));
    expect(createPeriodClock('Asia/Tokyo').slot('month', at('2026-11-30T15:00:00Z')).id).toBe('2026-12');
  });

  it('returns the same object within a period without calling Intl, and a new one after', () => {
    const clock = createPeriodClock('Europe/Berlin');
    const first = clock.slot('day', at('2026-03-29T00:00:00+01:00'));
    const month = clock.slot('month', at('2026-03-29T00:00:00+01:00'));
    const formatToParts = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    expect(clock.slot('day', at('2026-03-29T12:00:00+02:00'))).toBe(first);
    expect(clock.slot('day', at('2026-03-29T23:59:59.999+02:00'))).toBe(first);
    expect(clock.slot('month', at('2026-03-31T23:59:59.999+02:00'))).toBe(month);
    expect(formatToParts).not.toHaveBeenCalled();

    const second = clock.slot('day', at('2026-03-30T00:00:00+02:00'));
    expect(second).not.toBe(first);
    expect(second.id).toBe('2026-03-30');
    expect(second.startsAt).toBe(first.endsAt);
    expect(clock.slot('day', at('2026-03-30T08:00:00+02:00'))).toBe(second);
    // The month was cached on its own and is unaffected by the day moving on.
    expect(clock.slot('month', at('2026-03-30T00:00:00+02:00'))).toBe(month);
  });

  it('recomputes when time goes back before the cached period', () => {
    const clock = createPeriodClock('UTC');
    expect(clock.slot('week', at('2026-12-02T00:00:00Z')).id).toBe('2026-W49');
    expect(clock.slot('week', at('2026-11-29T23:59:59.999Z')).id).toBe('2026-W48');
  });

  it('hands out frozen slots, so a caller cannot corrupt the cache', () => {
    const slot = createPeriodClock('UTC').slot('day', 0);
    expect(Object.isFrozen(slot)).toBe(true);
  });

  it('tiles time: every instant is in its slot, and each slot ends where the next starts', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'America/Santiago', 'America/Havana', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Chatham'];
    const clocks = zones.map((zone) => createPeriodClock(zone));
    const periods: BudgetPeriod[] = ['day', 'week', 'month'];
    fc.assert(
      fc.property(
        fc.constantFrom(...clocks),
        fc.constantFrom(...periods),
        fc.integer({ min: at('1990-01-01T00:00:00Z'), max: at('2040-01-01T00:00:00Z') }),
        (clock, period, now) => {
          const slot = clock.slot(period, now);
          if (slot.startsAt === undefined || slot.endsAt === undefined) return false;
          const next = clock.slot(period, slot.endsAt);
          const previous = clock.slot(period, slot.startsAt - 1);
          return slot.startsAt <= now && now < slot.endsAt && next.startsAt === slot.endsAt && next.id !== slot.id && previous.endsAt === slot.startsAt;
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('time zone validation', () => {
  it('defaults to UTC', () => {
    const clock = createPeriodClock();
    expect(clock.timeZone).toBe('UTC');
    expect(clock.slot('day', at('2026-12-02T00:00:00Z')).startsAt).toBe(at('2026-12-02T00:00:00Z'));
  });

  it('rejects a zone Intl does not know, naming it', () => {
    expect(() => createPeriodClock('Mars/Olympus')).toThrow(RangeError);
    expect(() => createPeriodClock('Mars/Olympus')).toThrow(/Mars\/Olympus/);
    expect(() => createPeriodClock('')).toThrow(RangeError);
  });

  it('isValidTimeZone', () => {
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Asia/Kathmandu')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('rejects a time that is not epoch milliseconds', () => {
    const clock = createPeriodClock('UTC');
    expect(() => clock.slot('day', Number.NaN)).toThrow(RangeError);
    expect(() => clock.slot('month', Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
