// The emulator's users and auth.test carry what decides whether Slack vouches for an email
// (team, enterprise, confirmed email, bot, deactivated, guest), settable per user.
import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../src/sandbox/slack-emulator.js';

let emu: SlackEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const client = (e: SlackEmulator) => new webApi.WebClient(e.botToken, { slackApiUrl: e.url, retryConfig: { retries: 0 } });

describe('emulated users and auth.test', () => {
  it('defaults to an ordinary member of the workspace, and every vouching field is settable', async () => {
    emu = await startSlackEmulator();
    emu.addUser({ id: 'U1PLAIN', name: 'plain', email: 'plain@example.com' });
    emu.addUser({
      id: 'U2ODD', name: 'odd', email: 'odd@example.com', team_id: 'T0ELSEWHERE', is_email_confirmed: false,
      is_bot: true, deleted: true, is_restricted: true, is_ultra_restricted: true,
    });
    const slack = client(emu);
    expect(await slack.auth.test()).toMatchObject({ team_id: 'T0KEYDESK', user_id: emu.botUserId, bot_id: emu.botId });
    expect((await slack.auth.test()).enterprise_id).toBeUndefined();
    expect((await slack.users.info({ user: 'U1PLAIN' })).user).toMatchObject({
      team_id: 'T0KEYDESK', is_email_confirmed: true, is_bot: false, deleted: false, is_restricted: false, is_ultra_restricted: false,
    });
    const odd = (await slack.users.info({ user: 'U2ODD' })).user;
    expect(odd).toMatchObject({ team_id: 'T0ELSEWHERE', is_email_confirmed: false, is_bot: true, deleted: true, is_restricted: true, is_ultra_restricted: true });
    expect(odd?.profile?.team).toBe('T0ELSEWHERE');
    expect(odd?.enterprise_user).toBeUndefined();
  });

  it('on Enterprise Grid, auth.test names the enterprise and users carry it unless told otherwise', async () => {
    emu = await startSlackEmulator({ enterpriseId: 'E0GRID' });
    emu.addUser({ id: 'U1GRID', name: 'grid', email: 'grid@example.com' });
    emu.addUser({ id: 'U2OUT', name: 'out', email: 'out@example.com', enterprise_id: 'E0OTHER' });
    emu.addUser({ id: 'U3NONE', name: 'none', email: 'none@example.com', enterprise_id: null });
    const slack = client(emu);
    expect((await slack.auth.test()).enterprise_id).toBe('E0GRID');
    expect((await slack.users.info({ user: 'U1GRID' })).user?.enterprise_user?.enterprise_id).toBe('E0GRID');
    expect((await slack.users.info({ user: 'U2OUT' })).user?.enterprise_user?.enterprise_id).toBe('E0OTHER');
    expect((await slack.users.info({ user: 'U3NONE' })).user?.enterprise_user).toBeUndefined();
  });

  it('answers user.locale only when users.info is asked with include_locale, as Slack does', async () => {
    emu = await startSlackEmulator();
    emu.addUser({ id: 'U1LEA', name: 'lea', email: 'lea@example.com', locale: 'fr-FR' });
    const slack = client(emu);
    expect((await slack.users.info({ user: 'U1LEA' })).user?.locale).toBeUndefined();
    expect((await slack.users.info({ user: 'U1LEA', include_locale: false })).user?.locale).toBeUndefined();
    expect((await slack.users.info({ user: 'U1LEA', include_locale: true })).user?.locale).toBe('fr-FR');
    expect((await slack.users.lookupByEmail({ email: 'lea@example.com' })).user).not.toHaveProperty('locale');
  });
});
