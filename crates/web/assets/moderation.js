// The moderation desk, keyboard first: j/k move between cards, a approves,
// r rejects (with the reason chosen on the card), f features or unfeatures,
// x selects for the bulk buttons, u undoes the last action. Actions go
// through the JSON API and update the card in place; without this script
// every button is an ordinary form and still works.
(function () {
  "use strict";
  var desk = document.querySelector(".moderation-desk");
  if (!desk || !window.fetch) return;
  var queue = desk.getAttribute("data-queue");
  var status = desk.querySelector(".live-status");
  var help = desk.querySelector(".keyboard-help");
  if (help) help.hidden = false;
  var current = -1;
  var last = null; // { id, undo: {action, reason}, label }

  function cards() {
    return Array.prototype.slice.call(desk.querySelectorAll("article.mod-card"));
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  function focusCard(index) {
    var all = cards();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach(function (card, i) { card.classList.toggle("is-current", i === current); });
    all[current].focus();
    all[current].scrollIntoView({ block: "nearest" });
  }

  function currentCard() {
    var all = cards();
    return current >= 0 && current < all.length ? all[current] : null;
  }

  // Which queue a comment belongs in after an action, for the tab counts.
  function queueOf(status, featured) {
    if (status === "pending") return "pending";
    if (status === "rejected") return "rejected";
    return "approved";
  }

  function bump(code, by) {
    var count = desk.querySelector('[data-count="' + code + '"]');
    if (!count || /\+/.test(count.textContent)) return;
    var n = parseInt(count.textContent.replace(/[^0-9]/g, ""), 10);
    if (isNaN(n)) return;
    count.textContent = String(Math.max(0, n + by));
  }

  function inverse(action, before) {
    if (action === "feature") return { action: "unfeature" };
    if (action === "unfeature") return { action: "feature" };
    if (before.status === "pending") return { action: "hold" };
    if (before.status === "rejected") return { action: "reject", reason: before.rejectReason || "other" };
    if (before.status === "published") return { action: "approve" };
    return null;
  }

  function send(card, body) {
    var id = card.getAttribute("data-id");
    body.version = parseInt(card.getAttribute("data-version"), 10);
    return fetch("/api/v1/moderation/comments/" + id + "/actions", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (json) { return { ok: response.ok, json: json }; });
    });
  }

  function act(card, action, reason, remember) {
    if (!card) return;
    var before = {
      status: card.getAttribute("data-status"),
      featured: card.getAttribute("data-featured") === "true",
      rejectReason: card.getAttribute("data-reject-code")
    };
    var body = { action: action };
    if (reason) body.reason = reason;
    if (action === "reject") {
      var note = card.querySelector('input[name="note"]');
      if (note && note.value) body.note = note.value;
    }
    card.classList.add("is-busy");
    return send(card, body).then(function (result) {
      card.classList.remove("is-busy");
      if (!result.ok) {
        say(result.json.detail || "That did not work.");
        card.classList.add("has-conflict");
        return;
      }
      var comment = result.json;
      card.setAttribute("data-version", String(comment.version));
      card.setAttribute("data-status", comment.status);
      card.setAttribute("data-featured", comment.featured ? "true" : "false");
      card.setAttribute("data-reject-code", comment.reject_reason || "");
      card.querySelectorAll('input[name="version"]').forEach(function (input) { input.value = String(comment.version); });
      var badge = card.querySelector(".status-badge");
      if (badge) badge.textContent = comment.status;
      card.classList.remove("status-pending", "status-published", "status-rejected", "has-conflict");
      card.classList.add("status-" + comment.status);
      var from = queueOf(before.status), to = queueOf(comment.status);
      if (from !== to) { bump(from, -1); bump(to, 1); }
      var stillHere = (queue === "pending" && comment.status === "pending") ||
        (queue === "rejected" && comment.status === "rejected") ||
        (queue === "approved" && comment.status === "published") ||
        queue === "unmoderated" && comment.status === "published" && !comment.moderated_at ||
        (queue === "reported" && comment.open_reports > 0);
      card.classList.toggle("is-decided", !stillHere);
      var words = { approve: "Approved", reject: "Rejected", feature: "Featured", unfeature: "Unfeatured", hold: "Put back in the queue" };
      if (remember) {
        last = { card: card, undo: inverse(action, before) };
        say((words[action] || "Done") + ". Press u to undo.");
      } else {
        last = null;
        say("Undone.");
      }
    }).catch(function () {
      card.classList.remove("is-busy");
      say("The server could not be reached; nothing was changed.");
    });
  }

  function rejectReason(card) {
    var select = card.querySelector('.action-reject select[name="reason"]');
    return select ? select.value : "other";
  }

  // Buttons work without a reload too.
  desk.addEventListener("submit", function (event) {
    var form = event.target;
    var card = form.closest("article.mod-card");
    if (!card) return;
    var action = form.querySelector('input[name="action"]');
    if (!action) return;
    event.preventDefault();
    current = cards().indexOf(card);
    act(card, action.value, action.value === "reject" ? rejectReason(card) : null, true);
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    var card = currentCard();
    switch (event.key) {
      case "j": focusCard(current + 1); break;
      case "k": focusCard(current - 1); break;
      case "a": act(card, "approve", null, true); break;
      case "r": if (card) act(card, "reject", rejectReason(card), true); break;
      case "f":
        if (card && card.getAttribute("data-status") === "published") {
          act(card, card.getAttribute("data-featured") === "true" ? "unfeature" : "feature", null, true);
        }
        break;
      case "x":
        if (card) { var box = card.querySelector(".select-card"); if (box) box.checked = !box.checked; }
        break;
      case "u":
        if (last && last.undo) {
          focusCard(cards().indexOf(last.card));
          act(last.card, last.undo.action, last.undo.reason, false);
        } else {
          say("Nothing to undo.");
        }
        break;
      default: return;
    }
    event.preventDefault();
  });

  cards().forEach(function (card) {
    card.addEventListener("focus", function () { current = cards().indexOf(card); });
  });
})();
