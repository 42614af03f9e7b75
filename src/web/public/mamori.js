/* global document, Element, CSS */
// Mamori's only script (CSP: script-src 'self'). Every page works without it; it only moves focus.
(function () {
  'use strict';

  /** A refused form: the error summary takes the focus, so it is read out first (autofocus does this too, but not after a #fragment). */
  function focusErrorSummary() {
    var summary = document.querySelector('[data-error-summary]');
    if (summary && document.activeElement !== summary) summary.focus();
  }

  /** A link of the summary moves to its field and shows the field's label (and the fieldset's legend) above it. */
  function followSummaryLinks(event) {
    var link = event.target instanceof Element ? event.target.closest('[data-error-summary] a[href^="#"]') : null;
    if (!link) return;
    var field = document.getElementById(decodeURIComponent(link.getAttribute('href').slice(1)));
    if (!field) return;
    event.preventDefault();
    var legend = field.closest('fieldset') ? field.closest('fieldset').querySelector('legend') : null;
    var label = legend || (field.id ? document.querySelector('label[for="' + CSS.escape(field.id) + '"]') : null);
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  }

  document.addEventListener('click', followSummaryLinks);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', focusErrorSummary);
  else focusErrorSummary();
})();
