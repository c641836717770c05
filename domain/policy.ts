import { z } from 'zod';
import { DEFAULT_BACKDATING_LIMIT_DAYS } from './vocabulary';
export { forPriority } from './vocabulary';

/** The calendar against which working days are counted, in the service's time zone (domain/calendar.ts does the arithmetic). */
export const calendarSchema = z.object({
  timeZone: z.string().min(1).default('Europe/Kyiv'),
  /** Public holidays and other days off, as local dates (YYYY-MM-DD). */
  holidays: z.array(z.iso.date()).default([]),
  /** Days that are worked although they fall on a weekend (transferred working days). */
  workingWeekends: z.array(z.iso.date()).default([]),
  /** A working-day deadline falls due at this local time of its last day. */
  endOfDay: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .default('18:00'),
});
export type Calendar = z.infer<typeof calendarSchema>;

/** How long something may take: working days (against the calendar), hours, calendar days or months. */
export const durationSchema = z.union([
  z.object({ workingDays: z.number().int().min(0).max(366) }).strict(),
  z
    .object({
      hours: z
        .number()
        .positive()
        .max(24 * 366),
    })
    .strict(),
  z.object({ days: z.number().int().min(0).max(3660) }).strict(),
  z.object({ months: z.number().int().min(0).max(120) }).strict(),
]);
export type PolicyDuration = z.infer<typeof durationSchema>;

/**
 * The deadline policy: every due date of a case comes from here, never from code. Versioned; a
 * case records the version it was opened under and keeps following it. Administrators publish new
 * versions (and holiday calendars) without a deploy.
 */
const perPriority = z.object({ routine: durationSchema, urgent: durationSchema, crisis: durationSchema });

export const policySchema = z.object({
  version: z.string().min(1).max(50),
  calendar: calendarSchema,
  /** From opening to the first contact with the person. */
  firstContact: perPriority,
  /** From opening to the decision to take the case into case management (or to serve it once). */
  screeningDecision: perPriority,
  /** From opening (the application) to the needs assessment: law No. 2671-VIII art. 20(2), 5 working days. */
  assessment: perPriority,
  /** From the assessment to the individual plan, agreed with the client. */
  plan: perPriority,
  /** Whether a supervisor must approve the plan, per priority. */
  planApprovalRequired: z.object({ routine: z.boolean(), urgent: z.boolean(), crisis: z.boolean() }),
  /** From sending a referral to the provider's answer; after that the referral goes stale. */
  referralAcknowledgement: perPriority,
  /** Between monitoring reviews. */
  monitoringInterval: durationSchema,
  /** Longest social support from the start of case management before the supervisor must extend or close (6 months, MSP order No. 318). */
  maxSupport: durationSchema,
  /** How long a supervisor has to answer an escalation or an approval request. */
  supervisorResponse: perPriority,
  /** How long the head of the service has to answer an escalation passed up to them. */
  headResponse: durationSchema,
  /** How long before a deadline the case manager gets a reminder (at most half of the time given). */
  reminderBefore: durationSchema,
  /**
   * Reminders spread over this many minutes before their moment (`reminderBefore`), each case at
   * its own place, so a whole day's cases with deadlines at the same end of day are not reminded in
   * the same second (a herd of timers the worker drains one by one). A reminder is never later than
   * without it. None in policies published without it: their cases keep the moment they had.
   */
  reminderWindowMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .optional(),
  /** A check-in with the person after closure, or none. */
  postClosureCheckIn: durationSchema.nullable(),
  /** How long a closed case stays open to reopening in place before its workflow completes. */
  closedRetention: durationSchema,
  /** How many days back a command may say something happened (`occurredAt`); field work is often recorded later, from paper. */
  backdatingLimitDays: z.number().int().min(0).max(3_660).default(DEFAULT_BACKDATING_LIMIT_DAYS),
});
export type Policy = z.infer<typeof policySchema>;

const wd = (n: number): PolicyDuration => ({ workingDays: n });
const h = (n: number): PolicyDuration => ({ hours: n });

/**
 * The defaults shipped with Suprovid, from Ukrainian law and practice (docs/CASE-WORKFLOW.md, "Deadlines"): assessment
 * within 5 working days (crisis: 1 day), decision within 10 working days (crisis: 1 day), support
 * for 6 months before it must be extended. Holidays are left to the administrator: under martial
 * law public holidays are working days.
 */
export const defaultPolicy: Policy = policySchema.parse({
  version: 'ua-2026.3',
  calendar: { timeZone: 'Europe/Kyiv', holidays: [], workingWeekends: [], endOfDay: '18:00' },
  firstContact: { routine: wd(2), urgent: wd(1), crisis: h(4) },
  screeningDecision: { routine: wd(10), urgent: wd(5), crisis: h(24) },
  assessment: { routine: wd(5), urgent: wd(3), crisis: h(24) },
  plan: { routine: wd(10), urgent: wd(5), crisis: wd(2) },
  planApprovalRequired: { routine: true, urgent: true, crisis: true },
  referralAcknowledgement: { routine: wd(5), urgent: wd(2), crisis: wd(1) },
  monitoringInterval: { days: 30 },
  maxSupport: { months: 6 },
  supervisorResponse: { routine: wd(2), urgent: wd(1), crisis: h(4) },
  headResponse: wd(3),
  reminderBefore: wd(1),
  reminderWindowMinutes: 15,
  postClosureCheckIn: { days: 90 },
  closedRetention: { days: 365 },
  backdatingLimitDays: DEFAULT_BACKDATING_LIMIT_DAYS,
});
