// The load generator's HTTP client: node:http on a keep-alive agent. fetch (undici) costs
// the generator about 2.3 ms of CPU per request on this machine (bench/profile.ts), time
// taken from the two cores the server under measure hashes on and the raw argon2id side
// never pays; node:http costs a fraction of that.
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export interface Answer {
  status: number;
  body: string;
}

/** POSTs a JSON body and reads the whole answer. */
export function postJson(url: string, body: unknown): Promise<Answer> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': payload.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}
