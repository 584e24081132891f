// The dashboard's shell: who is signed in, which page the address names (#/…), and the live
// events every page may listen to.
import { ApiError, del, get, setCsrf } from './api.js';
import { button, h, notice, show } from './dom.js';
import { overviewPage } from './overview.js';
import { queuePage } from './queue.js';
import { jobsPage } from './jobs.js';
import { jobPage } from './job.js';
import { deadLettersPage } from './deadletters.js';
import { workersPage } from './workers.js';
import { schedulesPage } from './schedules.js';
import { signInPage } from './signin.js';

// admin: actions are shown; available: the server offers sign-in at all.
export const session = { available: true, signedIn: false, admin: false, roles: [] };

const EVENT_TYPES = ['enqueued', 'ready', 'started', 'progress', 'failed', 'stalled', 'retrying',
  'released', 'requeued', 'completed', 'dead-lettered', 'cancelled', 'escalated', 'promoted',
  'deleted'];
let listeners = [];
let stream = null;

// A page calls this to hear every job event while it is shown.
export function onEvent(listener) {
  listeners.push(listener);
}

export function applySession(answer) {
  const roles = (answer && answer.roles) || [];
  session.roles = roles;
  session.signedIn = roles.length > 0;
  session.admin = roles.includes('admin');
  setCsrf(answer && answer.csrf ? answer.csrf : null);
  drawSession();
}

async function loadSession() {
  try {
    applySession(await get('session'));
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    session.available = e.status !== 404 && e.status !== 405;
    applySession(null);
  }
}

function drawSession() {
  const el = document.getElementById('session');
  if (session.signedIn) {
    el.replaceChildren(h('span', {}, session.admin ? 'admin' : 'read-only'), ' ',
      button('Sign out', signOut));
  } else if (session.available) {
    el.replaceChildren(h('span', {}, 'read-only'), ' ', h('a', { href: '#/signin' }, 'Sign in'));
  } else {
    el.replaceChildren(h('span', { title: 'this server has no sign-in' }, 'read-only'));
  }
}

async function signOut() {
  try {
    await del('session');
  } catch (e) {
    notice('Sign-out refused: ' + e.message, true);
    return;
  }
  applySession(null);
  route();
}

const PAGES = [
  [/^$/, () => overviewPage()],
  [/^queue\/([^/]+)$/, (m) => queuePage(decodeURIComponent(m[1]))],
  [/^queue\/([^/]+)\/jobs$/, (m, params) => jobsPage(decodeURIComponent(m[1]), params)],
  [/^queue\/([^/]+)\/dead$/, (m) => deadLettersPage(decodeURIComponent(m[1]))],
  [/^job\/(.+)$/, (m) => jobPage(decodeURIComponent(m[1]))],
  [/^workers$/, () => workersPage()],
  [/^schedules$/, () => schedulesPage()],
  [/^signin$/, () => signInPage()],
];

// Draws the page the address names. Calls come from links and from live events, often several
// at once: they run one after another, and one that comes while a page is being drawn draws it
// again afterwards, so the answer fetched last (never an older one arriving late) is shown.
let drawing = null;
let drawAgain = false;

export async function route() {
  if (drawing) {
    drawAgain = true;
    return drawing;
  }
  drawing = (async () => {
    do {
      drawAgain = false;
      await draw();
      deliverHeld();
    } while (drawAgain);
  })();
  try {
    await drawing;
  } finally {
    drawing = null;
  }
}

// Events that come while a page is drawn wait for the listeners the new page sets up, which a
// draw replaces: dropped, the last change (a job completed while its page redrew) would not show.
const MAX_HELD = 1000;
let held = [];

function deliver(event) {
  if (drawing) {
    if (held.length < MAX_HELD) held.push(event);
    else drawAgain = true;
    return;
  }
  for (const listener of listeners) listener(event);
}

function deliverHeld() {
  const events = held;
  held = [];
  for (const event of events) {
    for (const listener of listeners) listener(event);
  }
}

async function draw() {
  listeners = [];
  notice('');
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  const params = new URLSearchParams(query || '');
  for (const [pattern, page] of PAGES) {
    const m = path.match(pattern);
    if (m) {
      try {
        await page(m, params);
      } catch (e) {
        show(h('h1', {}, 'Error'), h('p', { class: 'error' }, e.message));
      }
      document.title = 'jobq · ' + (document.querySelector('h1') || {}).textContent;
      return;
    }
  }
  show(h('h1', {}, 'Not found'), h('p', {}, 'No page here: '), h('a', { href: '#/' }, 'Overview'));
}

// One stream of every queue's events; it is opened once a queue exists (before that the server
// has nothing to stream) and reconnects by itself, resuming from the last event it saw.
export function listen(queues) {
  if (stream || !queues.length) return;
  stream = new EventSource('v1/events');
  // Tells a reader (and the browser tests) that changes now show without reloading.
  stream.addEventListener('open', () => { document.body.dataset.live = 'open'; });
  stream.addEventListener('error', () => { document.body.dataset.live = 'reconnecting'; });
  for (const type of EVENT_TYPES) {
    stream.addEventListener(type, (e) => {
      deliver(JSON.parse(e.data));
    });
  }
}

async function start() {
  await loadSession();
  window.addEventListener('hashchange', route);
  await route();
  get('queues').then(listen).catch(() => {});
}

// Once the session is known and the first page drawn: a script (or a test) that changes the
// session waits for this, or the first session read, answering later, would undo its change.
export const started = start().then(() => { document.body.dataset.started = 'true'; });
