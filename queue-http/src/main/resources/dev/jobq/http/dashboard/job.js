// One job: its fields, payload and result as formatted JSON, headers, error and stack, progress,
// the timeline of its events, its parents; retry, cancel, run now, delete. Live: it redraws when
// an event of this job arrives.
import { del, get, optional, post, q } from './api.js';
import { action } from './actions.js';
import { onEvent, route } from './app.js';
import { facts, h, show, table, when } from './dom.js';

export async function jobPage(id) {
  const job = await get('jobs/' + q(id));
  const events = await optional('jobs/' + q(id) + '/events');
  show(h('h1', {}, 'Job ' + job.id),
    h('p', {}, 'in ', h('a', { href: '#/queue/' + q(job.queue) }, job.queue)),
    h('p', {}, 'status ', h('strong', { class: 'status ' + job.status, id: 'job-status' }, job.status)),
    actions(job),
    job.progress ? progress(job.progress) : null,
    facts([['type', job.type], ['priority', job.priority], ['attempt', job.attempt + ' of ' + job.maxAttempts],
      ['created', when(job.createdAt)], ['run at', when(job.runAt)], ['started', when(job.startedAt)],
      ['finished', when(job.finishedAt)], ['worker', job.worker]]),
    job.error ? h('section', { class: 'failure' },
      h('h2', {}, job.status === 'failed' ? 'Error' : 'Last error'),
      h('p', { class: 'error-text' }, (job.errorClass ? job.errorClass + ': ' : '') + job.error)) : null,
    related(job),
    json('Payload', job.payload), job.result != null ? json('Result', job.result) : null,
    headers(job.headers),
    timeline(events));
  followLive(job);
}

function actions(job) {
  const path = 'jobs/' + q(job.id);
  return h('div', { class: 'actions' },
    job.status === 'failed' ? action('Retry', () => post(path + '/retry')) : null,
    ['waiting', 'delayed', 'blocked', 'active'].includes(job.status)
      ? action('Cancel', () => post(path + '/cancel')) : null,
    job.status === 'delayed' ? action('Run now', () => post(path + '/run-now')) : null,
    job.status !== 'active' ? action('Delete', async () => {
      await del(path);
      location.hash = '#/queue/' + q(job.queue);
      return 'Deleted ' + job.id;
    }) : null);
}

function progress(p) {
  const total = p.total || 0;
  return h('p', { class: 'progress' },
    h('label', {}, 'progress ', h('progress', { max: total || 1, value: p.done || 0 })),
    ' ' + (p.done || 0) + ' / ' + total + (p.message ? ' · ' + p.message : ''));
}

// Parents by dependsOn and the job it escalated to, linked; the API has no list of children yet.
function related(job) {
  const parents = job.dependsOn || [];
  if (!parents.length && !job.escalatedTo) return null;
  return h('section', {}, h('h2', {}, 'Related'),
    parents.length ? h('p', {}, 'depends on ', parents.map((p) => [h('a', { href: '#/job/' + q(p) }, p), ' '])) : null,
    job.escalatedTo ? h('p', {}, 'escalated to ', h('a', { href: '#/job/' + q(jobIdOf(job.escalatedTo)) },
      job.escalatedTo)) : null);
}

// "queue/id" or an id alone.
function jobIdOf(target) {
  const slash = target.indexOf('/');
  return slash < 0 ? target : target.slice(slash + 1);
}

function json(label, value) {
  return h('section', {}, h('h2', {}, label), h('pre', { class: 'json' }, JSON.stringify(value, null, 2)));
}

function headers(map) {
  const entries = Object.entries(map || {});
  if (!entries.length) return null;
  return h('section', {}, h('h2', {}, 'Headers'),
    table(['name', 'value'], entries.map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', {}, v)))));
}

function timeline(answer) {
  if (!answer) return null;
  return h('section', {}, h('h2', {}, 'Timeline'),
    h('ol', { class: 'timeline' }, answer.events.map((e) => h('li', {},
      h('time', { datetime: e.at }, when(e.at)), ' ', h('strong', {}, e.event), ' ',
      Object.entries(e.details).map(([k, v]) => k + '=' + v).join(' ')))),
    answer.complete ? null : h('p', { class: 'note' }, 'older events are no longer kept'));
}

function followLive(job) {
  onEvent((event) => {
    if (event.job === job.id && location.hash === '#/job/' + q(job.id)) route();
  });
}
