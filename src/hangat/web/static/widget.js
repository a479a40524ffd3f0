// hangat's embeddable chat widget. One tag on any page:
//   <script src="https://ASSISTANT/static/widget.js" data-key="pk_…" async></script>
// For a signed-in shopper the store's page adds data-customer-token="…" (a token its server signed):
// the chat then remembers them, with their consent, and the "What you remember" panel shows it.
// Plain JavaScript, no build step. It draws itself inside a shadow root (the page's styles and its
// own never mix), asks the assistant for its configuration, and talks to the chat API with the
// store's public key. Every text from the shopper, the catalog, staff or a model is inserted with
// textContent, never as HTML; product images are shown only from the store's allow-listed hosts.
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-key][src*='widget.js']");
  if (!script || window.__hangatWidget) return;
  window.__hangatWidget = true;
  var base = new URL(script.src, location.href).origin;
  var key = script.getAttribute("data-key") || "";
  var token = script.getAttribute("data-customer-token") || "";
  var store = "hangat.widget." + (token ? shopperOf(token) + "." : "");
  function shopperOf(jwt) {  // the token's subject keys this browser's conversation; the server checks the rest
    try { return JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).sub || "shopper"; }
    catch (e) { return "shopper"; }
  }
  var state = { lang: "en", strings: null, config: null, open: false, source: null, followed: "", size: 100 };

  function get(k) { try { return localStorage.getItem(store + k); } catch (e) { return null; } }
  function set(k, v) { try { localStorage.setItem(store + k, v); } catch (e) { /* private mode */ } }
  function say(k, values) {
    var text = (state.strings[state.lang] || {})[k] || k;
    return text.replace(/\{(\w+)\}/g, function (_, name) { return values && name in values ? values[name] : ""; });
  }
  function newId(prefix) {
    if (window.crypto && window.crypto.randomUUID) return prefix + window.crypto.randomUUID();
    return prefix + Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  function conversationId() {
    var id = get("conversation");
    if (!id) { id = newId("widget-"); set("conversation", id); }
    return id;
  }
  function api(path, options) {
    options = options || {};
    var headers = options.headers || {};
    headers["X-Hangat-Key"] = key;
    if (token) headers.Authorization = "Bearer " + token;
    options.headers = headers;
    options.credentials = "omit";
    return fetch(base + path, options);
  }
  function pickLanguage(config) {
    var saved = get("lang");
    if (saved === "en" || saved === "id") return saved;
    var wanted = (navigator.languages || [navigator.language || ""]).concat([
      script.getAttribute("data-lang") || "", document.documentElement.lang || "", config.default_language
    ]);
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i] || "").slice(0, 2).toLowerCase();
      if (code === "en" || code === "id") return code;
    }
    return "en";
  }

  // -- drawing -------------------------------------------------------------------------------
  var host = document.createElement("div");
  host.className = "hangat-widget";
  var root = host.attachShadow({ mode: "open" });
  var ui = {};
  var view;  // static/chat-view.js, shared with the storefront: loaded from hangat at boot
  function el(tag, cls, text) { return view.el(tag, cls, text); }
  function build() {
    var style = el("link");
    style.rel = "stylesheet";
    style.href = base + "/static/widget.css";
    root.appendChild(style);
    ui.launcher = el("button", "launcher");
    ui.launcher.type = "button";
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.setAttribute("aria-controls", "hangat-panel");
    ui.panel = el("section", "panel");
    ui.panel.id = "hangat-panel";
    ui.panel.setAttribute("role", "dialog");
    ui.panel.setAttribute("aria-labelledby", "hangat-title");
    ui.panel.hidden = true;
    var head = el("header", "head");
    ui.title = el("h2", "title");
    ui.title.id = "hangat-title";
    ui.storeName = el("span", "store");
    ui.who = el("span", "agent");
    ui.title.appendChild(ui.storeName);
    ui.title.appendChild(ui.who);
    ui.close = el("button", "close", "×");
    ui.close.type = "button";
    head.appendChild(ui.title);
    head.appendChild(ui.close);
    var prefs = el("div", "prefs");
    ui.langLabel = el("span", "lang");
    ui.langSelect = el("select");
    ui.langSelect.id = "hangat-lang";
    [["en", "English"], ["id", "Bahasa Indonesia"]].forEach(function (pair) {
      var option = el("option", "", pair[1]);
      option.value = pair[0];
      option.lang = pair[0];
      ui.langSelect.appendChild(option);
    });
    ui.langText = el("label");
    ui.langText.htmlFor = "hangat-lang";
    ui.langLabel.appendChild(ui.langText);
    ui.langLabel.appendChild(ui.langSelect);
    ui.plainLabel = el("label", "plain");
    ui.plain = el("input");
    ui.plain.type = "checkbox";
    ui.plainText = el("span");
    ui.plainLabel.appendChild(ui.plain);
    ui.plainLabel.appendChild(ui.plainText);
    ui.sizes = el("span", "sizes");
    ui.sizes.setAttribute("role", "group");
    ui.smaller = el("button", "", "A−");
    ui.larger = el("button", "", "A+");
    ui.smaller.type = ui.larger.type = "button";
    ui.sizes.appendChild(ui.smaller);
    ui.sizes.appendChild(ui.larger);
    prefs.appendChild(ui.langLabel);
    prefs.appendChild(ui.plainLabel);
    prefs.appendChild(ui.sizes);
    if (token) {
      ui.memoryButton = el("button", "memory-button");
      ui.memoryButton.type = "button";
      ui.memoryButton.setAttribute("aria-expanded", "false");
      ui.memoryButton.setAttribute("aria-controls", "hangat-memory");
      prefs.appendChild(ui.memoryButton);
      ui.memory = el("section", "memory");
      ui.memory.id = "hangat-memory";
      ui.memory.hidden = true;
      ui.memory.setAttribute("aria-labelledby", "hangat-memory-title");
      ui.memoryTitle = el("h3");
      ui.memoryTitle.id = "hangat-memory-title";
      ui.memoryTitle.tabIndex = -1;
      ui.memoryList = el("ul", "facts");
      ui.memoryNote = el("p", "note");
      ui.memoryNote.setAttribute("role", "status");
      ui.forgetAll = el("button", "forget-all");
      ui.forgetAll.type = "button";
      [ui.memoryTitle, ui.memoryNote, ui.memoryList, ui.forgetAll].forEach(function (n) { ui.memory.appendChild(n); });
    }
    ui.log = el("ol", "log");
    ui.log.setAttribute("aria-live", "polite");
    ui.log.setAttribute("aria-relevant", "additions");
    ui.log.setAttribute("aria-labelledby", "hangat-title");
    ui.log.tabIndex = 0;
    ui.status = el("p", "status");
    ui.status.setAttribute("role", "status");
    ui.form = el("form", "form");
    ui.inputLabel = el("label");
    ui.inputLabel.htmlFor = "hangat-input";
    ui.input = el("textarea");
    ui.input.id = "hangat-input";
    ui.input.rows = 2;
    ui.input.maxLength = state.config.max_message_chars;
    ui.input.required = true;
    ui.send = el("button", "send");
    ui.send.type = "submit";
    ui.form.appendChild(ui.inputLabel);
    ui.form.appendChild(ui.input);
    ui.form.appendChild(ui.send);
    ui.person = el("button", "person");
    ui.person.type = "button";
    [head, prefs, ui.memory, ui.log, ui.status, ui.form, ui.person].forEach(function (n) { if (n) ui.panel.appendChild(n); });
    root.appendChild(ui.launcher);
    root.appendChild(ui.panel);
    document.body.appendChild(host);
  }
  function label() {
    ui.panel.lang = state.lang;
    ui.launcher.lang = state.lang;
    ui.launcher.textContent = say("chat.launcher");
    ui.launcher.setAttribute("aria-label", say("chat.launcher") + " — " + state.config.store_name);
    ui.storeName.textContent = state.config.store_name + " ";
    if (!state.staff) ui.who.textContent = say("chat.ai_label");
    ui.close.setAttribute("aria-label", say("chat.close"));
    ui.langText.textContent = say("chat.language") + " ";
    ui.langSelect.value = state.lang;
    ui.plainText.textContent = " " + say("chat.plain");
    ui.sizes.setAttribute("aria-label", say("chat.text_size"));
    ui.smaller.setAttribute("aria-label", "A− " + say("chat.smaller"));
    ui.larger.setAttribute("aria-label", "A+ " + say("chat.larger"));
    ui.inputLabel.textContent = say("chat.input_label");
    ui.input.placeholder = say("chat.placeholder");
    ui.send.textContent = say("chat.send");
    ui.person.textContent = say("chat.person_button");
    if (ui.memory) {
      ui.memoryButton.textContent = say("chat.memory");
      ui.memoryTitle.textContent = say("chat.memory_title");
      ui.forgetAll.textContent = say("chat.memory_forget_all");
      if (!ui.memory.hidden) showMemory();
    }
    if (ui.welcome) ui.welcome.querySelector("p").textContent = say("chat.welcome");
    // the speakers' labels follow the language the shopper chose; what was said stays as it was
    ui.log.querySelectorAll(".msg.assistant > .who").forEach(function (n) { n.textContent = say("chat.ai_label"); });
    ui.log.querySelectorAll(".msg.shopper > .who").forEach(function (n) { n.textContent = say("chat.you"); });
  }
  function imageAllowed(url) {
    try {
      var u = new URL(url);
      return u.protocol === "https:" && state.config.image_hosts.indexOf(u.host.toLowerCase()) >= 0;
    } catch (e) { return false; }
  }
  function addTable(item, table) { item.appendChild(view.table(table)); }
  function addChoices(item, choices) {
    item.appendChild(view.chips(choices, function (choice) {
      addMessage("shopper", choice);
      send(choice, newId("m-"), 0);
      ui.input.focus();
    }));
  }
  function addMessage(who, text, products, extra, name) {
    var item = el("li", "msg " + who);
    var speaker = name || (who === "shopper" ? say("chat.you") : say("chat.ai_label"));
    item.appendChild(el("span", "who", speaker));
    item.appendChild(el("p", "", text));
    if (products && products.length) {
      var list = el("ul", "cards");
      products.forEach(function (p) {
        var card = el("li", "card");
        if (p.image_url && imageAllowed(p.image_url)) {
          var img = el("img");
          img.src = p.image_url;
          img.alt = "";
          img.loading = "lazy";
          img.referrerPolicy = "no-referrer";
          card.appendChild(img);
        }
        var title = el("p", "name", p.title);
        title.lang = p.language;
        card.appendChild(title);
        var line = p.price_text;
        if (p.rating !== null && p.rating !== undefined) {
          var locale = state.lang === "id" ? "id-ID" : "en-US";
          line += " · ★ " + Number(p.rating).toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
        }
        card.appendChild(el("p", "price", line));
        if (p.reason) card.appendChild(el("p", "reason", p.reason));
        list.appendChild(card);
      });
      item.appendChild(list);
    }
    if (extra && extra.table) addTable(item, extra.table);
    if (extra && extra.choices && extra.choices.length) addChoices(item, extra.choices);
    ui.log.appendChild(item);
    ui.log.scrollTop = ui.log.scrollHeight;
    return item;
  }
  function setWho(name) {
    state.staff = name || "";
    ui.who.textContent = name || say("chat.ai_label");
  }

  // -- talking -------------------------------------------------------------------------------
  function send(text, idem, attempt) {
    ui.status.textContent = say("chat.typing");
    ui.panel.setAttribute("aria-busy", "true");
    ui.send.disabled = true;
    var body = { text: text, language: state.lang };
    if (ui.plain.checked) body.plain = true;
    return api("/api/conversations/" + encodeURIComponent(conversationId()) + "/messages", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": idem },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.detail || response.statusText);
        return data;
      });
    }).then(function (data) {
      ui.status.textContent = "";
      if (!data.silent) addMessage("assistant", data.reply.text, data.products, data);
      follow();
    }).catch(function (error) {
      if (attempt < 2 && error instanceof TypeError) {  // the network failed: the same key again
        ui.status.textContent = say("chat.reconnecting");
        return new Promise(function (r) { setTimeout(r, 800 * (attempt + 1)); })
          .then(function () { return send(text, idem, attempt + 1); });
      }
      ui.status.textContent = navigator.onLine === false ? say("chat.offline") : say("chat.error");
      if (navigator.onLine === false) pending.push([text, idem]);
    }).finally(function () { ui.send.disabled = false; ui.panel.removeAttribute("aria-busy"); });
  }
  var pending = [];
  window.addEventListener("online", function () {
    var waiting = pending; pending = [];
    waiting.forEach(function (m) { send(m[0], m[1], 0); });
  });
  function lastSeq() { return Number(get("seq." + conversationId()) || 0); }
  function follow() {
    var id = conversationId();
    if (!window.EventSource || (state.source && state.followed === id)) return;
    if (state.source) state.source.close();
    state.followed = id;
    var url = base + "/api/conversations/" + encodeURIComponent(id) + "/stream?after=" + lastSeq() +
      "&key=" + encodeURIComponent(key) + (token ? "&customer_token=" + encodeURIComponent(token) : "");
    var source = state.source = new EventSource(url);
    function seen(event) { set("seq." + id, event.lastEventId); return JSON.parse(event.data).payload; }
    source.addEventListener("handoff_claimed", function (event) {
      var p = seen(event);
      setWho(p.name);
      addMessage("system", say("chat.staff_joined", { name: p.name }), null, null, " ");
    });
    source.addEventListener("staff_said", function (event) {
      var p = seen(event);
      addMessage("staff", p.text, null, null, say("chat.staff_label", { name: p.name }));
    });
    source.addEventListener("assistant_said", function (event) {
      var p = seen(event);
      if (p.from_desk) { setWho(""); addMessage("assistant", p.text); }
    });
    ["shopper_said", "handoff_requested", "handoff_returned", "handoff_resolved", "products_shown"].forEach(function (kind) {
      source.addEventListener(kind, seen);
    });
    source.onerror = function () { ui.status.textContent = say("chat.reconnecting"); };
    source.onopen = function () { if (ui.status.textContent === say("chat.reconnecting")) ui.status.textContent = ""; };
  }
  function resume() {
    var id = get("conversation");
    if (!id) return;
    api("/api/conversations/" + encodeURIComponent(id) + "/events").then(function (response) {
      if (response.status === 404) return [];
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (events) {
      var last = view.replay(events, {
        message: function (kind, text) { addMessage(kind, text); },
        staff: function (text, name) { addMessage("staff", text, null, null, say("chat.staff_label", { name: name })); },
        who: setWho
      });
      if (last) set("seq." + id, String(last));
      follow();
    }).catch(function () { follow(); });
  }

  // -- what hangat remembers about the signed-in shopper ------------------------------------
  function showMemory(focus) {
    api("/api/me?lang=" + state.lang).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (me) {
      ui.memoryList.textContent = "";
      me.facts.forEach(function (fact) {
        var item = el("li", "fact");
        var text = el("p", "fact-text", fact.text);
        item.appendChild(text);
        if (fact.quote) item.appendChild(el("p", "fact-from", say("chat.memory_from", { quote: fact.quote })));
        var forget = el("button", "forget", say("chat.memory_forget"));
        forget.type = "button";
        forget.setAttribute("aria-label", say("chat.memory_forget") + ": " + fact.text);
        forget.addEventListener("click", function () {
          api("/api/me/facts/" + encodeURIComponent(fact.id), { method: "DELETE" }).then(function (r) {
            if (!r.ok) throw new Error(String(r.status));
            ui.memoryNote.textContent = say("chat.memory_forgotten", { fact: fact.text });
            showMemory(true);
          }).catch(function () { ui.memoryNote.textContent = say("chat.memory_error"); });
        });
        var change = el("button", "change", say("chat.memory_change"));
        change.type = "button";
        change.setAttribute("aria-label", say("chat.memory_change") + ": " + fact.text);
        change.addEventListener("click", function () { editFact(item, fact); });
        item.appendChild(change);
        item.appendChild(forget);
        ui.memoryList.appendChild(item);
      });
      if (!me.facts.length) ui.memoryList.appendChild(el("li", "empty", say("chat.memory_empty")));
      ui.forgetAll.hidden = !me.facts.length;
      if (focus) ui.memoryTitle.focus();
    }).catch(function () { ui.memoryNote.textContent = say("chat.memory_error"); });
  }
  function editFact(item, fact) {  // one step: the new value, then Save (Enter)
    var form = el("form", "edit");
    var labelled = el("label", "", say("chat.memory_new_value"));
    var input = el("input");
    input.id = "hangat-edit-" + fact.id;
    labelled.htmlFor = input.id;
    input.value = fact.value;
    input.maxLength = 200;
    input.required = true;
    var save = el("button", "save", say("chat.memory_save"));
    save.type = "submit";
    [labelled, input, save].forEach(function (n) { form.appendChild(n); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      api("/api/me/facts/" + encodeURIComponent(fact.id) + "?lang=" + state.lang, {
        method: "PATCH",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ value: input.value.trim() })
      }).then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      }).then(function (changed) {
        ui.memoryNote.textContent = say("chat.memory_changed", { fact: changed.text });
        showMemory(true);
      }).catch(function () { ui.memoryNote.textContent = say("chat.memory_error"); });
    });
    item.appendChild(form);
    input.focus();
  }
  function toggleMemory() {
    var show = ui.memory.hidden;
    ui.memory.hidden = !show;
    ui.memoryButton.setAttribute("aria-expanded", show ? "true" : "false");
    ui.memoryNote.textContent = "";
    if (show) showMemory(true);
  }

  // -- behaviour -----------------------------------------------------------------------------
  function open(show) {
    state.open = show;
    ui.panel.hidden = !show;
    ui.launcher.setAttribute("aria-expanded", show ? "true" : "false");
    set("open", show ? "1" : "0");
    if (show) ui.input.focus(); else ui.launcher.focus();
  }
  function resize(step) {
    state.size = Math.max(90, Math.min(200, state.size + step));
    ui.panel.style.fontSize = state.size + "%";
    set("text_size", String(state.size));
  }
  function wire() {
    ui.launcher.addEventListener("click", function () { open(!state.open); });
    ui.close.addEventListener("click", function () { open(false); });
    ui.panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.stopPropagation(); open(false); }
    });
    ui.langSelect.addEventListener("change", function () {
      state.lang = ui.langSelect.value;
      set("lang", state.lang);
      label();
    });
    ui.plain.checked = get("plain") === "1";
    ui.plain.addEventListener("change", function () { set("plain", ui.plain.checked ? "1" : "0"); });
    state.size = Number(get("text_size") || 100);
    resize(0);
    ui.smaller.addEventListener("click", function () { resize(-10); });
    if (ui.memory) {
      ui.memoryButton.addEventListener("click", toggleMemory);
      ui.forgetAll.addEventListener("click", function () {
        api("/api/me/facts", { method: "DELETE" }).then(function (r) {
          if (!r.ok) throw new Error(String(r.status));
          ui.memoryNote.textContent = say("chat.memory_forgotten_all");
          showMemory(true);
        }).catch(function () { ui.memoryNote.textContent = say("chat.memory_error"); });
      });
    }
    ui.larger.addEventListener("click", function () { resize(10); });
    ui.person.addEventListener("click", function () {
      var text = say("chat.person_request");
      addMessage("shopper", text);
      send(text, newId("m-"), 0);
    });
    ui.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = ui.input.value.trim();
      if (!text) return;
      addMessage("shopper", text);
      ui.input.value = "";
      send(text, newId("m-"), 0);
    });
    ui.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); ui.form.requestSubmit(); }
    });
  }

  function start(config) {
    state.config = config;
    state.strings = config.strings;
    state.lang = pickLanguage(config);
    build();
    ui.welcome = addMessage("assistant", "");
    label();
    wire();
    resume();
    if (get("open") === "1") { ui.panel.hidden = false; state.open = true; ui.launcher.setAttribute("aria-expanded", "true"); }
  }
  function withView(then) {
    if (window.hangatChatView) { view = window.hangatChatView; then(); return; }
    var tag = document.createElement("script");
    tag.src = base + "/static/chat-view.js";
    tag.onload = function () { view = window.hangatChatView; then(); };
    tag.onerror = function () { if (window.console) window.console.warn("hangat widget: chat-view.js did not load"); };
    document.head.appendChild(tag);
  }
  function boot() { withView(configure); }
  function configure() {
    fetch(base + "/api/widget/config?key=" + encodeURIComponent(key), { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error("hangat widget: " + response.status);
        return response.json();
      })
      .then(start)
      .catch(function (error) { if (window.console) window.console.warn(String(error)); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
