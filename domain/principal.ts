import { z } from 'zod';
import type { Actor } from './case';
import type { Stage } from './vocabulary';

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
  /** Its stage as last projected (none for a case not written yet). */
  stage?: Stage;
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
      return (
        inRegions(p.scope, c.region) &&
        (c.supervisorId === p.subject || Boolean(c.caseManagerId && p.scope.teams?.includes(c.caseManagerId)))
      );
    case 'case_manager':
      return inRegions(p.scope, c.region) && (c.caseManagerId === p.subject || c.members.includes(p.subject));
    case 'integration':
      return (
        c.openedBy === p.subject ||
        c.providers.includes(p.subject) ||
        Boolean(p.scope.regions?.length && p.scope.regions.includes(c.region))
      );
  }
}

/** What a write sets of where a case is and who works on it (the fields the caller's scope must reach). */
export interface ScopedWrite {
  region?: string;
  caseManagerId?: string;
  supervisorId?: string;
  /** Staff ids of the team besides the lead (they replace the current ones). */
  members?: string[];
}

/** A case as it is before its opening: in its region, opened by the caller, nobody on it yet. */
export function newCase(p: Principal, region: string): CaseAccess {
  return { region, members: [], openedBy: p.subject, providers: [] };
}

function caseAfterWrite(before: CaseAccess, write: ScopedWrite): CaseAccess {
  return {
    ...before,
    region: write.region ?? before.region,
    caseManagerId: write.caseManagerId ?? before.caseManagerId,
    supervisorId: write.supervisorId ?? before.supervisorId,
    members: write.members ?? before.members,
  };
}

/**
 * What of a write lies outside the caller's scope, as "field value" (empty when nothing does). It is
 * the read rule, applied to the result: the region must be one of the caller's, and the case as the
 * write leaves it must be one canAccessCase lets the caller act on. So nobody opens, records or
 * hands on work that they (and their team) could not then see: a case manager may lead only their
 * own cases; a supervisor may assign within their team, or while they keep supervising the case; a
 * head may assign anyone within their regions. `before` is the case written to (newCase for an
 * opening), or none for a write without a case (a one-off contact).
 */
export function writeOutOfScope(p: Principal, write: ScopedWrite, before?: CaseAccess): string[] {
  if (p.role === 'admin') return [];
  // A tool without regions may open anywhere (it keeps the cases it opened); with regions, only there.
  if (write.region !== undefined && !inRegions(p.scope, write.region)) return [`region ${write.region}`];
  if (!before || canAccessCase(p, caseAfterWrite(before, write))) return [];
  const named = (['caseManagerId', 'supervisorId'] as const)
    .filter((f) => write[f] !== undefined)
    .map((f) => `${f} ${write[f]}`);
  if (write.members) named.push(`members ${write.members.join(', ')}`);
  // Only an opening can leave a case out of reach without naming anyone: nobody in scope would lead it.
  return named.length ? named : ['the team: nobody in your scope would lead or supervise the case'];
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
export function subscriptionFor(
  p: Principal,
  r: SubscriptionRequest,
): { owner: string; regions: string[]; providerId?: string } | SubscriptionRefusal {
  if (p.role === 'admin') return { owner: r.owner ?? p.subject, regions: r.regions ?? [], providerId: r.providerId };
  const scopeRegions = p.scope.regions ?? [];
  const regions = r.regions ?? (r.providerId ? [] : scopeRegions);
  const refusal: SubscriptionRefusal = [];
  if (r.owner !== undefined && r.owner !== p.subject)
    refusal.push({ path: 'owner', message: `a tool's subscriptions are its own (${p.subject})` });
  if (r.providerId !== undefined && r.providerId !== p.subject)
    refusal.push({ path: 'providerId', message: `a tool hears only about referrals addressed to it (${p.subject})` });
  regions.forEach((region, i) => {
    if (!scopeRegions.includes(region))
      refusal.push({ path: `regions[${i}]`, message: `${region} is outside the key's scope` });
  });
  if (!r.providerId && regions.length === 0)
    refusal.push({ path: 'regions', message: "name regions of the key's scope, or providerId (the key's subject)" });
  return refusal.length ? refusal : { owner: p.subject, regions, providerId: r.providerId };
}
