import type { Pool } from 'pg';
import type { Language } from '../domain/vocabulary';

export interface InboxItem {
  notificationId: string;
  caseId: string;
  kind: string;
  title: string;
  createdAt: string;
  readAt?: string;
}

/** Each person's notifications (and, for the head of a service, their region's inbox). */
export function createNotificationRepository(pool: Pool) {
  return {
    async inbox(
      recipients: string[],
      opts: { unreadOnly: boolean; language: Language; limit: number },
    ): Promise<InboxItem[]> {
      // A title names its case by the start of its id (written with the change, before the case had
      // a number): shown with the case's readable number instead, now that it has one.
      const r = await pool.query<{
        notification_id: string;
        case_id: string;
        kind: string;
        title_uk: string;
        title_en: string;
        created_at: Date;
        read_at: Date | null;
      }>(
        `SELECT n.notification_id, n.case_id, n.kind, n.created_at, n.read_at,
                replace(n.title_uk, ' ' || left(n.case_id::text, 8) || ':', ' ' || coalesce(c.case_number, left(n.case_id::text, 8)) || ':') AS title_uk,
                replace(n.title_en, ' ' || left(n.case_id::text, 8) || ':', ' ' || coalesce(c.case_number, left(n.case_id::text, 8)) || ':') AS title_en
           FROM notifications n LEFT JOIN cases c USING (case_id)
          WHERE n.recipient_id = ANY($1) AND ($2::boolean IS FALSE OR n.read_at IS NULL)
          ORDER BY n.created_at DESC, n.notification_id DESC LIMIT $3`,
        [recipients, opts.unreadOnly, opts.limit],
      );
      return r.rows.map((n) => ({
        notificationId: String(n.notification_id),
        caseId: n.case_id,
        kind: n.kind,
        title: opts.language === 'uk' ? n.title_uk : n.title_en,
        createdAt: n.created_at.toISOString(),
        readAt: n.read_at?.toISOString(),
      }));
    },

    async markRead(notificationId: string, recipients: string[]): Promise<boolean> {
      const r = await pool.query(
        'UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE notification_id = $1 AND recipient_id = ANY($2)',
        [notificationId, recipients],
      );
      return (r.rowCount ?? 0) > 0;
    },
  };
}
export type NotificationRepository = ReturnType<typeof createNotificationRepository>;
