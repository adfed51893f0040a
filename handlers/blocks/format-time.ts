// Times in the reader's own time zone (the IANA name Slack's users.info reports), 24-hour
// clock. An unknown or missing zone falls back to UTC and says so. A DM sent from a job
// (no one asked, so no profile is at hand) uses slackTime instead: Slack itself shows it in
// the reader's zone.
import type { Locale } from '../../src/core/types.js';

const LANGUAGE_TAG: Record<Locale, string> = { en: 'en-GB', fr: 'fr-FR' };

// Building an Intl.DateTimeFormat costs far more than formatting with one (a notice
// formats a time several ways): they are kept, keyed by language, zone and options. The
// keys come from a small set (two languages, Intl's zones, a few option sets); the cap
// only guards against a flood of unknown zone names, which all fall back to UTC anyway.
const formatters = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATTERS = 2000;

function formatter(tag: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${tag}|${JSON.stringify(options)}`;
  let made = formatters.get(key);
  if (!made) {
    if (formatters.size >= MAX_FORMATTERS) formatters.clear();
    made = new Intl.DateTimeFormat(tag, options);
    formatters.set(key, made);
  }
  return made;
}

/** The zone if Intl knows it, else 'UTC'. */
export function safeTimeZone(tz: string | null | undefined): string {
  if (!tz) return 'UTC';
  try {
    formatter('en', { timeZone: tz });
    return tz;
  } catch {
    return 'UTC';
  }
}

function format(ms: number, tz: string, locale: Locale, options: Intl.DateTimeFormatOptions): string {
  return formatter(LANGUAGE_TAG[locale], { ...options, timeZone: safeTimeZone(tz) }).format(ms);
}

/** "10:32" */
export function formatClock(ms: number, tz: string, locale: Locale): string {
  return format(ms, tz, locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** "25 Nov, 10:32" (en), "25 nov., 10:32" (fr) */
export function formatDateTime(ms: number, tz: string, locale: Locale): string {
  return format(ms, tz, locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** "25 Nov 2026, 10:32" (en), "25 nov. 2026, 10:32" (fr): for times that may be long past. */
export function formatDateTimeYear(ms: number, tz: string, locale: Locale): string {
  return format(ms, tz, locale, { year: 'numeric', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** The zone's short name at that moment: "CET", "GMT-5", "UTC+1". */
export function zoneName(ms: number, tz: string, locale: Locale): string {
  const parts = formatter(LANGUAGE_TAG[locale], { timeZone: safeTimeZone(tz), timeZoneName: 'short' }).formatToParts(ms);
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
}

const DAY: Intl.DateTimeFormatOptions = { year: 'numeric', month: '2-digit', day: '2-digit' };

/** The clock time alone when `ms` falls on the same local day as `now`, else with its date. */
export function formatWhen(ms: number, now: number, tz: string, locale: Locale): string {
  const day = (t: number) => format(t, tz, 'en', DAY);
  return day(ms) === day(now) ? formatClock(ms, tz, locale) : formatDateTime(ms, tz, locale);
}

// Slack's own date formats, per language: "today at 10:32", "Nov 25th at 10:32".
const SLACK_TIME_FORMAT: Record<Locale, string> = { en: '{date_short_pretty} at {time}', fr: '{date_short_pretty} à {time}' };

/**
 * A moment as Slack's `<!date^…>` token: each reader's Slack client shows it in their own
 * zone and clock, where they are now; the fallback (notifications, old clients) is UTC.
 * The notices use it, so telling a thousand people their lock ended needs no users.info
 * call each (Tier 4 in Slack, 100 a minute) just to learn their zones.
 */
export function slackTime(ms: number, locale: Locale): string {
  return `<!date^${Math.floor(ms / 1000)}^${SLACK_TIME_FORMAT[locale]}|${formatDateTime(ms, 'UTC', locale)} UTC>`;
}
