/* global document, window, fetch, FormData, URLSearchParams, Element */
// The checklist's script (CSP: script-src 'self'). Without it every item's form posts and comes back
// to the page at the item; with it, each answer is saved as you go: when you leave an item (Tab, or a
// click elsewhere), when you click a result with the mouse (conformant, or with a note written), and
// when you press 保存. The server answers JSON (Accept: application/json); 保存済み or the error
// shows beside the item, and the error takes the focus.
(function () {
  'use strict';

  var root = document.querySelector('[data-checklist]');
  if (!root || !window.fetch) return;
  var words = root.dataset;
  Array.prototype.forEach.call(document.querySelectorAll('[data-checklist-script-only]'), function (element) {
    element.hidden = false;
  });

  function formOf(node) {
    return node instanceof Element ? node.closest('form[data-checklist-answer]') : null;
  }

  /** what the form holds now: the result chosen and the note (trimmed, as the server keeps it) */
  function current(form) {
    var checked = form.querySelector('input[name="result"]:checked');
    var note = form.querySelector('textarea[name="note"]');
    return { result: checked ? checked.value : '', note: note ? note.value.trim() : '' };
  }

  function key(answer) {
    return answer.result + '\u0000' + answer.note;
  }

  function dirty(form) {
    return key(current(form)) !== key({ result: form.dataset.savedResult || '', note: form.dataset.savedNote || '' });
  }

  function statusOf(form) {
    return form.querySelector('[data-checklist-status]');
  }

  function setStatus(form, text, kind) {
    var status = statusOf(form);
    status.textContent = text;
    status.className = 'checklist-form__status' + (kind ? ' checklist-form__status--' + kind : '');
  }

  /** removes the messages of an earlier refusal (the server's or this script's) */
  function clearErrors(form) {
    Array.prototype.forEach.call(form.querySelectorAll('.field-error'), function (message) {
      message.parentNode.removeChild(message);
    });
    Array.prototype.forEach.call(form.querySelectorAll('[aria-invalid]'), function (field) {
      field.removeAttribute('aria-invalid');
    });
    Array.prototype.forEach.call(form.querySelectorAll('[aria-describedby]'), function (field) {
      var kept = field
        .getAttribute('aria-describedby')
        .split(' ')
        .filter(function (id) {
          return id && !/-error$/.test(id);
        });
      if (kept.length) field.setAttribute('aria-describedby', kept.join(' '));
      else field.removeAttribute('aria-describedby');
    });
  }

  /** a message beside its field (above it, like the server's), tied to it; returns the message */
  function showFieldError(form, field, text) {
    var message = document.createElement('p');
    message.className = 'field-error';
    message.id = field.id + '-error';
    message.tabIndex = -1;
    var prefix = document.createElement('span');
    prefix.className = 'visually-hidden';
    prefix.textContent = words.errorPrefix || '';
    message.appendChild(prefix);
    message.appendChild(document.createTextNode(text));
    var before = field.type === 'radio' ? field.closest('.checklist-form__choices') : field;
    before.parentNode.insertBefore(message, before);
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-describedby', ((field.getAttribute('aria-describedby') || '') + ' ' + message.id).trim());
    return message;
  }

  function saved(form, answer) {
    form.dataset.savedResult = answer.result || '';
    form.dataset.savedNote = answer.note || '';
    delete form.dataset.refused;
    clearErrors(form);
    setStatus(form, answer.message || words.saved, 'saved');
    var facts = document.querySelector('[data-checklist-facts="' + form.dataset.itemId + '"]');
    if (!facts) return;
    var result = facts.querySelector('[data-checklist-result]');
    if (result) {
      var tag = document.createElement('span');
      tag.className = 'result-tag result-tag--' + (answer.result || 'unanswered');
      tag.textContent = answer.resultLabel || words.unanswered;
      result.replaceChildren(tag);
    }
    var finding = facts.querySelector('[data-checklist-finding]');
    if (finding && answer.findingHref) {
      var link = document.createElement('a');
      link.href = answer.findingHref;
      link.textContent = answer.findingLabel;
      finding.querySelector('dd').replaceChildren(link);
      finding.hidden = false;
    }
    var item = form.closest('.checklist-item');
    if (item) item.classList.add('checklist-item--answered');
  }

  function refused(form, problem, sent) {
    form.dataset.refused = key(sent);
    clearErrors(form);
    setStatus(form, '', null);
    var messages = problem && problem.messages && problem.messages.length ? problem.messages : [{ text: words.otherError, fieldId: null }];
    var first = null;
    messages.forEach(function (message) {
      var field = message.fieldId ? document.getElementById(message.fieldId) : null;
      var shown;
      if (field && form.contains(field)) {
        shown = showFieldError(form, field, message.text);
      } else {
        setStatus(form, message.text, 'error');
        shown = statusOf(form);
      }
      first = first || shown;
    });
    if (first) first.focus();
  }

  function save(form) {
    if (form.dataset.busy) {
      form.dataset.again = '1';
      return;
    }
    form.dataset.busy = '1';
    var sent = current(form);
    setStatus(form, words.saving, null);
    fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      keepalive: true,
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form)).toString(),
    })
      .then(function (response) {
        return response.json().then(
          function (body) {
            return { ok: response.ok, body: body };
          },
          function () {
            return { ok: false, body: null };
          },
        );
      })
      .then(
        function (answer) {
          if (answer.ok) saved(form, answer.body);
          else refused(form, answer.body, sent);
        },
        function () {
          refused(form, { messages: [{ text: words.networkError, fieldId: null }] }, sent);
        },
      )
      .then(function () {
        delete form.dataset.busy;
        if (form.dataset.again) {
          delete form.dataset.again;
          if (dirty(form)) save(form);
        }
      });
  }

  // 保存: saved in place, the page stays where it is
  document.addEventListener('submit', function (event) {
    var form = formOf(event.target);
    if (!form) return;
    event.preventDefault();
    save(form);
  });

  // leaving an item saves what changed (once per refused answer, so the error does not hold you in the item)
  document.addEventListener('focusout', function (event) {
    var form = formOf(event.target);
    if (!form || (event.relatedTarget && form.contains(event.relatedTarget))) return;
    if (dirty(form) && form.dataset.refused !== key(current(form))) save(form);
  });

  // a result clicked with the mouse saves at once when it needs no note, or the note is written
  // (arrow keys move through the results without saving each one on the way)
  document.addEventListener('click', function (event) {
    var target = event.target;
    if (!(target instanceof Element) || event.detail === 0) return;
    var radio = target.tagName === 'LABEL' ? target.control : target;
    if (!radio || radio.name !== 'result') return;
    var form = formOf(radio);
    if (!form) return;
    // after the click has checked the radio (a label's click comes before it)
    window.setTimeout(function () {
      var answer = current(form);
      if (dirty(form) && (answer.result === 'conformant' || answer.note)) save(form);
    }, 0);
  });

  // a change not saved yet: 保存済み no longer holds
  document.addEventListener('input', function (event) {
    var form = formOf(event.target);
    if (form && dirty(form) && statusOf(form).classList.contains('checklist-form__status--saved')) setStatus(form, '', null);
  });
})();
