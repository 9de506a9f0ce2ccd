/* Why: a new desk's fields follow its questionnaire (issue 21). Choosing the school questionnaire
   ticks "Giáo dục", the hospital one "Y tế" (the server ticks them already for a new desk of a school
   or a hospital). A field this script ticked is unticked again when another questionnaire is chosen,
   unless the person ticked or unticked it by hand meanwhile; fields ticked by hand are never touched.
   Without JavaScript the form works the same, with the fields ticked by hand. */
(function () {
  var form = document.querySelector('[data-desk-fields-by-questionnaire]');
  if (!form) return;
  var map;
  try {
    map = JSON.parse(form.getAttribute('data-desk-fields-by-questionnaire') || '{}');
  } catch {
    return;
  }
  var select = form.querySelector('select[name="questionnaire"]');
  if (!select) return;
  var boxes = Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"][name="fields"]'));
  var byValue = {};
  boxes.forEach(function (box) {
    byValue[box.value] = box;
  });
  // Fields ticked for the questionnaire shown at load count as ticked by this script.
  var ticked = (map[select.value] || []).filter(function (id) {
    return byValue[id] && byValue[id].checked;
  });
  boxes.forEach(function (box) {
    box.addEventListener('change', function () {
      ticked = ticked.filter(function (id) {
        return id !== box.value;
      });
    });
  });
  select.addEventListener('change', function () {
    var wanted = map[select.value] || [];
    ticked.forEach(function (id) {
      if (wanted.indexOf(id) === -1 && byValue[id]) byValue[id].checked = false;
    });
    ticked = [];
    wanted.forEach(function (id) {
      var box = byValue[id];
      if (box && !box.checked) {
        box.checked = true;
        ticked.push(id);
      }
    });
  });
})();
