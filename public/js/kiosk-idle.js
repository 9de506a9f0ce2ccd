// A counter tablet (/k/) clears itself when left alone (issue 21): after data-idle-seconds without a
// touch or a key, a form with answers on it asks "Still there?" and counts data-countdown-seconds down
// (shown every second, said to a screen reader politely every ten); "Continue" keeps the answers,
// otherwise they are wiped and the tablet opens its empty form. Loaded, with its notice, only on a
// tablet's page (views/pages/survey/form.ejs), so a phone never resets and a phone's page stays light;
// without JavaScript the server's own limits apply (routes/survey.ts). Nothing is ever sent by this:
// an unsent form is only cleared.
(function () {
  var box = document.getElementById('kiosk-idle');
  var form = document.querySelector('form.survey__form');
  if (!box || !form) return;
  var idleMs = Number(box.getAttribute('data-idle-seconds')) * 1000;
  var countdownMs = Number(box.getAttribute('data-countdown-seconds')) * 1000;
  var resetUrl = box.getAttribute('data-reset-url');
  if (!(idleMs > 0) || !(countdownMs > 0) || !resetUrl) return;
  var count = box.querySelector('[data-idle-count]');
  var text = box.querySelector('[data-idle-text]');
  var live = box.querySelector('[data-idle-live]');
  var stayButton = box.querySelector('[data-idle-continue]');
  var restartButton = box.querySelector('[data-idle-restart]');
  var lastInput = Date.now();
  var timer = null;
  var ticker = null;
  var deadline = 0;
  var lastSaid = 0;
  var returnTo = null;
  var leaving = false;

  function isOpen() {
    return box.hasAttribute('open');
  }

  function sentence(n) {
    return n === 1 ? box.getAttribute('data-countdown-one') : box.getAttribute('data-countdown').replace('{n}', String(n));
  }

  /** Something of the last citizen's is on the screen: an answer, a draft's address, or English chosen. */
  function hasAnswers() {
    if (document.documentElement.lang !== 'vi' || location.search.indexOf('nhap=') >= 0) return true;
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (el.type === 'hidden' || el.name === 'website') continue;
      if ((el.type === 'radio' || el.type === 'checkbox') ? el.checked : (el.type === 'text' || el.tagName === 'TEXTAREA') && el.value !== '') return true;
    }
    return false;
  }

  function arm(ms) {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, Math.max(250, ms));
  }

  // Measured from the clock, not by counting timer calls: a sleeping screen pauses timers.
  function check() {
    if (leaving || isOpen()) return;
    var idle = Date.now() - lastInput;
    if (idle < idleMs) return arm(idleMs - idle);
    if (!hasAnswers()) return arm(idleMs);
    if (idle >= idleMs + countdownMs) return clearForm();
    warn(lastInput + idleMs + countdownMs);
  }

  function secondsLeft() {
    return Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
  }

  function tick() {
    var left = secondsLeft();
    count.textContent = String(left);
    text.textContent = sentence(left);
    // Politely, and not every second: at each ten and at five (the whole sentence was read when the notice opened).
    if (left > 0 && left !== lastSaid && (left % 10 === 0 || left === 5)) {
      live.textContent = sentence(left);
      lastSaid = left;
    }
    if (left === 0) clearForm();
  }

  function warn(until) {
    deadline = until;
    lastSaid = secondsLeft();
    live.textContent = sentence(lastSaid);
    returnTo = document.activeElement;
    if (typeof box.showModal === 'function') box.showModal();
    else box.setAttribute('open', '');
    stayButton.focus();
    tick();
    ticker = window.setInterval(tick, 250);
  }

  function stay() {
    window.clearInterval(ticker);
    if (typeof box.close === 'function' && isOpen()) box.close();
    else box.removeAttribute('open');
    lastInput = Date.now();
    if (returnTo && returnTo.focus && document.contains(returnTo)) returnTo.focus();
    arm(idleMs);
  }

  function clearForm() {
    if (leaving) return;
    leaving = true;
    window.clearInterval(ticker);
    window.clearTimeout(timer);
    // Wiped before leaving, so no cached copy of this page keeps the answers.
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (el.type === 'radio' || el.type === 'checkbox') el.checked = false;
      else if (el.type === 'text' || el.tagName === 'TEXTAREA') el.value = '';
    }
    location.replace(resetUrl);
  }

  function activity() {
    if (!isOpen() && !leaving) lastInput = Date.now();
  }

  ['pointerdown', 'keydown', 'input', 'change', 'wheel', 'touchstart', 'submit'].forEach(function (type) {
    document.addEventListener(type, activity, { capture: true, passive: true });
  });
  window.addEventListener('scroll', activity, { capture: true, passive: true });
  stayButton.addEventListener('click', stay);
  restartButton.addEventListener('click', clearForm);
  // Escape closes a dialog: here it means "I am still here".
  box.addEventListener('cancel', function (event) {
    event.preventDefault();
    stay();
  });
  // Back to this page from the browser's cache, or the screen woken up: how long was it left?
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) leaving = false;
    check();
  });
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') check();
  });
  arm(idleMs);
})();
