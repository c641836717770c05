import { z } from 'zod';
import { durationSchema, policySchema, type Policy } from './policy';
import {
  agreementForms,
  caseSources,
  checkInOutcomes,
  closureOutcomes,
  closureReasons,
  currentNeedDomain,
  deadlineKinds,
  deadlineOwners,
  escalationLevels,
  escalationStatuses,
  needDomains,
  needLevels,
  planStatuses,
  priorities,
  referralStatuses,
  renamedNeedDomains,
  reviewOutcomes,
  screeningDecisions,
  serviceCategories,
  stages,
  teamModels,
  type CaseEventType,
  type ImportStage,
  type NeedDomain,
} from './vocabulary';

/**
 * The case and its vocabulary, in the field's words (docs/CASE-WORKFLOW.md). Pure and deterministic:
 * imported by workflows, activities and the API alike. zod is the one source of each shape: the
 * workflow's validators, the API's parsing and the OpenAPI document all use these schemas.
 */
export {
  activeStages,
  closureReasons,
  needDomains,
  priorities,
  serviceCategories,
  stages,
  systemActor,
  teamModels,
} from './vocabulary';
export type { Priority, Stage } from './vocabulary';

/** Who did something: a person (by staff id) or another tool (by its integration id). */
export const actorSchema = z.object({
  kind: z.enum(['person', 'tool', 'system']),
  id: z.string().min(1).max(200),
});
export type Actor = z.infer<typeof actorSchema>;

export const id = z.string().trim().min(1).max(120);
export const text = z.string().trim().min(1).max(4_000);
export const instant = z.iso.datetime({ offset: true });

/** What opens a case: from a hotline, a registry, a partner NGO, or a case manager's own intake. */
export const openCaseSchema = z.object({
  priority: z.enum(priorities).default('routine'),
  region: id.describe(
    'Region: its ISO 3166-2:UA code (UA-63), or its name in English or Ukrainian in any case; the case keeps the code',
  ),
  hromada: id.optional().describe('KATOTTG code of the hromada (territorial community), within the region'),
  caseManagerId: id.optional().describe('Staff id of the lead case manager'),
  supervisorId: id.optional().describe('Staff id of the supervisor'),
  source: z.enum(caseSources).default('walk_in'),
  externalRef: id.optional().describe("The referring tool's own id for this request"),
});
export type OpenCase = z.infer<typeof openCaseSchema>;

// ---- the state a case workflow holds -------------------------------------------------------

/** A need's domain; a renamed word (renamedNeedDomains) is accepted and becomes the current one. */
const needDomain = z
  .enum([...needDomains, ...(Object.keys(renamedNeedDomains) as (keyof typeof renamedNeedDomains)[])])
  .transform((w) => currentNeedDomain(w))
  .pipe(z.enum(needDomains))
  .describe(
    `One of ${needDomains.join(', ')} (${Object.entries(renamedNeedDomains)
      .map(([old, now]) => `${old}: the earlier word for ${now}`)
      .join('; ')})`,
  );
