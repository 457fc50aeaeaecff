// One task: its fields, data, result, error with stack trace, progress, and its log as a timeline.
'use strict';

(() => {
  const { api, el, fill, action, stateBadge, time, pretty, notice } = Dash;
  const id = new URLSearchParams(location.search).get('id') || '';
  const path = '/tasks/' + encodeURIComponent(id);
  let live = null;
  let shown = null;

  function facts(task) {
    const pairs = [
      ['Handler', task.party], ['Queue', task.queue], ['Priority', task.priority],
      ['Attempts', task.attempts + ' of ' + task.maxAttempts], ['Run at', time(task.timestamp)],
      ['Created', time(task.createdAt)], ['Last run on', time(task.lastRunOn)], ['Finished', time(task.finishedAt)],
      ['Worker', task.worker || '—'], ['Lease expires', time(task.leaseExpiresAt)],
      ['Unique key', task.uniqueKey || '—'], ['Instance key', task.instanceKey || '—'],
    ];
    fill(document.getElementById('facts'), pairs.flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, value)]));
  }

  function actions(task, canAct) {
    const refresh = () => live && live.refreshNow();
    const buttons = [];
    if (canAct && task.state === 'FAILED') {
      buttons.push(action('Retry', async () => {
        await api(path + '/retry', { method: 'POST' });
        return 'Put back in the queue.';
      }, { after: refresh, name: 'retry' }));
    }
    if (canAct && (task.state === 'ENQUEUED' || task.state === 'SCHEDULED')) {
      buttons.push(action('Run now', async () => {
        const ran = await api('/task/' + encodeURIComponent(task.id), { method: 'POST' });
        return 'Ran: ' + ran.state + '.';
      }, { after: refresh, name: 'run-now' }));
    }
    if (canAct && ['ENQUEUED', 'SCHEDULED', 'RUNNING'].includes(task.state)) {
      buttons.push(action('Cancel', async () => {
        await api(path, { method: 'DELETE' });
        return 'Cancelled.';
      }, { after: refresh, danger: true, name: 'cancel', confirm: 'Cancel this task?' }));
    }
    fill(document.getElementById('actions'), buttons);
  }

  function log(entries) {
    fill(document.getElementById('log'), entries.map((entry) => el('li', {},
      time(entry.at),
      entry.from ? el('span', {}, stateBadge(entry.from), ' → ') : null,
      stateBadge(entry.to),
      entry.worker ? el('span', { className: 'worker' }, ' on ', el('code', {}, entry.worker)) : null,
      entry.message ? el('span', { className: 'message' }, entry.message) : null)));
  }

  function render(task, canAct) {
    document.title = 'Party · Task ' + task.id;
    fill(document.getElementById('task-id'), task.id);
    fill(document.getElementById('state'), stateBadge(task.state));
    document.getElementById('progress').value = task.progress;
    fill(document.getElementById('progress-text'), task.progress + '%');
    facts(task);
    fill(document.getElementById('data'), pretty(task.data));
    fill(document.getElementById('result'), pretty(task.result));
    document.getElementById('error-panel').hidden = !task.error;
    fill(document.getElementById('error'), task.error || '');
    actions(task, canAct);
    log(task.log);
  }

  Dash.start(async (session) => {
    if (!id) {
      notice('No task id given: open a task from the task list.', 'error');
      return;
    }
    const task = await api(path);
    const signature = JSON.stringify([task, session.canAct]);
    if (signature === shown) return;
    shown = signature;
    render(task, session.canAct);
  }).then((started) => { live = started; });
})();
