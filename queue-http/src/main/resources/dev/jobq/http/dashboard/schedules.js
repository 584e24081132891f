// Every queue's schedules: next run, last tick (a link to its job), trigger now, remove; and a
// form to add one.
import { del, get, post, put, q } from './api.js';
import { action, adminForm } from './actions.js';
import { field, form, h, ms, show, table, when } from './dom.js';

export async function schedulesPage() {
  const answer = await get('schedules');
  show(h('h1', {}, 'Schedules'),
    table(['queue', 'name', 'type', 'when', 'next run', 'last tick', ''],
      answer.schedules.map(row)),
    adminForm(addForm));
}

function row(s) {
  const path = 'queues/' + q(s.queue) + '/schedules/' + q(s.name);
  return h('tr', {},
    h('td', {}, h('a', { href: '#/queue/' + q(s.queue) }, s.queue)), h('td', {}, s.name),
    h('td', {}, s.type), h('td', {}, s.cron ? s.cron + ' (' + (s.zone || 'UTC') + ')' : 'every ' + ms(s.everyMs)),
    h('td', {}, when(s.nextTick)),
    h('td', {}, lastTick(s.lastTick)),
    h('td', { class: 'actions' },
      action('Trigger now', () => trigger(path), { 'aria-label': 'trigger ' + s.name + ' now' }),
      action('Remove', () => del(path), { 'aria-label': 'remove ' + s.name })));
}

// When it last fired and the job it enqueued (or found there already), or a dash if never.
function lastTick(t) {
  if (!t) return '–';
  const how = [t.triggered ? 'triggered' : null, t.created ? null : 'job existed'].filter(Boolean);
  return h('span', {}, when(t.at) + ': ',
    h('a', { href: '#/job/' + q(t.jobId), class: 'last-tick' }, t.jobId),
    how.length ? ' (' + how.join(', ') + ')' : '');
}

// The answer names the job it made (or found, when the same instant was triggered already).
async function trigger(path) {
  const r = await post(path + '/trigger');
  return h('span', {}, (r.created ? 'Triggered ' : 'Already triggered: ') + r.name + ' as job ',
    h('a', { href: '#/job/' + q(r.id), id: 'triggered-job' }, r.id));
}

function addForm() {
  const inputs = {
    queue: h('input', { name: 'queue', required: true }),
    name: h('input', { name: 'name', required: true }),
    type: h('input', { name: 'type', required: true }),
    cron: h('input', { name: 'cron', placeholder: '0 3 * * *' }),
    every: h('input', { name: 'every', placeholder: '5m' }),
    zone: h('input', { name: 'zone', placeholder: 'UTC' }),
  };
  return form('Add a schedule',
    Object.entries(inputs).map(([label, input]) => field(label, input)),
    action('Add schedule', () => {
      const body = { type: inputs.type.value };
      for (const key of ['cron', 'every', 'zone']) if (inputs[key].value) body[key] = inputs[key].value;
      return put('queues/' + q(inputs.queue.value) + '/schedules/' + q(inputs.name.value), body);
    }));
}
