/* Why: a new unit's code is proposed from its name as the name is typed (issue 21), the way the
   server proposes it (server/units/propose-code.ts): no accents, "đ" as "d", words joined by "-",
   made free with "-2", "-3" … against the codes in use. The box follows the name until the person
   types in it; emptied again, it follows the name again. Without JavaScript a code left empty gets
   the same proposal when the form is sent. */
(function () {
  var form = document.querySelector('[data-unit-codes-taken]');
  if (!form) return;
  var name = form.querySelector('input[name="name"]');
  var code = form.querySelector('input[name="code"]');
  if (!name || !code) return;
  var taken = {};
  (form.getAttribute('data-unit-codes-taken') || '').split(' ').forEach(function (c) {
    if (c) taken[c] = true;
  });
  var MAX = 60;
  function slugify(text) {
    return text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[đĐ]/g, 'd')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  }
  function propose(text) {
    var base = slugify(text).slice(0, MAX).replace(/-$/, '');
    if (!base) return '';
    if (!taken[base]) return base;
    for (var n = 2; ; n++) {
      var suffix = '-' + n;
      var candidate = base.slice(0, MAX - suffix.length).replace(/-$/, '') + suffix;
      if (!taken[candidate]) return candidate;
    }
  }
  // Whether the box still holds what was proposed (or nothing), so following the name changes no one's typing.
  var last = code.value;
  var follows = code.value === '' || code.value === propose(name.value);
  name.addEventListener('input', function () {
    if (!follows) return;
    last = propose(name.value);
    code.value = last;
  });
  code.addEventListener('input', function () {
    follows = code.value === '' || code.value === last;
  });
})();
