// How fast a slash command is acknowledged when 200 arrive at once, against the floor: a
// do-nothing node:http server (its own process, like the app) hit by the same burst. Both
// bursts run under the same background load of logins on the app, alternately, 3 rounds
// each; the ratio is of the p99s over all rounds. Slack gives an app 3 s to ack.
import { spawn } from 'node:child_process';
import type { SlackEmulator } from '../src/sandbox/slack-emulator.js';
import { commandBody, newTriggerId, post, sign, SIGNING_SECRET } from '../test/support/slack-requests.js';
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

async function startFloor(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['-e', FLOOR_SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`floor server exited ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/slack/events`, stop: () => child.kill('SIGKILL') };
}

/** 200 (or `size`) signed `/unlock`s from linked users, all at once; each one's latency in ms. */
async function burst(url: string, slack: SlackEmulator, users: BenchAccount[], size: number): Promise<number[]> {
  const requests = Array.from({ length: size }, (_, i) => {
    const user = users[i % users.length]!;
    const body = commandBody({ command: '/unlock', text: '', user_id: user.slackId!, trigger_id: newTriggerId(), response_url: slack.responseUrl(`bench-${i}-${Date.now()}`) });
    return sign(body, 'application/x-www-form-urlencoded', { nowMs: Date.now() });
  });
  return Promise.all(
    requests.map(async (req) => {
      const start = performance.now();
      const answer = await post(url, req);
      if (answer.status !== 200) throw new Error(`slash command answered ${answer.status}`);
      return performance.now() - start;
    }),
  );
}

export async function benchAck(report: Report, server: ServerUnderTest, slack: SlackEmulator, users: BenchAccount[], loginAccounts: BenchAccount[], opts: { size: number; rounds: number }): Promise<void> {
  const floor = await startFloor();
  const load = loginLoad(server.url, loginAccounts, 2);
  try {
    await burst(`${server.url}/slack/events`, slack, users, 20); // warm-up
    await burst(floor.url, slack, users, 20);
    const app: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round < opts.rounds; round += 1) {
      bare.push(...(await burst(floor.url, slack, users, opts.size)));
      app.push(...(await burst(`${server.url}/slack/events`, slack, users, opts.size)));
      // Let the listeners finish their work (response_url posts) before the next burst.
      await new Promise((r) => setTimeout(r, 500));
    }
    const appP99 = percentile(app, 99);
    const floorP99 = percentile(bare, 99);
    report.info(`${opts.size} concurrent slash commands × ${opts.rounds}, under 2 login loops: p99 ${appP99.toFixed(0)} ms (app), ${floorP99.toFixed(0)} ms (node:http floor); p50 ${percentile(app, 50).toFixed(0)} / ${percentile(bare, 50).toFixed(0)} ms`);
    report.ratio('ack_p99_vs_floor', appP99 / floorP99, { atMost: 2 });
  } finally {
    await load.stop();
    floor.stop();
  }
}
