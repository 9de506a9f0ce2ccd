/* Paper entry, keyboard first: after a digit in a rating box, the cursor moves to the next box, so a
   whole form is typed as a row of digits and Enter. Without this script the Tab key does the same. */
(function () {
  var form = document.querySelector('[data-paper-entry]');
  if (!form) return;
  var boxes = Array.prototype.slice.call(form.querySelectorAll('.paper__digits input'));
  boxes.forEach(function (box, i) {
    box.addEventListener('input', function () {
      if (/^[0-5]$/.test(box.value) && boxes[i + 1]) boxes[i + 1].focus();
    });
  });
  var number = form.querySelector('input[name="paper_number"]');
  var firstError = form.querySelector('[aria-invalid="true"]');
  (firstError || number || boxes[0]).focus();
})();
