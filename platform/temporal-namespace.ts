import type { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { caseSearchAttributes } from '../domain/search-attributes';
import type { Logger } from './logger';

const indexedType: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.KEYWORD]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.BOOL]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/**
 * Registers the case search attributes on a cluster that lacks them (the dev server gets them at
 * start). Where the caller may not (Temporal Cloud registers them in its console), it warns, or
 * throws when `required`.
 */
export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
  log: Logger,
  { required = false } = {},
): Promise<void> {
  try {
    // The time-skipping test server cannot list them (UNIMPLEMENTED), but adds them.
    const existing = await connection.operatorService
      .listSearchAttributes({ namespace })
      .catch((err: { code?: number }) => {
        if (err.code === 12) return { customAttributes: {} };
        throw err;
      });
    const known = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = caseSearchAttributes.filter((k) => !known.has(k.name));
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, indexedType[k.type]!])),
    });
    log.info('registered search attributes', { names: missing.map((k) => k.name).join(',') });
  } catch (err) {
    if (required) throw err;
    log.warn('could not check or register search attributes; register them on the cluster', {
      error: (err as Error).message,
    });
  }
}

/**
 * Registers the namespace on a self-hosted cluster that lacks it (a new Temporal Server has none, not
 * even `default`), with how long closed cases' histories are kept. An existing namespace keeps its
 * settings: retention is changed on purpose (temporal operator namespace update), not by a start.
 */
export async function ensureNamespace(
  connection: Connection,
  namespace: string,
  retentionDays: number,
  log: Logger,
): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return;
  } catch (err) {
    if ((err as { code?: number }).code !== 5) throw err; // only NOT_FOUND means "create it"
  }
  await connection.workflowService
    .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(retentionDays * 86_400_000) })
    .catch((err: { code?: number }) => {
      if (err.code !== 6) throw err; // ALREADY_EXISTS: another process registered it first
    });
  log.info('registered namespace', { namespace, retentionDays });
}
