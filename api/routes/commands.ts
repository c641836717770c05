import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { commandNames, commandPayloads, teamSetBy, type CommandInput, type CommandName } from '../../domain/commands';
import { withRegionCode } from '../../domain/regions';
import { authorizeWrite, caseAccessOf, principalOf } from '../auth';
import { anyRole, commandRoles } from '../authorization';
import { caseView, caseViewSchema } from '../case-view';
import { commandDescription, commandDocs } from '../command-docs';
import { claimIdempotencyKey } from '../idempotency';
import type { ApiDeps } from '../deps';
import { HttpProblem } from '../problem';
import { requireTeamStaff } from '../reference-checks';
import { sendCommand } from '../send-command';
import { applyMinimal, minimalAnswerSchema, preferHeader, prefersMinimal } from '../prefer';
import { defineRoute, type AnyRoute } from '../route';

const params = z.object({ caseId: z.uuid().describe('The case id') });
const headers = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(200)
    .optional()
    .describe(
      'The command id: a retry with the same key is applied once; unique per case (another command or body with it: 422)',
    ),
  ...preferHeader,
});

/**
 * One route per command of the case lifecycle (domain/commands.ts): POST /v1/cases/{caseId}/commands/{name}.
 * The route adds the caller as the actor and sends one update; the workflow decides.
 */
export function commandRoutes(deps: ApiDeps): AnyRoute[] {
  const commands = commandNames.map((name: CommandName) =>
    defineRoute({
      method: 'post',
      path: `/v1/cases/:caseId/commands/${name}`,
      operationId: name,
      summary: commandDocs[name].summary,
      description: commandDescription(name),
      tags: ['commands'],
      access: commandRoles[name],
      caseScoped: true,
      params,
      headers,
      body: commandPayloads[name],
      bodyExample: commandDocs[name].example,
      responses: {
        200: {
          description:
            'Applied: the case after the command, or with `Prefer: return=minimal` `{caseId, commandId, version}`',
          schema: z.union([z.object({ case: caseViewSchema }), minimalAnswerSchema]),
        },
        400: {
          description:
            'The body does not parse, or the case refuses it as invalid; a time out of the backdating rule names its field (occurredAt) in errors[]',
        },
        403: {
          description:
            'The role may not send it, or the case, or the team it sets, is outside your scope (what is out of it named in detail and outOfScope)',
        },
        422: { description: 'The Idempotency-Key was sent before, on this case, with another command or body' },
      },
      handle: async (input, _req, res) => {
        const { actor } = principalOf(res);
        // Here, before the update is sent: the server deduplicates updates by id before any validator
        // runs, so a key reused for another command would silently get the first one's answer.
        authorizeWrite(res, teamSetBy(name, input.body), caseAccessOf(res));
        await requireTeamStaff(deps, teamSetBy(name, input.body)); // 400 naming a staff id the registry lacks
        await claimIdempotencyKey(deps.idempotencyKeys, input.headers['idempotency-key'], {
          operation: name,
          caseId: input.params.caseId,
          actor,
          body: input.body,
        });
        const commandId = input.headers['idempotency-key'] ?? randomUUID();
        const state = await sendCommand(deps, input.params.caseId, name, {
          ...(input.body as CommandInput<typeof name>),
          commandId,
          actor,
        });
        if (!prefersMinimal(input.headers.prefer)) return void res.json({ case: caseView(withRegionCode(state)) }); // a case opened before migration 008 holds the region's name
        applyMinimal(res);
        res.json({ caseId: input.params.caseId, commandId, version: state.seq });
      },
    }),
  );
  // After the commands above, so it answers only for a name none of them has.
  const unknownCommand = defineRoute({
    method: 'post',
    path: '/v1/cases/:caseId/commands/:name',
    operationId: 'unknownCommand',
    summary: 'Any other command name: 404, listing the commands there are',
    tags: ['commands'],
    access: anyRole,
    caseScoped: true,
    params: params.extend({ name: z.string().describe('Not one of the commands above') }),
    responses: { 404: { description: 'No such command; `commands` lists the valid names' } },
    handle: ({ params: p }) => {
      throw new HttpProblem(
        404,
        'No such command',
        `A case has no command ${p.name}. The commands are: ${commandNames.join(', ')}.`,
        { commands: [...commandNames] },
      );
    },
  });
  return [...commands, unknownCommand];
}
