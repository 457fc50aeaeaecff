// Recurring schedules: next and last run; pause, resume, run now and unschedule.
'use strict';

(() => {
  const { api, el, fill, action, stateBadge, time, taskLink } = Dash;
  let live = null;
  let shown = null;

  /** ISO-8601 durations as people write them: PT1H30M as "1h 30m". */
  function duration(iso) {
    const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(iso);
    if (!match) return iso;
    const parts = [[match[1], 'd'], [match[2], 'h'], [match[3], 'm'], [match[4], 's']]
      .filter(([n]) => n && Number(n) !== 0).map(([n, unit]) => n + unit);
    return parts.length ? parts.join(' ') : iso;
  }

  function recurrence(schedule) {
    if (schedule.every) return 'every ' + duration(schedule.every);
    if (schedule.cron) return 'cron ' + schedule.cron + ' (' + schedule.zone + ')';
    return Object.entries(schedule).filter(([k]) => k === 'custom').map(([, v]) => v).join('') || '—';
  }

  function actions(schedule) {
    const path = '/schedules/' + encodeURIComponent(schedule.name);
    const refresh = () => live && live.refreshNow();
    const buttons = [schedule.paused
      ? action('Resume', async () => { await api(path + '/resume', { method: 'POST' }); return schedule.name + ' resumed.'; },
        { after: refresh, name: 'resume' })
      : action('Pause', async () => { await api(path + '/pause', { method: 'POST' }); return schedule.name + ' paused.'; },
        { after: refresh, name: 'pause' }),
    action('Run now', async () => {
      const run = await api(path + '/trigger', { method: 'POST' });
      return schedule.name + ' enqueued task ' + run.id + '.';
    }, { after: refresh, name: 'trigger' }),
    action('Unschedule', async () => { await api(path, { method: 'DELETE' }); return schedule.name + ' unscheduled.'; },
      { after: refresh, danger: true, name: 'unschedule', confirm: 'Unschedule ' + schedule.name + '?' })];
    return el('div', { className: 'actions' }, buttons);
  }

  Dash.start(async (session) => {
    const answer = await api('/schedules');
    const signature = JSON.stringify([answer, session.canAct]);
    if (signature === shown) return;
    shown = signature;
    fill(document.querySelector('#schedules tbody'), answer.schedules.map((schedule) =>
      el('tr', { 'data-name': schedule.name },
        el('td', {}, schedule.name),
        el('td', {}, schedule.party),
        el('td', {}, el('code', {}, recurrence(schedule))),
        el('td', {}, time(schedule.nextRunAt)),
        el('td', {}, time(schedule.lastRunOn), schedule.lastTaskId ? [' ', taskLink(schedule.lastTaskId)] : null),
        el('td', {}, stateBadge(schedule.paused ? 'paused' : 'active')),
        el('td', {}, session.canAct ? actions(schedule) : null))));
    document.getElementById('empty').hidden = answer.schedules.length > 0;
  }).then((started) => { live = started; });
})();
