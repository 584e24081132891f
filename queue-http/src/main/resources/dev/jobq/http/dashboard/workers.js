// The live workers, and orders to them: quiet, resume, stop, concurrency.
import { get, post, q } from './api.js';
import { action } from './actions.js';
import { h, ms, show, table, when } from './dom.js';
import { session } from './app.js';

export async function workersPage() {
  const answer = await get('workers');
  show(h('h1', {}, 'Workers'),
    table(['id', 'host', 'pid', 'queues', 'busy', 'processed', 'failed', 'heartbeat', 'up since', 'state', ''],
      answer.workers.map(row)));
}

function row(w) {
  const order = (body) => post('workers/' + q(w.id) + '/control', body);
  return h('tr', {},
    h('td', {}, w.id), h('td', {}, w.host), h('td', {}, w.pid), h('td', {}, (w.queues || []).join(', ')),
    h('td', {}, w.busy + ' / ' + w.concurrency), h('td', {}, w.processed), h('td', {}, w.failed),
    h('td', {}, ms(w.heartbeatAgeMs) + ' ago'), h('td', { title: ms(uptime(w)) }, when(w.startedAt)),
    h('td', {}, w.state),
    h('td', { class: 'actions' },
      w.state === 'quiet' ? action('Resume', () => order({ quiet: false }))
        : action('Quiet', () => order({ quiet: true })),
      action('Stop', () => order({ stop: true })),
      session.admin ? concurrency(w, order) : null));
}

function uptime(w) {
  return w.startedAt ? Date.now() - Date.parse(w.startedAt) : null;
}

function concurrency(w, order) {
  const input = h('input', { type: 'number', min: 1, max: 10000, value: w.concurrency,
    'aria-label': 'concurrency of ' + w.id, class: 'narrow' });
  return [input, action('Set', () => order({ concurrency: Number(input.value) }))];
}
