import { allRoutes } from '../../api/app';
import { commandDocs } from '../../api/command-docs';
import { commandRoles } from '../../api/authorization';
import type { ApiDeps } from '../../api/deps';
import { openApiDocument } from '../../api/openapi';
import { strictAtEdge } from '../../api/strict';
import { commandStages } from '../../domain/case-machine';
import { commandNames, commandPayloads } from '../../domain/commands';

type Op = {
  summary: string;
  description: string;
  'x-roles': string[];
  requestBody: { content: { 'application/json': { example: unknown } } };
};
const doc = openApiDocument(
  allRoutes({} as ApiDeps, () => ({})),
  '1',
) as { paths: Record<string, { post?: Op }> };

describe('each command in OpenAPI', () => {
  it.each(commandNames.map((n) => [n]))(
    '%s says what it does, where it fits, who may send it, with an example',
    (name) => {
      const op = doc.paths[`/v1/cases/{caseId}/commands/${name}`]!.post!;
      expect(op.summary).toBe(commandDocs[name].summary);
      expect(op.summary).not.toMatch(/^Case command/);
      expect(op.description).toContain(commandDocs[name].description);
      const stages = op.description.match(/\*\*Allowed in:\*\* ([^(]+) \(/)![1]!;
      expect(stages === 'any stage' ? 'any' : stages.split(', ').map((s) => s.replace(/`/g, ''))).toEqual(
        commandStages[name].length === 7 ? 'any' : [...commandStages[name]],
      );
      expect(op.description).toMatch(/\*\*Who may send it:\*\* .+\./);
      expect(op['x-roles']).toEqual([...commandRoles[name]]);
      const example = op.requestBody.content['application/json'].example;
      expect(example).toEqual(commandDocs[name].example);
      // As the API parses it: strict, so an example with a field the command does not take fails here.
      const parsed = strictAtEdge(commandPayloads[name]).safeParse(example);
      expect([name, parsed.error?.issues ?? []]).toEqual([name, []]);
    },
  );
});
