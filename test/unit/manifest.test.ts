// manifest.yml is what an admin pastes into Slack: check it holds what Slack requires
// and what the app really uses.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMANDS } from '../../handlers/index.js';

interface Manifest {
  display_information: { name: string; description?: string };
  features: {
    bot_user: { display_name: string };
    app_home: { home_tab_enabled: boolean };
    slash_commands: { command: string; url: string; description: string; usage_hint?: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
  };
}

const manifest = parse(readFileSync('manifest.yml', 'utf8')) as Manifest;

describe('manifest.yml', () => {
  it('has the fields Slack requires', () => {
    expect(manifest.display_information.name).toBe('keydesk');
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.features.bot_user.display_name).toBeTruthy();
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('declares exactly the slash commands the app registers, each with a description and the events URL', () => {
    expect(manifest.features.slash_commands.map((c) => c.command).sort()).toEqual([...COMMANDS].sort());
    for (const c of manifest.features.slash_commands) {
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.description.length).toBeLessThanOrEqual(100);
      expect(c.url).toMatch(/\/slack\/events$/);
    }
  });

  it('keeps bot scopes to what is used, and subscribes to app_home_opened and the helpdesk channel\'s messages', () => {
    // *:history and message.* carry the replies in a ticket card's thread (public or private helpdesk channel).
    expect(manifest.oauth_config.scopes.bot.sort()).toEqual(['channels:history', 'chat:write', 'commands', 'groups:history', 'im:write', 'users:read', 'users:read.email']);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened', 'message.channels', 'message.groups']);
    expect(manifest.settings.event_subscriptions.request_url).toMatch(/\/slack\/events$/);
    expect(manifest.settings.interactivity.request_url).toMatch(/\/slack\/events$/);
  });
});
