import { createServer } from 'node:http';
import { freePort } from '../../stack/processes';

export interface Received {
  key: string;
  eventId: string;
  signature: string;
  body: string;
}

export interface Receiver {
  url: string;
  /** Every request, in arrival order, whatever it was answered. */
  got: Received[];
  /** The requests that carried this event key (another test's receiver may have had this port before). */
  of(eventKey: string): Received[];
  close(): Promise<void>;
}

/** A real HTTP receiver on 127.0.0.1 that keeps what it is sent; `answer` gives the status of the n-th request of one event key (default 204). */
export async function startReceiver(opts: { port?: number; answer?: (n: number) => number } = {}): Promise<Receiver> {
  const port = opts.port ?? (await freePort());
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key']);
      got.push({
        key,
        eventId: String(req.headers['suprovid-event-id']),
        signature: String(req.headers['suprovid-signature']),
        body,
      });
      res.writeHead(opts.answer?.(got.filter((g) => g.key === key).length) ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    got,
    of: (eventKey) => got.filter((g) => g.key === eventKey),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
