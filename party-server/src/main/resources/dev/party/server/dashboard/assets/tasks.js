// Tasks by state and handler, a page at a time (newest first), with the actions each state allows.
'use strict';

(() => {
  const { api, el, fill, action, stateBadge, time, taskLink, notice } = Dash;
  const form = document.getElementById('filters');
  const params = new URLSearchParams(location.search);
  let view = { state: params.get('state') || '', handler: params.get('handler') || '',
    limit: params.get('limit') || '50', cursor: params.get('cursor') || '' };
  let next = null;
  let live = null;
  let shown = null;

  document.getElementById('state').value = view.state;
  document.getElementById('handler').value = view.handler;
  document.getElementById('limit').value = view.limit;

  function show(changes) {
    view = { ...view, ...changes };
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(view)) if (value) query.set(name, value);
    history.replaceState(null, '', '/dashboard/tasks' + (query.toString() ? '?' + query : ''));
    if (live) live.refreshNow();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    show({ state: form.state.value, handler: form.handler.value.trim(), limit: form.limit.value, cursor: '' });
  });
  document.getElementById('first').addEventListener('click', () => show({ cursor: '' }));
  document.getElementById('older').addEventListener('click', () => next && show({ cursor: next }));

  /** The buttons a task's display state allows: retry a failed one, run or cancel a waiting one. */
  function actions(task, refresh) {
    const path = '/tasks/' + encodeURIComponent(task.id);
    const buttons = [];
    if (task.state === 'FAILED') {
      buttons.push(action('Retry', async () => {
        await api(path + '/retry', { method: 'POST' });
        return 'Task ' + task.id + ' is back in the queue.';
      }, { after: refresh, name: 'retry' }));
    }
    if (task.state === 'ENQUEUED' || task.state === 'SCHEDULED') {
      buttons.push(action('Run now', async () => {
        const ran = await api('/task/' + encodeURIComponent(task.id), { method: 'POST' });
        return 'Task ' + task.id + ' ran: ' + ran.state + '.';
      }, { after: refresh, name: 'run-now' }));
    }
    if (['ENQUEUED', 'SCHEDULED', 'RUNNING'].includes(task.state)) {
      buttons.push(action('Cancel', async () => {
        await api(path, { method: 'DELETE' });
        return 'Task ' + task.id + ' was cancelled.';
      }, { after: refresh, danger: true, name: 'cancel', confirm: 'Cancel task ' + task.id + '?' }));
    }
    return el('div', { className: 'actions' }, buttons);
  }

  /** The error's first line, cut short: enough to tell failures apart in a list; the task page has the rest. */
  function firstLine(error) {
    // The exception line says more than the attempts count before it.
    const line = error.split('\n', 1)[0].replace(/^failed \d+ of \d+ attempts; last error: /, '');
    return line.length > 200 ? line.slice(0, 199) + '…' : line;
  }

  function row(task, canAct, refresh) {
    return el('tr', { 'data-id': task.id },
      el('td', {}, taskLink(task.id)),
      el('td', {}, task.party),
      el('td', {}, stateBadge(task.state), task.error ? el('span', { className: 'error-line', title: task.error }, firstLine(task.error)) : null),
      el('td', {}, task.queue),
      el('td', { className: 'num' }, task.attempts + ' / ' + task.maxAttempts),
      el('td', {}, time(task.timestamp)),
      el('td', { className: 'progress' }, el('progress', { max: 100, value: task.progress }), ' ', task.progress + '%'),
      el('td', {}, canAct ? actions(task, refresh) : null));
  }

  async function handlerNames() {
    const status = await api('/status');
    const names = new Set([...status.pending, ...status.failed, ...status.undumped].map((c) => c._id));
    fill(document.getElementById('handler-names'), [...names].sort().map((name) => el('option', { value: name })));
  }

  Dash.start(async (session) => {
    const query = new URLSearchParams({ limit: view.limit });
    if (view.state) query.set('state', view.state);
    if (view.handler) query.set('handler', view.handler);
    if (view.cursor) query.set('cursor', view.cursor);
    const page = await api('/tasks?' + query);
    // Redraw only what changed, so a button is not swapped out under the pointer every 2 s.
    const signature = JSON.stringify([page, view, session.canAct]);
    if (signature === shown) return;
    shown = signature;
    next = page.next;
    const refresh = () => live && live.refreshNow();
    fill(document.querySelector('#tasks tbody'), page.tasks.map((task) => row(task, session.canAct, refresh)));
    document.getElementById('empty').hidden = page.tasks.length > 0;
    document.getElementById('older').disabled = !next;
    document.getElementById('first').disabled = !view.cursor;
    const retryAll = document.getElementById('retry-all');
    retryAll.hidden = !session.canAct || view.state !== 'FAILED';
  }).then((started) => {
    live = started;
    handlerNames().catch(() => null);
  });

  document.getElementById('retry-all').addEventListener('click', async (event) => {
    const button = event.currentTarget;
    const which = view.handler ? 'every failed ' + view.handler + ' task' : 'every failed task';
    if (!window.confirm('Put ' + which + ' back in the queue?')) return;
    button.disabled = true;
    try {
      const query = view.handler ? '&handler=' + encodeURIComponent(view.handler) : '';
      const answer = await api('/tasks/retry?state=FAILED' + query, { method: 'POST' });
      notice(answer.retried + ' failed task(s) put back in the queue.');
      if (live) live.refreshNow();
    } catch (e) {
      notice('Retry all failed: ' + e.message, 'error');
    } finally {
      button.disabled = false;
    }
  });
})();
