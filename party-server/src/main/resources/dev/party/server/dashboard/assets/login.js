// Trades a pasted API token for a session cookie, then goes back to the page that asked.
'use strict';

(() => {
  const form = document.getElementById('login');

  /** Only a dashboard path of this site: an open redirect would help phishing. */
  function next() {
    const target = new URLSearchParams(location.search).get('next') || '/dashboard';
    return /^\/dashboard(\/|\?|$)/.test(target) && !target.startsWith('//') ? target : '/dashboard';
  }

  // A server without tokens needs no log-in: go straight on.
  fetch('/dashboard/session', { credentials: 'same-origin', cache: 'no-store' })
    .then((response) => (response.ok ? response.json() : null))
    .then((session) => { if (session && !session.login) location.replace(next()); })
    .catch(() => null);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const response = await fetch('/dashboard/login', {
      method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: form.token.value }),
    });
    if (response.ok) {
      location.assign(next());
      return;
    }
    const body = await response.json().catch(() => null);
    const notice = document.getElementById('notice');
    notice.hidden = false;
    notice.textContent = (body && body.message) || 'log-in failed';
  });
})();
