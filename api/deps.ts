import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { CaseRepository } from '../db/cases';
import type { Policy } from '../domain/policy';
import type { Logger } from '../platform/logger';

/** What the API's routes need; api/main.ts wires the real ones, tests their own. */
export interface ApiDeps {
  temporal: Client;
  taskQueue: string;
  pool: Pool;
  cases: CaseRepository;
  log: Logger;
  bodyLimit: string;
  version: string;
  /** The deadline policy new cases are opened under. */
  currentPolicy(): Promise<Policy>;
  clock?: () => Date;
}
