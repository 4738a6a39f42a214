// 护薪 pages: small conveniences only — every page works without this script.
(function () {
  'use strict';
  // filters apply as soon as a choice changes
  document.addEventListener('change', function (event) {
    var el = event.target;
    if (el && el.matches && el.matches('[data-autosubmit]') && el.form) el.form.submit();
  });
  // printing shows every folded ledger
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.setAttribute('open', ''); });
  });
  // a review form cannot be sent twice by a double click
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (form && form.dataset && form.dataset.once !== undefined) {
      if (form.dataset.sent) event.preventDefault();
      form.dataset.sent = '1';
    }
  });
})();
