import { z } from 'zod';

/**
 * The case and its vocabulary, in the field's words (docs/DOMAIN.md). Pure and deterministic:
 * imported by workflows, activities and the API alike.
 */
export const stages = [
  'intake',
  'assessment',
  'planning',
  'intervention',
  'monitoring',
  'closure_requested',
  'closed',
] as const;
export type Stage = (typeof stages)[number];

export const priorities = ['routine', 'urgent', 'crisis'] as const;
export type Priority = (typeof priorities)[number];

/** Who did something: a person (by staff id) or another tool (by its integration id). */
export const actorSchema = z.object({
  kind: z.enum(['person', 'tool']),
  id: z.string().min(1).max(200),
});
export type Actor = z.infer<typeof actorSchema>;

const identifier = z.string().trim().min(1).max(120);

/** What opens a case: from a hotline, a registry, a partner NGO, or a case manager's own intake. */
export const openCaseSchema = z.object({
  priority: z.enum(priorities).default('routine'),
  region: identifier.describe('Region (oblast) code or name, used in reports'),
  hromada: identifier.optional().describe('Territorial community within the region'),
  caseManagerId: identifier.optional().describe('Staff id of the lead case manager'),
  supervisorId: identifier.optional().describe('Staff id of the supervisor'),
  source: z.enum(['walk_in', 'hotline', 'registry', 'partner', 'outreach', 'other']).default('walk_in'),
  externalRef: identifier.optional().describe("The referring tool's own id for this request"),
});
export type OpenCase = z.infer<typeof openCaseSchema>;

/** What the case workflow is started with. */
export interface CaseWorkflowInput {
  caseId: string;
  open: OpenCase;
  openedBy: Actor;
  /** ISO time the API accepted the request. */
  openedAt: string;
}

/** The state a case workflow holds and serves through its `getState` query; also the API's view of a case. */
export const caseStateSchema = z.object({
  caseId: z.uuid(),
  stage: z.enum(stages),
  priority: z.enum(priorities),
  region: z.string(),
  hromada: z.string().optional(),
  caseManagerId: z.string().optional(),
  supervisorId: z.string().optional(),
  source: openCaseSchema.shape.source.unwrap(),
  externalRef: z.string().optional(),
  openedAt: z.iso.datetime(),
  openedBy: actorSchema,
  seq: z.number().int().positive().describe('Sequence of the last change; the projection never goes backwards past it'),
});
export type CaseState = z.infer<typeof caseStateSchema>;

/** A change of a case as it reaches the projection and the audit trail. */
export interface CaseEvent {
  caseId: string;
  seq: number;
  type: string;
  actor: Actor;
  at: string;
  state: CaseState;
}
