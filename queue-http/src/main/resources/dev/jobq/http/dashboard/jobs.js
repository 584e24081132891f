// A queue's jobs by status, a page at a time by the API's cursor; a search box; and bulk retry,
// cancel and delete of the jobs ticked.
import { del, get, post, q } from './api.js';
import { action } from './actions.js';
import { field, h, show, table, when } from './dom.js';

const FIELDS = ['error', 'id', 'type', 'header'];
const FINAL = ['failed', 'completed', 'cancelled'];

export async function jobsPage(name, params) {
  const status = params.get('status') || 'waiting';
  const text = params.get('q') || '';
  const where = params.get('in') || 'error';
  const listed = text ? await search(name, status, text, where, params.get('cursor'))
    : await page(name, status, params.get('cursor'));
  const rows = listed.jobs.map(row);
  show(h('h1', {}, 'Jobs of ' + name + ': ' + status),
    h('p', {}, h('a', { href: '#/queue/' + q(name) }, '← queue ' + name)),
    searchForm(name, status, text, where),
    listed.note ? h('p', { class: 'note', id: 'search-note' }, listed.note) : null,
    h('div', { class: 'actions' },
      status === 'failed' ? action('Retry selected', () => bulk(name, 'retry')) : null,
      FINAL.includes(status) ? null : action('Cancel selected', () => bulk(name, 'cancel')),
      action('Delete selected', () => bulk(name, 'delete'))),
    table(['', 'id', 'type', 'attempt', 'enqueued', 'error'], rows),
    listed.next ? h('a', { class: 'next', href: link(name, status, text, where, listed.next) },
      'Next page →') : null);
}

async function page(name, status, cursor) {
  const path = 'queues/' + q(name) + '/jobs?limit=50&status=' + status
    + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
  const answer = await get(path);
  return { jobs: answer.jobs, next: answer.nextCursor,
    note: answer.total + ' ' + status + ' job(s); showing ' + (answer.offset + 1) + '–'
      + (answer.offset + answer.jobs.length) };
}

// A bounded scan: the API looks at a few thousand jobs per call and says how far it got; the
// next page carries on from its cursor. A first search by id answers the job of exactly that id
// alone, when there is one; the next page looks for the ids that contain the text.
async function search(name, status, text, where, cursor) {
  const path = 'queues/' + q(name) + '/search?limit=50&q=' + encodeURIComponent(text) + '&in=' + where
    + '&status=' + status + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
  const answer = await get(path);
  const exact = !cursor && where === 'id' && answer.scanned === 1 && answer.jobs.length === 1
    && answer.jobs[0].id === text && !answer.complete;
  return { jobs: answer.jobs, next: answer.nextCursor,
    note: exact ? 'the ' + status + ' job of id ' + text + ': the next page looks for ids that contain it'
      : answer.jobs.length + ' match(es) in ' + answer.scanned + ' ' + status + ' job(s) looked at'
      + (answer.complete ? ': that is all of them' : ': look further with the next page') };
}

function searchForm(name, status, text, where) {
  const input = h('input', { type: 'search', name: 'q', value: text });
  const select = h('select', { name: 'in' },
    FIELDS.map((f) => h('option', { value: f, selected: f === where }, f)));
  const go = () => { location.hash = link(name, status, input.value, select.value); };
  return h('form', { class: 'search', role: 'search', onsubmit: (e) => { e.preventDefault(); go(); } },
    field('Search', input), field('in', select), h('button', { type: 'submit' }, 'Search'));
}

function link(name, status, text, where, cursor) {
  const params = new URLSearchParams({ status });
  if (text) { params.set('q', text); params.set('in', where); }
  if (cursor) params.set('cursor', cursor);
  return '#/queue/' + q(name) + '/jobs?' + params;
}

function row(job) {
  return h('tr', {},
    h('td', {}, h('input', { type: 'checkbox', class: 'pick', value: job.id,
      'aria-label': 'select ' + job.id })),
    h('td', {}, h('a', { href: '#/job/' + q(job.id) }, job.id)),
    h('td', {}, job.type), h('td', {}, job.attempt + '/' + job.maxAttempts),
    h('td', {}, when(job.enqueuedAt)),
    h('td', { class: 'error-text' }, job.error ? (job.errorClass || '') + ': ' + job.error : ''));
}

async function bulk(name, verb) {
  const ids = [...document.querySelectorAll('input.pick:checked')].map((c) => c.value);
  if (!ids.length) throw new Error('tick the jobs first');
  if (verb === 'delete') return deleteEach(ids);
  const r = await post('queues/' + q(name) + '/' + verb, { ids });
  return verb === 'retry' ? 'Retried ' + r.retried + ' of ' + ids.length
    : 'Cancelled: ' + r.results.filter((x) => x.outcome === 'cancelled').length + ' of ' + ids.length;
}

// One DELETE per job: some may be refused (an active one) while the others are deleted, so the
// outcome says how many went and why each other one stayed.
async function deleteEach(ids) {
  const outcomes = await Promise.allSettled(ids.map((id) => del('jobs/' + q(id))));
  const refused = ids.flatMap((id, i) => outcomes[i].status === 'rejected'
    ? [id + ': ' + outcomes[i].reason.message] : []);
  const said = 'Deleted ' + (ids.length - refused.length) + ' of ' + ids.length + ' job(s)';
  if (refused.length === ids.length) throw new Error(said + '; ' + refused.join('; '));
  return refused.length ? said + '; refused ' + refused.join('; ') : said;
}
