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

/** What decides who may see and steer a case (read from the projection). */
export interface CaseAccess {
  region: string;
  caseManagerId?: string;
  supervisorId?: string;
  /** Staff on the case's team besides the lead. */
  members: string[];
  /** The person or tool that opened it. */
  openedBy: string;
  /** Providers the case has sent referrals to. */
  providers: string[];
}

const inRegions = (scope: Scope, region: string) => !scope.regions?.length || scope.regions.includes(region);

/**
 * Whether a principal may act on a case: an administrator on all; the head of a service on the
 * cases of its regions; a supervisor on the cases they supervise or whose case manager is in their
 * team (scope.teams); a case manager on their own cases and those whose team they are on; a tool on
 * the cases it opened, referrals addressed to it (a provider), or the regions of its scope.
 */
export function canAccessCase(p: Principal, c: CaseAccess): boolean {
  switch (p.role) {
    case 'admin':
      return true;
    case 'head':
      return inRegions(p.scope, c.region);
    case 'supervisor':
      return inRegions(p.scope, c.region) && (c.supervisorId === p.subject || Boolean(c.caseManagerId && p.scope.teams?.includes(c.caseManagerId)));
    case 'case_manager':
      return inRegions(p.scope, c.region) && (c.caseManagerId === p.subject || c.members.includes(p.subject));
    case 'integration':
      return c.openedBy === p.subject || c.providers.includes(p.subject) || Boolean(p.scope.regions?.length && p.scope.regions.includes(c.region));
  }
}

/** A subscription's filters and whose it is, as a caller asks for them. */
export interface SubscriptionRequest {
  owner?: string;
  regions?: string[];
  providerId?: string;
}

/** Why a caller may not have a subscription, field by field (empty: it may). */
export type SubscriptionRefusal = { path: string; message: string }[];

/**
 * What a subscription of this caller hears, decided as canAccessCase decides what it reads: an
 * administrator any events, for any owner; a tool only its own subscriptions, and only events of
 * the cases it may read as a whole: referrals addressed to it (providerId = its id), or the regions
 * of its scope (the default when it names none). A tool's "cases it opened" has no filter yet.
 */
export function subscriptionFor(p: Principal, r: SubscriptionRequest): { owner: string; regions: string[]; providerId?: string } | SubscriptionRefusal {
  if (p.role === 'admin') return { owner: r.owner ?? p.subject, regions: r.regions ?? [], providerId: r.providerId };
  const scopeRegions = p.scope.regions ?? [];
  const regions = r.regions ?? (r.providerId ? [] : scopeRegions);
  const refusal: SubscriptionRefusal = [];
  if (r.owner !== undefined && r.owner !== p.subject) refusal.push({ path: 'owner', message: `a tool's subscriptions are its own (${p.subject})` });
  if (r.providerId !== undefined && r.providerId !== p.subject) refusal.push({ path: 'providerId', message: `a tool hears only about referrals addressed to it (${p.subject})` });
  regions.forEach((region, i) => {
    if (!scopeRegions.includes(region)) refusal.push({ path: `regions[${i}]`, message: `${region} is outside the key's scope` });
  });
  if (!r.providerId && regions.length === 0) refusal.push({ path: 'regions', message: "name regions of the key's scope, or providerId (the key's subject)" });
  return refusal.length ? refusal : { owner: p.subject, regions, providerId: r.providerId };
}
