import { addDuration, addWorkingDays, isWorkingDay, localDate, subtractDuration } from '../../domain/calendar';
import { calendarSchema } from '../../domain/policy';

const kyiv = calendarSchema.parse({ timeZone: 'Europe/Kyiv' });
const at = (s: string) => Date.parse(s);
const iso = (ms: number) => new Date(ms).toISOString();

describe('working-day calendar', () => {
  it('counts 5 working days from a Friday to the end of the next Friday, Kyiv time', () => {
    // Friday 20 Nov 2026, 10:00 Kyiv (UTC+2) → Friday 27 Nov, 18:00 Kyiv
    expect(iso(addWorkingDays(at('2026-11-20T08:00:00Z'), 5, kyiv))).toBe('2026-11-27T16:00:00.000Z');
  });

  it('skips holidays and works transferred weekends', () => {
    const cal = calendarSchema.parse({
      timeZone: 'Europe/Kyiv',
      holidays: ['2026-11-25'],
      workingWeekends: ['2026-11-28'],
    });
    expect(isWorkingDay('2026-11-25', cal)).toBe(false);
    expect(isWorkingDay('2026-11-28', cal)).toBe(true);
    // Fri → Mon, Tue, (Wed off), Thu, Fri, Sat (worked) = 5
    expect(iso(addWorkingDays(at('2026-11-20T08:00:00Z'), 5, cal))).toBe('2026-11-28T16:00:00.000Z');
  });

  it('follows daylight saving time', () => {
    // Kyiv moves to UTC+3 on 29 March 2026: Friday 27 March + 1 working day = Monday 30 March 18:00 (15:00 UTC)
    expect(iso(addWorkingDays(at('2026-03-27T09:00:00Z'), 1, kyiv))).toBe('2026-03-30T15:00:00.000Z');
  });

  it('uses the local date, not the UTC date', () => {
    expect(localDate(at('2026-11-20T23:30:00Z'), 'Europe/Kyiv')).toBe('2026-11-21');
  });

  it('adds hours, days and months', () => {
    const t = at('2026-08-31T07:00:00Z');
    expect(addDuration(t, { hours: 24 }, kyiv) - t).toBe(24 * 3600 * 1000);
    expect(addDuration(t, { days: 30 }, kyiv) - t).toBe(30 * 24 * 3600 * 1000);
    // 31 August + 6 months = 28 February (no 31 February), same local time (10:00 Kyiv, now UTC+2)
    expect(iso(addDuration(t, { months: 6 }, kyiv))).toBe('2027-02-28T08:00:00.000Z');
  });

  it('counts working days backwards for reminders', () => {
    // Monday 23 Nov 18:00 minus 1 working day = Friday 20 Nov 18:00
    expect(iso(subtractDuration(at('2026-11-23T16:00:00Z'), { workingDays: 1 }, kyiv))).toBe(
      '2026-11-20T16:00:00.000Z',
    );
  });
});