export const needSchema = z.object({ domain: needDomain, level: z.enum(needLevels), description: text.optional() });
const assessmentSchema = z.object({
  version: z.number().int().positive(),
  cycle: z.number().int().positive(),
  needs: z.array(needSchema).min(1).max(50),
  strengths: z.array(text).max(50),
  resources: z.array(text).max(50),
  submittedAt: instant,
  submittedBy: actorSchema,
});
const planActionSchema = z.object({ actionId: id, description: text, responsible: id, dueDate: z.iso.date() });
export const clientAgreementSchema = z.object({ agreedAt: instant, form: z.enum(agreementForms) });
export const goalSchema = z.object({
  goalId: id,
  description: text,
  domain: needDomain,
  actions: z.array(planActionSchema).max(50).default([]),
});
const planSchema = z.object({
  version: z.number().int().positive(),
  cycle: z.number().int().positive(),
  goals: z.array(goalSchema).min(1).max(30),
  clientAgreement: clientAgreementSchema,
  status: z.enum(planStatuses),
  submittedAt: instant,
  submittedBy: actorSchema,
  decidedAt: instant.optional(),
  decidedBy: actorSchema.optional(),
  comments: text.optional(),
});
const referralSchema = z.object({
  referralId: id,
  providerId: id,
  category: z.enum(serviceCategories),
  reason: text.optional(),
  status: z.enum(referralStatuses),
  sentAt: instant,
  acknowledgeBy: instant,
  answeredAt: instant.optional(),
  note: text.optional(),
});
export const serviceSchema = z.object({
  serviceId: id,
  category: z.enum(serviceCategories),
  deliveredAt: instant,
  providerId: id.optional(),
  referralId: id.optional(),
  description: text.optional(),
});
const reviewSchema = z.object({
  number: z.number().int().positive(),
  outcome: z.enum(reviewOutcomes),
  progress: text.optional(),
  at: instant,
  by: actorSchema,
});
const escalationSchema = z.object({
  escalationId: id,
  /** The deadline that was missed (see `deadlines`). */
  deadlineId: z.string(),
  reason: z.string(),
  level: z.enum(escalationLevels),
  status: z.enum(escalationStatuses),
  openedAt: instant,
  respondBy: instant,
  answers: z.array(z.object({ answer: z.string(), at: instant, by: actorSchema, detail: z.string().optional() })),
});
const assignmentSchema = z.object({
  role: z.string(),
  staffId: id,
  from: instant,
  to: instant.optional(),
  reason: text.optional(),
});

export const closureSchema = z.object({
  reason: z.enum([...closureReasons, 'one_off_service']),
  outcome: z.enum(closureOutcomes),
  summary: text.optional(),
  requestedAt: instant,
  requestedBy: actorSchema,
  approvedAt: instant.optional(),
  approvedBy: actorSchema.optional(),
  returnedComments: text.optional(),
  checkIn: z
    .object({ dueAt: instant, doneAt: instant.optional(), outcome: z.enum(checkInOutcomes).optional() })
    .optional(),
});

/** One deadline the case is measured against, derived from the state and the policy. */
export const deadlineSchema = z.object({
  deadlineId: z.string(),
  kind: z.enum(deadlineKinds),
  startAt: instant,
  dueAt: instant,
  remindAt: instant.optional(),
  /** Who must act: the case manager, or (for approvals and escalations) the supervisor or head. */
  owner: z.enum(deadlineOwners),
});
export type Deadline = z.infer<typeof deadlineSchema>;

export const caseStateSchema = z.object({
  caseId: z.uuid(),
  stage: z.enum(stages),
  /** The stage a closure request came from, to return to if the supervisor returns it. */
  stageBeforeClosure: z.enum(stages).optional(),
  priority: z.enum(priorities),
  region: z.string(),
  hromada: z.string().optional(),
  source: openCaseSchema.shape.source.unwrap(),
  externalRef: z.string().optional(),
  openedAt: instant,
  openedBy: actorSchema,
  policy: policySchema.describe('The deadline policy this case follows (its version is kept)'),
  team: z.object({
    caseManagerId: z.string().optional(),
    supervisorId: z.string().optional(),
    model: z.enum(teamModels).optional(),
    members: z.array(z.object({ staffId: id, role: z.string() })),
    history: z.array(assignmentSchema),
  }),
  contact: z.object({ at: instant, channel: z.string() }).optional(),
  consent: z.object({
    dataProcessing: z.boolean(),
    recordedAt: instant.optional(),
    /** Providers the person agreed their data may be shared with. */
    sharingWith: z.array(id),
  }),
  screening: z.object({ decision: z.enum(screeningDecisions), at: instant }).optional(),
  /** Reassessment loop counter: 1 for the first assessment and plan, +1 at each reassessment or reopening. */
  cycle: z.number().int().positive(),
  /** When case management (social support) started, for the maximum length of support. */
  supportStartedAt: instant.optional(),
  /** Extensions granted by a supervisor, by deadline id. */
  extensions: z.record(z.string(), instant),
  cycleStartedAt: instant,
  assessments: z.array(assessmentSchema),
  plans: z.array(planSchema),
  referrals: z.array(referralSchema),
  services: z.array(serviceSchema),
  oneOffServices: z.array(z.object({ category: z.enum(serviceCategories), description: text.optional() })),
  reviews: z.array(reviewSchema),
  lastReviewAt: instant.optional(),
  escalations: z.array(escalationSchema),
  conferences: z.array(z.object({ at: instant, scheduledBy: actorSchema, escalationId: z.string().optional() })),
  closure: closureSchema.optional(),
  closures: z.array(closureSchema).describe('Earlier closures of a case that was reopened'),
  /** Deadline ids that have had their reminder, and that have been escalated. */
  reminded: z.array(z.string()),
  escalated: z.array(z.string()),
  deadlines: z.array(deadlineSchema).describe('Open deadlines, soonest first'),
  nextDeadlineAt: instant.optional(),
  overdue: z.boolean(),
  /** Sequence of the last change; the projection in Postgres never goes backwards past it. */
  seq: z.number().int().nonnegative(),
  updatedAt: instant,
});
export type CaseState = z.infer<typeof caseStateSchema>;

