// The phone without a connection (issue 16). Everything here is an addition: without
// JavaScript, or with a connection, the forms post as before.
//
// - Registers the service worker (templates/phone/sw.js), which keeps only the app shell.
// - A form marked data-offline submitted while offline is kept in IndexedDB instead, with
//   a key made here (crypto.randomUUID) and the moment of the tap; the queue is sent by
//   itself when the connection returns (X-Replay-Key: the server records it once and
//   answers a repeat with the first result). Refusals stay listed with the reason.
// - The stores are per account (database "tyopari-u<id>"): another account signing in on
//   this phone never sees or sends them. Sign-out warns about unsent items, then wipes the
//   caches, the queue and the names; the end of the absolute session limit wipes too.
(function () {
  "use strict";
  var body = document.body;
  var ACCOUNT = "tyopari.account";
  var sent = [];  // what this page sent, shown until it is left
  var sending = false;

  function account() {
    try { return JSON.parse(localStorage.getItem(ACCOUNT)) || null; } catch (e) { return null; }
  }

  // The signed-in user: from the page when it comes from the server, else (the offline
  // shell) the last account seen on this phone while online.
  function userId() {
    if (document.querySelector("[data-offline-shell]")) {
      var known = account();
      return known ? String(known.user) : null;
    }
    return body.dataset.offlineUser || null;
  }

  // --- IndexedDB -------------------------------------------------------------------------
  function dbName(user) { return "tyopari-u" + user; }

  function open(user) {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(dbName(user), 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("queue", { keyPath: "key" });
        request.result.createObjectStore("women", { keyPath: "id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(user, store, mode, work) {
    return open(user).then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var result = work(tx.objectStore(store));
        tx.oncomplete = function () { db.close(); resolve(result && result.result !== undefined ? result.result : result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all(user, store) { return run(user, store, "readonly", function (s) { return s.getAll(); }); }
  function put(user, store, value) { return run(user, store, "readwrite", function (s) { s.put(value); }); }
  function remove(user, store, key) { return run(user, store, "readwrite", function (s) { s.delete(key); }); }

  function replaceWomen(user, women) {
    return run(user, "women", "readwrite", function (s) {
      s.clear();
      women.forEach(function (w) { s.put(w); });
    });
  }

  // --- Wiping ----------------------------------------------------------------------------
  function wipe() {
    var jobs = [];
    if (window.caches) {
      jobs.push(caches.keys().then(function (names) {
        return Promise.all(names.map(function (n) { return caches.delete(n); }));
      }));
    }
    if (indexedDB.databases) {
      jobs.push(indexedDB.databases().then(function (list) {
        return Promise.all(list.filter(function (d) { return d.name && d.name.indexOf("tyopari-") === 0; })
          .map(function (d) {
            return new Promise(function (resolve) {
              var request = indexedDB.deleteDatabase(d.name);
              request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
            });
          }));
      }));
    }
    localStorage.removeItem(ACCOUNT);
    return Promise.all(jobs);
  }

  // The absolute session limit: past it, nothing of the account stays on the phone.
  function wipeIfExpired() {
    var known = account();
    if (known && known.ends && Date.now() > known.ends) { return wipe().then(function () { return true; }); }
    return Promise.resolve(false);
  }

  // --- The list on the page --------------------------------------------------------------
  function panel() { return document.getElementById("offline-queue"); }

  function text(name) { var box = panel(); return box ? box.getAttribute("data-" + name + "-text") || "" : ""; }

  function say(message) {
    if (window.Tyopari) { window.Tyopari.say(message, "success"); }
  }

  function button(label, handler) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", handler);
    return b;
  }

  function render() {
    var box = panel();
    var user = userId();
    if (!box || !user) { return Promise.resolve(); }
    return all(user, "queue").then(function (items) {
      items.sort(function (a, b) { return a.tapped < b.tapped ? -1 : 1; });
      var list = box.querySelector("[data-items]");
      var sentList = box.querySelector("[data-sent]");
      // The box's heading: what waits, or (nothing waiting) what was sent.
      var sentHeading = box.querySelector("[data-sent-heading]");
      box.querySelector("[data-heading]").textContent = items.length
        ? text("waiting").replace("{n}", items.length) : sentHeading.textContent;
      list.replaceChildren.apply(list, items.map(function (item) {
        var li = document.createElement("li");
        li.setAttribute("data-queue-item", item.key);
        li.textContent = item.label + " · " + new Date(item.tapped).toLocaleString(document.documentElement.lang || undefined,
          { dateStyle: "short", timeStyle: "short" });
        if (item.state !== "waiting") {
          var why = document.createElement("p");
          why.className = "refused";
          why.setAttribute("data-refused", "");
          why.textContent = (item.state === "signed-out" ? text("signed-out") : text("refused") + ": " + item.reason);
          li.appendChild(why);
          var tools = document.createElement("p");
          tools.className = "toolbar";
          tools.appendChild(button(text("retry"), function () {
            item.state = "waiting";
            put(user, "queue", item).then(flush);
          }));
          tools.appendChild(button(text("discard"), function () {
            if (window.confirm(box.getAttribute("data-discard-question"))) {
              remove(user, "queue", item.key).then(render);
            }
          }));
          if (item.resolve) {
            var a = document.createElement("a");
            a.href = item.resolve;
            a.textContent = text("open");
            tools.appendChild(a);
          }
          li.appendChild(tools);
        }
        return li;
      }));
      sentList.replaceChildren.apply(sentList, sent.map(function (done) {
        var li = document.createElement("li");
        li.setAttribute("data-sent-item", "");
        li.textContent = text("sent") + ": " + done.label + (done.message ? " – " + done.message : "");
        return li;
      }));
      sentHeading.hidden = sent.length === 0 || items.length === 0;
      box.hidden = items.length === 0 && sent.length === 0;
    });
  }

  // --- Keeping a write -------------------------------------------------------------------
  function keep(form, submitter) {
    var user = userId();
    var data = new FormData(form, submitter || undefined);
    var fields = [];
    data.forEach(function (value, name) {
      if (name !== "csrf_token" && typeof value === "string") { fields.push([name, value]); }
    });
    var label = form.getAttribute("data-offline-label") || document.title;
    if (form.hasAttribute("data-offline-submitter") && submitter) { label += ": " + submitter.textContent.trim(); }
    var item = {
      key: crypto.randomUUID(), url: form.getAttribute("action"), fields: fields, label: label,
      tapped: new Date().toISOString(), state: "waiting", reason: "",
      resolve: form.getAttribute("data-offline-resolve") || ""
    };
    return put(user, "queue", item).then(function () {
      say(text("saved"));
      return render();
    }).then(function () { if (navigator.onLine) { flush(); } });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-offline") || !userId()) { return; }
    if (navigator.onLine && form.getAttribute("data-offline") !== "always") { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    keep(form, event.submitter);
  }, true);

  // --- Sending ---------------------------------------------------------------------------
  function mark(user, item, state, reason) {
    item.state = state;
    item.reason = reason || "";
    return put(user, "queue", item);
  }

  function signedOut(response) {
    return response.redirected && /\/login/.test(new URL(response.url).pathname);
  }

  function sendOne(user, item, token) {
    var params = new URLSearchParams();
    item.fields.forEach(function (pair) { params.append(pair[0], pair[1]); });
    params.append("tapped_at", item.tapped);
    return fetch(item.url, {
      method: "POST", credentials: "same-origin", body: params,
      headers: { "X-Replay-Key": item.key, "X-CSRFToken": token }
    }).then(function (response) {
      if (signedOut(response)) { return mark(user, item, "signed-out").then(function () { return "stop"; }); }
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (!json) { return "later"; }  // no answer of ours (a proxy, a 503, the CSRF token)
      return response.json().then(function (answer) {
        if (answer.ok) {
          sent.push({ label: item.label, message: answer.message });
          return remove(user, "queue", item.key);
        }
        if (response.status >= 500) { return "later"; }
        return mark(user, item, "refused", answer.message);
      });
    }, function () { return "offline"; });
  }

  function flush() {
    var user = userId();
    if (!user || sending || !navigator.onLine || !body.dataset.offlineState) { return Promise.resolve(); }
    sending = true;
    var before = sent.length;
    return fetch(body.dataset.offlineState, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (signedOut(response)) { return all(user, "queue").then(function (items) {
          return Promise.all(items.map(function (item) { return mark(user, item, "signed-out"); }));
        }); }
        if (!response.ok) { return null; }
        return response.json().then(function (state) {
          if (String(state.user) !== String(user)) { return null; }
          localStorage.setItem(ACCOUNT, JSON.stringify({ user: state.user, ends: state.ends }));
          return replaceWomen(user, state.women).then(function () { return all(user, "queue"); })
            .then(function (items) {
              items = items.filter(function (i) { return i.state !== "refused"; })
                .sort(function (a, b) { return a.tapped < b.tapped ? -1 : 1; });
              var chain = Promise.resolve();
              items.forEach(function (item) {
                chain = chain.then(function (last) {
                  if (last === "stop" || last === "offline") { return last; }
                  return sendOne(user, item, state.csrf);
                });
              });
              return chain;
            });
        });
      }, function () { return null; })
      .then(function () {
        sending = false;
        if (sent.length > before) { refreshLatest(); }
        return render();
      }, function () { sending = false; });
  }

  // Her page's "Latest contacts" shows what was just sent, without a reload.
  function refreshLatest() {
    if (document.getElementById("latest-contacts") && window.htmx) {
      window.htmx.ajax("GET", window.location.pathname, { target: "#latest-contacts", select: "#latest-contacts", swap: "outerHTML" });
    }
  }

  // --- The offline shell: her recent women, to log with --------------------------------------
  function fillShell() {
    var shell = document.querySelector("[data-offline-shell]");
    var user = userId();
    if (!shell || !user) { return Promise.resolve(); }
    return all(user, "women").then(function (women) {
      var list = shell.querySelector("[data-offline-list]");
      var template = document.getElementById("offline-quick-template");
      shell.querySelector("[data-offline-empty]").hidden = women.length > 0;
      list.replaceChildren.apply(list, women.map(function (w) {
        var li = template.content.firstElementChild.cloneNode(true);
        li.querySelector("[data-name]").textContent = w.name;
        li.querySelector("[data-code]").textContent = w.code;
        li.querySelector("[data-legend]").textContent = w.name + " (" + w.code + ")";
        var form = li.querySelector("form");
        form.setAttribute("action", "/clients/" + w.id + "/contacts/quick");
        form.setAttribute("data-offline-label", w.name + " (" + w.code + ")");
        form.setAttribute("data-offline-resolve", "/clients/" + w.id);
        return li;
      }));
    });
  }

  // --- Sign-out: warn about what would be lost, then wipe --------------------------------
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-offline-signout") || form.dataset.wiped) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    var user = userId();
    (user ? all(user, "queue") : Promise.resolve([])).then(function (items) {
      var question = (panel() && panel().getAttribute("data-signout-question")) || "";
      if (items.length && !window.confirm(question.replace("{n}", items.length))) { return; }
      wipe().then(function () {
        form.dataset.wiped = "1";
        form.submit();  // a plain POST: the server ends the session
      });
    });
  }, true);

  // --- Start -----------------------------------------------------------------------------
  function start() {
    wipeIfExpired().then(function (wiped) {
      if (wiped) { return; }
      if (body.dataset.offlineUser && !document.querySelector("[data-offline-shell]")) {
        var known = account();
        if (!known || String(known.user) !== body.dataset.offlineUser) {
          localStorage.setItem(ACCOUNT, JSON.stringify({ user: body.dataset.offlineUser, ends: 0 }));
        }
      }
      render();
      fillShell();
      if (navigator.onLine && userId()) { flush(); }
    });
    if ("serviceWorker" in navigator && body.dataset.sw) {
      navigator.serviceWorker.register(body.dataset.sw, { scope: "/" }).then(function (registration) {
        if (body.dataset.offlineUser && navigator.onLine && registration.active) {
          registration.active.postMessage({ type: "refresh-shell" });
        }
      }).catch(function () { /* no worker: the app works online as before */ });
    }
  }

  window.addEventListener("online", function () { flush(); });
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.boosted) { render(); fillShell(); }
  });
  setInterval(function () { wipeIfExpired(); if (navigator.onLine) { flush(); } }, 30000);
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
