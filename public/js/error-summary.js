/* Why: after a refused form the list of what to fix is the first thing to read (issue 21, WCAG
   3.3.1): the summary marked data-error-summary (tabindex="-1", so it takes focus without joining
   the Tab order) gets the focus when the page loads, and a screen reader reads it; its links lead to
   each question. Without JavaScript the summary is still at the top, announced as an alert. */
(function () {
  var summary = document.querySelector('[data-error-summary]');
  if (!summary) return;
  if (!summary.hasAttribute('tabindex')) summary.setAttribute('tabindex', '-1');
  summary.focus();
})();
