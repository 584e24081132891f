// Small helpers to build the page from data without innerHTML, so no job's text can run as code.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

export function show(...children) {
  const main = document.getElementById('main');
  main.replaceChildren(...children.flat().filter((c) => c));
}

// What an action did: text, or an element such as a link to what it made.
export function notice(said, isError) {
  const el = document.getElementById('notice');
  el.replaceChildren(said || '');
  el.className = isError ? 'notice error' : 'notice';
  el.hidden = !said;
}

export function table(headings, rows, caption) {
  return h('div', { class: 'scroll' },
    h('table', {},
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, headings.map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.length ? rows
        : h('tr', {}, h('td', { colspan: headings.length, class: 'empty' }, 'None')))));
}

export function facts(pairs) {
  return h('dl', { class: 'facts' },
    pairs.filter(([, v]) => v !== undefined).map(([k, v]) => [h('dt', {}, k), h('dd', {}, fmt(v))]));
}

export function fmt(value) {
  if (value === null || value === undefined || value === '') return '–';
  if (typeof value === 'number' && !Number.isInteger(value)) return value.toFixed(2);
  return String(value);
}

export function ms(value) {
  if (value === null || value === undefined) return '–';
  if (value < 1000) return value + ' ms';
  if (value < 120000) return (value / 1000).toFixed(1) + ' s';
  if (value < 7200000) return Math.round(value / 60000) + ' min';
  return (value / 3600000).toFixed(1) + ' h';
}

export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '–';
}

export function button(label, onclick, attrs) {
  return h('button', Object.assign({ type: 'button', onclick }, attrs || {}), label);
}

export function field(label, input) {
  return h('label', { class: 'field' }, h('span', {}, label), input);
}

export function unavailable(what) {
  return h('p', { class: 'unavailable' }, what + ': not available on this server.');
}

// A form whose Enter key does not reload the page: its buttons send it.
export function form(label, ...children) {
  return h('form', { class: 'box', 'aria-label': label, onsubmit: (e) => e.preventDefault() },
    h('h2', {}, label), ...children);
}
