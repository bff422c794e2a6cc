// Small behaviours on top of htmx; everything works without this file too.
(function () {
  "use strict";

  function say(text, kind) {
    var box = document.getElementById("messages");
    if (!box) { return; }
    var p = document.createElement("p");
    p.className = "message " + (kind || "error");
    p.textContent = text;
    box.replaceChildren(p);
  }
  window.Tyopari = { say: say };  // offline.js speaks in the same live region

  // A refused request (403, 404, 429, 500) does not swap; tell the user instead of doing nothing.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var heading = doc.querySelector("main h1");
    say(heading ? heading.textContent : (document.body.dataset.errorText || "Error " + xhr.status));
  });

  // No network: say so, and leave whatever was typed on the page.
  document.addEventListener("htmx:sendError", function () {
    say(document.body.dataset.offlineText || "No connection");
  });

  // A boosted page swaps only the <body>: carry the new page's language over to <html>.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.boosted) { return; }
    var match = /<html[^>]*\slang="([^"]*)"/i.exec(event.detail.serverResponse || "");
    if (match) { document.documentElement.lang = match[1]; }
  });

  // After a boosted page load, move focus to the main content for screen readers.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.boosted) {
      var main = document.getElementById("main");
      if (main) { main.focus({ preventScroll: true }); }
    }
  });

  // Drafts of long forms (the line with data-draft-status inside the form): say whether
  // what is typed is kept on the server – saved, not saved, or offline (text stays).
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.hasAttribute || !elt.hasAttribute("data-draft-status")) { return; }
    var xhr = event.detail.xhr;
    var state = event.detail.successful ? "saved" : (!xhr || xhr.status === 0 ? "offline" : "failed");
    var text = elt.getAttribute("data-" + state + "-text");
    if (text && elt.textContent !== text) { elt.textContent = text; }
    elt.setAttribute("data-state", state);
  });
})();
