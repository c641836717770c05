import { z } from 'zod';
import type { Actor } from './case';

export const roles = ['case_manager', 'supervisor', 'head', 'integration', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Where a key may act: regions (oblasts) and teams; empty means everywhere. */
export const scopeSchema = z.object({
  regions: z.array(z.string().min(1)).optional(),
  teams: z.array(z.string().min(1)).optional(),
});
export type Scope = z.infer<typeof scopeSchema>;

/** Who is calling: resolved from the API key on every request. */
export interface Principal {
  keyId: string;
  role: Role;
  /** Staff id of a person, or the id of a tool (integration). */
  subject: string;
  scope: Scope;
  actor: Actor;
}

export function actorFor(role: Role, subject: string): Actor {
  return { kind: role === 'integration' ? 'tool' : 'person', id: subject };
}
