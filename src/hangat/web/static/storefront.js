// The storefront's chat panel. Plain JavaScript, no build step. Every text from the shopper,
// the catalog or the server is inserted with textContent, never as HTML.
(function () {
  "use strict";
  var script = document.currentScript;
  var lang = (script && script.dataset.lang) || document.documentElement.lang || "en";
  var strings = JSON.parse(document.getElementById("hangat-strings").textContent);
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-input");
  var log = document.getElementById("chat-log");
  var status = document.getElementById("chat-status");
  var shopper = document.getElementById("shopper");
  var button = form.querySelector("button");

  function newId(prefix) {
    if (window.crypto && window.crypto.randomUUID) return prefix + window.crypto.randomUUID();
    return prefix + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  function conversationId() {
    var key = "hangat.conversation." + (signedIn || "guest");
    var id = localStorage.getItem(key);
    if (!id) { id = newId("web-"); localStorage.setItem(key, id); }
    return id;
  }
  var shopperForm = document.getElementById("shopper-form");
  var shopperStatus = document.getElementById("shopper-status");
  var signedIn = localStorage.getItem("hangat.shopper") || "";
  var token = localStorage.getItem("hangat.shopper.token") || "";  // the demo's picker signs in; a store's site gives this
  function auth(headers) {
    if (token) headers.Authorization = "Bearer " + token;
    return headers;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }
  function signIn(id) {
    if (!id) {
      signedIn = "";
      token = "";
      localStorage.removeItem("hangat.shopper");
      localStorage.removeItem("hangat.shopper.token");
      shopperStatus.textContent = strings["store.guest"];
      return;
    }
    fetch("/api/sign-in", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ customer_id: id })
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (customer) {
      signedIn = customer.customer_id;
      token = customer.token;
      localStorage.setItem("hangat.shopper", signedIn);
      localStorage.setItem("hangat.shopper.token", token);
      shopperStatus.textContent = fill(strings["store.signed_in_as"], { name: customer.display_name || signedIn });
    }).catch(function () {
      shopperStatus.textContent = fill(strings["store.unknown_shopper"], { id: id });
    });
  }
  shopper.value = signedIn;
  if (signedIn) signIn(signedIn);
  shopperForm.addEventListener("submit", function (event) {
    event.preventDefault();
    signIn(shopper.value.trim());
  });

  var view = window.hangatChatView;  // static/chat-view.js, shared with the widget
  var el = view.el;
  function addTable(item, table) { item.appendChild(view.table(table)); }
  function addChoices(item, choices) {
    item.appendChild(view.chips(choices, function (choice) {
      addMessage("shopper", choice);
      send(choice, newId("m-"), 0);
    }));
  }
  function addMessage(who, text, products, extra, label) {
    var item = el("li", "msg " + who);
    item.appendChild(el("span", "who", label || (who === "shopper" ? strings["chat.you"] : strings["chat.ai_label"])));
    item.appendChild(el("p", "", text));
    if (products && products.length) {
      var list = el("ul", "cards");
      products.forEach(function (p) {
        var card = el("li", "mini-card");
        var title = el("p", "title", p.title);
        title.lang = p.language;
        card.appendChild(title);
        card.appendChild(el("p", "price", p.price_text));
        if (p.reason) card.appendChild(el("p", "reason", p.reason));
        list.appendChild(card);
      });
      item.appendChild(list);
    }
    if (extra && extra.table) addTable(item, extra.table);
    if (extra && extra.choices && extra.choices.length) addChoices(item, extra.choices);
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function send(text, key, attempt) {
    status.textContent = strings["chat.typing"];
    button.disabled = true;
    var body = { text: text, language: lang };
    if (plain.checked) body.plain = true;
    return fetch("/api/conversations/" + encodeURIComponent(conversationId()) + "/messages", {
      method: "POST",
      headers: auth({ "Content-Type": "application/json", "Idempotency-Key": key }),
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.detail || response.statusText);
        return data;
      });
    }).then(function (data) {
      status.textContent = "";
      if (!data.silent) addMessage("assistant", data.reply.text, data.products, data);
      follow();
    }).catch(function (error) {
      if (attempt < 2 && error instanceof TypeError) {  // network failure: retry with the same key
        return new Promise(function (r) { setTimeout(r, 800 * (attempt + 1)); })
          .then(function () { return send(text, key, attempt + 1); });
      }
      status.textContent = strings["chat.error"];
    }).finally(function () { button.disabled = false; });
  }

  // What happens in the conversation besides our own replies: a person joining, their messages,
  // the hand-back. The server streams the conversation's events (Server-Sent Events).
  var who = document.getElementById("chat-who");
  var source = null;
  var followed = "";
  function lastSeq() { return Number(sessionStorage.getItem("hangat.seq." + conversationId()) || 0); }
  function follow() {
    var id = conversationId();
    if (!window.EventSource || (source && followed === id)) return;
    if (source) source.close();
    followed = id;
    var url = "/api/conversations/" + encodeURIComponent(id) + "/stream?after=" + lastSeq();
    if (token) url += "&customer_token=" + encodeURIComponent(token);  // EventSource cannot send headers
    source = new EventSource(url);
    function seen(event) { sessionStorage.setItem("hangat.seq." + id, event.lastEventId); return JSON.parse(event.data).payload; }
    source.addEventListener("handoff_claimed", function (event) {
      var p = seen(event);
      who.textContent = p.name;
      addMessage("system", fill(strings["chat.staff_joined"], { name: p.name }), null, null, " ");
    });
    source.addEventListener("staff_said", function (event) {
      var p = seen(event);
      addMessage("staff", p.text, null, null, fill(strings["chat.staff_label"], { name: p.name }));
    });
    source.addEventListener("assistant_said", function (event) {
      var p = seen(event);
      if (p.from_desk) { who.textContent = strings["chat.ai_label"]; addMessage("assistant", p.text); }
    });
    ["shopper_said", "handoff_requested", "handoff_returned", "handoff_resolved", "products_shown"].forEach(function (kind) {
      source.addEventListener(kind, seen);
    });
    source.onerror = function () { status.textContent = strings["chat.reconnecting"]; };
    source.onopen = function () { if (status.textContent === strings["chat.reconnecting"]) status.textContent = ""; };
  }
  // Plain language and text size: the shopper's choices, kept in this browser.
  var plain = document.getElementById("chat-plain");
  plain.checked = localStorage.getItem("hangat.plain") === "1";
  plain.addEventListener("change", function () { localStorage.setItem("hangat.plain", plain.checked ? "1" : "0"); });
  var panel = document.querySelector(".chat");
  var size = Number(localStorage.getItem("hangat.text_size") || 100);
  function resize(step) {
    size = Math.max(90, Math.min(200, size + step));
    panel.style.fontSize = size + "%";
    localStorage.setItem("hangat.text_size", String(size));
  }
  resize(0);
  document.getElementById("chat-smaller").addEventListener("click", function () { resize(-10); });
  document.getElementById("chat-larger").addEventListener("click", function () { resize(10); });

  // After a reload the conversation comes back: its messages are read from the server.
  function resume() {
    var id = localStorage.getItem("hangat.conversation." + (signedIn || "guest"));
    if (!id) return;
    fetch("/api/conversations/" + encodeURIComponent(id) + "/events", { headers: auth({}) }).then(function (response) {
      if (response.status === 404) return [];
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (events) {
      var last = view.replay(events, {
        message: function (kind, text) { addMessage(kind, text); },
        staff: function (text, name) { addMessage("staff", text, null, null, fill(strings["chat.staff_label"], { name: name })); },
        who: function (name) { who.textContent = name || strings["chat.ai_label"]; }
      });
      if (last) sessionStorage.setItem("hangat.seq." + id, String(last));
      follow();
    }).catch(function () { follow(); });
  }
  resume();
  document.getElementById("chat-person").addEventListener("click", function () {
    var text = strings["chat.person_request"];
    addMessage("shopper", text);
    send(text, newId("m-"), 0);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    addMessage("shopper", text);
    input.value = "";
    send(text, newId("m-"), 0);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
})();
