// say() reads the Slack words from the catalogue; sayCode() does so for a code from the
// database, and answers undefined for a code the catalogue lacks so the caller shows the code.
import { describe, expect, it } from 'vitest';
import { say, sayCode } from '../../handlers/blocks/words.js';

describe('the Slack words', () => {
  it('fills parameters in the reader’s language', () => {
    expect(say('en', 'home.showAll', { count: 7 })).toBe('Show all 7');
    expect(say('fr', 'home.showAll', { count: 7 })).toBe('Voir les 7');
  });

  it('reads a known code, and gives nothing back for an unknown or inherited one', () => {
    expect(sayCode('fr', 'userStatus.accountStatus', 'active')).toBe(':large_green_circle: Actif');
    expect(sayCode('en', 'userStatus.accountStatus', 'archived')).toBeUndefined();
    expect(sayCode('en', 'userStatus.accountStatus', 'constructor')).toBeUndefined();
  });
});
