// The sandbox console's client: it places the fragments /sandbox/api/state renders, long-
// polls for the next change, and sends each click, command and submission back to the
// sandbox, which turns it into the request Slack would send keydesk. Plain JavaScript on
// purpose: no build step, and every Block Kit decision is made on the server.
const $ = (id) => document.getElementById(id);
const commands = JSON.parse(document.body.dataset.commands || '[]');
const params = new URLSearchParams(location.search);
let me = params.get('as') || localStorage.getItem('sandbox.as') || '';
let pane = params.get('pane') || localStorage.getItem('sandbox.pane') || 'C0GENERAL';
let version = null;
let poll = null;
let modalViewId = null;
let lastPanes = -1;

async function api(path, body) {
  const res = await fetch(`/sandbox/api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: me, ...body }) });
  const answer = await res.json().catch(() => ({ ok: false, message: `The sandbox answered HTTP ${res.status}.` }));
  if (!answer.ok) toast(answer.message || 'That did not work.');
  return answer;
}

function toast(text) {
  const t = $('toast');
  t.textContent = text;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (t.hidden = true), 6000);
}

function remember() {
  localStorage.setItem('sandbox.as', me);
  localStorage.setItem('sandbox.pane', pane);
  const url = new URL(location.href);
  url.searchParams.set('as', me);
  url.searchParams.set('pane', pane);
  history.replaceState(null, '', url);
}

/** Fetches the screen; with `wait`, only once something changed (a long poll). */
async function refresh(wait) {
  poll?.abort();
  const controller = new AbortController();
  poll = controller;
  const q = new URLSearchParams({ as: me, pane });
  if (wait && version !== null) q.set('v', String(version));
  try {
    const res = await fetch(`/sandbox/api/state?${q}`, { signal: controller.signal });
    const state = await res.json();
    if (controller.signal.aborted) return;
    draw(state);
    if (state.version !== lastPanes) refreshPanes(state.version);
  } catch {
    if (controller.signal.aborted) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  if (poll === controller) refresh(true);
}

async function refreshPanes(v) {
  lastPanes = v;
  const res = await fetch(`/sandbox/api/panes?as=${encodeURIComponent(me)}`);
  const p = await res.json();
  setHtml($('inbox'), p.inbox);
  setHtml($('calls'), p.calls.html);
  setHtml($('people'), p.people);
  $('calls-count').textContent = p.calls.bad ? `(${p.calls.count}, ${p.calls.bad} failed)` : `(${p.calls.count})`;
  $('calls-count').className = p.calls.bad ? 'sb-bad' : '';
  $('inbox-count').textContent = `(${$('inbox').querySelectorAll('[data-mail]').length})`;
}

function setHtml(el, html) {
  if (el.dataset.html !== html) {
    const open = [...el.querySelectorAll('details[open]')].map((d) => d.dataset.n);
    el.innerHTML = html;
    el.dataset.html = html;
    for (const n of open) el.querySelector(`details[data-n="${n}"]`)?.setAttribute('open', '');
  }
}

function draw(state) {
  version = state.version;
  me = state.me.id;
  pane = state.pane.id;
  remember();
  const select = $('person');
  if (select.options.length !== state.people.length) {
    select.innerHTML = '';
    for (const p of state.people) select.add(new Option(`${p.name} (${p.label})`, p.id));
  }
  select.value = me;
  $('person-label').textContent = `${state.me.tz}`;
  const nav = $('sidebar');
  nav.innerHTML = '';
  for (const s of state.sidebar) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = `sb-nav sb-nav-${s.kind}${s.id === pane ? ' sb-nav-on' : ''}`;
    b.dataset.pane = s.id;
    b.textContent = s.label;
    nav.append(b);
  }
  $('pane-title').textContent = state.pane.title;
  const body = $('pane');
  const atBottom = body.scrollHeight - body.scrollTop - body.clientHeight < 40;
  setHtml(body, state.pane.html + warningsHtml(state.warnings));
  if (atBottom) body.scrollTop = body.scrollHeight;
  $('composer').hidden = !state.pane.composer;
  drawModal(state.modal);
}

function warningsHtml(warnings) {
  if (!warnings.length) return '';
  const items = warnings.map((w) => `<li>${w.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</li>`).join('');
  return `<div class="sb-warnings"><p>The renderer could not show everything:</p><ul>${items}</ul></div>`;
}

function drawModal(modal) {
  const box = $('modal');
  if (!modal) {
    box.hidden = true;
    modalViewId = null;
    return;
  }
  const fresh = modal.viewId !== modalViewId || $('modal-body').dataset.html !== modal.html;
  modalViewId = modal.viewId;
  box.hidden = false;
  // The server sends these three escaped, like the rest of the modal's HTML.
  $('modal-title').innerHTML = modal.title;
  $('modal-close').innerHTML = modal.close || 'Cancel';
  $('modal-submit').hidden = !modal.submit;
  $('modal-submit').innerHTML = modal.submit || '';
  if (fresh) setHtml($('modal-body'), modal.html);
}

function switchTo(next) {
  pane = next;
  version = null;
  remember();
  if (next === 'home') api('home', { tab: 'home' });
  else if (next.startsWith('D')) api('home', { tab: 'messages' });
  refresh(false);
}

function confirmFirst(confirm) {
  if (!confirm) return Promise.resolve(true);
  $('confirm-title').textContent = confirm.title;
  $('confirm-text').innerHTML = confirm.html;
  $('confirm-ok').textContent = confirm.confirm;
  $('confirm-ok').className = `bk-button ${confirm.style === 'danger' ? 'bk-danger' : 'bk-primary'}`;
  $('confirm-deny').textContent = confirm.deny;
  $('confirm').hidden = false;
  return new Promise((resolve) => {
    const done = (yes) => {
      $('confirm').hidden = true;
      $('confirm-ok').onclick = null;
      $('confirm-deny').onclick = null;
      resolve(yes);
    };
    $('confirm-ok').onclick = () => done(true);
    $('confirm-deny').onclick = () => done(false);
  });
}

function originOf(el) {
  const holder = el.closest('[data-origin]');
  return holder ? JSON.parse(holder.dataset.origin) : { kind: 'none' };
}

async function act(el, extra) {
  const action = { ...JSON.parse(el.dataset.action), ...extra };
  const confirm = el.dataset.confirm ? JSON.parse(el.dataset.confirm) : null;
  if (!(await confirmFirst(confirm))) return;
  await api('action', { origin: originOf(el), action });
}

document.addEventListener('click', (e) => {
  const target = e.target instanceof Element ? e.target : null;
  if (!target) return;
  const nav = target.closest('[data-pane]');
  if (nav) return switchTo(nav.dataset.pane);
  const tab = target.closest('[data-tab]');
  if (tab) {
    for (const t of document.querySelectorAll('[data-tab]')) t.classList.toggle('sb-tab-on', t === tab);
    for (const name of ['inbox', 'calls', 'people']) $(`tab-${name}`).hidden = name !== tab.dataset.tab;
    return;
  }
  const mail = target.closest('[data-mail]');
  if (mail) {
    $('mail').src = `/sandbox/mail/${encodeURIComponent(mail.dataset.mail)}`;
    $('mail').hidden = false;
    return;
  }
  const button = target.closest('button[data-action], a[data-action]');
  if (button) {
    if (button.tagName === 'A') {
      // A link button opens its URL and also tells the app, as Slack does.
      act(button, {});
      return;
    }
    e.preventDefault();
    act(button, {});
  }
});

document.addEventListener('change', (e) => {
  const el = e.target;
  if (!(el instanceof HTMLSelectElement)) return;
  if (el.id === 'person') {
    me = el.value;
    version = null;
    lastPanes = -1;
    remember();
    if (pane === 'home' || pane.startsWith('D')) return switchTo(pane.startsWith('D') ? `D${me.slice(1)}` : 'home');
    return refresh(false);
  }
  if (!el.dataset.action || el.value === '') return;
  const { type } = JSON.parse(el.dataset.action);
  const text = el.selectedOptions[0]?.textContent || el.value;
  const extra = type === 'users_select' ? { selected_user: el.value } : { selected_option: { text, value: el.value } };
  act(el, extra).then(() => {
    if (type === 'overflow') el.value = '';
  });
});

function inputValues() {
  const values = {};
  for (const el of $('modal-body').querySelectorAll('[data-input]')) {
    const { block_id, action_id, type } = JSON.parse(el.dataset.input);
    let value;
    if (type === 'static_select') {
      const o = el.selectedOptions[0];
      value = { type, selected_option: o && o.value ? { text: { type: 'plain_text', text: o.textContent, emoji: true }, value: o.value } : null };
    } else if (type === 'users_select') value = { type, selected_user: el.value || null };
    else if (type === 'radio_buttons') {
      const o = el.querySelector('input:checked');
      value = { type, selected_option: o ? { text: { type: 'plain_text', text: o.dataset.text || o.value, emoji: true }, value: o.value } : null };
    } else if (type === 'checkboxes') {
      value = { type, selected_options: [...el.querySelectorAll('input:checked')].map((o) => ({ text: { type: 'plain_text', text: o.dataset.text || o.value, emoji: true }, value: o.value })) };
    } else value = { type, value: el.value === '' ? null : el.value };
    (values[block_id] ||= {})[action_id] = value;
  }
  return values;
}

$('modal-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  for (const p of $('modal-body').querySelectorAll('[data-error-for]')) p.textContent = '';
  const answer = await api('submit', { viewId: modalViewId, values: inputValues() });
  if (answer.errors) {
    for (const [blockId, message] of Object.entries(answer.errors)) {
      const p = [...$('modal-body').querySelectorAll('[data-error-for]')].find((x) => x.dataset.errorFor === blockId);
      if (p) p.textContent = message;
      else toast(`${blockId}: ${message}`);
    }
  }
});
const closeModal = () => modalViewId && api('close', { viewId: modalViewId });
$('modal-x').addEventListener('click', closeModal);
$('modal-close').addEventListener('click', closeModal);

// The composer: slash commands from manifest.yml, completed as you type.
const input = $('composer-input');
const list = $('completion');
let picked = 0;
function matches() {
  const word = input.value.split(/\s/)[0];
  if (!word.startsWith('/') || input.value.includes(' ')) return [];
  return commands.filter((c) => c.command.startsWith(word.toLowerCase()));
}
function drawCompletion() {
  const found = matches();
  list.hidden = found.length === 0;
  picked = Math.min(picked, Math.max(found.length - 1, 0));
  list.innerHTML = '';
  found.forEach((c, i) => {
    const li = document.createElement('li');
    li.role = 'option';
    li.className = i === picked ? 'sb-picked' : '';
    li.dataset.command = c.command;
    li.innerHTML = '<b></b> <span class="sb-hint"></span> <span class="sb-muted"></span>';
    li.children[0].textContent = c.command;
    li.children[1].textContent = c.usageHint || '';
    li.children[2].textContent = c.description;
    list.append(li);
  });
}
function complete(command) {
  input.value = `${command} `;
  list.hidden = true;
  input.focus();
}
input.addEventListener('input', () => {
  picked = 0;
  $('composer-error').textContent = '';
  drawCompletion();
});
input.addEventListener('keydown', (e) => {
  const found = matches();
  if (list.hidden || found.length === 0) return;
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    picked = (picked + (e.key === 'ArrowDown' ? 1 : found.length - 1)) % found.length;
    drawCompletion();
  } else if (e.key === 'Tab' || (e.key === 'Enter' && found[picked] && found[picked].command !== input.value.trim())) {
    e.preventDefault();
    complete(found[picked].command);
  } else if (e.key === 'Escape') list.hidden = true;
});
list.addEventListener('mousedown', (e) => {
  const li = e.target instanceof Element ? e.target.closest('[data-command]') : null;
  if (li) {
    e.preventDefault();
    complete(li.dataset.command);
  }
});
$('composer').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  const res = await fetch('/sandbox/api/command', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: me, channel: pane, text }) });
  const answer = await res.json().catch(() => ({ ok: false, message: `HTTP ${res.status}` }));
  if (answer.ok) {
    input.value = '';
    list.hidden = true;
  } else $('composer-error').textContent = answer.message;
});

refresh(false);
if (pane === 'home') api('home', { tab: 'home' });
