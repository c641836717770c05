import type { Pool } from 'pg';

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
    async inbox(recipients: string[], opts: { unreadOnly: boolean; language: 'uk' | 'en'; limit: number }): Promise<InboxItem[]> {
      const r = await pool.query<{ notification_id: string; case_id: string; kind: string; title_uk: string; title_en: string; created_at: Date; read_at: Date | null }>(
        `SELECT notification_id, case_id, kind, title_uk, title_en, created_at, read_at FROM notifications
          WHERE recipient_id = ANY($1) AND ($2::boolean IS FALSE OR read_at IS NULL)
          ORDER BY created_at DESC, notification_id DESC LIMIT $3`,
        [recipients, opts.unreadOnly, opts.limit],
      );
      return r.rows.map((n) => ({
        notificationId: String(n.notification_id), caseId: n.case_id, kind: n.kind, title: opts.language === 'uk' ? n.title_uk : n.title_en,
        createdAt: n.created_at.toISOString(), readAt: n.read_at?.toISOString(),
      }));
    },

    async markRead(notificationId: string, recipients: string[]): Promise<boolean> {
      const r = await pool.query('UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE notification_id = $1 AND recipient_id = ANY($2)', [notificationId, recipients]);
      return (r.rowCount ?? 0) > 0;
    },
  };
}
export type NotificationRepository = ReturnType<typeof createNotificationRepository>;
