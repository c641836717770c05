import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPolicy, type Policy } from '../../domain/policy';
import { freePort } from '../../stack/processes';
import { startStack, stopStack } from '../support/npm-start';

/**
 * `SUPROVID_TEMPORAL=server npm start` as a newcomer runs it (scripts/start.ts), on free ports and a
 * fresh data folder: PostgreSQL, Temporal Server as four processes, the Web UI, two workers and two
 * API replicas. A case opened through one replica, the whole stack stopped before the case's
 * deadlines and started again after them: the case is there, read through the other replica, its
 * reminder and its escalation come once each, and the Web UI lists it by its search attributes.
 */
jest.setTimeout(600_000);

it('keeps every case and deadline across a restart of the whole server-mode stack', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'suprovid-start-server-'));
  chmodSync(dataDir, 0o755);
  // The cluster's own ports follow Temporal's layout around the frontend port (membership 300 below it, below 32768).
  const temporalPort = 20_000 + Math.floor(Math.random() * 10_000);
  const [pg, ui, api, workerMetrics] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SUPROVID_TEMPORAL: 'server',
    SUPROVID_DATA_DIR: dataDir,
    POSTGRES_PORT: String(pg),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(ui),
    API_PORT: String(api),
    WORKER_METRICS_PORT: String(workerMetrics), // and the next one, for the second worker
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  const replicas = [`http://127.0.0.1:${api}`, `http://127.0.0.1:${api + 1}`];
  try {
    const first = await startStack(env, 300_000);
    const out = first.output.join('');
    expect(out).toContain('starting Temporal Server on PostgreSQL');
    expect(out).toMatch(/API replicas\s+http:\/\/127\.0\.0\.1:\d+, http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toContain('Workers        2 processes');
    const key = readFileSync(join(dataDir, 'admin.key'), 'utf8').trim();
    const call = (base: string, path: string, body?: unknown) =>
      fetch(base + path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'idempotency-key': `start-server-${path}`,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    // A policy whose first contact is due 60 s after opening, with its reminder 30 s before.
    const s = (n: number) => ({ hours: n / 3600 });
    const policy: Policy = {
      ...defaultPolicy,
      version: 'restart-seconds',
      firstContact: { routine: s(60), urgent: s(60), crisis: s(60) },
      reminderBefore: s(30),
      screeningDecision: { routine: s(7200), urgent: s(7200), crisis: s(7200) },
      supervisorResponse: { routine: s(7200), urgent: s(7200), crisis: s(7200) },
    };
    expect((await call(replicas[0]!, '/v1/policies', policy)).status).toBe(201);
    expect(
      (
        await call(replicas[0]!, '/v1/staff', {
          staffId: 'cm-restart',
          name: 'Case manager (restart test)',
          role: 'case_manager',
          region: 'UA-53',
        })
      ).status,
    ).toBe(201);
    const opened = await call(replicas[1]!, '/v1/cases', {
      region: 'Poltava',
      priority: 'routine',
      source: 'hotline',
      caseManagerId: 'cm-restart',
    });
    expect(opened.status).toBe(201);
    const { caseId } = (await opened.json()) as { caseId: string };
    const openedAt = Date.now();

    expect(await stopStack(first)).toBe(0);
    // Down through the reminder's moment (30 s after opening) and the deadline's (60 s).
    await new Promise((r) => setTimeout(r, Math.max(0, 65_000 - (Date.now() - openedAt))));
    const second = await startStack(env, 300_000);
    try {
      const read = await call(replicas[0]!, `/v1/cases/${caseId}`);
      expect(read.status).toBe(200);
      expect(((await read.json()) as { case: { stage: string; policyVersion: string } }).case).toMatchObject({
        stage: 'intake',
        policyVersion: 'restart-seconds',
      });
      // Both moments passed while everything was down: the escalation comes once (a reminder whose
      // deadline has passed gives way to it).
      let types: string[] = [];
      for (let i = 0; i < 120 && !types.includes('escalation_opened'); i++) {
        await new Promise((r) => setTimeout(r, 1_000));
        const history = await call(replicas[1]!, `/v1/cases/${caseId}/history`);
        types = ((await history.json()) as { entries: { action: string }[] }).entries.map((e) => e.action);
      }
      expect(types.filter((t) => t === 'escalation_opened')).toHaveLength(1);
      expect(types.filter((t) => t === 'reminder')).toHaveLength(0);
      // The Web UI (its own HTTP API, as its pages call it) lists the case by its search attributes.
      const listed = await fetch(
        `http://127.0.0.1:${ui}/api/v1/namespaces/default/workflows?query=${encodeURIComponent("CaseRegion = 'UA-53'")}`,
      );
      const body = (await listed.json()) as { executions?: { execution: { workflowId: string } }[] };
      expect(body.executions?.map((e) => e.execution.workflowId)).toEqual([`case-${caseId}`]);
    } finally {
      expect(await stopStack(second)).toBe(0);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
