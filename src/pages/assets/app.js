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
  // an import upload shows its progress: the bytes sent (XMLHttpRequest upload progress), then the
  // server's checking and writing (one transaction: checked row by row, written only if all are right),
  // then the answer page. Without this script the form posts as usual.
  function stage(box, name, text) {
    box.querySelectorAll('[data-stage]').forEach(function (li) {
      li.classList.toggle('current', li.dataset.stage === name || (name === 'server' && li.dataset.stage !== 'upload' && li.dataset.stage !== 'done'));
      if (li.dataset.stage === 'upload' && name !== 'upload') li.classList.add('passed');
      if (name === 'done') li.classList.add('passed');
    });
    var status = box.querySelector('[data-upload-status]');
    if (status) status.textContent = text;
  }
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form || !form.matches || !form.matches('form[data-upload]') || !window.XMLHttpRequest || !window.FormData) return;
    event.preventDefault();
    if (form.dataset.sending) return;
    var box = form.parentNode.querySelector('[data-upload-progress]');
    var bar = box && box.querySelector('progress');
    var button = form.querySelector('button[type="submit"]');
    form.dataset.sending = '1';
    if (button) button.disabled = true;
    if (box) box.hidden = false;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.upload.addEventListener('progress', function (e) {
      if (!box) return;
      if (e.lengthComputable && bar) bar.value = Math.round((e.loaded / e.total) * 100);
      stage(box, 'upload', '上传中：' + (e.lengthComputable ? Math.round((e.loaded / e.total) * 100) + '%（' + Math.round(e.loaded / 1024) + ' / ' + Math.round(e.total / 1024) + ' KB）' : Math.round(e.loaded / 1024) + ' KB'));
    });
    xhr.upload.addEventListener('load', function () {
      if (bar) bar.removeAttribute('value'); // indeterminate while the server works
      if (box) stage(box, 'server', '校验中、写入中：逐行检查，全部正确才写入（大文件需要一些时间，请勿关闭页面）');
    });
    xhr.addEventListener('load', function () {
      if (box) stage(box, 'done', '完成');
      var doc = new DOMParser().parseFromString(xhr.responseText, 'text/html');
      if (doc.body && doc.body.childNodes.length > 0) {
        document.title = doc.title;
        document.body.replaceWith(document.importNode(doc.body, true));
      } else {
        location.reload();
      }
    });
    xhr.addEventListener('error', function () {
      delete form.dataset.sending;
      if (button) button.disabled = false;
      if (box) stage(box, 'upload', '上传失败：网络中断或服务器无响应。请刷新页面，在下方导入批次中确认是否已导入，再决定是否重新上传');
    });
    xhr.send(new FormData(form));
  });
})();
