import { z } from 'zod';
import { headInbox } from '../../domain/notifications';
import type { Principal } from '../../domain/principal';
import { languages } from '../../domain/vocabulary';
import { principalOf } from '../auth';
import { people } from '../authorization';
import type { ApiDeps } from '../deps';
import { HttpProblem } from '../problem';
import { defineRoute, type AnyRoute } from '../route';

/** A person's own inbox; the head of a service also reads their regions' inboxes. */
const recipients = (p: Principal) => [p.subject, ...(p.role === 'head' ? (p.scope.regions ?? []).map(headInbox) : [])];

export function notificationRoutes(deps: ApiDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/notifications',
      operationId: 'myNotifications',
      summary: 'My reminders, escalations and approvals to give',
      tags: ['notifications'],
      access: people,
      query: z.object({
        unread: z
          .enum(['true', 'false'])
          .default('false')
          .transform((v) => v === 'true'),
        lang: z.enum(languages).default('uk'),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      responses: {
        200: {
          description: 'Newest first',
          schema: z.object({
            notifications: z.array(
              z.object({
                notificationId: z.string(),
                caseId: z.uuid(),
                kind: z.string(),
                title: z.string(),
                createdAt: z.iso.datetime(),
                readAt: z.iso.datetime().optional(),
              }),
            ),
          }),
        },
      },
      handle: async ({ query }, _req, res) => {
        const notifications = await deps.notifications.inbox(recipients(principalOf(res)), {
          unreadOnly: query.unread,
          language: query.lang,
          limit: query.limit,
        });
        res.json({ notifications });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/notifications/:notificationId/read',
      operationId: 'markNotificationRead',
      summary: 'Mark one of my notifications read',
      tags: ['notifications'],
      access: people,
      params: z.object({ notificationId: z.string().regex(/^\d{1,18}$/) }),
      responses: { 204: { description: 'Marked' } },
      handle: async ({ params }, _req, res) => {
        if (!(await deps.notifications.markRead(params.notificationId, recipients(principalOf(res)))))
          throw new HttpProblem(404, 'Not found');
        res.status(204).end();
      },
    }),
  ];
}
