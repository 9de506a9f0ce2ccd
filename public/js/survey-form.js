// The form's own address in the address bar (?f=<form token>), so that Back after sending, or a
// reload, comes back to this same form: the server then says it was already sent (and when), or
// shows the same form again, instead of handing out, and counting, a new one. Without JavaScript
// the survey works the same, minus this. A personal dossier link (/d/) and a draft (?nhap=) already
// name their form.
(function () {
  var form = document.querySelector('form.survey__form');
  var token = form && form.querySelector('input[name="ft"]');
  if (!token || !token.value || !window.history || !history.replaceState || !window.URL) return;
  if (location.pathname.indexOf('/d/') === 0) return;
  var url = new URL(location.href);
  if (url.searchParams.has('nhap') || url.searchParams.get('f') === token.value) return;
  url.searchParams.set('f', token.value);
  history.replaceState(history.state, '', url.pathname + '?' + url.searchParams.toString() + url.hash);
})();
