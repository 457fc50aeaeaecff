// Workers of every node: live, dead (no heartbeat) or stopped, with the tasks they run.
'use strict';

(() => {
  const { api, el, fill, stateBadge, time, taskLink } = Dash;
  let shown = null;

  Dash.start(async () => {
    const [answer, status] = await Promise.all([api('/workers'), api('/status')]);
    const signature = JSON.stringify([answer, status.restarted_workers]);
    if (signature === shown) return;
    shown = signature;
    const count = (state) => answer.workers.filter((w) => w.state === state).length;
    fill(document.getElementById('summary'), [
      el('dt', {}, 'Live'), el('dd', {}, count('live')),
      el('dt', {}, 'Dead'), el('dd', {}, count('dead')),
      el('dt', {}, 'Stopped'), el('dd', {}, count('stopped')),
      el('dt', {}, 'Restarted workers'), el('dd', {}, status.restarted_workers),
    ]);
    fill(document.querySelector('#workers tbody'), answer.workers.map((worker) =>
      el('tr', { 'data-name': worker.name },
        el('td', {}, el('code', {}, worker.name)),
        el('td', {}, worker.host),
        el('td', { className: 'num' }, worker.pid),
        el('td', {}, stateBadge(worker.state)),
        el('td', {}, worker.queues.join(', ') || 'all'),
        el('td', { className: 'num' }, worker.slots),
        el('td', {}, worker.running === 0 ? '—' : worker.runningTasks.flatMap((id) => [taskLink(id), ' '])),
        el('td', {}, time(worker.startedAt)),
        el('td', {}, time(worker.lastHeartbeat)),
        el('td', {}, worker.version || '—'))));
    document.getElementById('empty').hidden = answer.workers.length > 0;
  });
})();
