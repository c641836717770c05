import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import type { Agent, fetch as undiciFetch } from 'undici';

/**
 * Lists of networks in settings (API_TRUST_PROXY, WEBHOOK_ALLOWED_NETWORKS): addresses, subnets
 * in CIDR, and express's names for the private ranges (loopback, linklocal, uniquelocal).
 */
const named: Record<string, [string, number][]> = {
  loopback: [
    ['127.0.0.0', 8],
    ['::1', 128],
  ],
  linklocal: [
    ['169.254.0.0', 16],
    ['fe80::', 10],
  ],
  uniquelocal: [
    ['10.0.0.0', 8],
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['fc00::', 7],
  ],
};

/** An address, a subnet (CIDR) or one of the names; false for anything else. */
export function isNetwork(p: string): boolean {
  if (Object.hasOwn(named, p)) return true;
  const [address, bits, ...rest] = p.split('/');
  const family = isIP(address ?? '');
  // No zone ids (fe80::1%eth0: never matched), and no subnet wider than /8, which would switch
  // the check off (0.0.0.0/0) rather than name a network.
  if (!family || rest.length || p.includes('%')) return false;
  return (
    bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) >= 8 && Number(bits) <= (family === 4 ? 32 : 128))
  );
}

function blockListOf(networks: readonly string[]): BlockList {
  const list = new BlockList();
  for (const n of networks) {
    const [address = '', bits] = n.split('/');
    const subnets = Object.hasOwn(named, n)
      ? named[n]!
      : [[address, bits === undefined ? (isIP(address) === 4 ? 32 : 128) : Number(bits)] as [string, number]];
    for (const [a, b] of subnets) list.addSubnet(a, b, isIP(a) === 4 ? 'ipv4' : 'ipv6');
  }
  return list;
}

/** The networks receivers may be on besides the internet when WEBHOOK_ALLOWED_NETWORKS is unset. */
export const defaultReceiverNetworks: readonly string[] = ['loopback'];

/**
 * The ranges that are not the public internet (IANA's special-purpose address registries): private,
 * loopback, link-local (the cloud metadata service at 169.254.169.254), shared (CGNAT),
 * documentation, benchmarking, multicast, reserved, and the IPv6 forms that embed an IPv4 address
 * (mapped, 6to4, NAT64) or are site-local. Node's BlockList matches an IPv4-mapped IPv6 address
 * against the IPv4 ranges.
 */
const notPublic = blockListOf([
  '0.0.0.0/8',
  'uniquelocal',
  'loopback',
  'linklocal',
  '100.64.0.0/10',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::/96', // IPv4-compatible (::a.b.c.d) and the unspecified address
  '::ffff:0:0:0/96', // IPv4-translated
  '64:ff9b::/96',
  '64:ff9b:1::/48',
  '100::/64',
  '2001::/23',
  '2001:db8::/32',
  '2002::/16',
  '3fff::/20',
  '5f00::/16',
  'fec0::/10',
  'ff00::/8',
]);

/** Which addresses outbound requests to receivers may reach: the public internet, and the networks allowed. */
export interface ReceiverAddressPolicy {
  permits(address: string): boolean;
  /** Why a URL's host may not be reached, when that is known without DNS (an IP literal, localhost); else undefined. */
  problemWithUrl(url: string): string | undefined;
  /** What is allowed besides the public internet, for messages ("loopback, 10.20.0.0/16" or "nothing"). */
  readonly allowed: string;
}

export function receiverAddressPolicy(allowedNetworks: readonly string[]): ReceiverAddressPolicy {
  const allowed = blockListOf(allowedNetworks);
  const permits = (address: string) => {
    const family = isIP(address);
    if (!family) return false;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    return allowed.check(address, type) || !notPublic.check(address, type);
  };
  const described = allowedNetworks.length ? allowedNetworks.join(', ') : 'nothing';
  return {
    permits,
    allowed: described,
    problemWithUrl(url) {
      if (!URL.canParse(url)) return undefined;
      // Brackets off an IPv6 literal; the root's dot off a name ("localhost.").
      const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
      const literal = isIP(host) ? host : host === 'localhost' || host.endsWith('.localhost') ? '127.0.0.1' : undefined;
      if (literal === undefined || permits(literal)) return undefined;
      return `${host} is a private or reserved address; receivers may be on the public internet or in WEBHOOK_ALLOWED_NETWORKS (now: ${described})`;
    },
  };
}

/** The error of a connection refused by the policy: its code names it in the delivery log. */
export class AddressNotPermittedError extends Error {
  readonly code = 'ADDRESS_NOT_PERMITTED';
  constructor(message: string) {
    super(message);
    this.name = 'AddressNotPermittedError';
  }
}

/**
 * fetch for requests to receivers (webhooks): every address a host name resolves to is checked
 * against the policy when the connection is made, so a name that resolves to an internal address,
 * or is made to later (DNS rebinding), is refused as an IP written in the URL is. undici, the
 * library Node's own fetch is built on, is used for its connection hook (`connect.lookup`).
 */
export type ReceiverFetch = typeof undiciFetch;

export function receiverFetch(
  policy: ReceiverAddressPolicy,
  /** The resolver (tests give their own: DNS is not theirs to change). */
  resolve: typeof dnsLookup = dnsLookup,
): ReceiverFetch {
  const lookup = (
    hostname: string,
    options: LookupOptions,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const refused = addresses.find((a) => !policy.permits(a.address));
      if (refused)
        return callback(
          new AddressNotPermittedError(
            `${hostname} resolves to ${refused.address}, a private or reserved address (allowed besides the internet: ${policy.allowed})`,
          ),
          '',
        );
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      return callback(null, first.address, first.family);
    });
  };
  // undici is loaded at the first delivery, not with the settings every process reads (about 0.1 s).
  let dispatcher: Agent | undefined;
  return async (input, init) => {
    const url = typeof input === 'string' ? input : 'url' in input ? input.url : input.href;
    const problem = policy.problemWithUrl(url);
    if (problem) throw new AddressNotPermittedError(problem);
    const undici = await import('undici');
    dispatcher ??= new undici.Agent({ connect: { lookup } });
    // Never a redirect: its target would be connected to with no check of an IP in its Location.
    return undici.fetch(input, { ...init, redirect: 'error', dispatcher });
  };
}
