// Two requests of one new Slack user at once (a double-typed /login-help, a command and a
// Home tab opening): both find the account Slack vouches for unlinked, both link it. It is
// linked once, audited once, and both answer with the account — never "no account".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { linkSlackUser } from '../../src/core/accounts.js';
import { linkByVouchedEmail } from '../../src/core/slack-accounts.js';
import { CLI_ACTOR } from '../../src/core/deps.js';
import { accountRow, auditRows, seedPerson, startCore, type CoreHarness } from '../support/core.js';
import { STORE_KINDS } from '../support/stores.js';

describe.each(STORE_KINDS)('linking a Slack user by email, raced, on %s', (kind) => {
  let h: CoreHarness;
  beforeEach(async () => {
    h = await startCore(kind);
  });
  afterEach(async () => {
    await h.stop();
  });

  it('8 requests at once: one link, one audit row, every request gets the account', async () => {
    const person = await seedPerson(h);
    const results = await Promise.all(Array.from({ length: 8 }, () => linkByVouchedEmail(h.deps, 'U900RACE', person.email)));
    expect(results.map((r) => r?.id)).toEqual(results.map(() => person.id));
    expect((await accountRow(h, person.id)).slack_user_id).toBe('U900RACE');
    expect(await auditRows(h, { action: 'link_slack', target: person.id })).toHaveLength(1);
  });

  it('an account linked to someone else is not theirs, even raced', async () => {
    const person = await seedPerson(h);
    expect((await linkSlackUser(h.deps, CLI_ACTOR, person.id, 'U900OTHER', 'admin')).ok).toBe(true);
    const results = await Promise.all(Array.from({ length: 4 }, () => linkByVouchedEmail(h.deps, 'U900RACE', person.email)));
    expect(results).toEqual([null, null, null, null]);
    expect((await accountRow(h, person.id)).slack_user_id).toBe('U900OTHER');
  });
});
