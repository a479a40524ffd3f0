// What the storefront's chat panel and the embeddable widget draw the same way: elements with
// text (never HTML), comparison tables with row and column headers, and quick-reply chips.
// Plain JavaScript, no build step; the widget loads it from hangat before it draws itself.
window.hangatChatView = window.hangatChatView || (function () {
  "use strict";
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  // A comparison: one column per product, one row per property; scrollable and focusable.
  function table(data) {
    var wrap = el("div", "compare");
    wrap.tabIndex = 0;
    var t = el("table");
    var head = el("tr");
    head.appendChild(el("td"));
    data.headers.forEach(function (h) { var th = el("th", "", h); th.scope = "col"; head.appendChild(th); });
    var thead = el("thead"); thead.appendChild(head); t.appendChild(thead);
    var body = el("tbody");
    data.rows.forEach(function (row) {
      var tr = el("tr");
      var th = el("th", "", row[0]); th.scope = "row"; tr.appendChild(th);
      row[1].forEach(function (cell) { tr.appendChild(el("td", "", cell)); });
      body.appendChild(tr);
    });
    t.appendChild(body);
    wrap.appendChild(t);
    return wrap;
  }
  // Quick replies: picking one removes the row and hands its words to ``pick``.
  function chips(choices, pick) {
    var row = el("div", "chips");
    choices.forEach(function (choice) {
      var chip = el("button", "chip", choice);
      chip.type = "button";
      chip.addEventListener("click", function () { row.remove(); pick(choice); });
      row.appendChild(chip);
    });
    return row;
  }
  // A conversation's stored events, drawn again after a reload: ``show.message(who, text)``,
  // ``show.staff(text, name)`` and ``show.who(name)`` ("" once the assistant has it back).
  // Returns the last event's sequence number (0 for none).
  function replay(events, show) {
    var last = 0;
    events.forEach(function (e) {
      last = e.seq;
      var p = e.payload;
      if (e.kind === "shopper_said") show.message("shopper", p.text);
      else if (e.kind === "assistant_said") show.message("assistant", p.text);
      else if (e.kind === "staff_said") show.staff(p.text, p.name);
      else if (e.kind === "handoff_claimed") show.who(p.name);
      else if (e.kind === "handoff_returned" || e.kind === "handoff_resolved") show.who("");
    });
    return last;
  }
  return { el: el, table: table, chips: chips, replay: replay };
})();
