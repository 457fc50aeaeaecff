// Overview: counts per state and per handler, the last hour's throughput, workers, last cleanup.
'use strict';

(() => {
  const { api, el, fill, time } = Dash;
  const STATES = ['PENDING', 'RUNNING', 'FINISHED', 'FAILED', 'CANCELLED'];
  let chart = null;

  function states(status) {
    fill(document.getElementById('states'), STATES.map((state) =>
      el('a', { className: 'card', href: '/dashboard/tasks?state=' + state, 'data-state': state },
        el('span', { className: 'count' }, status.states[state] || 0),
        el('span', { className: 'label' }, state.toLowerCase()))));
  }

  function handlers(status) {
    const rows = new Map();
    const row = (name) => rows.get(name) || rows.set(name, { pending: 0, failed: 0, finished: 0 }).get(name);
    for (const count of status.pending) row(count._id).pending = count.count;
    for (const count of status.failed) row(count._id).failed = count.count;
    for (const count of status.undumped) row(count._id).finished = count.count;
    const link = (name, state, n) => n === 0 ? '0'
      : el('a', { href: '/dashboard/tasks?state=' + state + '&handler=' + encodeURIComponent(name) }, n);
    const body = [...rows.keys()].sort().map((name) => el('tr', {},
      el('td', {}, name),
      el('td', { className: 'num' }, link(name, 'PENDING', rows.get(name).pending)),
      el('td', { className: 'num' }, link(name, 'FAILED', rows.get(name).failed)),
      el('td', { className: 'num' }, link(name, 'FINISHED', rows.get(name).finished))));
    if (body.length === 0) body.push(el('tr', {}, el('td', { colspan: 4, className: 'empty' }, 'No tasks stored.')));
    fill(document.querySelector('#handlers tbody'), body);
  }

  function facts(node, pairs) {
    fill(node, pairs.flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, value)]));
  }

  function workers(status) {
    const live = status.workers.filter((w) => w.state === 'live');
    facts(document.getElementById('workers'), [
      ['Live workers', el('a', { href: '/dashboard/workers', id: 'live-workers' }, live.length)],
      ['Names', live.length === 0 ? '—' : live.map((w) => [el('code', {}, w.name), ' (' + w.host + ') '])],
      ['Running tasks', live.reduce((sum, w) => sum + w.running, 0)],
      ['Slots on this node', status.total_workers],
      ['Restarted workers', el('span', { id: 'restarted-workers' }, status.restarted_workers)],
    ]);
  }

  function cleanup(status) {
    const c = status.cleanup;
    facts(document.getElementById('cleanup'), [
      ['Last run', status.last_run_on === 'Unavailable' ? 'not yet' : time(status.last_run_on)],
      ['Removed last run', c ? c.last_completed + ' finished, ' + c.last_failed + ' failed or cancelled' : '—'],
      ['Removed in all', c ? c.total_completed + ' finished, ' + c.total_failed + ' failed or cancelled' : '—'],
    ]);
  }

  function throughput(stats) {
    const x = stats.buckets.map((b) => Date.parse(b.start) / 1000);
    const data = [x, stats.buckets.map((b) => b.finished), stats.buckets.map((b) => b.failed)];
    const box = document.getElementById('chart');
    if (chart) {
      chart.setData(data);
      return;
    }
    box.replaceChildren();
    chart = new uPlot({
      width: Math.max(320, box.clientWidth), height: 240,
      scales: { y: { range: (u, min, max) => [0, Math.max(5, max)] } },
      series: [{}, { label: 'finished', stroke: '#1a7f37', fill: 'rgba(26,127,55,0.08)', width: 2, points: { show: false } },
        { label: 'failed', stroke: '#c4320a', width: 2, points: { show: false } }],
      axes: [{}, { label: 'tasks / min' }],
    }, data, box);
    window.addEventListener('resize', () => chart.setSize({ width: Math.max(320, box.clientWidth), height: 240 }));
  }

  Dash.start(async () => {
    const [status, stats] = await Promise.all([api('/status'), api('/stats/throughput?minutes=60')]);
    states(status);
    handlers(status);
    workers(status);
    cleanup(status);
    throughput(stats);
  });
})();
