/* Paper entry, keyboard first: after a character in a rating box (1-5, 0 for no opinion, - for a
   blank answer), the cursor moves to the next box, so a whole form is typed as a row of keys and
   Enter. The page says so (data-paper-advance, shown only here). A typist who also presses Tab out of
   habit is not sent one box too far (issue 21): a Tab pressed in a box the cursor has just moved to,
   before anything is typed there, is the move already made and is dropped. Shift+Tab still goes back.
   A box gets its content selected on focus, so typing over a digit corrects it. Without this script
   the Tab key alone moves the cursor. */
(function () {
  var form = document.querySelector('[data-paper-entry]');
  if (!form) return;
  var advance = document.querySelector('[data-paper-advance]');
  if (advance) advance.hidden = false;
  var boxes = Array.prototype.slice.call(form.querySelectorAll('.paper__digits input'));
  // The box the cursor was moved to by a typed character, until the next key.
  var arrived = null;
  boxes.forEach(function (box, i) {
    box.addEventListener('input', function () {
      if (/^[0-5-]$/.test(box.value) && boxes[i + 1]) {
        arrived = boxes[i + 1];
        arrived.focus();
      }
    });
    box.addEventListener('keydown', function (event) {
      var moved = arrived === box;
      arrived = null;
      if (moved && event.key === 'Tab' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) event.preventDefault();
    });
    box.addEventListener('focus', function () {
      box.select();
    });
    box.addEventListener('blur', function () {
      if (arrived === box) arrived = null;
    });
  });
  var number = form.querySelector('input[name="paper_number"]');
  var firstError = form.querySelector('[aria-invalid="true"]');
  (firstError || number || boxes[0]).focus();
})();
