// One queue: its figures, pause and resume, clear (typing its name to confirm), limits and
// maximum depth; links to its jobs by status and its dead letters.
import { del, get, post, put, q } from './api.js';
import { action, adminForm } from './actions.js';
import { facts, field, form, h, show, table } from './dom.js';

const STATUSES = ['waiting', 'delayed', 'active', 'blocked', 'failed', 'completed', 'cancelled'];

export async function queuePage(name) {
  const [s, limits] = await Promise.all([
    get('queues/' + q(name) + '/stats'), get('queues/' + q(name) + '/limits')]);
  const base = 'queues/' + q(name);
  show(h('h1', {}, 'Queue ' + name),
    h('nav', { class: 'tabs', 'aria-label': 'Jobs of ' + name },
      STATUSES.map((st) => h('a', { href: '#/queue/' + q(name) + '/jobs?status=' + st },
        st + ' (' + count(s, st) + ')')),
      h('a', { href: '#/queue/' + q(name) + '/dead' }, 'dead letters by error')),
    facts([['paused', s.paused ? 'yes' : 'no'], ['max depth', s.maxDepth || 'unlimited'],
      ['held back by', (s.heldBack || []).join(', ')], ['jobs/min (1, 5, 15 min)',
        [s.jobsPerMinute1, s.jobsPerMinute5, s.jobsPerMinute15].map((n) => n.toFixed(1)).join(' · ')]]),
    h('div', { class: 'actions' },
      s.paused ? action('Resume', () => post(base + '/resume'))
        : action('Pause', () => post(base + '/pause'))),
    adminForm(() => clearForm(name, base)),
    h('h2', {}, 'Limits'),
    table(['type', 'running at most', 'started at most', 'per', ''], limits.limits.map((l) =>
      h('tr', {}, h('td', {}, l.type || '(whole queue)'), h('td', {}, l.maxRunning ?? '–'),
        h('td', {}, l.maxStarted ?? '–'), h('td', {}, l.perMs ? l.perMs / 1000 + ' s' : '–'),
        h('td', {}, action('Remove', () => del(base + '/limits/' + q(l.type || '_queue')),
          { 'aria-label': 'remove limit ' + (l.type || 'of the queue') }))))),
    adminForm(() => limitForm(base)),
    adminForm(() => depthForm(base, s.maxDepth)));
}

function count(s, status) {
  return status === 'waiting' ? s.waitingTotal : s[status];
}

function clearForm(name, base) {
  const input = h('input', { name: 'confirm', autocomplete: 'off' });
  const failed = h('input', { type: 'checkbox', name: 'includeFailed' });
  return form('Clear',
    h('p', {}, 'Deletes every waiting, delayed and blocked job (active ones stay). Type the queue\'s name to confirm.'),
    field('Queue name', input), field('Failed ones too', failed),
    action('Clear the queue', async () => {
      const r = await post(base + '/clear', { confirm: input.value, includeFailed: failed.checked });
      return 'Cleared ' + r.total + ' jobs of ' + name;
    }));
}

function limitForm(base) {
  const type = h('input', { name: 'type', placeholder: '_queue for the whole queue' });
  const running = h('input', { name: 'maxRunning', type: 'number', min: 1 });
  const started = h('input', { name: 'maxStarted', type: 'number', min: 1 });
  const per = h('input', { name: 'per', placeholder: '1m' });
  return form('Set a limit',
    field('Job type', type), field('Running at most', running),
    field('Started at most', started), field('Per', per),
    action('Set limit', () => {
      const body = {};
      if (running.value) body.maxRunning = Number(running.value);
      if (started.value) body.maxStarted = Number(started.value);
      if (per.value) body.per = per.value;
      return put(base + '/limits/' + q(type.value || '_queue'), body);
    }));
}

function depthForm(base, current) {
  const depth = h('input', { name: 'maxDepth', type: 'number', min: 0, value: current || 0 });
  return form('Maximum depth',
    field('Jobs waiting at most (0: no limit)', depth),
    action('Set maximum depth', () => put(base + '/max-depth', { maxDepth: Number(depth.value) })));
}
