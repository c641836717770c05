import type { Client } from '@temporalio/client';
import type { ApiKeyRepository } from '../db/api-keys';
import type { CaseListRepository } from '../db/case-list';
import type { CaseRepository } from '../db/cases';
import type { EscalationRepository } from '../db/escalations';
import type { IdempotencyKeyRepository } from '../db/idempotency-keys';
import type { ImportRepository } from '../db/imports';
import type { NotificationRepository } from '../db/notifications';
import type { OneOffRepository } from '../db/one-off';
import type { PeopleRepository } from '../db/people';
import type { PolicyRepository } from '../db/policies';
import type { DatabaseCheck } from '../db/pool';
import type { ReferenceRepository } from '../db/reference';
import type { ReportRepository } from '../db/reports';
import type { StaffRepository } from '../db/staff';
import type { WebhookRepository } from '../db/webhooks';
import type { SignInPolicy, StaffAccountRepository } from '../db/staff-accounts';
import type { Logger } from '../platform/logger';
import type { ReceiverAddressPolicy } from '../platform/network';
import type { DeliveryRetry, WebhookDeliveryInput } from '../domain/webhooks';

/**
 * What the API's routes need; api/main.ts wires the real ones, tests their own. Routes read and
 * write PostgreSQL only through these repositories (db/), never on a pool of their own.
 */
export interface ApiDeps {
  temporal: Client;
  taskQueue: string;
  /** PostgreSQL answering (/readyz). */
  database: DatabaseCheck;
  cases: CaseRepository;
  caseList: CaseListRepository;
  escalations: EscalationRepository;
  reports: ReportRepository;
  apiKeys: ApiKeyRepository;
  policies: PolicyRepository;
  notifications: NotificationRepository;
  people: PeopleRepository;
  oneOff: OneOffRepository;
  idempotencyKeys: IdempotencyKeyRepository;
  webhooks: WebhookRepository;
  /** Regions and hromadas (docs/DATA.md); every write naming one is checked against them. */
  reference: ReferenceRepository;
  /** The staff registry every write naming a staff member is checked against. */
  staff: StaffRepository;
  imports: ImportRepository;
  /** Starts the durable delivery of one event to one subscriber (a ping), as the worker's activities do. */
  startDelivery(input: WebhookDeliveryInput): Promise<void>;
  deliveryRetry: DeliveryRetry;
  log: Logger;
  bodyLimit: string;
  /** The largest import (POST /v1/imports; API_IMPORT_BODY_LIMIT). */
  importBodyLimit: string;
  rateLimitPerMinute: number;
  /** How long opening a case or a command waits for its workflow (API_COMMAND_TIMEOUT_MS). */
  commandTimeoutMs: number;
  version: string;
  clock?: () => Date;
  /** Where the built web console is (dist/console); none: no /console. */
  consoleDir?: string;
  /** People's sign-in (the console). */
  staffAccounts: StaffAccountRepository;
  signIn?: SignInPolicy;
  /** Failed sign-ins one client address may make within the window (SIGN_IN_MAX_FAILURES_PER_ADDRESS); default 20 in 15 minutes. */
  signInPerAddress?: { maxFailures: number; windowMs: number };
  /** Which networks webhook receivers may be on (WEBHOOK_ALLOWED_NETWORKS); default: the internet and loopback. */
  receiverAddresses?: ReceiverAddressPolicy;
  /** express's `trust proxy` (API_TRUST_PROXY): whose X-Forwarded-For gives the client's address. */
  trustProxy?: boolean | number | string[];
  /** Session cookies only over HTTPS (COOKIE_SECURE; on for any deployment behind TLS). */
  cookieSecure?: boolean;
}
