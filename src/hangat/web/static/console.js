// The staff console's live parts. Plain JavaScript, no build step. The server renders (and
// escapes) every fragment it streams; this file only inserts them and fills the reply box.
(function () {
  "use strict";
  var live = document.getElementById("live");
  function connected(ok) {
    if (!live) return;
    live.textContent = ok ? live.dataset.live : live.dataset.lost;
    live.className = ok ? "live on" : "live off";
  }
  function follow(target, url, onEvent) {
    if (!window.EventSource) return;
    var source = new EventSource(url);
    source.onopen = function () { connected(true); };
    source.onerror = function () { connected(false); };
    onEvent(source);
  }

  var rows = document.getElementById("queue-rows");
  if (rows) {
    follow(rows, rows.dataset.stream, function (source) {
      source.addEventListener("queue", function (event) {
        var doc = new DOMParser().parseFromString("<table><tbody>" + event.data + "</tbody></table>", "text/html");
        var fresh = doc.querySelector("tbody");
        rows.replaceChildren.apply(rows, Array.prototype.slice.call(fresh.childNodes));
        rows.dataset.updated = String(Date.now());
      });
    });
  }

  var transcript = document.getElementById("transcript");
  if (transcript) {
    var stream = transcript.dataset.stream;
    follow(transcript, stream, function (source) {
      source.addEventListener("item", function (event) {
        var doc = new DOMParser().parseFromString("<ol>" + event.data + "</ol>", "text/html");
        var item = doc.querySelector("li");
        if (!item) return;
        var seq = item.getAttribute("data-seq");
        if (transcript.querySelector('li[data-seq="' + seq + '"]')) return;
        transcript.appendChild(item);
        item.scrollIntoView({ block: "nearest" });
      });
      source.addEventListener("owner", function () {
        // someone claimed, handed back or resolved: the forms on this page may be stale
        setTimeout(function () { window.location.reload(); }, 300);
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".use-draft"), function (button) {
    button.addEventListener("click", function () {
      var box = document.getElementById("reply-text");
      if (!box) return;
      box.value = box.value ? box.value + "\n" + button.dataset.text : button.dataset.text;
      box.focus();
    });
  });
})();
