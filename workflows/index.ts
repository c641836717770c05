// The workflow bundle's entry point: every workflow type the worker registers.
export { caseWorkflow } from './case';
export { webhookDelivery } from './webhook-delivery';
export { importCaseload } from './import';
