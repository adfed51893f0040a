// The console's one page: a shell the client script (assets/console.js, plain JavaScript,
// no build step: the page is small and server-rendered fragments do the Block Kit) fills
// from /sandbox/api/state. The slash commands come from manifest.yml, for the composer.
import type { SlashCommand } from './console-actions.js';
import { escapeHtml } from './render-mrkdwn.js';

export function consolePage(input: { commands: readonly SlashCommand[]; mode: 'http' | 'socket' }): string {
  const commands = escapeHtml(JSON.stringify(input.commands));
  const mode = input.mode === 'socket' ? 'Socket Mode' : 'HTTP (signed requests to /slack/events)';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>keydesk sandbox</title>
<link rel="stylesheet" href="/sandbox/assets/console.css">
<link rel="icon" href="data:,">
<script type="module" src="/sandbox/assets/console.js"></script>
</head>
<body data-commands="${commands}">
<header class="sb-top">
  <span class="sb-brand">🔑 keydesk <small>sandbox</small></span>
  <label class="sb-switch">You are: <select id="person" aria-label="You are"></select></label>
  <span id="person-label" class="sb-muted"></span>
  <span class="sb-mode sb-muted" title="How the console talks to keydesk">${escapeHtml(mode)}</span>
</header>
<div class="sb-layout">
  <nav class="sb-sidebar" id="sidebar" aria-label="Channels"></nav>
  <main class="sb-main">
    <h1 id="pane-title" class="sb-pane-title"></h1>
    <div id="pane" class="sb-pane" aria-live="polite"></div>
    <form id="composer" class="sb-composer" autocomplete="off">
      <ul id="completion" class="sb-completion" role="listbox" hidden></ul>
      <input id="composer-input" aria-label="Message" placeholder="Type a slash command: /login-help, /unlock, /password…">
      <button type="submit">Send</button>
      <p id="composer-error" class="sb-composer-error" role="alert"></p>
    </form>
  </main>
  <aside class="sb-side">
    <div class="sb-tabs" role="tablist">
      <button type="button" data-tab="inbox" class="sb-tab sb-tab-on">Inbox <span id="inbox-count"></span></button>
      <button type="button" data-tab="calls" class="sb-tab">Web API <span id="calls-count"></span></button>
      <button type="button" data-tab="people" class="sb-tab">People</button>
    </div>
    <section id="tab-inbox" class="sb-tab-body"><iframe id="mail" title="Email" hidden></iframe><div id="inbox"></div></section>
    <section id="tab-calls" class="sb-tab-body" hidden><div id="calls"></div></section>
    <section id="tab-people" class="sb-tab-body" hidden><div id="people"></div></section>
  </aside>
</div>
<div id="modal" class="sb-backdrop" hidden>
  <form class="sb-modal" id="modal-form" novalidate>
    <header><h2 id="modal-title"></h2><button type="button" class="sb-x" id="modal-x" aria-label="Close">×</button></header>
    <div id="modal-body" class="sb-modal-body"></div>
    <footer><button type="button" id="modal-close" class="bk-button"></button><button type="submit" id="modal-submit" class="bk-button bk-primary"></button></footer>
  </form>
</div>
<div id="confirm" class="sb-backdrop" hidden>
  <div class="sb-confirm" role="alertdialog" aria-labelledby="confirm-title">
    <h2 id="confirm-title"></h2>
    <div id="confirm-text"></div>
    <footer><button type="button" id="confirm-deny" class="bk-button"></button><button type="button" id="confirm-ok" class="bk-button bk-primary"></button></footer>
  </div>
</div>
<div id="toast" class="sb-toast" role="status" hidden></div>
</body>
</html>`;
}
