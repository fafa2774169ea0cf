// Calendar budget periods (day, ISO week, month, total) in an IANA time zone, computed with Intl alone.

export type BudgetPeriod = 'day' | 'week' | 'month' | 'total';

export interface PeriodSlot {
  /** Names this period, e.g. '2026-12-02' (day), '2026-W49' (ISO week), '2026-12' (month), 'total'. Stable across processes. */
  readonly id: string;
  /** Epoch ms of the period's start (undefined for total). */
  readonly startsAt: number | undefined;
  /** Epoch ms of the period's end = the next period's start (undefined for total). */
  readonly endsAt: number | undefined;
}

export interface PeriodClock {
  /** The zone as given to `createPeriodClock` (not canonicalised, so it reads back as configured). */
  readonly timeZone: string;
  /**
   * The period of kind `period` that contains `nowMs` (epoch ms): `startsAt <= nowMs < endsAt`.
   * The same object is returned while `nowMs` stays inside it; slots are frozen.
   */
  slot(period: BudgetPeriod, nowMs: number): PeriodSlot;
}

/** A day, week or month slot: both bounds are known. */
interface CalendarSlot extends PeriodSlot {
  readonly startsAt: number;
  readonly endsAt: number;
}

type CalendarPeriod = Exclude<BudgetPeriod, 'total'>;

const SECOND = 1000;
const DAY = 86_400_000;
/** The largest |epoch ms| a Date holds (ECMA-262 time range). */
const MAX_TIME = 8.64e15;

const TOTAL: PeriodSlot = Object.freeze({ id: 'total', startsAt: undefined, endsAt: undefined });

/** True when Intl accepts `timeZone` (IANA names such as 'Europe/Berlin', 'UTC', or offsets such as '+05:30'). */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || timeZone === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Compiles a clock for one zone: validates it once and keeps its Intl.DateTimeFormat, so the
 * per-call cost is a field check while the current period lasts.
 */
export function createPeriodClock(timeZone = 'UTC'): PeriodClock {
  return new ZonePeriodClock(timeZone);
}

class ZonePeriodClock implements PeriodClock {
  readonly timeZone: string;
  readonly #format: Intl.DateTimeFormat;
  // The last slot handed out per period: budgets ask on every governed call.
  readonly #last: Record<CalendarPeriod, CalendarSlot | undefined> = { day: undefined, week: undefined, month: undefined };

