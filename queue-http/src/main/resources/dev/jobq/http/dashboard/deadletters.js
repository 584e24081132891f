// A queue's failed jobs grouped by error class and message, each group retried at once.
import { optional, post, q } from './api.js';
import { action } from './actions.js';
import { h, show, table, unavailable, when } from './dom.js';

export async function deadLettersPage(name) {
  const answer = await optional('queues/' + q(name) + '/dead-letters/groups');
  const back = h('p', {}, h('a', { href: '#/queue/' + q(name) }, '← queue ' + name), ' · ',
    h('a', { href: '#/queue/' + q(name) + '/jobs?status=failed' }, 'every failed job'));
  if (!answer) {
    show(h('h1', {}, 'Dead letters of ' + name), back, unavailable('Grouping by error'));
    return;
  }
  show(h('h1', {}, 'Dead letters of ' + name), back,
    answer.scanned !== undefined ? h('p', { class: 'note' }, answer.scanned + ' failed job(s) looked at') : null,
    table(['error', 'message', 'jobs', 'newest', 'examples', ''], answer.groups.map((g) =>
      h('tr', {}, h('td', {}, g.errorClass || '–'), h('td', { class: 'error-text' }, g.message || ''),
        h('td', {}, g.count), h('td', {}, when(g.newest)),
        h('td', {}, (g.sampleIds || []).map((id) => [h('a', { href: '#/job/' + q(id) }, id), ' '])),
        h('td', {}, action('Retry this group', async () => {
          const r = await post('queues/' + q(name) + '/dead-letters/retry', { group: groupOf(g) });
          return 'Retried ' + (r.retried ?? '') + ' job(s)';
        }))))));
}

// The group as the API names it: its key when it gives one, else its class and message.
function groupOf(g) {
  return g.group ?? g.key ?? g.id ?? { errorClass: g.errorClass, message: g.message };
}
