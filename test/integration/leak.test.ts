// A full flow, then a search for every secret it used in the places secrets must never
// be: logs, audit rows, login attempts, job data in Redis, and the messages people see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capturingLogger } from '../support/log-capture.js';
import { issueAccessKey, revealAccessKey } from '../../src/core/access-keys.js';
import { activateAccount, createAccount, disableAccount } from '../../src/core/accounts.js';
import { actorFromAccount } from '../../src/core/authority.js';
import { CLI_ACTOR, webActor } from '../../src/core/deps.js';
import { findAccountById } from '../../src/store/accounts.js';
import { unlockAccount } from '../../src/core/lockout.js';
import { beginCodeEnrolment, beginEnrolment, clearMfa, confirmCodeEnrolment, confirmEnrolment } from '../../src/core/mfa.js';
import { issueToken } from '../../src/core/tokens.js';
import { adminResetPassword, changeOwnPassword, issueChangePasswordLink, requestPasswordReset, resetPasswordByToken } from '../../src/core/passwords.js';
import { totpCodeAt } from '../../src/core/totp.js';
import { readAccountTrail, readAuditTrail } from '../../src/core/audit-trail.js';
import { auditTrailMessage } from '../../handlers/blocks/audit-trail.js';
import { postJson, seedActiveAccount, startTestApp, type TestApp } from '../support/app.js';
import { readSmsOutbox, waitForSmsCode } from '../support/codes.js';
import { Browser, hidden } from '../support/page-client.js';
import { readOnlyCliEnv, runKeydesk } from '../support/cli.js';
import { readOutbox, waitForEmail } from '../support/outbox.js';

const TOKEN = /\/(?:activate|reset|change-password|mfa\/enroll)\/([A-Za-z0-9_-]{43})/;
const EMAILED_CODE = /one-time code is:\s*(\d{6})\b/;

