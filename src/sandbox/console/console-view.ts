// What one person sees, rendered on the server from what the app sent Slack: the sidebar,
// a channel or DM (messages, thread replies, their own ephemerals), the Home tab, the modal
// on top of their stack. Block Kit goes through render-blocks; every other string is
// escaped here. The browser only places these fragments and sends clicks back.
import type { StoredMessage, StoredView } from '../slack-emulator.js';
import { GENERAL_CHANNEL, SANDBOX_CHANNELS, SANDBOX_PEOPLE, personBySlackId, seesChannel, type SandboxPerson } from '../people.js';
import type { ConsoleState, Ephemeral, Origin } from './console-state.js';
import { renderBlocks, renderView, type RenderContext } from './render-blocks.js';
import { escapeHtml, renderMrkdwn } from './render-mrkdwn.js';

export type PaneId = string; // a channel id, the person's DM id, or 'home'

export interface SidebarEntry {
  id: PaneId;
  label: string;
  kind: 'channel' | 'dm' | 'home';
}

export interface ModalState {
  viewId: string;
  title: string;
  submit?: string;
  close?: string;
  html: string;
  depth: number;
}

export interface ConsoleSnapshot {
  version: number;
  me: PersonCard;
  people: PersonCard[];
  sidebar: SidebarEntry[];
  pane: { id: PaneId; kind: SidebarEntry['kind']; title: string; html: string; composer: boolean };
  modal: ModalState | null;
  warnings: string[];
}

export interface PersonCard {
  id: string;
  name: string;
  label: string;
  initials: string;
  color: string;
  tz: string;
}

export const BOT_NAME = 'keydesk';

export function personCard(p: SandboxPerson): PersonCard {
  return { id: p.slackId, name: p.name, label: p.label, initials: p.initials, color: p.color, tz: p.tz };
}

export function renderContext(viewer: SandboxPerson): RenderContext {
  return {
    timeZone: viewer.tz,
    locale: viewer.slackLocale,
    userName: (id) => personBySlackId(id)?.name,
    channelName: (id) => SANDBOX_CHANNELS.find((c) => c.id === id)?.name ?? (id.startsWith('D') ? 'direct message' : undefined),
    users: SANDBOX_PEOPLE.map((p) => ({ id: p.slackId, name: p.name })),
  };
}

export function sidebarFor(state: ConsoleState, me: SandboxPerson): SidebarEntry[] {
  return [
    { id: 'home', label: 'keydesk — Home', kind: 'home' },
    { id: state.emulator.dmChannelFor(me.slackId), label: 'keydesk — Messages', kind: 'dm' },
    ...SANDBOX_CHANNELS.filter((c) => seesChannel(me, c)).map((c): SidebarEntry => ({ id: c.id, label: `#${c.name}`, kind: 'channel' })),
  ];
}

/** The whole screen for `me` looking at `paneId` (an unknown or hidden pane falls back to #general). */
export function snapshot(state: ConsoleState, me: SandboxPerson, paneId: PaneId): ConsoleSnapshot {
  const ctx = renderContext(me);
  const sidebar = sidebarFor(state, me);
  const entry: SidebarEntry = sidebar.find((s) => s.id === paneId) ?? { id: GENERAL_CHANNEL.id, label: `#${GENERAL_CHANNEL.name}`, kind: 'channel' };
  const warnings: string[] = [];
  const pane =
    entry.kind === 'home'
      ? { id: entry.id, kind: entry.kind, title: 'Home', html: homeHtml(state.emulator.homeView(me.slackId), ctx, warnings), composer: false }
      : { id: entry.id, kind: entry.kind, title: entry.label, html: channelHtml(state, me, entry.id, ctx, warnings), composer: true };
  return {
    version: state.version,
    me: personCard(me),
    people: SANDBOX_PEOPLE.map(personCard),
    sidebar,
    pane,
    modal: modalState(state, me, ctx, warnings),
    warnings,
  };
}

function modalState(state: ConsoleState, me: SandboxPerson, ctx: RenderContext, warnings: string[]): ModalState | null {
  const view = state.modal(me.slackId);
  if (!view) return null;
  const rendered = renderView(view.view, ctx);
  warnings.push(...rendered.warnings);
  return {
    viewId: view.id,
    title: rendered.title,
    ...(rendered.submit !== undefined ? { submit: rendered.submit } : {}),
    ...(rendered.close !== undefined ? { close: rendered.close } : {}),
    html: `<div data-origin="${attr({ kind: 'view', viewId: view.id })}">${rendered.html}</div>`,
    depth: state.modalDepth(me.slackId),
  };
}

