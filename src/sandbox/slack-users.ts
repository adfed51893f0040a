// The emulator's users directory: the test decides who exists, and users.info /
// users.lookupByEmail answer with objects shaped like Slack's. What decides whether Slack
// vouches for a user's email (team, enterprise, confirmed email, bot, deactivated, guest)
// is settable per user, defaulting to an ordinary member of the emulated workspace.

export interface EmulatedUserInput {
  id: string;
  name: string;
  real_name?: string;
  email?: string;
  /** IANA zone, default America/Los_Angeles (Slack's own default). */
  tz?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_bot?: boolean;
  deleted?: boolean;
  /** Default: the emulated workspace's team id (another value: a user from elsewhere, e.g. Slack Connect). */
  team_id?: string;
  /** Enterprise Grid: the user's enterprise (default: the emulated workspace's, if any). */
  enterprise_id?: string | null;
  /** Default: whether the user has an email. */
  is_email_confirmed?: boolean;
  /** A multi-channel guest. */
  is_restricted?: boolean;
  /** A single-channel guest. */
  is_ultra_restricted?: boolean;
  /** Slack's locale (`en-US`, `fr-FR`), answered by users.info with include_locale. */
  locale?: string;
}

export interface SlackUserObject {
  id: string;
  team_id: string;
  name: string;
  deleted: boolean;
  color: string;
  real_name: string;
  tz: string;
  tz_label: string;
  tz_offset: number;
  profile: {
    real_name: string;
    real_name_normalized: string;
    display_name: string;
    display_name_normalized: string;
    email?: string;
    team: string;
    image_48: string;
    image_72: string;
  };
  is_admin: boolean;
  is_owner: boolean;
  is_primary_owner: boolean;
  is_restricted: boolean;
  is_ultra_restricted: boolean;
  is_bot: boolean;
  is_app_user: boolean;
  is_email_confirmed: boolean;
  locale?: string;
  enterprise_user?: { id: string; enterprise_id: string; enterprise_name: string; is_admin: boolean; is_owner: boolean; teams: string[] };
  updated: number;
}

// users.info answers with the zone's offset and label at the moment asked; building the two
// formatters costs more than the rest of the call, so they are kept per zone.
const zoneFormats = new Map<string, Intl.DateTimeFormat>();

function zoneFormat(tz: string, style: 'longOffset' | 'long'): Intl.DateTimeFormat {
  const key = `${tz}|${style}`;
  let made = zoneFormats.get(key);
  if (!made) {
    made = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: style }); // throws RangeError on an unknown zone
    zoneFormats.set(key, made);
  }
  return made;
}

/** tz_offset (seconds east of UTC) and tz_label for a zone at the given instant. */
export function zoneInfo(tz: string, at = new Date()): { tz_offset: number; tz_label: string } {
  const part = (style: 'longOffset' | 'long'): string =>
    zoneFormat(tz, style)
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(part('longOffset'));
  const tz_offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60) : 0;
  return { tz_offset, tz_label: part('long') };
}

export class UserDirectory {
  private readonly byId = new Map<string, SlackUserObject>();

  constructor(
    private readonly teamId: string,
    private readonly enterpriseId: string | null = null,
  ) {}

  /** Adds or replaces a user; returns the object users.info will answer with. */
  addUser(input: EmulatedUserInput): SlackUserObject {
    if (!/^[UW][A-Z0-9]+$/.test(input.id)) throw new Error(`Slack user ids look like U0123ABCD, got "${input.id}"`);
    const tz = input.tz ?? 'America/Los_Angeles';
    const { tz_offset, tz_label } = zoneInfo(tz); // throws RangeError on an unknown zone
    const realName = input.real_name ?? input.name;
    const teamId = input.team_id ?? this.teamId;
    const enterpriseId = input.enterprise_id === undefined ? this.enterpriseId : input.enterprise_id;
    const user: SlackUserObject = {
      id: input.id,
      team_id: teamId,
      name: input.name,
      deleted: input.deleted ?? false,
      color: '9f69e7',
      real_name: realName,
      tz,
      tz_label,
      tz_offset,
      profile: {
        real_name: realName,
        real_name_normalized: realName,
        display_name: input.name,
        display_name_normalized: input.name,
        ...(input.email !== undefined ? { email: input.email } : {}),
        team: teamId,
        image_48: `https://avatars.example.invalid/${input.id}_48.png`,
        image_72: `https://avatars.example.invalid/${input.id}_72.png`,
      },
      is_admin: input.is_admin ?? input.is_owner ?? false,
      is_owner: input.is_owner ?? false,
      is_primary_owner: false,
      is_restricted: input.is_restricted ?? false,
      is_ultra_restricted: input.is_ultra_restricted ?? false,
      is_bot: input.is_bot ?? false,
      is_app_user: false,
      is_email_confirmed: input.is_email_confirmed ?? input.email !== undefined,
      ...(input.locale ? { locale: input.locale } : {}),
      ...(enterpriseId
        ? {
            enterprise_user: {
              id: input.id,
              enterprise_id: enterpriseId,
              enterprise_name: 'Keydesk Sandbox Grid',
              is_admin: input.is_admin ?? false,
              is_owner: input.is_owner ?? false,
              teams: [teamId],
            },
          }
        : {}),
      updated: Math.floor(Date.now() / 1000),
    };
    this.byId.set(user.id, user);
    return user;
  }

  get(id: string): SlackUserObject | undefined {
    return this.byId.get(id);
  }

  byEmail(email: string): SlackUserObject | undefined {
    const wanted = email.toLowerCase();
    return [...this.byId.values()].find((u) => u.profile.email?.toLowerCase() === wanted);
  }

  remove(id: string): boolean {
    return this.byId.delete(id);
  }

  list(): SlackUserObject[] {
    return [...this.byId.values()];
  }
}