  constructor(timeZone: string) {
    if (!isValidTimeZone(timeZone)) {
      throw new RangeError(`Switchyard: unknown time zone ${JSON.stringify(timeZone)}; expected an IANA time zone name such as 'UTC' or 'Europe/Berlin'.`);
    }
    this.timeZone = timeZone;
    // h23 so midnight reads 00, not 24; the era tells BC years apart (Intl prints them unsigned).
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  slot(period: BudgetPeriod, nowMs: number): PeriodSlot {
    if (period === 'total') return TOTAL;
    const last = this.#last[period];
    // NaN fails both comparisons and falls through to the checks below.
    if (last !== undefined && nowMs >= last.startsAt && nowMs < last.endsAt) return last;
    const next = this.#compute(period, nowMs);
    this.#last[period] = next;
    return next;
  }

  #compute(period: CalendarPeriod, nowMs: number): CalendarSlot {
    if (!Number.isFinite(nowMs) || Math.abs(nowMs) > MAX_TIME) {
      throw new RangeError(`Switchyard: cannot find a budget period for time ${String(nowMs)}; expected epoch milliseconds.`);
    }
    const { year, month, day } = this.#wallParts(nowMs);
    const today = daysFromCivil(year, month, day);
    let id: string;
    let firstDay: number;
    let nextFirstDay: number;
    switch (period) {
      case 'day':
        id = `${formatYear(year)}-${pad2(month)}-${pad2(day)}`;
        firstDay = today;
        nextFirstDay = today + 1;
        break;
      case 'week': {
        firstDay = today - isoWeekday(today);
        nextFirstDay = firstDay + 7;
        // ISO 8601: a week belongs to the year holding its Thursday; week 1 holds the year's first Thursday.
        const thursday = firstDay + 3;
        const weekYear = thursday >= daysFromCivil(year + 1, 1, 1) ? year + 1 : thursday < daysFromCivil(year, 1, 1) ? year - 1 : year;
        const week = Math.floor((thursday - daysFromCivil(weekYear, 1, 1)) / 7) + 1;
        id = `${formatYear(weekYear)}-W${pad2(week)}`;
        break;
      }
      case 'month':
        id = `${formatYear(year)}-${pad2(month)}`;
        firstDay = daysFromCivil(year, month, 1);
        nextFirstDay = month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1);
        break;
      default:
        throw new RangeError(`Switchyard: unknown budget period ${JSON.stringify(period)}; expected 'day', 'week', 'month' or 'total'.`);
    }
    // Where midnight repeats (clocks back at 01:00), the period starts at its first occurrence.
    const starts = this.#instantsOfWall(firstDay * DAY);
    const startsAt = starts.find((t) => t <= nowMs);
    const endsAt = this.#instantsOfWall(nextFirstDay * DAY).find((t) => t > nowMs);
    // Guards the cache invariant (startsAt <= now < endsAt) against a zone history the search
    // below cannot model (two transitions within a day of each other); real zones do not reach it.
    return Object.freeze({
      id,
      startsAt: startsAt ?? Math.floor(nowMs),
      endsAt: endsAt ?? Math.floor(nowMs) + 1,
    });
  }

  /**
   * The instants whose local wall time is `wall` (local time written as if it were UTC epoch ms),
   * earliest first: one usually, two where clocks went back over it. Where clocks jumped over it
   * (a DST gap, or a skipped day), the one instant the jump lands on: the first that exists locally after it.
   */
  #instantsOfWall(wall: number): number[] {
    // The offsets a day either side cover every instant that can show `wall` (|offset| < 1 day);
    // an offset that does not reproduce `wall` is itself a candidate (a transition in between).
    const pending = [this.#offsetAt(wall - DAY), this.#offsetAt(wall + DAY)];
    const tried = new Set<number>();
    const found: number[] = [];
    let before: number | undefined; // latest instant tried whose wall time is earlier than `wall`
    let after: number | undefined; // earliest instant tried whose wall time is later than `wall`
    for (let offset = pending.pop(); offset !== undefined && tried.size < 8; offset = pending.pop()) {
      if (tried.has(offset)) continue;
      tried.add(offset);
      const instant = wall - offset;
      const actual = this.#offsetAt(instant);
      if (actual === offset) {
        found.push(instant);
        continue;
      }
      pending.push(actual);
      if (instant + actual < wall) before = before === undefined ? instant : Math.max(before, instant);
      else after = after === undefined ? instant : Math.min(after, instant);
    }
    if (found.length > 0) return found.sort((a, b) => a - b);
    if (before === undefined || after === undefined || before >= after) return [];
    // In a gap: bisect to the transition, the first second whose wall time is at or after `wall`.
    // Offsets and transitions are whole seconds, so second steps find it exactly.
    let low = before;
    let high = after;
    while (high - low > SECOND) {
      const mid = low + Math.floor((high - low) / (2 * SECOND)) * SECOND;
      if (mid + this.#offsetAt(mid) >= wall) high = mid;
      else low = mid;
    }
    return [high];
  }

  /** The zone's offset from UTC at `instant`, in ms (whole seconds: Intl shows no finer). */
  #offsetAt(instant: number): number {
    const second = Math.floor(Math.min(MAX_TIME, Math.max(-MAX_TIME, instant)) / SECOND) * SECOND;
    const { year, month, day, hour, minute, secondOfMinute } = this.#wallParts(second);
    return daysFromCivil(year, month, day) * DAY + ((hour * 60 + minute) * 60 + secondOfMinute) * SECOND - second;
  }

  #wallParts(instant: number) {
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let secondOfMinute = 0;
    let bc = false;
    for (const part of this.#format.formatToParts(instant)) {
      switch (part.type) {
        case 'year':
          year = Number(part.value);
          break;
        case 'month':
          month = Number(part.value);
          break;
        case 'day':
          day = Number(part.value);
          break;
        case 'hour':
          // Some ICU builds print midnight as 24 despite h23.
          hour = Number(part.value) % 24;
          break;
        case 'minute':
          minute = Number(part.value);
          break;
        case 'second':
          secondOfMinute = Number(part.value);
          break;
        case 'era':
          bc = part.value === 'BC';
          break;
      }
    }
    // Astronomical numbering (1 BC is year 0), as the day arithmetic expects.
    if (bc) year = 1 - year;
    return { year, month, day, hour, minute, secondOfMinute };
  }
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1–12); H. Hinnant's algorithm, exact for any year. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1; // counted from March 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** 0 for Monday … 6 for Sunday (1970-01-01 was a Thursday). */
function isoWeekday(days: number): number {
  return (((days + 3) % 7) + 7) % 7;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** Four digits, or ISO 8601's signed six outside 0000–9999 (as Date#toISOString writes them). */
function formatYear(year: number): string {
  if (year >= 0 && year <= 9999) return String(year).padStart(4, '0');
  return `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}`;
}
