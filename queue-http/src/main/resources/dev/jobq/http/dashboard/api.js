// Every call the dashboard makes goes through here: relative URLs (so a base path works), the
// session's CSRF token on writes, and a refusal's problem detail as the error's message.

let csrf = null;

export function setCsrf(token) {
  csrf = token;
}

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

export async function call(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const answer = await fetch('v1/' + path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await answer.text();
  const json = text ? parse(text) : null;
  if (!answer.ok) {
    const detail = json && json.detail ? json.detail : answer.status + ' ' + answer.statusText;
    throw new ApiError(answer.status, detail);
  }
  return json;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body === undefined ? {} : body);
export const put = (path, body) => call('PUT', path, body);
export const del = (path) => call('DELETE', path);

// A read of a route this server may not have (an older jobq): null instead of an error.
export async function optional(path) {
  try {
    return await get(path);
  } catch (e) {
    if (e.status === 404 || e.status === 405) return null;
    throw e;
  }
}

export const q = (name) => encodeURIComponent(name);

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { detail: text };
  }
}
