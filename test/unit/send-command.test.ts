import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ApiDeps } from '../../api/deps';
import { HttpProblem } from '../../api/problem';
import { sendCommand } from '../../api/send-command';

/** The one way routes send a command (api/send-command.ts): the update, its id, and what a refusal becomes. */
function temporalAnswering(answer: () => Promise<unknown>) {
  const sent: { workflowId: string; update: string; updateId: string; args: unknown[] }[] = [];
  const temporal = {
    withDeadline: (_deadline: number, call: () => Promise<unknown>) => call(),
    workflow: {
      getHandle: (workflowId: string) => ({
        executeUpdate: (update: { name: string }, opts: { args: unknown[]; updateId: string }) => {
          sent.push({ workflowId, update: update.name, updateId: opts.updateId, args: opts.args });
          return answer();
        },
      }),
    },
  };
  return {
    deps: { temporal, commandTimeoutMs: 1_000 } as unknown as Pick<ApiDeps, 'temporal' | 'commandTimeoutMs'>,
    sent,
  };
}

const caseId = '00000000-0000-4000-8000-000000000001';
const actor = { kind: 'person' as const, id: 'sup-iryna' };

it('sends the command as the update of its name, with the command id as the update id', async () => {
  const { deps, sent } = temporalAnswering(async () => ({ seq: 3 }));
  await expect(
    sendCommand(deps, caseId, 'assignTeam', { commandId: 'key-1234:case', actor, caseManagerId: 'cm-olena' }),
  ).resolves.toEqual({ seq: 3 });
  expect(sent).toEqual([
    {
      workflowId: `case-${caseId}`,
      update: 'assignTeam',
      updateId: 'key-1234:case',
      args: [{ commandId: 'key-1234:case', actor, caseManagerId: 'cm-olena' }],
    },
  ]);
});

it('answers a refusal as the problem of its code, naming the field at fault', async () => {
  const refusal = (code: string, field?: string) => async () => {
    throw new WorkflowUpdateFailedError(
      'update failed',
      ApplicationFailure.create({
        message: 'occurredAt is in the future',
        type: code,
        details: field ? [{ field }] : [],
      }),
    );
  };
  const problem = async (answer: () => Promise<unknown>): Promise<HttpProblem> =>
    sendCommand(temporalAnswering(answer).deps, caseId, 'recordContact', {
      commandId: 'c-12345678',
      actor,
      channel: 'phone',
    }).then(
      () => {
        throw new Error('not refused');
      },
      (e: unknown) => e as HttpProblem,
    );
  const invalid = await problem(refusal('INVALID', 'occurredAt'));
  expect(invalid).toBeInstanceOf(HttpProblem);
  expect([invalid.status, invalid.title, invalid.message, invalid.extra.errors]).toEqual([
    400,
    'Invalid command',
    'occurredAt is in the future',
    [{ location: 'body', path: 'occurredAt', message: 'occurredAt is in the future', code: 'INVALID' }],
  ]);
  expect((await problem(refusal('WRONG_STAGE'))).status).toBe(409);
  expect((await problem(refusal('NOT_FOUND'))).status).toBe(404);
  expect((await problem(refusal('SOMETHING_ELSE'))).title).toBe('Command rejected');
  const missing = await problem(async () => {
    throw new WorkflowNotFoundError('not found', `case-${caseId}`, undefined);
  });
  expect([missing.status, missing.message]).toEqual([404, `No open case ${caseId}`]);
});
