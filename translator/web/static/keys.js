// The segment editor's keyboard shortcuts and its "take" buttons: what htmx does not do. No inline
// script anywhere (the content security policy forbids it): everything is bound here, by delegation,
// so that it keeps working after htmx swaps the editor.
"use strict";
(function () {
  function editor() { return document.getElementById("editor"); }
  function box() { var e = editor(); return e ? e.querySelector("form.translation textarea[name=text]") : null; }
  function put(text) {
    var t = box();
    if (!t) { return; }
    t.value = text;
    t.focus();
    t.setSelectionRange(text.length, text.length);
  }
  function press(key) {
    var e = editor();
    var button = e ? e.querySelector("form.translation button[data-key='" + key + "']") : null;
    if (button) { button.click(); }
  }
  function go(which) {
    var e = editor();
    var url = e ? e.dataset[which] : "";
    if (url) { window.location.assign(url); }
  }
  function typing(target) {
    return target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" || target.isContentEditable);
  }
  document.addEventListener("click", function (event) {
    var take = event.target.closest("button.take");
    if (take) { put(take.dataset.take || ""); return; }
    var show = event.target.closest("[data-show]");
    if (show) {
      var dialog = document.getElementById(show.dataset.show);
      if (dialog && dialog.showModal) { dialog.showModal(); }
    }
  });
  // an answer htmx does not show (signed out, forbidden, a server error): said above the editor, and the
  // page with the text typed in it stays as it is
  document.addEventListener("htmx:responseError", function (event) {
    var e = editor();
    if (!e) { return; }
    var notice = e.querySelector(".notice") || e.insertBefore(document.createElement("p"), e.firstChild);
    notice.className = "notice problem";
    notice.setAttribute("role", "alert");
    var found = new DOMParser().parseFromString(event.detail.xhr.responseText || "", "text/html")
      .querySelector(".problem");
    notice.textContent = found ? found.textContent : "The server refused this (" + event.detail.xhr.status + ").";
  });
  document.addEventListener("keydown", function (event) {
    if (!editor()) { return; }
    if (event.key === "Enter" && event.ctrlKey) {
      event.preventDefault();
      press(event.shiftKey ? "approve-next" : "save-next");
    } else if (event.altKey && !event.ctrlKey && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      go(event.key === "ArrowDown" ? "next" : "previous");
    } else if (event.ctrlKey && event.shiftKey && /^Digit[1-9]$/.test(event.code)) {
      var offer = editor().querySelector("button.take[data-number='" + event.code.slice(5) + "']");
      if (offer) { event.preventDefault(); put(offer.dataset.take || ""); }
    } else if (event.altKey && event.shiftKey && event.code === "KeyC") {
      event.preventDefault();
      var t = box();
      if (t) { put(t.dataset.source || ""); }
    } else if (event.key === "?" && !typing(event.target)) {
      var dialog = document.getElementById("shortcuts");
      if (dialog && dialog.showModal) { event.preventDefault(); dialog.showModal(); }
    }
  });
})();
