// The self-service pages over HTTP: security headers, CSRF double-submit, /forgot's
// uniform answer, reset (question → new password → used link), activation, change
// password, French rendering, and that no page echoes a submitted secret.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/core/accounts.js';
import { CLI_ACTOR, webActor } from '../../src/core/deps.js';
import { login } from '../../src/core/login.js';
import { totpCodeAt } from '../../src/core/totp.js';
import { issueToken } from '../../src/core/tokens.js';
import { seedActiveAccount, startTestApp, type TestApp } from '../support/app.js';
import { Browser, hidden, type Page } from '../support/page-client.js';
import { within } from '../../src/web/pages/i18n.js';

const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function expectPageHeaders(p: Page): void {
  expect(p.headers.get('content-security-policy')).toBe(CSP);
  expect(p.headers.get('cache-control')).toBe('no-store');
  expect(p.headers.get('referrer-policy')).toBe('no-referrer');
  expect(p.headers.get('x-frame-options')).toBe('DENY');
}

describe('web pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('sqlite', { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' }, { workers: false });
  });
  afterAll(async () => {
    await t.stop();
  });

  const emailJobs = async (kind: string) =>
    (await t.app.queues.email.getJobs(['waiting', 'delayed'])).filter((j) => (j.data as { kind: string }).kind === kind).map((j) => (j.data as { to: string }).to);

  it('sends the security headers on every page, and a kd_csrf cookie with each form', async () => {
    const p = await seedActiveAccount(t.deps);
    const pages = [
      '/forgot',
      '/login',
      `/reset/${(await issueToken(t.deps, p.id, 'reset')).secret}`,
      `/change-password/${(await issueToken(t.deps, p.id, 'change_password')).secret}`,
      `/mfa/enroll/${(await issueToken(t.deps, p.id, 'mfa_enrol')).secret}`,
      '/reset/not-a-real-token-but-long-enough',
    ];
    for (const path of pages) {
      const page = await new Browser(t.app.url).get(path);
      expectPageHeaders(page);
      expect(page.text).not.toMatch(/<script|style=/i);
    }
    const form = await new Browser(t.app.url).get('/forgot');
    expect(form.headers.get('set-cookie')).toMatch(/^kd_csrf=[\w-]+; HttpOnly; SameSite=Strict; Path=\/$/);
    const invalid = await new Browser(t.app.url).get('/reset/not-a-real-token-but-long-enough');
    expect(invalid.status).toBe(404);
    expect(invalid.text).toContain('/forgot');
    const css = await fetch(`${t.app.url}/assets/keydesk.css`);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
  });

  it('refuses a POST without, or with a wrong, csrf field: 403 and nothing changes', async () => {
    const p = await seedActiveAccount(t.deps);
    const { secret } = await issueToken(t.deps, p.id, 'change_password');
    const path = `/change-password/${secret}`;
    const browser = new Browser(t.app.url);
    await browser.get(path);
    const fields = { current: p.password, password: 'fresh copper lantern 77', password2: 'fresh copper lantern 77', pin: p.pin };
    const none = await browser.post(path, fields, { csrf: null });
    expect(none.status).toBe(403);
    expectPageHeaders(none);
    const wrong = await browser.post(path, fields, { csrf: 'A'.repeat(43) });
    expect(wrong.status).toBe(403);
    // A field from another page doesn't verify here either.
    const other = new Browser(t.app.url);
    await other.get('/forgot');
    const moved = await other.post(path, fields);
    expect(moved.status).toBe(403);
    expect((await login(t.deps, webActor('127.0.0.1'), { login: p.email, password: p.password })).ok).toBe(true);
    // And the link still works afterwards.
    const good = await browser.post(path, fields);
    expect(good.status).toBe(200);
    expect(good.text).toContain('Your password was changed. Sign in with it.');
    expect((await login(t.deps, webActor('127.0.0.1'), { login: p.email, password: 'fresh copper lantern 77' })).ok).toBe(true);
    for (const secretValue of [p.password, p.pin, 'fresh copper lantern 77']) expect(good.text).not.toContain(secretValue);
  });

  it('answers /forgot identically for a known and an unknown login; only the known gets a reset email', async () => {
    const p = await seedActiveAccount(t.deps);
    const ask = async (loginName: string) => {
      const b = new Browser(t.app.url);
      await b.get('/forgot');
      const started = Date.now();
      const page = await b.post('/forgot', { login: loginName });
      return { ...page, ms: Date.now() - started };
    };
    const known = await ask(p.email);
    const unknown = await ask('nobody-here@example.com');
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(known.status);
    expect(unknown.text).toBe(known.text);
    expect(known.text).toContain('If an account matches, we emailed it.');
    expect(known.ms).toBeGreaterThanOrEqual(390);
    expect(unknown.ms).toBeGreaterThanOrEqual(390);
    expect(await emailJobs('reset_link')).toContain(p.email);
    expect(await emailJobs('reset_link')).not.toContain('nobody-here@example.com');
  });

  it('/forgot says how long the link lives, from RESET_TTL_SECONDS, in the page\'s language', async () => {
    const sent = async (url: string, lang?: string) => {
      const b = new Browser(url, lang);
      await b.get('/forgot');
      return (await b.post('/forgot', { login: 'nobody-here@example.com' })).text;
    };
    // The default, 30 minutes.
    expect(t.deps.policy.ttl.resetMs).toBe(30 * 60_000);
    expect(await sent(t.app.url)).toContain('Open the link in the email within 30 minutes.');
    expect(await sent(t.app.url, 'fr')).toContain('Ouvrez le lien de l’e-mail dans les 30 minutes.');
    const longer = await startTestApp('sqlite', { RESET_TTL_SECONDS: '7200' }, { workers: false });
    try {
      expect(await sent(longer.app.url)).toContain('within 2 hours.');
      expect(await sent(longer.app.url, 'fr')).toContain('dans les 2 heures.');
    } finally {
      await longer.stop();
    }
    expect(within('en', 3_600_000)).toBe('within the hour');
    expect(within('fr', 3_600_000)).toBe('dans l’heure');
    expect(within('en', 90 * 60_000)).toBe('within 90 minutes');
    expect(within('en', 119_000)).toBe('within a minute');
    expect(within('fr', 86_400_000)).toBe('dans les 24 heures');
  });

  it('resets by question then new password; the link then shows the used-link page (410)', async () => {
    const p = await seedActiveAccount(t.deps);
    const { secret } = await issueToken(t.deps, p.id, 'reset');
    const path = `/reset/${secret}`;
    const b = new Browser(t.app.url);
    const step1 = await b.get(path);
    expect(step1.text).toContain('First street you lived on?');
    expect(step1.text).toContain('name="answer"');

    const wrong = await b.post(path, { answer: 'Elm Road' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('name="answer"');
    expect(wrong.text).not.toContain('Elm Road');

    const step2 = await b.post(path, { answer: p.answer });
    expect(step2.status).toBe(200);
    expect(step2.text).toContain('name="password2"');
    expect(step2.text).not.toContain(p.answer);
    const proof = hidden(step2.text, 'proof');
    expect(proof).not.toBe('');

    const mismatch = await b.post(path, { proof, password: 'new silver ferry 19', password2: 'new silver ferry 91' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toMatch(/do not match|don.t match/i);
    expect(mismatch.text).not.toContain('new silver ferry');

    const done = await b.post(path, { proof: hidden(mismatch.text, 'proof'), password: 'new silver ferry 19', password2: 'new silver ferry 19' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Your password was changed. Sign in with it.');
    expect(done.text).not.toContain('new silver ferry 19');
    expect((await login(t.deps, webActor('127.0.0.1'), { login: p.email, password: 'new silver ferry 19' })).ok).toBe(true);

    const again = await new Browser(t.app.url).get(path);
    expect(again.status).toBe(410);
    expectPageHeaders(again);
    expect(again.text).toContain('/password');
  });

  it('a set-password link skips the question', async () => {
    const p = await seedActiveAccount(t.deps);
    const { secret } = await issueToken(t.deps, p.id, 'set_password');
    const b = new Browser(t.app.url);
    const form = await b.get(`/reset/${secret}`);
    expect(form.text).not.toContain('name="answer"');
    const done = await b.post(`/reset/${secret}`, { password: 'plain orbit candle 55', password2: 'plain orbit candle 55' });
    expect(done.status).toBe(200);
    expect((await login(t.deps, webActor('127.0.0.1'), { login: p.email, password: 'plain orbit candle 55' })).ok).toBe(true);
  });

  it('activates an account', async () => {
    const created = await createAccount(t.deps, CLI_ACTOR, { email: 'new-starter@example.com', displayName: 'New Starter' });
    if (!created.ok) throw new Error(created.code);
    const { secret } = await issueToken(t.deps, created.account.id, 'activation');
    const path = `/activate/${secret}`;
    const b = new Browser(t.app.url);
    await b.get(path);
    const fields = { password: 'quiet meadow rocket 8', password2: 'quiet meadow rocket 8', pin: '7391', question: 'Name of my first pet?', answer: 'Biscuit the dog' };
    const done = await b.post(path, fields);
    expect(done.status).toBe(200);
    expect(done.text).toContain('Your account is active');
    for (const v of [fields.password, fields.pin, fields.answer]) expect(done.text).not.toContain(v);
    expect((await login(t.deps, webActor('127.0.0.1'), { login: 'new-starter@example.com', password: fields.password })).ok).toBe(true);
    expect((await new Browser(t.app.url).get(path)).status).toBe(410);
  });

  it('shows an inline error without echoing secrets when the current password is wrong', async () => {
    const p = await seedActiveAccount(t.deps);
    const { secret } = await issueToken(t.deps, p.id, 'change_password');
    const b = new Browser(t.app.url);
    await b.get(`/change-password/${secret}`);
    const wrong = await b.post(`/change-password/${secret}`, { current: 'not my password 1', password: 'brisk harbor tulip 3', password2: 'brisk harbor tulip 3', pin: p.pin });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('class="error"');
    for (const v of ['not my password 1', 'brisk harbor tulip 3', p.pin]) expect(wrong.text).not.toContain(v);
  });

  it('renders French for Accept-Language: fr and for a French account', async () => {
    const forgot = await new Browser(t.app.url, 'fr-CA,fr;q=0.9,en;q=0.5').get('/forgot');
    expect(forgot.text).toContain('<html lang="fr">');
    expect(forgot.text).toContain('Mot de passe oublié ?');

    const p = await seedActiveAccount(t.deps, { locale: 'fr' });
    const { secret } = await issueToken(t.deps, p.id, 'reset');
    const reset = await new Browser(t.app.url, 'en-US').get(`/reset/${secret}`);
    expect(reset.text).toContain('<html lang="fr">');
    expect(reset.text).toContain('Répondez d’abord à votre question de sécurité.');
  });

  it('?lang= comes first; pages without a token switch by links, and their forms keep ?lang= in their action', async () => {
    const en = await new Browser(t.app.url, 'fr-FR').get('/forgot?lang=en');
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('Forgot your password?');
    expect(en.text).toContain('<strong lang="en" aria-current="true">English</strong>');
    expect(en.text).toContain('<a href="/forgot?lang=fr" lang="fr" hreflang="fr">Français</a>');
    expect(en.text).toContain('<form method="post" action="/forgot?lang=en">');
    expect(en.text).toContain('/login?lang=en"');

    const b = new Browser(t.app.url, 'en-US');
    const fr = await b.get('/login?lang=fr');
    expect(fr.text).toContain('<html lang="fr">');
    expect(fr.text).toContain('<a href="/login?lang=en" lang="en" hreflang="en">English</a>');
    expect(fr.text).toContain('<form method="post" action="/login?lang=fr">');
    const failed = await b.post('/login?lang=fr', { login: 'ghost@example.com', password: 'wrong one entirely' });
    expect(failed.status).toBe(401);
    expect(failed.text).toContain('<html lang="fr">');
    // An unknown ?lang= is ignored.
    expect((await new Browser(t.app.url, 'en-US').get('/forgot?lang=de')).text).toContain('<html lang="en">');
  });

  it('on a token page the switch is a POST with the CSRF field that stores the choice; a GET with ?lang= stores nothing', async () => {
    const p = await seedActiveAccount(t.deps);
    const { secret } = await issueToken(t.deps, p.id, 'change_password');
    const path = `/change-password/${secret}`;
    const b = new Browser(t.app.url, 'en-US');
    const shown = await b.get(path);
    expect(shown.text).toMatch(new RegExp(`<form method="post" action="${path}\\?lang=fr" class="lang-choice"><input type="hidden" name="csrf" value="[^"]+"><button type="submit" lang="fr" hreflang="fr">Français</button></form>`));
    const locale = async () => t.deps.db.selectFrom('accounts').select(['locale', 'locale_chosen']).where('id', '=', p.id).executeTakeFirstOrThrow();

    // A prefetch of the link in French shows French and changes nothing.
    const prefetched = await new Browser(t.app.url).get(`${path}?lang=fr`);
    expect(prefetched.text).toContain('<html lang="fr">');
    expect(await locale()).toEqual({ locale: 'en', locale_chosen: 0 });
    // Without the CSRF field: 403, nothing stored.
    expect((await b.post(`${path}?lang=fr`, {}, { csrf: null })).status).toBe(403);
    expect(await locale()).toEqual({ locale: 'en', locale_chosen: 0 });

    const switched = await b.post(`${path}?lang=fr`, {});
    expect(switched.status).toBe(303);
    expect(switched.headers.get('location')).toBe(path);
    expect(await locale()).toEqual({ locale: 'fr', locale_chosen: 1 });
    const again = await b.get(path);
    expect(again.text).toContain('<html lang="fr">');
    expect(again.text).toContain('Mon compte');
    const audit = await t.deps.db.selectFrom('audit_log').select(['actor', 'detail']).where('action', '=', 'set_locale').where('target_account_id', '=', p.id).execute();
    expect(audit).toEqual([{ actor: p.id, detail: JSON.stringify({ from: 'en', locale: 'fr', chosen: true }) }]);
    // The link still works: the switch used nothing.
    const changed = await b.post(path, { current: p.password, password: 'fresh copper lantern 78', password2: 'fresh copper lantern 78', pin: p.pin });
    expect(changed.status).toBe(200);
  });

  it('signs in on /login, asks password + code again on otp_required, and never echoes the password', async () => {
    const p = await seedActiveAccount(t.deps);
    const b = new Browser(t.app.url);
    await b.get('/login');
    const bad = await b.post('/login', { login: p.email, password: 'wrong one entirely' });
    expect(bad.status).toBe(401);
    expect(bad.text).toContain('The login or password is not correct.');
    expect(bad.text).not.toContain('wrong one entirely');
    const unknown = await b.post('/login', { login: 'ghost@example.com', password: 'wrong one entirely' });
    expect(unknown.text.replace('ghost@example.com', p.email).replace(/name="csrf" value="[^"]+"/, '')).toBe(bad.text.replace(/name="csrf" value="[^"]+"/, ''));
    const good = await b.post('/login', { login: p.email, password: p.password });
    expect(good.status).toBe(200);
    expect(good.text).toContain('Signed in as Casey Tester');
    expect(good.text).not.toContain(p.password);
  });

  it('enrols MFA: password + answer, then a QR code and key, then a first code; /login then asks for the code', async () => {
    const p = await seedActiveAccount(t.deps);
    const { secret } = await issueToken(t.deps, p.id, 'mfa_enrol');
    const path = `/mfa/enroll/${secret}`;
    const b = new Browser(t.app.url);
    await b.get(path);
    const step2 = await b.post(path, { password: p.password, answer: p.answer });
    expect(step2.status).toBe(200);
    expect(step2.text).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+"/);
    const key = /<code class="totp-key">([A-Z2-7]+)<\/code>/.exec(step2.text)?.[1] ?? '';
    expect(key).not.toBe('');
    for (const v of [p.password, p.answer]) expect(step2.text).not.toContain(v);
    const wrong = await b.post(path, { proof: hidden(step2.text, 'proof'), code: '000000' === (await totpCodeAt(key, t.clock.now())) ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    const done = await b.post(path, { proof: hidden(wrong.text, 'proof'), code: await totpCodeAt(key, t.clock.now()) });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Two-step sign-in is on.');

    t.clock.advance(60_000);
    const l = new Browser(t.app.url);
    await l.get('/login');
    const ask = await l.post('/login', { login: p.email, password: p.password });
    expect(ask.status).toBe(401);
    expect(ask.text).toContain('name="otp"');
    expect(ask.text).not.toContain(p.password);
    const signed = await l.post('/login', { login: p.email, password: p.password, otp: await totpCodeAt(key, t.clock.now()) });
    expect(signed.status).toBe(200);
    expect(signed.text).toContain('Signed in as');
  });

  it('redirects a temporary-password sign-in (303) to its change-password page', async () => {
    const p = await seedActiveAccount(t.deps);
    await t.deps.db.updateTable('accounts').set({ must_change_password: 1, temp_password_expires_at: t.clock.now() + 3_600_000 }).where('id', '=', p.id).execute();
    const b = new Browser(t.app.url);
    await b.get('/login');
    const res = await b.post('/login', { login: p.email, password: p.password });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/\/change-password\/[\w-]+$/);
  });
});
