// Buttons that change something. Shown only to an admin's session: a signed-out visitor sees
// none, and the API refuses such a call anyway. Each reports its outcome and redraws the page.
import { route, session } from './app.js';
import { button, notice } from './dom.js';

export function action(label, run, attrs) {
  if (!session.admin) return null;
  return button(label, async (e) => {
    const el = e.currentTarget;
    el.disabled = true;
    try {
      const said = await run();
      await route();
      notice(typeof said === 'string' || said instanceof Node ? said : label + ': done');
    } catch (err) {
      notice(label + ' refused: ' + err.message, true);
      el.disabled = false;
    }
  }, attrs);
}

// A form that is sent by an admin only; others see nothing of it.
export function adminForm(build) {
  return session.admin ? build() : null;
}
