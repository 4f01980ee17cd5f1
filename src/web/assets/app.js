// 局长信箱: progressive enhancement only. Every page works without this file; with it, the letter
// form validates as the writer types (with the server's own schema, via /letter/validate), shows the
// convenience-list select only for complaints, and counts characters.
(function () {
  'use strict';
  document.documentElement.classList.add('js');

  var MAX_FILES = 5;
  var MAX_FILE_BYTES = 10 * 1024 * 1024;
  var MAX_TOTAL_BYTES = 10 * 1024 * 1024; // src/mailbox/attachments.ts; the server checks again
  var FILE_TYPES = /\.(jpe?g|png|pdf)$/i;

  function $(sel, root) {
    return (root || document).querySelector(sel);
  }
  function $all(sel, root) {
    return Array.prototype.slice.call((root || document).querySelectorAll(sel));
  }

  // Character counters: <p class="counter" data-counter-for="id" data-max="5000">
  $all('[data-counter-for]').forEach(function (counter) {
    var field = document.getElementById(counter.getAttribute('data-counter-for'));
    var max = Number(counter.getAttribute('data-max'));
    if (!field) return;
    function update() {
      var n = field.value.length;
      counter.textContent = '已输入 ' + n + ' / ' + max + ' 字';
      counter.classList.toggle('over', n > max);
    }
    field.addEventListener('input', update);
    update();
  });

  // A page that comes back with errors: take the reader to the list of problems.
  var summary = $('.error-summary');
  if (summary && document.activeElement !== summary) summary.focus();

  var form = $('#letter-form');
  if (!form) return;
  form.noValidate = true; // our messages, in Chinese, next to each field

  // The convenience-list item select appears only for complaints.
  var itemField = $('.complaint-only', form);
  var itemSelect = itemField && $('select', itemField);
  function typeValue() {
    var checked = $('input[name="type"]:checked', form);
    return checked ? checked.value : '';
  }
  function syncType() {
    if (!itemField) return;
    var complaint = typeValue() === 'complaint';
    itemField.classList.toggle('is-inactive', !complaint);
    itemSelect.disabled = !complaint; // a disabled select is not submitted
  }
  $all('input[name="type"]', form).forEach(function (r) {
    r.addEventListener('change', syncType);
  });
  syncType();

  // Validation as you type.
  var touched = {};
  $all('[data-error-for]', form).forEach(function (el) {
    if (!el.hidden) touched[el.getAttribute('data-error-for')] = true; // errors from the server stay until fixed
  });

  function showError(name, message) {
    var el = $('[data-error-for="' + name + '"]', form);
    if (!el) return;
    var wrapper = el.closest('.field');
    el.textContent = message || '';
    el.hidden = !message;
    if (wrapper) wrapper.classList.toggle('has-error', !!message);
    var control = wrapper && (wrapper.tagName === 'FIELDSET' ? wrapper : $('input, select, textarea', wrapper));
    if (control) {
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
  }

  function fileProblem() {
    var input = $('input[type="file"][name="attachments"]', form);
    if (!input || !input.files) return '';
    var files = Array.prototype.slice.call(input.files);
    if (files.length > MAX_FILES) return '附件最多 ' + MAX_FILES + ' 个';
    var total = 0;
    for (var i = 0; i < files.length; i++) {
      if (files[i].size > MAX_FILE_BYTES) return '单个附件不能超过 10 MB：' + files[i].name;
      if (!FILE_TYPES.test(files[i].name)) return '附件只能是 JPG、PNG 图片或 PDF 文件：' + files[i].name;
      total += files[i].size;
    }
    return total > MAX_TOTAL_BYTES ? '附件合计不能超过 10 MB' : '';
  }

  function values() {
    var out = {};
    $all('input, select, textarea', form).forEach(function (el) {
      if (!el.name || el.type === 'file' || el.disabled) return;
      if ((el.type === 'radio' || el.type === 'checkbox') && !el.checked) return;
      out[el.name] = el.value;
    });
    return out;
  }

  var seq = 0;
  function validate() {
    var mine = ++seq;
    return fetch(form.getAttribute('data-validate-url'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(values()),
      credentials: 'same-origin',
    })
      .then(function (res) {
        if (!res.ok) throw new Error('validate ' + res.status);
        return res.json();
      })
      .then(function (body) {
        if (mine !== seq) return null; // a newer check is on its way
        var errors = body.errors || {};
        var f = fileProblem();
        if (f) errors.attachments = f;
        $all('[data-error-for]', form).forEach(function (el) {
          var name = el.getAttribute('data-error-for');
          if (touched[name]) showError(name, errors[name]);
        });
        return errors;
      });
  }

  var timer = null;
  function later() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      validate().catch(function () {});
    }, 350);
  }
  function nameOf(el) {
    return el.name === 'website' ? null : el.name;
  }
  form.addEventListener('input', function (e) {
    var name = nameOf(e.target);
    if (!name || e.target.type === 'file') return;
    touched[name] = true;
    later();
  });
  form.addEventListener('change', function (e) {
    var name = nameOf(e.target);
    if (!name) return;
    touched[name] = true;
    if (e.target.type === 'file') showError('attachments', fileProblem());
    else later();
  });
  form.addEventListener('focusout', function (e) {
    var name = nameOf(e.target);
    if (!name || e.target.type === 'file' || e.target.type === 'radio') return;
    touched[name] = true;
    later();
  });

  var sending = false;
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (sending) return;
    $all('[data-error-for]', form).forEach(function (el) {
      touched[el.getAttribute('data-error-for')] = true;
    });
    clearTimeout(timer);
    var button = $('button[type="submit"]', form);
    button.disabled = true;
    validate()
      .then(function (errors) {
        var names = Object.keys(errors || {}).filter(function (n) {
          return n !== 'website';
        });
        if (names.length === 0) {
          sending = true;
          form.submit();
          return;
        }
        button.disabled = false;
        var first = $('[data-field="' + names[0] + '"]', form);
        var target = first && (first.tagName === 'FIELDSET' ? $('input', first) : $('input, select, textarea', first));
        if (target) target.focus();
      })
      .catch(function () {
        // The check itself failed (offline?): let the server judge.
        sending = true;
        form.submit();
      });
  });
})();
