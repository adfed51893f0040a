// How fast a slash command is acknowledged when 200 arrive at once, against the floor: a
// do-nothing node:http server (its own process, like the app) hit by the same burst. Both
// bursts run under the same background load of logins on the app, alternately, 3 rounds
// each; the ratio is of the p99s over all rounds. Slack gives an app 3 s to ack.
// The burst is sent from a worker thread (BURST_CLIENT) with node:http, not from the event
// loop that also plays Slack (the emulator answers the listeners' calls) nor through fetch
// (a few times the CPU per request). A warm-up burst opens the connections first, to both
// servers: measured cold, the app accepted its 180 new connections over 0.5-0.9 s while the
// listeners of the first ones ran, each request then taking about a millisecond; Slack
// does not open 200 connections at once. Each measured burst comes from people asking for
// the first time (a ticket each), the heaviest follow-up work a burst can bring.
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import type { SlackEmulator } from '../src/sandbox/slack-emulator.js';
import { commandBody, newTriggerId, sign, SIGNING_SECRET, type SignedRequest } from '../test/support/slack-requests.js';
import { loginLoad } from './login.js';
import { percentile, type Report } from './report.js';
import type { BenchAccount } from './seed.js';
import type { ServerUnderTest } from './server.js';

export { SIGNING_SECRET };

const FLOOR_SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end(''); }); });
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

// Sends every request at once (a keep-alive agent, a socket each) and answers with each
// one's latency in ms, or an error naming the first status that was not 200.
const BURST_CLIENT = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
parentPort.on('message', async ({ url, requests }) => {
  try {
    const latencies = await Promise.all(requests.map((r) => new Promise((resolve, reject) => {
      const payload = Buffer.from(r.body);
      const start = performance.now();
      const req = http.request(url, { method: 'POST', agent, headers: { ...r.headers, 'content-length': payload.length } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - start) : reject(new Error('slash command answered ' + res.statusCode))));
      });
      req.on('error', reject);
      req.end(payload);
    })));
    parentPort.postMessage({ latencies });
  } catch (err) {
    parentPort.postMessage({ error: String(err.message) });
  }
});
`;

function startBurstClient(): { send(url: string, requests: SignedRequest[]): Promise<number[]>; stop(): Promise<number> } {
  const worker = new Worker(BURST_CLIENT, { eval: true });
  return {
    send: (url, requests) =>
      new Promise((resolve, reject) => {
        worker.once('message', (m: { latencies?: number[]; error?: string }) => (m.latencies ? resolve(m.latencies) : reject(new Error(m.error))));
        worker.postMessage({ url, requests });
      }),
    stop: () => worker.terminate(),
  };
}

async function startFloor(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['-e', FLOOR_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`floor server exited ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/slack/events`, stop: () => child.kill('SIGKILL') };
}

/** A signed `/unlock` from each of these linked users, all at once; each one's latency in ms. */
function burst(client: ReturnType<typeof startBurstClient>, url: string, slack: SlackEmulator, users: BenchAccount[]): Promise<number[]> {
  const requests = users.map((user, i) => {
    const body = commandBody({ command: '/unlock', text: '', user_id: user.slackId!, trigger_id: newTriggerId(), response_url: slack.responseUrl(`bench-${i}-${Date.now()}`) });
    return sign(body, 'application/x-www-form-urlencoded', { nowMs: Date.now() });
  });
  return client.send(url, requests);
}

export async function benchAck(report: Report, server: ServerUnderTest, slack: SlackEmulator, users: BenchAccount[], loginAccounts: BenchAccount[], opts: { size: number; rounds: number }): Promise<void> {
  if (users.length < opts.size * (opts.rounds + 1)) throw new Error(`the ack bench needs ${opts.size * (opts.rounds + 1)} linked people (a burst each for the warm-up and every round)`);
  const floor = await startFloor();
  const client = startBurstClient();
  const load = loginLoad(server.url, loginAccounts, 2);
  try {
    // Warm-up, of both: JIT, pools, and the burst's connections (opened at once on a busy
    // machine, they reach the app spread over half a second; Slack does not open 200 at once).
    // Each burst after it comes from people asking for the first time (a ticket each).
    const cohort = (k: number) => users.slice(k * opts.size, (k + 1) * opts.size);
    await burst(client, `${server.url}/slack/events`, slack, cohort(0));
    await burst(client, floor.url, slack, cohort(0));
    const app: number[] = [];
    const bare: number[] = [];
    const rounds: string[] = [];
    for (let round = 0; round < opts.rounds; round += 1) {
      const bareRound = await burst(client, floor.url, slack, cohort(round + 1));
      const appRound = await burst(client, `${server.url}/slack/events`, slack, cohort(round + 1));
      bare.push(...bareRound);
      app.push(...appRound);
      rounds.push(`${percentile(appRound, 99).toFixed(0)}/${percentile(bareRound, 99).toFixed(0)}`);
      // Let the listeners finish their work (response_url posts) before the next burst.
      await new Promise((r) => setTimeout(r, 500));
    }
    const appP99 = percentile(app, 99);
    const floorP99 = percentile(bare, 99);
    report.info(`${opts.size} concurrent slash commands × ${opts.rounds}, under 2 login loops: p99 ${appP99.toFixed(0)} ms (app), ${floorP99.toFixed(0)} ms (node:http floor); p50 ${percentile(app, 50).toFixed(0)} / ${percentile(bare, 50).toFixed(0)} ms; p99 by round (app/floor) ${rounds.join(', ')}`);
    report.ratio('ack_p99_vs_floor', appP99 / floorP99, { atMost: 2 });
  } finally {
    await load.stop();
    await client.stop();
    floor.stop();
  }
}
