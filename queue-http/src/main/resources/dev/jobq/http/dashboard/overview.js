// Overview: a tile per queue from its /stats, Redis's facts, throughput charts, live.
import { get, optional, q } from './api.js';
import { listen, onEvent } from './app.js';
import { fmt, h, ms, show } from './dom.js';
import { historyCharts } from './charts.js';

export async function overviewPage() {
  const names = await get('queues');
  listen(names);
  const stats = await Promise.all(names.map((n) => get('queues/' + q(n) + '/stats')));
  const redis = await optional('redis');
  show(h('h1', {}, 'Overview'),
    redis ? redisFacts(redis) : null,
    names.length ? h('div', { class: 'tiles' }, stats.map(tile))
      : h('p', {}, 'No queue yet: a queue appears once a job is enqueued into it.'),
    h('div', { id: 'charts' }));
  drawCharts(names);
  refreshLive(names);
}

function tile(s) {
  const waiting = Object.entries(s.waiting).map(([p, n]) => p + ' ' + n).join(' · ');
  const limits = s.heldBack || [];
  const flags = [s.paused ? 'paused' : null, limits.length ? 'limited' : null].filter(Boolean);
  return h('section', { class: 'tile', 'data-queue': s.queue, 'aria-label': 'queue ' + s.queue },
    h('h2', {}, h('a', { href: '#/queue/' + q(s.queue) }, s.queue),
      flags.map((f) => h('span', { class: 'badge ' + f }, f))),
    limits.length ? h('p', { class: 'held' }, 'held back by ' + limits.join(', ')) : null,
    h('dl', { class: 'figures' },
      figure('waiting', s.waitingTotal, waiting),
      figure('delayed', s.delayed),
      figure('active', s.active),
      figure('failed', s.failed, null, '#/queue/' + q(s.queue) + '/jobs?status=failed'),
      figure('jobs/min', fmt(s.jobsPerMinute1)),
      figure('failure rate', pct(s.failureRate)),
      figure('wait p50/p95', ms(s.waitTime && s.waitTime.p50Ms) + ' / ' + ms(s.waitTime && s.waitTime.p95Ms)),
      figure('run p50/p95', ms(s.runTime && s.runTime.p50Ms) + ' / ' + ms(s.runTime && s.runTime.p95Ms))));
}

function figure(label, value, title, link) {
  const shown = link ? h('a', { href: link }, fmt(value)) : fmt(value);
  return h('div', { class: 'figure', 'data-figure': label },
    h('dt', {}, label), h('dd', { title }, shown));
}

function pct(rate) {
  return rate === null || rate === undefined ? '–' : (rate * 100).toFixed(1) + ' %';
}

function redisFacts(r) {
  const warnings = r.warnings || [];
  // under a cluster each master has a line of its own, its warnings under it
  if (r.nodes) {
    return h('section', { class: 'redis', 'aria-label': 'Redis' },
      h('h2', {}, 'Redis Cluster'),
      r.nodes.map((n) => h('div', { class: 'node', 'data-node': n.node },
        factLine(n, n.node + ' — '), warningLines(n.warnings || []))));
  }
  return h('section', { class: 'redis', 'aria-label': 'Redis' },
    h('h2', {}, 'Redis'), factLine(r, ''), warningLines(warnings));
}

function factLine(r, lead) {
  const facts = Object.entries(r)
    .filter(([k, v]) => k !== 'warnings' && k !== 'node' && typeof v !== 'object');
  return h('p', {}, lead, facts.map(([k, v]) => h('span', { class: 'fact' }, k + ': ' + fmt(v))));
}

function warningLines(warnings) {
  return warnings.map((w) => h('p', { class: 'warning' }, typeof w === 'string' ? w : JSON.stringify(w)));
}

async function drawCharts(names) {
  const box = document.getElementById('charts');
  for (const name of names.slice(0, 6)) {
    const charts = await historyCharts(name);
    if (!charts) {
      box.replaceChildren(h('p', { class: 'unavailable' }, 'Charts: history not available on this server.'));
      return;
    }
    box.append(charts);
  }
}

// Events redraw the tiles at most once a second, however many arrive.
function refreshLive(names) {
  let pending = false;
  onEvent(() => {
    if (pending) return;
    pending = true;
    setTimeout(async () => {
      pending = false;
      const tiles = document.querySelector('.tiles');
      if (!tiles) return;
      const stats = await Promise.all(names.map((n) => get('queues/' + q(n) + '/stats')));
      tiles.replaceChildren(...stats.map(tile));
    }, 1000);
  });
}
