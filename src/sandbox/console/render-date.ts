// Slack's <!date^ts^format^link|fallback> tokens, formatted for the viewer with Intl.
// Slack's own English wording ("February 18th, 2014") is approximated by the locale's
// Intl output, so a French viewer sees French dates as Slack would show them.
import type { MrkdwnContext } from './render-mrkdwn.js';
import { escapeHtml, isSafeUrl, link } from './render-html.js';

const DAY_MS = 86_400_000;

type Fmt = (d: Date) => string;

function formatters(ctx: MrkdwnContext): Record<string, Fmt> {
  const dtf = (o: Intl.DateTimeFormatOptions): Fmt => {
    const f = new Intl.DateTimeFormat(ctx.locale, { timeZone: ctx.timeZone, ...o });
    return (d) => f.format(d);
  };
  const isoParts = new Intl.DateTimeFormat('en-CA', { timeZone: ctx.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  // Built from parts so {date_num} is YYYY-MM-DD whatever the locale.
  const dateNum: Fmt = (d) => {
    const p = Object.fromEntries(isoParts.formatToParts(d).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day}`;
  };
  const date = dtf({ year: 'numeric', month: 'long', day: 'numeric' });
  const dateShort = dtf({ year: 'numeric', month: 'short', day: 'numeric' });
  const dateLong = dtf({ weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
  const rtf = new Intl.RelativeTimeFormat(ctx.locale, { numeric: 'auto' });
  const now = (): number => (ctx.now ? ctx.now() : Date.now());
  const pretty =
    (plain: Fmt): Fmt =>
    (d) => {
      const day = dateNum(d);
      const n = now();
      for (const offset of [-1, 0, 1]) {
        if (dateNum(new Date(n + offset * DAY_MS)) === day) return rtf.format(offset, 'day');
      }
      return plain(d);
    };
  return {
    date_num: dateNum,
    date,
    date_short: dateShort,
    date_long: dateLong,
    date_pretty: pretty(date),
    date_short_pretty: pretty(dateShort),
    date_long_pretty: pretty(dateLong),
    time: dtf({ hour: 'numeric', minute: '2-digit' }),
    time_secs: dtf({ hour: 'numeric', minute: '2-digit', second: '2-digit' }),
    ago: (d) => ago(rtf, d.getTime() - now()),
  };
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * DAY_MS],
  ['month', 30 * DAY_MS],
  ['day', DAY_MS],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

function ago(rtf: Intl.RelativeTimeFormat, diffMs: number): string {
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diffMs) >= ms) return rtf.format(Math.trunc(diffMs / ms), unit);
  }
  return rtf.format(Math.trunc(diffMs / 1000), 'second');
}

/**
 * One date token as HTML: `<time datetime="ISO" class="bk-date">`, linked when the token has a
 * safe link. An unparseable timestamp, time zone or locale shows the fallback instead.
 */
export function renderDate(ts: string, format: string, url: string | undefined, fallback: string | undefined, ctx: MrkdwnContext): string {
  const shownFallback = escapeHtml(fallback ?? `<!date^${ts}^${format}>`);
  if (!/^-?\d{1,15}$/.test(ts)) return shownFallback;
  const d = new Date(Number(ts) * 1000);
  let text: string;
  try {
    if (Number.isNaN(d.getTime())) return shownFallback;
    const f = formatters(ctx);
    text = format.replace(/\{(\w+)\}/g, (whole, name: string) => f[name]?.(d) ?? whole);
  } catch {
    // RangeError from Intl: a bad time zone or locale, or a date beyond what Intl formats.
    return shownFallback;
  }
  const html = `<time datetime="${escapeHtml(d.toISOString())}" class="bk-date">${escapeHtml(text)}</time>`;
  return url !== undefined && isSafeUrl(url) ? link(url, html) : html;
}
