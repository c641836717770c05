/** The one place a case's workflow id is made: the business key decides it. */
export function caseWorkflowId(caseId: string): string {
  return `case-${caseId}`;
}
