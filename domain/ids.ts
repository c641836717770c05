/** The one place a case's workflow id is made: the business key decides it. */
export function caseWorkflowId(caseId: string): string {
  return `case-${caseId}`;
}

/** The case a workflow id is of (caseWorkflowId's inverse), or undefined for another workflow's id. */
export function caseIdOfWorkflow(workflowId: string): string | undefined {
  return workflowId.startsWith('case-') ? workflowId.slice('case-'.length) : undefined;
}

/** One delivery workflow per subscriber and event: starting it twice is refused, so each event goes once per key. */
export function webhookDeliveryId(subscriptionId: string, eventKey: string): string {
  return `webhook-${subscriptionId}-${eventKey}`;
}

/** One workflow per import job (POST /v1/imports). */
export function importWorkflowId(importId: string): string {
  return `import-${importId}`;
}