describe('no secret leaks', () => {
  let t: TestApp;
  const { logger, lines: logLines } = capturingLogger('trace');
  const secrets: Record<string, string> = {};
  const messages: string[] = [];

  beforeAll(async () => {
    t = await startTestApp('sqlite', { LOGIN_RATE_LIMIT_PER_MINUTE: '1000', ADMIN_RESET_POLICY: 'random' }, { logger: logger });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('runs every flow and finds none of its secrets where they must not be', async () => {
    const { deps, app } = t;
    const dataDir = t.store.dataDir;
    const api = (body: Record<string, string>) => postJson(`${app.url}/api/v1/login`, body);
    const note = (r: { ok: boolean } & object) => {
      if (!r.ok) messages.push((r as unknown as { message(l: string): string }).message('en'), (r as unknown as { message(l: string): string }).message('fr'));
    };

    const created = await createAccount(deps, CLI_ACTOR, { email: 'leak@example.com', displayName: 'Lee Kage', phone: '+14155550177' });
    if (!created.ok) throw new Error(created.code);
    const id = created.account.id;
    secrets.activation = await waitForEmail(dataDir, 'leak@example.com', TOKEN);
    secrets.password = 'quiet lantern orchard 1987';
    secrets.pin = '730518';
    secrets.answer = 'Grandma Odette';
    note(await activateAccount(deps, webActor('198.51.100.7'), secrets.activation, { password: 'short', pin: secrets.pin, securityQuestion: 'Who?', securityAnswer: secrets.answer }));
    const act = await activateAccount(deps, webActor('198.51.100.7'), secrets.activation, {
      password: secrets.password,
      pin: secrets.pin,
      securityQuestion: 'Who taught you to cook?',
      securityAnswer: secrets.answer,
    });
    expect(act.ok).toBe(true);

    // Lock by wrong passwords through the API, then log in with the reset one.
    for (let i = 0; i < 5; i++) await api({ login: 'leak@example.com', password: `${secrets.password}x` });
    await api({ login: 'leak@example.com', password: secrets.password });

    // Change own password through the Slack DM link (the change page refuses a locked
    // account, so an admin unlocks first).
    note(await unlockAccount(deps, CLI_ACTOR, id));
    const account = (await findAccountById(deps.db, id))!;
    const link = await issueChangePasswordLink(deps, actorFromAccount(account), id);
    if (!link.ok) throw new Error(link.code);
    secrets.change = TOKEN.exec(link.link)![1]!;
    note(await changeOwnPassword(deps, webActor('198.51.100.7'), secrets.change, { currentPassword: 'nope nope nope', newPassword: 'x', pin: secrets.pin }));
    secrets.password2 = 'marble kettle seventy rivers';
    expect((await changeOwnPassword(deps, webActor('198.51.100.7'), secrets.change, { currentPassword: secrets.password, newPassword: secrets.password2, pin: secrets.pin })).ok).toBe(true);

    // Forgot: reset link by email, security answer, new password.
    await requestPasswordReset(deps, webActor('198.51.100.7'), '+1 415 555 0177');
    secrets.reset = await waitForEmail(dataDir, 'leak@example.com', /\/reset\/([A-Za-z0-9_-]{43})/);
    note(await resetPasswordByToken(deps, webActor('198.51.100.7'), secrets.reset, { securityAnswer: 'wrong', newPassword: 'x' }));
    secrets.password3 = 'copper meadow lighthouse nine';
    expect((await resetPasswordByToken(deps, webActor('198.51.100.7'), secrets.reset, { securityAnswer: ' grandma odette ', newPassword: secrets.password3 })).ok).toBe(true);

    // MFA: clear, enrol, log in with a code.
    expect((await clearMfa(deps, CLI_ACTOR, id)).ok).toBe(true);
    secrets.enrol = await waitForEmail(dataDir, 'leak@example.com', /\/mfa\/enroll\/([A-Za-z0-9_-]{43})/);
    const begun = await beginEnrolment(deps, secrets.enrol, { password: secrets.password3, securityAnswer: secrets.answer });
    if (!begun.ok) throw new Error(begun.code);
    secrets.totp = begun.totpSecret;
    expect((await confirmEnrolment(deps, webActor(null), secrets.enrol, secrets.totp, await totpCodeAt(secrets.totp, t.clock.now()))).ok).toBe(true);
    t.clock.advance(90_000);
    secrets.otp = await totpCodeAt(secrets.totp, t.clock.now());
    const signedIn = await api({ login: 'leak@example.com', password: secrets.password3, otp: secrets.otp });
    expect(signedIn.status).toBe(200);
    await api({ login: 'leak@example.com', password: secrets.password3, otp: secrets.otp }); // replay

    // The session that sign-in started: used, then ended.
    secrets.session = String(signedIn.body.session_token);
    const bearer = { authorization: `Bearer ${secrets.session}` };
    expect((await fetch(`${app.url}/api/v1/session`, { headers: bearer })).status).toBe(200);
    expect((await fetch(`${app.url}/api/v1/logout`, { method: 'POST', headers: bearer })).status).toBe(204);
    expect((await fetch(`${app.url}/api/v1/session`, { headers: bearer })).status).toBe(401);

    // Access key: issue, reveal, use.
    const issued = await issueAccessKey(deps, CLI_ACTOR, id);
    if (!issued.ok) throw new Error(issued.code);
    const revealed = await revealAccessKey(deps, actorFromAccount((await findAccountById(deps.db, id))!), issued.key.id);
    if (!revealed.ok) throw new Error(revealed.code);
    secrets.key = revealed.accessKey.split('_')[2]!;
    expect((await fetch(`${app.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${revealed.accessKey}` } })).status).toBe(200);

    // Admin reset with a temporary password.
    expect((await adminResetPassword(deps, CLI_ACTOR, id, null)).ok).toBe(true);
    secrets.temporary = await waitForEmail(dataDir, 'leak@example.com', /^\s*([A-Za-z0-9]{20})\s*$/m);
    expect((await api({ login: 'leak@example.com', password: secrets.temporary, otp: await totpCodeAt(secrets.totp, t.clock.now() + 30_000) })).status).toBeLessThan(500);

    // Codes by email and SMS: enrolment, POST /api/v1/otp, the login that takes the code
    // (and its replay), and /validate's page, by email and by SMS. Each code, and the SMS
    // text that carries one, is searched below.
    const byEmail = await seedActiveAccount(deps, { email: 'leak-mail@example.com' });
    const bySms = await seedActiveAccount(deps, { email: 'leak-sms@example.com', phone: '+14155550178' });
    const codeApi = (body: Record<string, string>) => postJson(`${app.url}/api/v1/otp`, body);
    for (const [who, channel] of [
      [byEmail, 'email'],
      [bySms, 'sms'],
    ] as const) {
      const enrolLink = await issueToken(deps, who.id, 'mfa_enrol');
      const sent = await beginCodeEnrolment(deps, enrolLink.secret, { password: who.password, securityAnswer: who.answer }, channel, webActor('198.51.100.7'));
      if (!sent.ok) throw new Error(sent.code);
      const enrolCode = channel === 'email' ? await waitForEmail(dataDir, who.email, EMAILED_CODE) : await waitForSmsCode(dataDir, '+14155550178');
      note(await confirmCodeEnrolment(deps, webActor('198.51.100.7'), enrolLink.secret, channel, String((Number(enrolCode) + 1) % 1_000_000).padStart(6, '0')));
      expect((await confirmCodeEnrolment(deps, webActor('198.51.100.7'), enrolLink.secret, channel, enrolCode)).ok).toBe(true);
      secrets[`code_enrol_${channel}`] = enrolCode;
      expect((await codeApi({ login: who.email, password: who.password, method: channel })).status).toBe(202);
      const loginCode = channel === 'email' ? await waitForEmail(dataDir, who.email, EMAILED_CODE, 1) : await waitForSmsCode(dataDir, '+14155550178', 1);
      secrets[`code_login_${channel}`] = loginCode;
      expect((await api({ login: who.email, password: who.password, otp: loginCode })).status).toBe(200);
      expect((await api({ login: who.email, password: who.password, otp: loginCode })).status).toBe(401); // replay
    }
    expect((await disableAccount(deps, CLI_ACTOR, bySms.id, 'validation')).ok).toBe(true);
    t.clock.advance(10 * 60_000 + 1); // a fresh send window: enrolment and login used two of three
    for (const channel of ['email', 'sms'] as const) {
      const browser = new Browser(app.url);
      await browser.get('/validate');
      const step2 = await browser.post('/validate', { login: bySms.email, channel });
      expect(step2.status).toBe(200);
      const skip = channel === 'email' ? 0 : 2;
      const code = channel === 'email' ? await waitForEmail(dataDir, bySms.email, EMAILED_CODE) : await waitForSmsCode(dataDir, '+14155550178', skip);
      secrets[`code_validate_${channel}`] = code;
      if (channel === 'email') {
        // The email code is replaced by the SMS one below: a wrong code, then the request again.
        expect((await browser.post('/validate', { proof: hidden(step2.text, 'proof'), code: String((Number(code) + 7) % 1_000_000).padStart(6, '0') })).status).toBe(400);
      } else {
        expect((await browser.post('/validate', { proof: hidden(step2.text, 'proof'), code })).status).toBe(200);
      }
    }
    expect((await findAccountById(deps.db, bySms.id))?.status).toBe('active');
    const texts = (await readSmsOutbox(dataDir)).map((m) => m.text);
    expect(texts).toHaveLength(3);
    secrets.smsText = texts.at(-1)!;
    expect(secrets.smsText).toContain(secrets.code_validate_sms);

    // Token paths in the access log are redacted.
    await fetch(`${app.url}/reset/${secrets.reset}`);
    await fetch(`${app.url}/activate/${secrets.activation}?x=1`);

    // The audit trail read back: the core's page, `keydesk audit` (lines and --json), and
    // `/helpdesk audit`'s pages in both languages. All are searched below.
    const trail = await readAuditTrail(deps, CLI_ACTOR, { limit: 1000 });
    if (!trail.ok) throw new Error(trail.code);
    expect(trail.events.length).toBeGreaterThan(10);
    const cliEnv = readOnlyCliEnv(t.store);
    const cliRuns = await Promise.all([
      runKeydesk(['audit', '--limit', '1000'], cliEnv),
      runKeydesk(['audit', '--account', 'leak@example.com', '--json'], cliEnv),
    ]);
    for (const run of cliRuns) expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(cliRuns[0].stdout.split('\n').filter(Boolean)).toHaveLength(trail.events.length);
    const slackPages: string[] = [];
    // Pages of 5, so Older's cursor values are searched too.
    let before: { at: number; id: string } | undefined;
    do {
      const page = await readAccountTrail(deps, CLI_ACTOR, id, { limit: 5, ...(before ? { before } : {}) });
      if (!page.ok) throw new Error(page.code);
      for (const locale of ['en', 'fr'] as const) {
        slackPages.push(JSON.stringify(auditTrailMessage({ ...page, paged: before !== undefined, now: t.clock.now(), tz: 'Europe/Paris', locale })));
      }
      before = page.older ?? undefined;
    } while (before);
    expect(slackPages.length).toBeGreaterThanOrEqual(6);

    // --- The search.
    const redisDump: string[] = [];
    const prefix = app.queues.email.opts.prefix ?? '';
    for (const key of await app.redis.keys(`${prefix}*`)) {
      const type = await app.redis.type(key);
      if (type === 'hash') redisDump.push(JSON.stringify(await app.redis.hgetall(key)));
      else if (type === 'string') redisDump.push((await app.redis.get(key)) ?? '');
      else if (type === 'list') redisDump.push(...(await app.redis.lrange(key, 0, -1)));
      else if (type === 'zset') redisDump.push(...(await app.redis.zrange(key, '0', '-1')));
      else if (type === 'stream') redisDump.push(JSON.stringify(await app.redis.xrange(key, '-', '+')));
      else if (type === 'set') redisDump.push(...(await app.redis.smembers(key)));
    }
    const places: Record<string, string> = {
      logs: logLines.join('\n'),
      audit: JSON.stringify(await deps.db.selectFrom('audit_log').selectAll().execute()),
      attempts: JSON.stringify(await deps.db.selectFrom('login_attempts').selectAll().execute()),
      tokens: JSON.stringify(await deps.db.selectFrom('one_time_tokens').selectAll().execute()),
      keys: JSON.stringify(await deps.db.selectFrom('access_keys').selectAll().execute()),
      sessions: JSON.stringify(await deps.db.selectFrom('sessions').selectAll().execute()),
      accounts: JSON.stringify(await deps.db.selectFrom('accounts').selectAll().execute()),
      codes: JSON.stringify(await deps.db.selectFrom('otp_codes').selectAll().execute()),
      redis: redisDump.join('\n'),
      messages: messages.join('\n'),
      auditTrail: JSON.stringify(trail.events),
      auditCli: cliRuns.map((r) => r.stdout + r.stderr).join('\n'),
      auditSlack: slackPages.join('\n'),
    };
    expect(logLines.length).toBeGreaterThan(10);
    // The audit outputs hold the trail (so the search below has something to search).
    for (const place of ['auditTrail', 'auditCli', 'auditSlack']) expect(places[place]).toContain('leak@example.com');
    expect(redisDump.length).toBeGreaterThan(5);
    expect(messages.length).toBeGreaterThan(3);
    expect(Object.keys(secrets)).toHaveLength(21);
    for (const [place, text] of Object.entries(places)) {
      for (const [name, secret] of Object.entries(secrets)) {
        // A numeric secret (PIN, code) could sit inside a millisecond timestamp by chance:
        // match it whole. A 6-digit code could also sit inside a hex id: match it as a word.
        const found = name.startsWith('code_')
          ? new RegExp(`(?<![0-9A-Za-z])${secret}(?![0-9A-Za-z])`).test(text)
          : /^\d+$/.test(secret)
            ? new RegExp(`(?<!\\d)${secret}(?!\\d)`).test(text)
            : text.includes(secret);
        expect(found, `${name} found in ${place}`).toBe(false);
      }
    }
    // The emails and the SMS outbox do carry their codes, as intended.
    expect((await readOutbox(dataDir)).some((m) => m.text.includes(secrets.code_login_email!))).toBe(true);
    expect(texts.some((text) => text.includes(secrets.code_login_sms!))).toBe(true);
    // The emails do carry their links and the temporary password, as intended.
    expect((await readOutbox(dataDir)).some((m) => m.text.includes(secrets.temporary!))).toBe(true);
  });
});
