// Core conformance, language: Slack's locale is followed until someone chooses one, a
// choice sticks, and who may choose for whom — on both stores.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR, SYSTEM_ACTOR } from '../../src/core/deps.js';
import { setLocale } from '../../src/core/locale.js';
import { STORE_KINDS } from '../support/stores.js';
import { accountRow, actorOf, auditRows, seedPerson, startCore, type CoreHarness } from '../support/core.js';

describe.each(STORE_KINDS)('core locale on %s', (kind) => {
  let h: CoreHarness;
  beforeEach(async () => {
    h = await startCore(kind);
  });
  afterEach(async () => {
    await h.stop();
  });

  it('follows Slack until the owner chooses; then Slack changes nothing', async () => {
    const dana = await seedPerson(h);
    const slack = { ...SYSTEM_ACTOR, id: 'slack:U0DANA' };
    expect(await setLocale(h.deps, slack, dana.id, 'fr', { chosen: false })).toMatchObject({ ok: true, changed: true });
    expect(await setLocale(h.deps, slack, dana.id, 'fr', { chosen: false })).toMatchObject({ ok: true, changed: false });
    expect(await accountRow(h, dana.id)).toMatchObject({ locale: 'fr', locale_chosen: 0 });

    const self = await actorOf(h, dana.id);
    expect(await setLocale(h.deps, self, dana.id, 'en', { chosen: true })).toMatchObject({ ok: true, changed: true });
    expect(await setLocale(h.deps, slack, dana.id, 'fr', { chosen: false })).toMatchObject({ ok: true, changed: false });
    expect(await accountRow(h, dana.id)).toMatchObject({ locale: 'en', locale_chosen: 1 });

    const audit = await auditRows(h, { action: 'set_locale', target: dana.id });
    const detail = (d: unknown) => (typeof d === 'string' ? JSON.parse(d) : d) as unknown;
    expect(audit).toHaveLength(2);
    expect(audit.map((a) => [a.actor, detail(a.detail)])).toEqual(expect.arrayContaining([
      ['slack:U0DANA', { from: 'en', locale: 'fr', chosen: false }],
      [dana.id, { from: 'fr', locale: 'en', chosen: true }],
    ]));
  });

  it('a choice of the same language still marks it chosen; the system may not choose; another user may not', async () => {
    const [dana, eve] = await Promise.all([seedPerson(h), seedPerson(h)]);
    expect(await setLocale(h.deps, await actorOf(h, dana.id), dana.id, 'en', { chosen: true })).toMatchObject({ ok: true, changed: true });
    expect(await accountRow(h, dana.id)).toMatchObject({ locale: 'en', locale_chosen: 1 });
    expect(await setLocale(h.deps, SYSTEM_ACTOR, eve.id, 'fr', { chosen: true })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await setLocale(h.deps, await actorOf(h, dana.id), eve.id, 'fr', { chosen: true })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await setLocale(h.deps, CLI_ACTOR, eve.id, 'fr', { chosen: true })).toMatchObject({ ok: true, changed: true });
    expect(await accountRow(h, eve.id)).toMatchObject({ locale: 'fr', locale_chosen: 1 });
  });

  it('a burst of Slack follows racing one choice: the choice wins whatever the order (one conditional UPDATE each)', async () => {
    const dana = await seedPerson(h);
    const slack = { ...SYSTEM_ACTOR, id: 'slack:U0DANA' };
    const self = await actorOf(h, dana.id);
    const follows = Array.from({ length: 8 }, () => setLocale(h.deps, slack, dana.id, 'fr', { chosen: false }));
    const results = await Promise.all([...follows, setLocale(h.deps, self, dana.id, 'en', { chosen: true })]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await accountRow(h, dana.id)).toMatchObject({ locale: 'en', locale_chosen: 1 });
    // At most one follow changed anything (the rest found it already fr, or chosen).
    const followed = await auditRows(h, { action: 'set_locale', target: dana.id });
    expect(followed.filter((a) => a.actor === 'slack:U0DANA').length).toBeLessThanOrEqual(1);
  });
});
