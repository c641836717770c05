import { z } from 'zod';
import { commandStages } from '../../domain/case-machine';
import { commandNames, commandPayloads, type CommandName } from '../../domain/commands';
import type { Stage } from '../../domain/vocabulary';
import type { Role } from '../../domain/principal';
import { caseAccessOf, principalOf } from '../auth';
import { anyRole, commandRoles } from '../authorization';
import { commandDocs } from '../command-docs';
import type { ApiDeps } from '../deps';
import { jsonSchema } from '../openapi';
import { HttpProblem } from '../problem';
import { defineRoute, type AnyRoute } from '../route';
import { strictAtEdge } from '../strict';

/** The commands a case's stage takes and the caller's role may send: from the same rules the case and the routes enforce. */
export function allowedCommands(stage: Stage, role: Role): CommandName[] {
  return commandNames.filter((n) => commandStages[n].includes(stage) && commandRoles[n].includes(role));
}

// Each command's body as the edge parses it, in JSON Schema, made once.
const schemas = new Map<CommandName, Record<string, unknown>>();
const schemaOf = (name: CommandName) => {
  let s = schemas.get(name);
  if (!s) schemas.set(name, (s = jsonSchema(strictAtEdge(commandPayloads[name]), 'input')));
  return s;
};

const actionSchema = z.object({
  command: z.enum(commandNames),
  summary: z.string(),
  href: z.string().describe('Where to POST it'),
  schema: z.record(z.string(), z.unknown()).describe("The body's JSON Schema (draft 2020-12), as the API checks it"),
  example: z.unknown(),
});

/**
 * What a person or tool may do next on a case, with a form for each: the web console builds its
 * buttons and forms from this, so it offers nothing the API would refuse for the stage or the role
 * (a command can still be refused for what the case holds, e.g. no consent yet).
 */
export function actionRoutes(_deps: ApiDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/cases/:caseId/actions',
      operationId: 'caseActions',
      summary: 'The commands you may send to this case now, each with its body schema and an example',
      description:
        'From the stage the case is in (as last projected) and your role: the rules the case and the command routes enforce.',
      tags: ['commands'],
      access: anyRole,
      caseScoped: true,
      params: z.object({ caseId: z.uuid() }),
      responses: {
        200: {
          description: 'The commands, in lifecycle order',
          schema: z.object({ stage: z.string(), actions: z.array(actionSchema) }).meta({
            examples: [
              {
                stage: 'intake',
                actions: [
                  {
                    command: 'recordContact',
                    summary: 'Record a contact with the person during intake',
                    href: '/v1/cases/3f0c8a52-7d1e-4b4a-9c2d-5e6f7a8b9c0d/commands/recordContact',
                    schema: {
                      type: 'object',
                      properties: { channel: { type: 'string', enum: ['phone', 'in_person', 'online', 'outreach'] } },
                      required: ['channel'],
                    },
                    example: { channel: 'phone' },
                  },
                ],
              },
            ],
          }),
        },
      },
      handle: ({ params: { caseId } }, _req, res) => {
        const { stage } = caseAccessOf(res);
        if (!stage) throw new HttpProblem(404, 'Not found', 'The case is not projected yet');
        res.json({
          stage,
          actions: allowedCommands(stage, principalOf(res).role).map((command) => ({
            command,
            summary: commandDocs[command].summary,
            href: `/v1/cases/${caseId}/commands/${command}`,
            schema: schemaOf(command),
            example: commandDocs[command].example,
          })),
        });
      },
    }),
  ];
}
