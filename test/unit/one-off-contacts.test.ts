import type { Request, Response } from 'express';
import type { ApiDeps } from '../../api/deps';
import { oneOffContactRoutes } from '../../api/routes/one-off-contacts';
import type { Principal } from '../../domain/principal';

/** POST /v1/one-off-contacts: the one person schema, and the API's clock when the body gives no time. */
const recorded: { at: string; person?: { phone?: string } }[] = [];
const deps = {
  clock: () => new Date('2026-03-02T08:30:00.000Z'),
  reference: { regionCodes: async (values: string[]) => values.map(() => 'UA-32') },
  idempotencyKeys: { claim: async () => 'claimed' },
  oneOff: { record: async (c: { at: string; person?: { phone?: string } }) => (recorded.push(c), true) },
} as unknown as ApiDeps;
const [route] = oneOffContactRoutes(deps);
const principal: Principal = {
  keyId: 'k',
  role: 'case_manager',
  subject: 'cm-olena',
  scope: {},
  actor: { kind: 'person', id: 'cm-olena' },
};

function call(body: unknown) {
  const res = { locals: { principal }, status: () => res, json: () => res } as unknown as Response;
  return route!.handle(
    { params: undefined, query: undefined, headers: {}, body: route!.body!.parse(body) },
    {} as Request,
    res,
  );
}

it('checks the client as a case client is checked (the phone too)', () => {
  const base = { region: 'Kyiv', services: [{ category: 'information' }] };
  expect(
    route!.body!.safeParse({ ...base, client: { fullName: 'Олена Петренко', phone: '+380 67 123 45 67' } }).success,
  ).toBe(true);
  expect(route!.body!.safeParse({ ...base, client: { fullName: 'Олена Петренко', phone: '12' } }).success).toBe(false);
  expect(
    route!.body!.safeParse({ ...base, client: { fullName: 'Олена Петренко', displacementStatus: 'tourist' } }).success,
  ).toBe(false);
});

it('records the contact at the injected clock when the body gives no time', async () => {
  await call({
    region: 'Kyiv',
    services: [{ category: 'information' }],
    client: { fullName: 'Олена Петренко', phone: '067 123 45 67' },
  });
  await call({ region: 'Kyiv', services: [{ category: 'legal' }], at: '2026-03-01T12:00:00+02:00' });
  expect(recorded.map((c) => c.at)).toEqual(['2026-03-02T08:30:00.000Z', '2026-03-01T12:00:00+02:00']);
  expect(recorded[0]!.person?.phone).toBe('067 123 45 67');
});
