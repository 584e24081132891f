// A queue's failed jobs grouped by error class and message, each group retried at once.
import { get, post, q } from './api.js';
import { action } from './actions.js';
import { h, show, table, when } from './dom.js';

export async function deadLettersPage(name) {
  const answer = await get('queues/' + q(name) + '/dead-letters/groups');
  show(h('h1', {}, 'Dead letters of ' + name),
    h('p', {}, h('a', { href: '#/queue/' + q(name) }, '← queue ' + name), ' · ',
      h('a', { href: '#/queue/' + q(name) + '/jobs?status=failed' }, 'every failed job')),
    h('p', { class: 'note', id: 'groups-note' }, answer.scanned + ' failed job(s) looked at'
      + (answer.complete ? '' : ', the newest only: older ones are not grouped')),
    table(['error', 'message', 'jobs', 'newest', 'examples', ''], answer.groups.map((g) => row(name, g))));
}

function row(name, g) {
  return h('tr', { 'data-group': g.group }, h('td', {}, g.errorClass || '–'),
    h('td', { class: 'error-text' }, g.message || ''), h('td', {}, g.count), h('td', {}, when(g.newest)),
    h('td', {}, g.sampleIds.map((id) => [h('a', { href: '#/job/' + q(id) }, id), ' '])),
    h('td', {}, action('Retry this group', async () => {
      const r = await post('queues/' + q(name) + '/dead-letters/retry', { group: g.group });
      return 'Retried ' + r.retried + ' of ' + r.requested + ' job(s) failed with '
        + (g.errorClass || 'no class') + ': ' + g.message;
    }, { 'aria-label': 'retry the ' + g.count + ' job(s) of this group' })));
}
