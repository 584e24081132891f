// One job: its fields, progress, error and stack trace, its parents and children with their
// states and the job it escalated to, payload and result as formatted JSON, headers, the timeline
// of its events; retry, cancel, run now, delete. Live: it redraws when an event of this job arrives.
import { del, get, optional, post, q } from './api.js';
import { action } from './actions.js';
import { onEvent, route } from './app.js';
import { facts, h, show, table, when } from './dom.js';

// Events come in bursts (started, completed): each redraws, and the reads of an earlier one may
// answer after a later one's. Only the newest draw shows, so the page never goes back in time.
let draws = 0;

export async function jobPage(id) {
  const draw = ++draws;
  const job = await get('jobs/' + q(id));
  const [events, parents, children] = await Promise.all([optional('jobs/' + q(id) + '/events'),
    statesOf(job.dependsOn || []), statesOf(job.children || [])]);
  if (draw !== draws) return;
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
      h('p', { class: 'error-text' }, (job.errorClass ? job.errorClass + ': ' : '') + job.error),
      job.stack ? h('pre', { class: 'stack', id: 'job-stack' }, job.stack) : null) : null,
    related(job, parents, children),
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
    job.status === 'delayed' ? action('Run now', async () => {
      await post(path + '/run-now');
      return 'Job ' + job.id + ' is waiting: it runs next in its queue';
    }) : null,
    job.status !== 'active' ? action('Delete', async () => {
      const r = await del(path);
      location.hash = '#/queue/' + q(r.queue);
      return 'Deleted job ' + r.id;
    }) : null);
}

function progress(p) {
  const total = p.total || 0;
  return h('p', { class: 'progress' },
    h('label', {}, 'progress ', h('progress', { max: total || 1, value: p.done || 0 })),
    ' ' + (p.done || 0) + ' / ' + total + (p.message ? ' · ' + p.message : ''));
}

// The parents' or children's states, read one by one, the first MAX_RELATED: one gone since
// (deleted, or trimmed after it ended) shows as such.
const MAX_RELATED = 20;

async function statesOf(ids) {
  return Promise.all(ids.slice(0, MAX_RELATED).map(async (id) => {
    const other = await optional('jobs/' + q(id));
    return { id, status: other ? other.status : 'gone' };
  }));
}

// Parents by dependsOn and children, with their states, and the job it escalated to, linked.
function related(job, parents, children) {
  if (!parents.length && !children.length && !job.escalatedTo) return null;
  return h('section', {}, h('h2', {}, 'Related'),
    linked('job-parents', 'depends on ', parents, (job.dependsOn || []).length, 'parent(s)'),
    linked('job-children', 'children ', children, (job.children || []).length, 'child(ren)'),
    job.escalatedTo ? h('p', {}, 'escalated to ', h('a', { href: '#/job/' + q(jobIdOf(job.escalatedTo)) },
      job.escalatedTo)) : null);
}

function linked(id, label, jobs, total, noun) {
  if (!jobs.length) return null;
  const more = total - jobs.length;
  return [h('p', { id }, label, jobs.map((j) => [
    h('a', { href: '#/job/' + q(j.id) }, j.id), ' ',
    h('span', { class: 'status ' + j.status }, j.status), ' '])),
  more > 0 ? h('p', { class: 'note' }, 'and ' + more + ' more ' + noun) : null];
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

// The events the API read from the job's creation on, then those it read back from the end; on a
// busy queue it may not have read all between them (the gap), where the list says so.
function timeline(answer) {
  if (!answer) return null;
  const items = answer.events.map((e) => h('li', {},
    h('time', { datetime: e.at }, when(e.at)), ' ', h('strong', {}, e.event), ' ',
    Object.entries(e.details).map(([k, v]) => k + '=' + v).join(' ')));
  if (answer.gap) {
    const at = answer.events.filter((e) => !after(e.position, answer.gap.after)).length;
    items.splice(at, 0, h('li', { class: 'gap' }, 'events between ' + when(answer.gap.from)
      + ' and ' + when(answer.gap.to) + ' were not read: too many of other jobs lie between'));
  }
  return h('section', {}, h('h2', {}, 'Timeline'), h('ol', { class: 'timeline' }, items));
}

// Whether stream position a (ms-seq) comes after b; BigInt, as both parts may pass 2^53.
function after(a, b) {
  const [am, aseq] = a.split('-').map(BigInt);
  const [bm, bseq] = b.split('-').map(BigInt);
  return am > bm || (am === bm && aseq > bseq);
}

function followLive(job) {
  onEvent((event) => {
    if (event.job === job.id && location.hash === '#/job/' + q(job.id)) route();
  });
}
