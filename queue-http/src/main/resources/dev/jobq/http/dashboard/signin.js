// Sign in with an API token; the server keeps the session in an HttpOnly cookie and answers the
// CSRF token that every action then sends.
import { post } from './api.js';
import { applySession, session } from './app.js';
import { field, h, notice, show } from './dom.js';

export async function signInPage() {
  if (!session.available) {
    show(h('h1', {}, 'Sign in'), h('p', {}, 'This server has no sign-in: the dashboard is read-only.'));
    return;
  }
  const token = h('input', { type: 'password', name: 'token', autocomplete: 'current-password', required: true });
  const submit = async (e) => {
    e.preventDefault();
    try {
      applySession(await post('session', { token: token.value }));
      location.hash = '#/';
    } catch (err) {
      notice('Sign-in refused: ' + err.message, true);
    }
  };
  show(h('h1', {}, 'Sign in'),
    h('form', { class: 'box', onsubmit: submit, 'aria-label': 'Sign in' },
      h('p', {}, 'Use a token of the admin role to act; any other token only reads.'),
      field('Token', token), h('button', { type: 'submit' }, 'Sign in')));
}
