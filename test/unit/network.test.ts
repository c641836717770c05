import type { lookup } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AddressNotPermittedError, isNetwork, receiverAddressPolicy, receiverFetch } from '../../platform/network';

describe('receiver address policy', () => {
  const internetOnly = receiverAddressPolicy([]);

  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.5',
    '192.168.1.1',
    '169.254.169.254', // the cloud metadata service
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fd12:3456::1',
    'fe80::1',
    '::ffff:127.0.0.1', // IPv4-mapped
    '::ffff:a9fe:a9fe',
    '2002:7f00:1::', // 6to4 of 127.0.0.1
    '64:ff9b::a00:1', // NAT64 of 10.0.0.1
    '::a9fe:a9fe', // IPv4-compatible 169.254.169.254
    '::ffff:0:a9fe:a9fe', // IPv4-translated
    '3fff::1', // documentation
  ])('refuses %s on the internet-only policy', (address) => {
    expect(internetOnly.permits(address)).toBe(false);
  });

  it.each(['8.8.8.8', '193.0.14.129', '2001:4860:4860::8888'])('permits the public address %s', (address) => {
    expect(internetOnly.permits(address)).toBe(true);
  });

  it('permits the networks it is given, and only those', () => {
    const onPremises = receiverAddressPolicy(['loopback', '10.20.0.0/16']);
    expect(onPremises.permits('127.0.0.1')).toBe(true);
    expect(onPremises.permits('::1')).toBe(true);
    expect(onPremises.permits('10.20.7.8')).toBe(true);
    expect(onPremises.permits('10.21.0.1')).toBe(false);
    expect(onPremises.permits('not an address')).toBe(false);
  });

  it('says what is wrong with a URL whose host shows it, in any spelling the URL parser accepts', () => {
    for (const url of [
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]:8443/',
      'https://[::ffff:127.0.0.1]/',
      'https://0x7f.1/', // 127.0.0.1
      'https://2130706433/', // 127.0.0.1
      'https://localhost/',
      'https://api.localhost/',
      'https://localhost./',
      'https://[::169.254.169.254]/',
    ])
      expect(internetOnly.problemWithUrl(url)).toMatch(
        /private or reserved.*WEBHOOK_ALLOWED_NETWORKS \(now: nothing\)/,
      );
    expect(internetOnly.problemWithUrl('https://registry.example.org/events')).toBeUndefined();
    expect(receiverAddressPolicy(['loopback']).problemWithUrl('http://127.0.0.1:8080/')).toBeUndefined();
  });

  it('reads the network lists of the settings', () => {
    for (const ok of ['loopback', 'uniquelocal', '10.0.0.0/8', '192.0.2.7', 'fd00::/8'])
      expect(isNetwork(ok)).toBe(true);
    for (const bad of [
      'true',
      'example.org',
      '10.0.0.0/33',
      '10.0.0.0/8/1',
      'fd00::/129',
      '',
      'constructor',
      '0.0.0.0/0',
      '::/0',
      'fe80::1%eth0',
    ])
      expect(isNetwork(bad)).toBe(false);
  });
});

describe('receiverFetch', () => {
  let server: Server;
  let port = 0;
  const received: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push(`${req.method} ${req.url}`);
      if (req.url === '/moved') res.writeHead(307, { location: 'http://169.254.169.254/latest' }).end();
      else res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('reaches a receiver on an allowed network', async () => {
    const res = await receiverFetch(receiverAddressPolicy(['loopback']))(`http://127.0.0.1:${port}/hook`, {
      method: 'POST',
      body: '{}',
    });
    expect(res.status).toBe(204);
    expect(received).toContain('POST /hook');
  });

  it('follows no redirect, whatever the caller asks (its target would be reached unchecked)', async () => {
    const post = receiverFetch(receiverAddressPolicy(['loopback']));
    await expect(
      post(`http://127.0.0.1:${port}/moved`, { method: 'POST', body: '{}', redirect: 'follow' }),
    ).rejects.toThrow();
  });

  it('refuses, without connecting, a name that resolves to a refused address, and an IP written in the URL', async () => {
    received.length = 0;
    // A name whose DNS answers an internal address (or is made to, after a check: rebinding) is
    // seen at connection time, by the lookup.
    const dns = ((hostname: string, _options: unknown, callback: (...a: unknown[]) => void) =>
      callback(null, [
        { address: '93.184.215.14', family: 4 },
        { address: hostname === 'rebind.example' ? '127.0.0.1' : '93.184.215.15', family: 4 },
      ])) as unknown as typeof lookup;
    const post = receiverFetch(receiverAddressPolicy([]), dns);
    const viaDns = await post(`http://rebind.example:${port}/hook`, { method: 'POST', body: '{}' }).catch(
      (e: Error) => e,
    );
    expect((viaDns as Error).cause).toBeInstanceOf(AddressNotPermittedError);
    expect(((viaDns as Error).cause as Error).message).toMatch(/rebind\.example resolves to 127\.0\.0\.1/);
    await expect(post(`http://127.0.0.1:${port}/hook`, { method: 'POST', body: '{}' })).rejects.toBeInstanceOf(
      AddressNotPermittedError,
    );
    expect(received).toEqual([]);
  });
});