function homeHtml(home: StoredView | undefined, ctx: RenderContext, warnings: string[]): string {
  if (!home) return '<p class="sb-empty">Opening the Home tab…</p>';
  const rendered = renderBlocks(home.view.blocks, ctx);
  warnings.push(...rendered.warnings);
  return `<div class="sb-home" data-origin="${attr({ kind: 'view', viewId: home.id })}">${rendered.html}</div>`;
}

interface Line {
  ts: string;
  threadTs?: string;
  html: string;
}

function channelHtml(state: ConsoleState, me: SandboxPerson, channel: string, ctx: RenderContext, warnings: string[]): string {
  const lines: Line[] = [
    ...state.emulator.messages(channel).map((m) => messageLine(m, ctx, warnings)),
    ...state.ephemerals(me.slackId, channel).map((e) => ephemeralLine(e, ctx, warnings)),
  ].sort((a, b) => compareTs(a.ts, b.ts));
  const roots = lines.filter((l) => !l.threadTs || l.threadTs === l.ts || !lines.some((r) => r.ts === l.threadTs));
  if (roots.length === 0) return `<p class="sb-empty">Nothing here yet. Type a command below, for example <code>/login-help</code>.</p>`;
  return roots
    .map((root) => {
      const replies = lines.filter((l) => l !== root && l.threadTs === root.ts);
      if (replies.length === 0) return root.html;
      const label = `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`;
      return `${root.html}<div class="sb-thread"><p class="sb-thread-label">${label}</p>${replies.map((r) => r.html).join('')}</div>`;
    })
    .join('');
}

function messageLine(m: StoredMessage, ctx: RenderContext, warnings: string[]): Line {
  const origin: Origin = { kind: 'message', channel: m.channel, ts: m.ts };
  const body = contentHtml(m.text, m.blocks, ctx, warnings);
  const edited = m.edits > 0 ? ' <span class="sb-edited">(edited)</span>' : '';
  return {
    ts: m.ts,
    ...(m.thread_ts ? { threadTs: m.thread_ts } : {}),
    html: `<article class="sb-msg" data-ts="${escapeHtml(m.ts)}" data-origin="${attr(origin)}">${avatar()}<div class="sb-msg-body"><header>${author()} ${timeHtml(m.ts, ctx)}${edited}</header>${body}</div></article>`,
  };
}

function ephemeralLine(e: Ephemeral, ctx: RenderContext, warnings: string[]): Line {
  const origin: Origin = { kind: 'ephemeral', id: e.id };
  const body = contentHtml(e.text, e.blocks, ctx, warnings);
  return {
    ts: e.ts,
    ...(e.thread_ts ? { threadTs: e.thread_ts } : {}),
    html: `<article class="sb-msg sb-ephemeral" data-ts="${escapeHtml(e.ts)}" data-origin="${attr(origin)}">${avatar()}<div class="sb-msg-body"><header>${author()} ${timeHtml(e.ts, ctx)} <span class="sb-only-you">Only visible to you</span></header>${body}</div></article>`,
  };
}

/** Slack shows the blocks when there are any, else the text as mrkdwn. */
function contentHtml(text: string | undefined, blocks: unknown[] | undefined, ctx: RenderContext, warnings: string[]): string {
  if (blocks && blocks.length > 0) {
    const rendered = renderBlocks(blocks, ctx);
    warnings.push(...rendered.warnings);
    return `<div class="sb-blocks">${rendered.html}</div>`;
  }
  return `<div class="sb-text">${renderMrkdwn(text ?? '', ctx)}</div>`;
}

function avatar(): string {
  return '<div class="sb-avatar sb-avatar-bot" aria-hidden="true">🔑</div>';
}

function author(): string {
  return `<b class="sb-author">${BOT_NAME}</b> <span class="sb-app-badge">APP</span>`;
}

function timeHtml(ts: string, ctx: RenderContext): string {
  const date = new Date(Math.floor(Number(ts) * 1000));
  const shown = new Intl.DateTimeFormat(ctx.locale, { timeZone: ctx.timeZone, hour: '2-digit', minute: '2-digit' }).format(date);
  return `<time class="sb-time" datetime="${date.toISOString()}">${escapeHtml(shown)}</time>`;
}

/** Slack's ts is seconds.micros with fixed widths: as strings they sort by time (as numbers they'd lose the micros). */
function compareTs(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** A JSON value for a double-quoted attribute. */
export function attr(value: unknown): string {
  return escapeHtml(JSON.stringify(value));
}
