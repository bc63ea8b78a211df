// The newsroom editor with JavaScript: a live preview, and autosave that
// never loses what was typed. Every keystroke is kept in localStorage; every
// few seconds the text is saved to the server as a new revision. When the
// session has expired the server save fails and the text stays in the
// browser; on the next visit the editor offers it back. Without this script
// the Preview and Save buttons do the same through the server.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  if (!form) return;
  var key = form.dataset.draftKey;
  var saveUrl = form.dataset.saveUrl;
  var status = document.getElementById("autosave-status");
  var fields = ["headline", "standfirst", "byline", "authors", "section", "tags", "slug", "body",
    "featured_image", "featured_alt", "featured_caption", "featured_credit"];
  var base = form.querySelector('input[name="base_revision"]');
  var dirty = false;
  var saving = false;

  function values() {
    var out = {};
    fields.forEach(function (name) { out[name] = form.elements[name].value; });
    return out;
  }

  function say(text) { if (status) status.textContent = text; }

  function keep() {
    var kept = values();
    kept.base_revision = base.value;
    kept.kept_at = new Date().toISOString();
    try { localStorage.setItem(key, JSON.stringify(kept)); } catch (e) { /* storage full or off */ }
  }

  // Text kept from before (an expired session, a closed tab) that differs from the page's.
  function offerRestore() {
    var raw = null;
    try { raw = localStorage.getItem(key); } catch (e) { return; }
    if (!raw) return;
    var kept;
    try { kept = JSON.parse(raw); } catch (e) { return; }
    var current = values();
    var differs = fields.some(function (name) { return (kept[name] || "") !== current[name]; });
    if (!differs) return;
    var box = document.createElement("div");
    box.className = "restore-offer notice";
    box.id = "restore-offer";
    box.setAttribute("role", "alert");
    var text = document.createElement("p");
    text.textContent = "Text you typed on " + kept.kept_at + " was not saved. Restore it?";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.id = "restore-draft";
    restore.textContent = "Restore my text";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.textContent = "Discard it";
    restore.addEventListener("click", function () {
      fields.forEach(function (name) { if (kept[name] !== undefined) form.elements[name].value = kept[name]; });
      box.remove();
      dirty = true;
      preview();
    });
    discard.addEventListener("click", function () {
      try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
      box.remove();
    });
    box.appendChild(text);
    box.appendChild(restore);
    box.appendChild(discard);
    form.parentNode.insertBefore(box, form);
  }

  // The live preview asks the server, so it is rendered by the public page's code.
  var previewTimer = null;
  function preview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(function () {
      var body = new URLSearchParams(values());
      fetch("/newsroom/preview", { method: "POST", body: body, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) return;
          document.getElementById("preview-story").innerHTML = html;
          document.getElementById("preview").hidden = false;
        })
        .catch(function () { /* the preview button still works */ });
    }, 400);
  }

  function autosave() {
    if (!dirty || saving || !saveUrl) return;
    saving = true;
    var body = values();
    function list(text) { return text.split(",").map(function (t) { return t.trim(); }).filter(Boolean); }
    body.tags = list(body.tags);
    body.authors = list(body.authors);
    body.featured_image = { image: body.featured_image.trim(), alt: body.featured_alt,
      caption: body.featured_caption, credit: body.featured_credit };
    delete body.featured_alt;
    delete body.featured_caption;
    delete body.featured_credit;
    body.base_revision = parseInt(base.value, 10);
    fetch(saveUrl, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (json) { return { ok: r.ok, status: r.status, json: json }; });
    }).then(function (answer) {
      saving = false;
      if (answer.ok) {
        dirty = false;
        base.value = answer.json.revision;
        try { localStorage.removeItem(key); } catch (e) { /* ignore */ }
        say("Saved as revision " + answer.json.revision + ".");
      } else if (answer.status === 401) {
        say("Not saved: your session has ended. Your text is kept in this browser; sign in again and reopen the article.");
      } else {
        say("Not saved: " + (answer.json.detail || answer.status) + " Your text is kept in this browser.");
      }
    }).catch(function () {
      saving = false;
      say("Not saved: the server cannot be reached. Your text is kept in this browser.");
    });
  }

  form.addEventListener("input", function () {
    dirty = true;
    keep();
    preview();
  });
  // A new article saved through the form: what the "new" page kept is now on the server.
  if (document.getElementById("saved")) {
    try {
      var kept = JSON.parse(localStorage.getItem("tribune-draft-new") || "null");
      if (kept && kept.headline === form.elements.headline.value) localStorage.removeItem("tribune-draft-new");
    } catch (e) { /* ignore */ }
  }
  offerRestore();
  setInterval(autosave, parseInt(form.dataset.autosaveMs || "5000", 10));
})();
