import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { CaseRepository } from '../db/cases';
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
  clock?: () => Date;
}
