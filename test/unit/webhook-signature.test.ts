import { signWebhook, verifyWebhook } from '../../activities/webhook-signature';

describe('webhook signatures', () => {
  const body = '{"eventId":"c:1"}';
  const t = 1_795_000_000;

  it('signs the timestamp and the body with HMAC-SHA256', () => {
    expect(signWebhook('s3cret', body, t)).toMatch(/^t=1795000000,v1=[0-9a-f]{64}$/);
    expect(signWebhook('s3cret', body, t)).toBe(signWebhook('s3cret', body, t));
  });

  it('verifies only the right secret, body and a fresh timestamp', () => {
    const sig = signWebhook('s3cret', body, t);
    expect(verifyWebhook('s3cret', body, sig, t + 10)).toBe(true);
    expect(verifyWebhook('other', body, sig, t + 10)).toBe(false);
    expect(verifyWebhook('s3cret', body + ' ', sig, t + 10)).toBe(false);
    expect(verifyWebhook('s3cret', body, sig, t + 3600)).toBe(false);
    expect(verifyWebhook('s3cret', body, 'garbage', t)).toBe(false);
  });
});
