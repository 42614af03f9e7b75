/* global document */
// The plan form's script (CSP: script-src 'self'). Without it 「すべて選択」 is a checkbox the server
// reads as every open department; with it, the box ticks (or clears) the departments' boxes, and
// clearing one department clears 「すべて選択」, so what is sent is what is ticked.
(function () {
  'use strict';
  document.querySelectorAll('input[data-select-all]').forEach(function (all) {
    var name = all.getAttribute('data-select-all');
    var boxes = Array.prototype.slice.call(document.querySelectorAll('input[type="checkbox"][name="' + name + '"]'));
    all.addEventListener('change', function () {
      boxes.forEach(function (box) {
        box.checked = all.checked;
      });
    });
    boxes.forEach(function (box) {
      box.addEventListener('change', function () {
        all.checked = boxes.every(function (b) {
          return b.checked;
        });
      });
    });
  });
})();
