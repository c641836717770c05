import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import type { CaseWorkflowInput } from './case';

/**
 * Search attributes a case workflow keeps up to date, so the Temporal Web UI can list cases by
 * stage, staff, region and the overdue flag. Registered by the dev server at start and by the worker
 * on a cluster (worker/search-attributes.ts). `CaseNextDeadline` stays registered for the runs that
 * began before the `lean-search-attributes` patch, which still keep it; later runs clear it.
 */
export const CaseStage = defineSearchAttributeKey('CaseStage', SearchAttributeType.KEYWORD);
export const CaseManager = defineSearchAttributeKey('CaseManager', SearchAttributeType.KEYWORD);
export const CaseSupervisor = defineSearchAttributeKey('CaseSupervisor', SearchAttributeType.KEYWORD);
export const CaseRegion = defineSearchAttributeKey('CaseRegion', SearchAttributeType.KEYWORD);
export const CaseOverdue = defineSearchAttributeKey('CaseOverdue', SearchAttributeType.BOOL);
export const CaseNextDeadline = defineSearchAttributeKey('CaseNextDeadline', SearchAttributeType.DATETIME);

export const caseSearchAttributes = [CaseStage, CaseManager, CaseSupervisor, CaseRegion, CaseOverdue, CaseNextDeadline];

/** The search attributes a case starts with (opened at intake, or imported in its stage); the workflow keeps them up to date. */
export function caseStartAttributes(input: Pick<CaseWorkflowInput, 'open' | 'imported'>): SearchAttributePair[] {
  return [
    { key: CaseStage, value: input.imported?.stage ?? 'intake' },
    { key: CaseRegion, value: input.open.region },
    ...(input.open.caseManagerId ? [{ key: CaseManager, value: input.open.caseManagerId }] : []),
    ...(input.open.supervisorId ? [{ key: CaseSupervisor, value: input.open.supervisorId }] : []),
    { key: CaseOverdue, value: false },
  ];
}

/** `Name=Type` as the temporal CLI's --search-attribute flag wants it. */
export function cliSearchAttributeFlags(): string[] {
  const cliType: Record<string, string> = {
    [SearchAttributeType.KEYWORD]: 'Keyword',
    [SearchAttributeType.BOOL]: 'Bool',
    [SearchAttributeType.DATETIME]: 'Datetime',
  };
  return caseSearchAttributes.flatMap((k) => ['--search-attribute', `${k.name}=${cliType[k.type]}`]);
}
