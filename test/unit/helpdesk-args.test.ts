// What follows `/helpdesk audit`: exactly one Slack mention; anything else is a usage answer.
import { describe, expect, it } from 'vitest';
import { parseHelpdeskText } from '../../handlers/flows/helpdesk-args.js';

describe('/helpdesk audit arguments', () => {
  it('takes one mention, in any case of the subcommand', () => {
    expect(parseHelpdeskText('audit <@U123ABC|ann>')).toEqual({ kind: 'audit', slackUserId: 'U123ABC' });
    expect(parseHelpdeskText('  AUDIT   <@W0GRID>  ')).toEqual({ kind: 'audit', slackUserId: 'W0GRID' });
  });

  it('answers usage for nothing, a name, two mentions or extra words', () => {
    expect(parseHelpdeskText('audit')).toEqual({ kind: 'usage', problem: { what: 'bad_argument', got: 'audit' } });
    expect(parseHelpdeskText('audit @ann')).toEqual({ kind: 'usage', problem: { what: 'bad_argument', got: '@ann' } });
    expect(parseHelpdeskText('audit <@U1AA> <@U2BB>')).toMatchObject({ kind: 'usage', problem: { what: 'bad_argument' } });
    expect(parseHelpdeskText('audit <@U1AA> --since 2026-01-01')).toMatchObject({ kind: 'usage', problem: { what: 'bad_argument' } });
  });
});
