import { canonicalJson } from '../../api/idempotency';

describe('the canonical JSON a request is hashed from', () => {
  it('sorts the keys of objects at every depth, and keeps the order of arrays', () => {
    const a = canonicalJson({
      region: 'Kharkiv',
      client: { phone: '1', fullName: 'x' },
      household: [
        { relation: 'son', fullName: 'y' },
        { fullName: 'z', relation: 'wife' },
      ],
    });
    const b = canonicalJson({
      household: [
        { fullName: 'y', relation: 'son' },
        { relation: 'wife', fullName: 'z' },
      ],
      client: { fullName: 'x', phone: '1' },
      region: 'Kharkiv',
    });
    expect(a).toBe(b);
    expect(a).toBe(
      '{"client":{"fullName":"x","phone":"1"},"household":[{"fullName":"y","relation":"son"},{"fullName":"z","relation":"wife"}],"region":"Kharkiv"}',
    );
    expect(canonicalJson({ shareWith: ['a', 'b'] })).not.toBe(canonicalJson({ shareWith: ['b', 'a'] }));
  });

  it('leaves out absent fields, as JSON does', () => {
    expect(canonicalJson({ note: undefined, answer: 'accepted' })).toBe(canonicalJson({ answer: 'accepted' }));
  });
});
