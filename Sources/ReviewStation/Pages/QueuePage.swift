/// The review queue: the queue's order in sheets of 50, each sheet's tiles grouped by the digit
/// digitd guessed, most useful group first; one keystroke per decision. Plain HTML, CSS and script, all in this page (nothing is fetched
/// from anywhere but the station). Decisions are sent one after the other, in the order they
/// were made, so an undo always follows what it undoes.
enum QueuePage {
    static let html = #"""
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>digitd review</title>
<style>
body { font: 14px system-ui, sans-serif; margin: 0; background: #f6f6f4; color: #222; }
header { display: flex; gap: 1.5em; align-items: baseline; padding: 0.6em 1.2em; background: #263238; color: #fff; position: sticky; top: 0; z-index: 2; }
header h1 { font-size: 1.2em; margin: 0; } header a { color: #b3e5fc; }
#counts { margin-left: auto; }
#toolbar { display: flex; flex-wrap: wrap; gap: 4px; padding: 0.5em 1.2em; background: #eceff1; position: sticky; top: 2.6em; z-index: 2; }
#toolbar button { font: inherit; padding: 3px 9px; border: 1px solid #90a4ae; border-radius: 4px; background: #fff; cursor: pointer; }
#toolbar button kbd { color: #607d8b; font-size: 0.85em; }
#message { padding: 0.4em 1.2em; min-height: 1.2em; color: #b71c1c; }
#finetune { margin: 0 1.2em; padding: 0.5em 0.8em; background: #263238; color: #e0f2f1; font: 12px ui-monospace, monospace; white-space: pre-wrap; border-radius: 4px; }
main { padding: 0 1.2em 2em; }
section h2 { font-size: 1em; margin: 1em 0 0.4em; color: #455a64; }
.sheet h3 { font-size: 0.9em; font-weight: normal; color: #78909c; border-top: 1px solid #cfd8dc; margin: 1.5em 0 0; padding-top: 0.4em; }
.grid { display: flex; flex-wrap: wrap; gap: 8px; }
.tile { width: 150px; margin: 0; background: #fff; border: 2px solid #cfd8dc; border-radius: 6px; padding: 5px; cursor: pointer; position: relative; }
.tile.selected { border-color: #1e88e5; box-shadow: 0 0 0 3px #90caf9; }
.tile.decided { opacity: 0.45; }
.tile .pictures { display: flex; gap: 4px; align-items: center; height: 84px; }
.tile img.thumb { width: 84px; height: 84px; object-fit: contain; background: #fff; border: 1px solid #eee; }
.tile img.seen { width: 56px; height: 56px; image-rendering: pixelated; }
.tile figcaption { display: flex; gap: 6px; align-items: baseline; margin-top: 4px; }
.tile .guess { font-size: 1.5em; font-weight: 600; }
.tile .status { font-size: 0.8em; padding: 0 4px; border-radius: 3px; background: #ffe0b2; }
.tile .status.ok { background: #c8e6c9; }
.tile .name { font-size: 0.75em; color: #78909c; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.tile .decision { position: absolute; top: 4px; right: 6px; font-size: 1.4em; font-weight: 700; color: #2e7d32; }
#empty { color: #607d8b; padding: 2em 0; }
</style></head>
<body>
<header><h1>digitd review</h1><a id="status-link" href="/status">Status</a><span id="counts"></span></header>
<div id="toolbar" role="toolbar">
  <span>Label:</span>
</div>
<div id="message" role="alert"></div>
<div id="finetune" hidden></div>
<main id="queue" aria-live="polite"></main>
<script>
'use strict';
const query = new URLSearchParams(location.search);
const token = query.get('token') || sessionStorage.getItem('digitd-token') || '';
sessionStorage.setItem('digitd-token', token);
document.getElementById('status-link').href = '/status?token=' + encodeURIComponent(token);

const state = {
  items: [],        // queue order, as digitd ranked them
  order: [],        // display order: sheet by sheet, grouped by guess inside each
  selected: 0,      // index into order
  undo: [],         // decisions made, newest last: {item, previous, sent}
  chain: Promise.resolve(),
  acknowledged: 0,  // decisions and undos digitd has answered
  failed: 0,
  loading: false,
};
document.body.dataset.acknowledged = '0';

async function api(method, path, body) {
  const response = await fetch(path, {
    method, headers: { 'X-Review-Token': token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const value = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error((value && (value.error?.message || value.error)) || response.statusText);
  return value;
}

function say(text) { document.getElementById('message').textContent = text; }

function picture(item, kind) {
  return '/api/scans/' + encodeURIComponent(item.claim) + '/' + kind + '?token=' + encodeURIComponent(token);
}

function tileFor(item) {
  const tile = document.createElement('figure');
  tile.className = 'tile';
  tile.dataset.claim = item.claim;
  tile.dataset.guess = item.digit;
  const pictures = document.createElement('div');
  pictures.className = 'pictures';
  for (const [kind, cls, alt] of [['original', 'thumb', 'the scan as it arrived'], ['normalized', 'seen', 'what the network saw']]) {
    const img = document.createElement('img');
    img.className = cls; img.alt = alt; img.loading = 'lazy'; img.src = picture(item, kind);
    pictures.append(img);
  }
  const caption = document.createElement('figcaption');
  const guess = document.createElement('span'); guess.className = 'guess'; guess.textContent = item.digit;
  const confidence = document.createElement('span'); confidence.textContent = item.confidence.toFixed(2);
  confidence.title = 'calibrated confidence; second guess ' + (item.secondDigit ?? '-') + ' at ' + (item.secondConfidence ?? 0).toFixed(2);
  const status = document.createElement('span'); status.className = 'status ' + item.status; status.textContent = item.status;
  if (item.reason) status.title = item.reason;
  caption.append(guess, confidence, status);
  const name = document.createElement('div'); name.className = 'name'; name.textContent = item.file; name.title = item.file;
  const decision = document.createElement('div'); decision.className = 'decision';
  tile.append(pictures, caption, name, decision);
  tile.addEventListener('click', () => select(state.order.indexOf(item)));
  item.tile = tile;
  return tile;
}

// Sheets of the queue's next 50, each grouped by guess (the group with the most useful scan
// first, queue order inside a group). Grouping the whole queue would send the keyboard through
// one digit's scans before the next; by sheets, whoever has decided the first 50 tiles has
// decided the queue's first 50, every guessed digit's turn among them.
const sheet = 50;
function render() {
  const main = document.getElementById('queue');
  const current = state.order[state.selected];
  main.replaceChildren();
  state.order = [];
  for (let start = 0; start < state.items.length; start += sheet) {
    const groups = new Map();
    for (const item of state.items.slice(start, start + sheet)) {
      if (!groups.has(item.digit)) groups.set(item.digit, []);
      groups.get(item.digit).push(item);
    }
    const part = document.createElement('div');
    part.className = 'sheet';
    if (start > 0) {
      const rule = document.createElement('h3');
      rule.textContent = 'next ' + Math.min(sheet, state.items.length - start) + ' in the queue';
      part.append(rule);
    }
    for (const [digit, items] of groups) {
      const section = document.createElement('section');
      section.dataset.digit = digit;
      const title = document.createElement('h2');
      title.textContent = 'digitd says ' + digit + ' (' + items.length + ')';
      const grid = document.createElement('div'); grid.className = 'grid';
      for (const item of items) { grid.append(item.tile || tileFor(item)); state.order.push(item); }
      section.append(title, grid);
      part.append(section);
    }
    main.append(part);
  }
  if (state.items.length === 0) {
    const empty = document.createElement('p'); empty.id = 'empty'; empty.textContent = 'Nothing waits for review.';
    main.append(empty);
  }
  // The same scan stays selected when more arrive.
  select(current ? state.order.indexOf(current) : 0);
  counts();
}

function counts() {
  const open = state.items.filter(i => i.decided === undefined).length;
  document.getElementById('counts').textContent = open + ' to review · ' + (state.items.length - open) + ' decided here';
}

function select(index) {
  if (index < 0 || index >= state.order.length) return;
  document.querySelector('.tile.selected')?.classList.remove('selected');
  state.selected = index;
  const tile = state.order[index].tile;
  tile.classList.add('selected');
  tile.scrollIntoView({ block: 'nearest' });
}

// The nearest tile above or below the selected one, by position on the screen.
function vertical(direction) {
  const from = state.order[state.selected]?.tile?.getBoundingClientRect();
  if (!from) return;
  let best = -1, bestDistance = Infinity;
  state.order.forEach((item, i) => {
    const r = item.tile.getBoundingClientRect();
    const dy = (r.top - from.top) * direction;
    if (dy <= from.height / 2) return;
    const distance = dy * 4 + Math.abs(r.left - from.left);
    if (distance < bestDistance) { best = i; bestDistance = distance; }
  });
  if (best >= 0) select(best);
}

function nextOpen() {
  for (let step = 1; step <= state.order.length; step++) {
    const i = (state.selected + step) % state.order.length;
    if (state.order[i].decided === undefined) return select(i);
  }
}

function acknowledge() {
  state.acknowledged++;
  document.body.dataset.acknowledged = String(state.acknowledged);
  topUp();
}

// More before the last ones run out: the keyboard should never wait for tiles.
function topUp() {
  if (state.items.filter(i => i.decided === undefined).length < 100) load(true);
}

function send(work) {
  state.chain = state.chain.then(work).then(acknowledge, error => {
    state.failed++;
    document.body.dataset.failed = String(state.failed);
    say(String(error.message || error));
    acknowledge();
  });
}

// A decision is a digit 0-9 or 'x' (not a digit).
function body(item, decision) {
  return decision === 'x' ? { claim: item.claim, notADigit: true } : { claim: item.claim, digit: decision };
}

function mark(item, decision) {
  item.decided = decision;
  item.tile.classList.toggle('decided', decision !== undefined);
  item.tile.querySelector('.decision').textContent = decision === undefined ? '' : decision === 'x' ? '✗' : String(decision);
  counts();
}

function decide(decision) {
  const item = state.order[state.selected];
  if (!item) return;
  const entry = { item, previous: item.decided, result: null };
  state.undo.push(entry);
  mark(item, decision);
  nextOpen();
  send(async () => { entry.result = await api('POST', '/api/decisions', body(item, decision)); });
  topUp();
}

function undo() {
  const entry = state.undo.pop();
  if (!entry) return say('nothing to undo');
  mark(entry.item, entry.previous);
  select(state.order.indexOf(entry.item));
  // Back to the label it had before: the earlier decision's, digitd's replaced one, or none.
  send(async () => {
    const replaced = entry.result?.replacedNotADigit ? 'x' : entry.result?.replacedDigit;
    const back = entry.previous ?? replaced;
    if (back !== undefined && back !== null) await api('POST', '/api/decisions', body(entry.item, back));
    else await api('POST', '/api/undo', { claim: entry.item.claim });
  });
}

async function load(more) {
  if (state.loading) return;
  state.loading = true;
  try {
    // The ones shown come again (some decisions are still on their way): ask for as many more.
    const items = await api('GET', '/api/queue?limit=' + (more ? state.items.length + 400 : 200));
    const known = new Set(state.items.map(i => i.claim));
    const fresh = items.filter(i => !known.has(i.claim));
    if (!more) state.items = items; else state.items.push(...fresh);
    if (!more || fresh.length) render();
  } catch (error) { say(String(error.message || error)); }
  state.loading = false;
}

async function fineTune() {
  const panel = document.getElementById('finetune');
  panel.hidden = false;
  panel.textContent = 'fine-tune: waiting for the decisions to reach digitd';
  await state.chain;
  try {
    let view = await api('POST', '/api/finetune');
    const run = view.report.run;
    while (true) {
      panel.textContent = view.lines.join('\n') || ('fine-tune #' + run + ': ' + view.report.state);
      const report = view.report;
      if (report && (report.run > run || (report.run === run && ['promoted', 'rejected', 'failed'].includes(report.state)))) break;
      await new Promise(r => setTimeout(r, 500));
      view = await api('GET', '/api/finetune');
    }
    panel.dataset.verdict = view.report.state;
  } catch (error) { panel.textContent = 'fine-tune: ' + (error.message || error); panel.dataset.verdict = 'error'; }
}

const toolbar = document.getElementById('toolbar');
function button(label, key, action) {
  const b = document.createElement('button');
  b.type = 'button'; b.dataset.key = key;
  b.innerHTML = label + ' <kbd></kbd>'; b.querySelector('kbd').textContent = key;
  b.addEventListener('click', action);
  toolbar.append(b);
}
for (let d = 0; d <= 9; d++) button(String(d), String(d), () => decide(d));
button('✓ confirm guess', 'Enter', () => { const i = state.order[state.selected]; if (i) decide(i.digit); });
button('✗ not a digit', 'x', () => decide('x'));
button('↶ undo', 'u', undo);
button('fine-tune now', 'f', fineTune);

document.addEventListener('keydown', event => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const key = event.key;
  if (/^[0-9]$/.test(key)) decide(Number(key));
  else if (key === 'Enter') { const i = state.order[state.selected]; if (i) decide(i.digit); }
  else if (key === 'ArrowRight') select(state.selected + 1);
  else if (key === 'ArrowLeft') select(state.selected - 1);
  else if (key === 'ArrowDown') vertical(1);
  else if (key === 'ArrowUp') vertical(-1);
  else if (key === 'x') decide('x');
  else if (key === 'u') undo();
  else if (key === 'f') fineTune();
  else return;
  event.preventDefault();
});

load(false).then(() => { document.body.dataset.loaded = 'true'; });
</script>
</body></html>
"""#
}
