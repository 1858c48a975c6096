// Progress for the admin's spreadsheet import (crm.admin.SpreadsheetAdminMixin): the upload
// shows the bytes sent, then an indeterminate bar while the server validates every row; the
// apply form shows an indeterminate bar while it writes. Without JavaScript the plain form
// posts work the same, only without the bar.
(function () {
  "use strict";
  function progressOf(form) {
    var box = form.querySelector(".crm-import-progress");
    return { box: box, bar: box.querySelector("progress"), label: box.querySelector(".crm-import-progress-label") };
  }
  function busy(form, text) {
    var p = progressOf(form);
    p.box.hidden = false;
    p.bar.removeAttribute("value");
    p.label.textContent = text;
    form.querySelectorAll("input[type=submit]").forEach(function (b) { b.disabled = true; });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var upload = document.querySelector(".crm-import-form");
    if (upload && window.FormData && window.XMLHttpRequest) {
      upload.addEventListener("submit", function (event) {
        event.preventDefault();
        var p = progressOf(upload);
        var errorBox = document.querySelector(".crm-import-error-live");
        errorBox.hidden = true;
        p.box.hidden = false;
        p.bar.value = 0;
        p.label.textContent = upload.dataset.uploading;
        upload.querySelectorAll("input[type=submit]").forEach(function (b) { b.disabled = true; });
        var xhr = new XMLHttpRequest();
        xhr.open("POST", window.location.href);
        xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
        xhr.upload.addEventListener("progress", function (e) {
          if (e.lengthComputable) { p.bar.value = Math.round((e.loaded / e.total) * 100); }
        });
        xhr.upload.addEventListener("load", function () { busy(upload, upload.dataset.validating); });
        xhr.addEventListener("load", function () {
          var answer = {};
          try { answer = JSON.parse(xhr.responseText); } catch (ignored) { /* not JSON */ }
          if (answer.redirect) { window.location.href = answer.redirect; return; }
          p.box.hidden = true;
          upload.querySelectorAll("input[type=submit]").forEach(function (b) { b.disabled = false; });
          errorBox.textContent = answer.error || xhr.statusText;
          errorBox.hidden = false;
        });
        xhr.addEventListener("error", function () { upload.submit(); });
        xhr.send(new FormData(upload));
      });
    }
    var apply = document.querySelector(".crm-apply-form");
    if (apply) {
      apply.addEventListener("submit", function () { busy(apply, apply.dataset.validating); });
    }
  });
})();