/**
 * The state with every renamed word replaced by the current one: the projection writes it so, since
 * a case in flight keeps the needs and goals it recorded before a rename in its workflow state.
 */
export function withCurrentWords(s: CaseState): CaseState {
  const renamed = (d: string) => currentNeedDomain(d) !== d;
  if (
    !s.assessments.some((a) => a.needs.some((n) => renamed(n.domain))) &&
    !s.plans.some((p) => p.goals.some((g) => renamed(g.domain)))
  )
    return s;
  return {
    ...s,
    assessments: s.assessments.map((a) => ({
      ...a,
      needs: a.needs.map((n) => ({ ...n, domain: currentNeedDomain(n.domain) as NeedDomain })),
    })),
    plans: s.plans.map((p) => ({
      ...p,
      goals: p.goals.map((g) => ({ ...g, domain: currentNeedDomain(g.domain) as NeedDomain })),
    })),
  };
}

/** What the case workflow is started with: a new case, or (continue-as-new, reopening) a case carried over. */
export interface CaseWorkflowInput {
  caseId: string;
  open: OpenCase;
  openedBy: Actor;
  /** ISO time the API accepted the request. */
  openedAt: string;
  /** Parsed (defaults applied) by db/policies.ts: the workflow does not parse it again. */
  policy: Policy;
  /** The state and recent command ids carried over by continue-as-new. */
  carried?: { state: CaseState; recentCommands: string[] };
  /** A case brought over from another system (POST /v1/imports): it starts in its stage, with its open deadlines and past services. */
  imported?: ImportedCase;
  /** Test hook: continue as new after this many history events (default: when Temporal suggests it). */
  continueAsNewAfterEvents?: number;
}

/** What an imported case starts with besides the opening (its `openedAt` is the input's). */
export interface ImportedCase {
  importId: string;
  /** The importing tool's own id of the case (also its externalRef: importing it twice makes one case). */
  externalId: string;
  stage: ImportStage;
  /** When social support started (default: the opening). */
  supportStartedAt?: string;
  consent?: { dataProcessing: boolean; sharingWith: string[] };
  /** Open deadlines as the other system had them: each replaces the due date the policy would give that deadline. */
  deadlines: { kind: Deadline['kind']; dueAt: string }[];
  services: CaseState['services'];
}

/** A change of a case as it reaches the projection and the audit trail. */
export interface CaseEvent {
  caseId: string;
  seq: number;
  type: CaseEventType;
  actor: Actor;
  /** When it was recorded (the workflow's time). */
  at: string;
  /** When it happened, if a command said it happened earlier (backdating); else `at`. */
  occurredAt?: string;
  data: Record<string, unknown>;
}

export const extensionSchema = z.union([
  z.object({ until: instant }).strict(),
  z.object({ by: durationSchema }).strict(),
]);
