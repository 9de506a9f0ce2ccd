// Draws the dashboard's charts from their data-chart attributes (no inline script: the CSP forbids it).
// Every chart also has a table with the same numbers, so the page is complete without this file.
// It also folds the long sections on a phone (they arrive open, so without JavaScript nothing is
// hidden), opens a folded section a jump link points into, and opens everything before printing.
(function () {
  'use strict';
  var folds = document.querySelectorAll('details.fold[open]');
  if (window.matchMedia && window.matchMedia('(max-width: 40rem)').matches) {
    for (var f = 0; f < folds.length; f++) folds[f].open = false;
  }
  function openTarget() {
    var target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    var fold = target && target.closest ? target.closest('details') : null;
    if (fold) fold.open = true;
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();
  window.addEventListener('beforeprint', function () {
    var all = document.querySelectorAll('.dashboard details');
    for (var d = 0; d < all.length; d++) all[d].open = true;
  });

  // A folded ranking's search: shown only where it works, it keeps the rows (and the phone's list
  // items) whose unit name holds what is typed, accents and case aside ("vinh" finds "Phường Vinh Hưng").
  function plain(text) {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
  }
  var searches = document.querySelectorAll('input[data-filter-rows]');
  for (var s = 0; s < searches.length; s++) {
    (function (input) {
      var id = input.getAttribute('data-filter-rows');
      var items = document.querySelectorAll('#' + id + ' tbody tr, [data-rows-of="' + id + '"] li');
      input.closest('.ranking-search').hidden = false;
      input.addEventListener('input', function () {
        var wanted = plain(input.value.trim());
        for (var j = 0; j < items.length; j++) items[j].hidden = wanted !== '' && plain(items[j].getAttribute('data-name') || '').indexOf(wanted) < 0;
      });
    })(searches[s]);
  }

  if (typeof window.Chart !== 'function') return;
  // No animation: a dashboard on an old office PC should draw once and be done.
  window.Chart.defaults.animation = false;

  var palette = {
    line: '#a3141d',
    target: '#1b1f24',
    bar: '#0b57a4',
    scale: ['#a3141d', '#e0712c', '#b9b9b9', '#6aa56f', '#1d6b34'],
    bars: ['#0b57a4', '#8fb3d9'],
  };

  function targetDataset(spec) {
    return {
      type: 'line',
      label: spec.targetLabel + ' ' + spec.target + '%',
      data: spec.labels.map(function () { return spec.target; }),
      borderColor: palette.target,
      borderDash: [6, 4],
      borderWidth: 1.5,
      pointRadius: 0,
      fill: false,
    };
  }

  function config(spec) {
    var percentAxis = { min: 0, max: 100, ticks: { callback: function (v) { return v + '%'; } } };
    if (spec.kind === 'trend') {
      // Lines may start above zero (the table has every number); bars below always start at zero.
      var shown = spec.series[0].values.filter(function (v) { return v !== null; });
      if (spec.target !== null) shown.push(spec.target);
      var lowest = shown.length ? Math.min.apply(null, shown) : 0;
      var trendAxis = Object.assign({}, percentAxis, { min: Math.max(0, Math.floor((lowest - 10) / 10) * 10) });
      var datasets = [{
        label: spec.series[0].label,
        data: spec.series[0].values,
        borderColor: palette.line,
        backgroundColor: palette.line,
        spanGaps: false,
        tension: 0.2,
      }];
      if (spec.target !== null) datasets.push(targetDataset(spec));
      return { type: 'line', data: { labels: spec.labels, datasets: datasets }, options: { scales: { y: trendAxis }, maintainAspectRatio: false } };
    }
    if (spec.kind === 'stacked') {
      return {
        type: 'bar',
        data: {
          labels: spec.labels,
          datasets: spec.series.map(function (s, i) { return { label: s.label, data: s.values, backgroundColor: palette.scale[i] }; }),
        },
        options: { indexAxis: 'y', scales: { x: Object.assign({ stacked: true }, percentAxis), y: { stacked: true } }, maintainAspectRatio: false },
      };
    }
    // Horizontal bars: Vietnamese field and option names are long and read better on their own line.
    // A second series (e.g. the raw rate beside the standardised one) gets a lighter bar.
    var bars = spec.series.map(function (s, i) { return { label: s.label, data: s.values, backgroundColor: palette.bars[i] || palette.bar }; });
    return { type: 'bar', data: { labels: spec.labels, datasets: bars }, options: { indexAxis: 'y', scales: { x: percentAxis }, maintainAspectRatio: false } };
  }

  var canvases = document.querySelectorAll('canvas[data-chart]');
  for (var i = 0; i < canvases.length; i++) {
    try {
      new window.Chart(canvases[i], config(JSON.parse(canvases[i].getAttribute('data-chart'))));
    } catch {
      // A chart that cannot be drawn leaves its table, which has the same numbers.
    }
  }
})();
