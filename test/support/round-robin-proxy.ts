// A small HTTP load balancer for the scale test: each request goes to the next replica in
// turn, with its method, path, headers and body as they came (Slack's signature covers the
// raw body and its timestamp header), and the replica's answer comes back as it was.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  readonly url: string;
  /** Requests forwarded to each replica, in the order the replicas were given. */
  readonly hits: number[];
  close(): Promise<void>;
}

export async function startRoundRobinProxy(replicas: readonly string[]): Promise<RoundRobinProxy> {
  const targets = replicas.map((r) => new URL(r));
  const hits = targets.map(() => 0);
  let next = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((req, res) => {
    const i = next++ % targets.length;
    hits[i]! += 1;
    const target = targets[i]!;
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.once('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}
