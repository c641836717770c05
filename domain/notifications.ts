import type { CaseEvent, CaseState } from './case';
import type { DeadlineKind, DeadlineOwner } from './vocabulary';

/**
 * Who hears about which change, and what they read, in Ukrainian and English. Texts name the case
 * and its deadline, never the person: notifications travel to inboxes and phones.
 */
export interface Notification {
  recipientRole: DeadlineOwner;
  recipientId: string;
  kind: string;
  titleUk: string;
  titleEn: string;
}

/** A deadline in Kyiv time: as Ukrainians write it (01.12.26, 18:00), and in English with its zone (1 Dec 2026, 18:00 EET). */
const kyivDate = (iso: unknown) =>
  typeof iso === 'string'
    ? new Date(iso).toLocaleString('uk-UA', { timeZone: 'Europe/Kyiv', dateStyle: 'short', timeStyle: 'short' })
    : '';
const kyivDateEn = (iso: unknown) =>
  typeof iso === 'string'
    ? new Date(iso).toLocaleString('en-GB', {
        timeZone: 'Europe/Kyiv',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'short',
      })
    : '';

const deadlineNames: Record<DeadlineKind, [string, string]> = {
  first_contact: ['перший контакт', 'first contact'],
  screening: ['рішення щодо звернення', 'screening decision'],
  assessment: ['оцінка потреб', 'needs assessment'],
  plan: ['індивідуальний план', 'individual plan'],
  plan_approval: ['затвердження плану', 'plan approval'],
  referral_ack: ['відповідь на направлення', 'referral answer'],
  review: ['моніторинговий перегляд', 'monitoring review'],
  support_limit: ['граничний строк супроводу', 'support limit'],
  closure_approval: ['затвердження закриття', 'closure approval'],
  escalation_response: ['відповідь на ескалацію', 'escalation answer'],
  post_closure_check_in: ['контроль після закриття', 'post-closure check-in'],
};

/** The inbox of the head of the service for a region (heads are addressed by role). */
export const headInbox = (region: string) => `head:${region}`;

export function notificationsFor(e: CaseEvent, s: CaseState): Notification[] {
  const short = s.caseId.slice(0, 8);
  const cm = s.team.caseManagerId;
  const sup = s.team.supervisorId;
  const who = (role: Notification['recipientRole']): string | undefined =>
    role === 'case_manager' ? cm : role === 'supervisor' ? sup : headInbox(s.region);
  const to = (role: Notification['recipientRole'], kind: string, uk: string, en: string): Notification[] => {
    const id = who(role);
    return id
      ? [
          {
            recipientRole: role,
            recipientId: id,
            kind,
            titleUk: `Справа ${short}: ${uk}`,
            titleEn: `Case ${short}: ${en}`,
          },
        ]
      : [];
  };
  const d = e.data;
  const [nameUk, nameEn] = deadlineNames[d.kind as DeadlineKind] ?? [String(d.kind), String(d.kind)];
  switch (e.type) {
    case 'reminder':
      return to(
        d.to as Notification['recipientRole'],
        'reminder',
        `нагадування — ${nameUk} до ${kyivDate(d.dueAt)}`,
        `reminder — ${nameEn} due ${kyivDateEn(d.dueAt)}`,
      );
    case 'escalation_opened':
      return [
        ...to(
          d.level as Notification['recipientRole'],
          'escalation',
          `ескалація — прострочено: ${nameUk}; відповідь до ${kyivDate(d.respondBy)}`,
          `escalation — overdue: ${nameEn}; answer by ${kyivDateEn(d.respondBy)}`,
        ),
        ...(d.level === 'supervisor'
          ? to(
              'case_manager',
              'escalation',
              `прострочено: ${nameUk}, повідомлено керівника`,
              `overdue: ${nameEn}, supervisor informed`,
            )
          : []),
      ];
    case 'escalation_raised':
      return to(
        'head',
        'escalation',
        `ескалацію передано керівнику служби; відповідь до ${kyivDate(d.respondBy)}`,
        `escalation passed to the head of service; answer by ${kyivDateEn(d.respondBy)}`,
      );
    case 'escalation_unanswered':
      return to('head', 'escalation', 'ескалація залишилась без відповіді', 'escalation left unanswered');
    case 'referral_stale':
      return to(
        'case_manager',
        'referral',
        `направлення ${String(d.referralId)} без відповіді надавача`,
        `referral ${String(d.referralId)} not answered by the provider`,
      );
    case 'referral_declined':
      return to(
        'case_manager',
        'referral',
        `надавач відхилив направлення ${String(d.referralId)}`,
        `provider declined referral ${String(d.referralId)}`,
      );
    case 'plan_submitted':
      return d.approvalRequired ? to('supervisor', 'approval', 'план очікує затвердження', 'plan awaits approval') : [];
    case 'plan_returned':
      return to('case_manager', 'approval', 'план повернуто з коментарями', 'plan returned with comments');
    case 'closure_requested':
      return to('supervisor', 'approval', 'запит на закриття справи', 'closure requested');
    case 'closure_returned':
      return to('case_manager', 'approval', 'закриття повернуто', 'closure returned');
    case 'check_in_due':
      return to('case_manager', 'reminder', 'час контролю після закриття', 'post-closure check-in due');
    case 'team_changed':
      return cm && e.actor.id !== cm
        ? to('case_manager', 'assignment', 'вас призначено відповідальним', 'you are now the lead case manager')
        : [];
    default:
      return [];
  }
}
