/**
 * Working-day arithmetic against a holiday calendar, in the service's time zone. Pure and
 * deterministic (Intl's time-zone data, no clock), so workflows compute due dates with it. No zod
 * here: the calendar's schema is in domain/policy.ts (see domain/vocabulary.ts for why).
 */
import type { Calendar, PolicyDuration } from './policy';

export type { Calendar, PolicyDuration } from './policy';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Remembered local times: a case recomputes its deadlines from the same instants at every task, and
 * `formatToParts` was the largest part of that. A pure function's results, so remembering them
 * changes nothing but the time taken; bounded, and cleared when full.
 */
const partsSeen = new Map<string, Readonly<LocalParts>>();
const PARTS_REMEMBERED = 2_000;

function localParts(ms: number, timeZone: string): Readonly<LocalParts> {
  const key = `${timeZone}|${ms}`;
  const seen = partsSeen.get(key);
  if (seen) return seen;
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const result = {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
  if (partsSeen.size >= PARTS_REMEMBERED) partsSeen.clear();
  partsSeen.set(key, result);
  return result;
}

/** The UTC instant of a local wall-clock time in `timeZone` (two passes settle DST changes). */
export function zonedTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): number {
  const wanted = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wanted;
  for (let i = 0; i < 2; i++) {
    const p = localParts(guess, timeZone);
    const seen = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    guess += wanted - seen;
  }
  return guess;
}

/** The local date (YYYY-MM-DD) of an instant. */
export function localDate(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

function shiftDate(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  return new Date(d.getTime() + days * DAY).toISOString().slice(0, 10);
}

export function isWorkingDay(date: string, cal: Calendar): boolean {
  if (cal.holidays.includes(date)) return false;
  if (cal.workingWeekends.includes(date)) return true;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The end of the Nth working day after `fromMs` (the day it starts on does not count, as in law:
 * "within 5 working days of the application"). Zero working days: the end of that same day.
 */
export function addWorkingDays(fromMs: number, n: number, cal: Calendar): number {
  let date = localDate(fromMs, cal.timeZone);
  let left = n;
  while (left > 0) {
    date = shiftDate(date, 1);
    if (isWorkingDay(date, cal)) left -= 1;
  }
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = cal.endOfDay.split(':').map(Number) as [number, number];
  return zonedTime(y, m, d, hh, mm, cal.timeZone);
}

function addMonths(fromMs: number, months: number, cal: Calendar): number {
  const p = localParts(fromMs, cal.timeZone);
  const target = new Date(Date.UTC(p.year, p.month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return zonedTime(
    target.getUTCFullYear(),
    target.getUTCMonth() + 1,
    Math.min(p.day, lastDay),
    p.hour,
    p.minute,
    cal.timeZone,
  );
}

/** `fromMs` plus a policy duration. */
export function addDuration(fromMs: number, d: PolicyDuration, cal: Calendar): number {
  if ('workingDays' in d) return addWorkingDays(fromMs, d.workingDays, cal);
  if ('hours' in d) return fromMs + d.hours * HOUR;
  if ('days' in d) return fromMs + d.days * DAY;
  return addMonths(fromMs, d.months, cal);
}

/** `dueMs` minus a policy duration, counting working days backwards where asked. */
export function subtractDuration(dueMs: number, d: PolicyDuration, cal: Calendar): number {
  if ('hours' in d) return dueMs - d.hours * HOUR;
  if ('days' in d) return dueMs - d.days * DAY;
  if ('months' in d) return addMonths(dueMs, -d.months, cal);
  let date = localDate(dueMs, cal.timeZone);
  let left = d.workingDays;
  while (left > 0) {
    date = shiftDate(date, -1);
    if (isWorkingDay(date, cal)) left -= 1;
  }
  const p = localParts(dueMs, cal.timeZone);
  const [y, m, dd] = date.split('-').map(Number) as [number, number, number];
  return zonedTime(y, m, dd, p.hour, p.minute, cal.timeZone);
}
