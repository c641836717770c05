import { z } from 'zod';
import { deadlineSchema, id, instant, openCaseSchema, serviceSchema, type CaseWorkflowInput } from './case';
import { openDeadlineKinds } from './case-machine';
import { CLOCK_SKEW_MS, importStages } from './vocabulary';

/**
 * One row of an imported caseload (POST /v1/imports): a case as another system or a spreadsheet
 * had it, with its current stage and team, its open deadlines and its past services. The case's
 * fields are those of opening a case (the same schema, so the same region and team rules); people
 * go as when opening one (the API adds them; personal data never enters the import's tables).
 */
export const importRowSchema = openCaseSchema.omit({ externalRef: true }).extend({
  externalId: id.describe('Your id of the case: importing it again (in this job or another) finds the same case'),
  stage: z.enum(importStages).describe('Where the case is now'),
  openedAt: instant.describe('When the case was opened there; deadlines the row does not bring count from it'),
  supportStartedAt: instant.optional().describe('When social support started (default: openedAt)'),
  consent: z
    .object({
      dataProcessing: z.boolean(),
      shareWith: z.array(id).max(50).default([]).describe('Providers the person agreed their data may be shared with'),
    })
    .optional()
    .describe('Required, with dataProcessing true, for a case past intake: a case is only managed with it'),
  deadlines: z
    .array(z.object({ kind: deadlineSchema.shape.kind, dueAt: instant }))
    .max(20)
    .default([])
    .describe('Open deadlines with their due dates there; each kind must be one the stage has open'),
  services: z
    .array(serviceSchema)
    .max(500)
    .default([])
    .describe('Services delivered so far; counted in reports when they were delivered'),
});
export type ImportRow = z.output<typeof importRowSchema>;

export interface RowProblem {
  path: string;
  message: string;
  code: string;
}

/**
 * What the schema cannot see: times against each other and the clock, consent for a managed case,
 * deadlines the stage has open, services named twice. Pure; `now` is the API's clock.
 */
export function importRowProblems(row: ImportRow, input: CaseWorkflowInput, now: number): RowProblem[] {
  const out: RowProblem[] = [];
  const at = (path: string, message: string) => out.push({ path, message, code: 'invalid_import' });
  const opened = Date.parse(row.openedAt);
  if (opened > now + CLOCK_SKEW_MS) at('openedAt', 'is in the future');
  if (
    row.supportStartedAt &&
    (Date.parse(row.supportStartedAt) < opened || Date.parse(row.supportStartedAt) > now + CLOCK_SKEW_MS)
  )
    at('supportStartedAt', 'is before openedAt or in the future');
  if (row.stage !== 'intake' && !row.consent?.dataProcessing)
    at('consent.dataProcessing', `a case in ${row.stage} is managed only with consent to process data`);
  const kinds = openDeadlineKinds(input);
  row.deadlines.forEach((d, i) => {
    if (!kinds.includes(d.kind))
      at(
        `deadlines[${i}].kind`,
        `a case in ${row.stage} has no open ${d.kind} deadline (open: ${kinds.join(', ') || 'none'})`,
      );
  });
  const seen = new Set<string>();
  row.services.forEach((x, i) => {
    const t = Date.parse(x.deliveredAt);
    if (t < opened || t > now + CLOCK_SKEW_MS) at(`services[${i}].deliveredAt`, 'is before openedAt or in the future');
    if (seen.has(x.serviceId)) at(`services[${i}].serviceId`, `${x.serviceId} is twice in the row`);
    seen.add(x.serviceId);
  });
  return out;
}
