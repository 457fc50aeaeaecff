// Shared by every dashboard page. Everything that comes from the API is put in the page as text
// (textContent, createTextNode): never as HTML, so a task whose data holds <script> shows it.
'use strict';

const Dash = (() => {
  /** How often pages refresh themselves; the issue asks for at most every 2 s. */
  const REFRESH_MS = 2000;
  const PAGES = [['Overview', '/dashboard'], ['Tasks', '/dashboard/tasks'],
    ['Schedules', '/dashboard/schedules'], ['Workers', '/dashboard/workers']];

  let session = null;

  /** A failed API call, with the API's stable error code. */
  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  /** Creates an element; string and number children become text nodes, never markup. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'className') node.className = value;
      else if (name === 'onclick') node.addEventListener('click', value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Replaces an element's children. */
  function fill(node, ...children) {
    node.replaceChildren();
    return append(node, children);
  }

  function loginUrl() {
    return '/dashboard/login?next=' + encodeURIComponent(location.pathname + location.search);
  }

  /**
   * Calls the JSON API as this browser's login. Actions (anything but GET) carry the CSRF secret
   * the server gave this page; a 401 sends the user to the login page.
   */
  async function api(path, options = {}) {
    const method = options.method || 'GET';
    const headers = { 'Accept': 'application/json' };
    if (method !== 'GET') {
      const current = await currentSession();
      if (current.csrf) headers['X-Party-CSRF'] = current.csrf;
    }
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const body = await response.json().catch(() => null);
    if (response.status === 401 && !options.noLoginRedirect) {
      location.assign(loginUrl());
      throw new ApiError(401, 'unauthorized', 'log in first');
    }
    if (!response.ok) {
      throw new ApiError(response.status, body && body.error, (body && body.message) || response.statusText);
    }
    return body;
  }

  /** Who this page acts as: {login, scopes, canAct, csrf}. */
  async function currentSession() {
    if (!session) session = await api('/dashboard/session');
    return session;
  }

  function notice(text, kind) {
    const node = document.getElementById('notice');
    if (!node) return;
    node.hidden = !text;
    node.className = 'notice' + (kind ? ' ' + kind : '');
    node.textContent = text || '';
  }

  /** The top bar: the pages, who is logged in, and whether the live refresh keeps up. */
  function header(current) {
    const top = document.getElementById('top');
    const nav = el('nav', {}, PAGES.map(([name, href]) =>
      el('a', { href, className: href === location.pathname ? 'here' : null }, name)));
    const live = el('span', { className: 'live', id: 'live', title: 'refreshes every 2 s' });
    const who = el('span', { className: 'who' }, live,
      current.login ? 'logged in: ' + current.scopes.join(', ') : 'local (no tokens)');
    const parts = [el('a', { className: 'brand', href: '/dashboard' }, 'Party'), nav, who];
    if (current.login) {
      parts.push(el('button', { type: 'button', id: 'logout', onclick: logout }, 'Log out'));
    }
    fill(top, parts);
    if (!current.canAct) notice('Read-only: this token can look but not act, so actions are hidden.', 'readonly');
  }

  async function logout() {
    await api('/dashboard/logout', { method: 'POST' }).catch(() => null);
    location.assign('/dashboard/login');
  }

  /**
   * Starts a page: header, then {@code refresh} now and every 2 s. A refresh that fails marks the
   * live dot and says why; the next one tries again.
   */
  async function start(refresh) {
    let current;
    try {
      current = await currentSession();
    } catch (e) {
      if (e.status !== 401) notice(e.message, 'error');
      return;
    }
    header(current);
    let running = false;
    const tick = async () => {
      if (running || document.hidden) return;
      running = true;
      try {
        await refresh(current);
        document.getElementById('live').classList.remove('stale');
        document.body.dataset.refreshed = String(Date.now());
      } catch (e) {
        document.getElementById('live').classList.add('stale');
        if (e.status !== 401) notice(e.message, 'error');
      } finally {
        running = false;
      }
    };
    await tick();
    setInterval(tick, REFRESH_MS);
    return { refreshNow: tick };
  }

  /** Runs an action from a button: disabled while it runs, errors shown, then the page refreshed. */
  function action(label, run, options = {}) {
    return el('button', {
      type: 'button', className: options.danger ? 'danger' : 'act', 'data-action': options.name || label,
      onclick: async (event) => {
        const button = event.currentTarget;
        if (options.confirm && !window.confirm(options.confirm)) return;
        button.disabled = true;
        try {
          const message = await run();
          notice(message || '', '');
          if (options.after) await options.after();
        } catch (e) {
          notice(label + ' failed: ' + e.message, 'error');
        } finally {
          button.disabled = false;
        }
      },
    }, label);
  }

  function stateBadge(state) {
    return el('span', { className: 'state state-' + state, 'data-state': state }, state);
  }

  /** An instant as local date and time; the ISO text in the title. */
  function time(iso) {
    if (!iso) return '—';
    const date = new Date(iso);
    return el('time', { datetime: iso, title: iso }, date.toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' }));
  }

  function taskLink(id) {
    return el('a', { href: '/dashboard/task?id=' + encodeURIComponent(id) }, el('code', {}, id));
  }

  function pretty(json) {
    return json === null || json === undefined ? '—' : JSON.stringify(json, null, 2);
  }

  return { api, el, fill, append, start, action, notice, stateBadge, time, taskLink, pretty, currentSession };
})();
