// Tribune's progressive enhancement for the discussion: Reply opens the form
// under the comment, and posting happens without leaving the page. Without
// this script every link and form still works.
(function () {
  "use strict";

  function enhance(section) {
    var form = section.querySelector("#respond");
    if (!form) return;
    var slug = section.dataset.article;
    var anchor = document.createElement("div");
    anchor.className = "respond-home";
    form.parentNode.insertBefore(anchor, form);
    var title = form.querySelector(".form-title");
    var parentInput = form.querySelector('input[name="parent_id"]');
    var status = form.querySelector(".form-status");
    var button = form.querySelector('button[type="submit"]');
    countCharacters(form);

    function setTitle(author) {
      title.textContent = "";
      if (!author) {
        title.textContent = "Join the discussion";
        return;
      }
      title.appendChild(document.createTextNode("Reply to "));
      var who = document.createElement("span");
      who.className = "reply-target";
      who.textContent = author;
      title.appendChild(who);
      title.appendChild(document.createTextNode(" "));
      var cancel = document.createElement("a");
      cancel.className = "cancel-reply";
      cancel.href = "#respond";
      cancel.textContent = "Cancel reply";
      title.appendChild(cancel);
    }

    function openReply(link) {
      var comment = link.closest("li.comment");
      var card = comment.querySelector(".comment-card");
      card.parentNode.insertBefore(form, card.nextSibling);
      parentInput.value = link.dataset.replyTo;
      setTitle(link.dataset.author);
      clearErrors();
      form.querySelector("textarea").focus();
    }

    function closeReply() {
      anchor.parentNode.insertBefore(form, anchor.nextSibling);
      parentInput.value = "";
      setTitle(null);
      clearErrors();
    }

    function clearErrors() {
      status.textContent = "";
      var summary = form.querySelector(".error-summary");
      if (summary) summary.remove();
      form.querySelectorAll(".field-error").forEach(function (el) {
        if (el.dataset.field === "parent_id") el.remove();
        else el.textContent = "";
      });
      form.querySelectorAll("[aria-invalid]").forEach(function (el) {
        el.removeAttribute("aria-invalid");
        var describedBy = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
          return id && id.indexOf("error-") !== 0;
        });
        if (describedBy.length) el.setAttribute("aria-describedby", describedBy.join(" "));
        else el.removeAttribute("aria-describedby");
      });
      form.querySelectorAll(".field.has-error").forEach(function (el) {
        el.classList.remove("has-error");
      });
    }

    function showProblem(problem) {
      // The answer has come: "Posting…" must not stay next to the messages.
      status.textContent = "";
      var items = [];
      (problem.errors || []).forEach(function (error) {
        // Think before you post: the notice and its box appear with the message.
        if (error.field === "send_anyway") {
          var notice = form.querySelector(".think-notice");
          if (notice) notice.hidden = false;
        }
        var slot = form.querySelector('.field-error[data-field="' + error.field + '"]');
        var input = form.querySelector('.field [name="' + error.field + '"]');
        if (slot && input) {
          slot.textContent = error.message;
          input.setAttribute("aria-invalid", "true");
          var describedBy = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
          if (describedBy.indexOf(slot.id) < 0) describedBy.push(slot.id);
          input.setAttribute("aria-describedby", describedBy.join(" "));
          input.closest(".field").classList.add("has-error");
          items.push({ message: error.message, target: input.id, input: input });
        } else {
          items.push({ message: error.message });
        }
      });
      // In the order of the form; messages for no field last.
      items.sort(function (a, b) {
        if (!a.input || !b.input) return a.input ? -1 : b.input ? 1 : 0;
        return a.input.compareDocumentPosition(b.input) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
      });
      if (!items.length) items.push({ message: problem.detail || "Your comment could not be posted." });
      showSummary(form, items);
    }

    section.addEventListener("click", function (event) {
      var reply = event.target.closest("a.reply-link");
      if (reply) {
        event.preventDefault();
        openReply(reply);
        return;
      }
      if (event.target.closest("a.cancel-reply")) {
        event.preventDefault();
        closeReply();
      }
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearErrors();
      var data = new FormData(form);
      var payload = {
        name: data.get("name") || "",
        email: data.get("email") || "",
        website: data.get("website") || "",
        body: data.get("body") || "",
        parent_id: data.get("parent_id") || null,
        notify: data.get("notify") === "on",
        acknowledge_warning: data.get("acknowledge_warning") === "on",
        send_anyway: data.get("send_anyway") === "on"
      };
      button.disabled = true;
      status.textContent = "Posting…";
      fetch("/api/v1/articles/" + encodeURIComponent(slug) + "/comments", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        credentials: "same-origin",
        body: JSON.stringify(payload)
      })
        .then(function (response) {
          return response.json().then(function (json) {
            if (response.status === 201) return refresh(section, json);
            showProblem(json);
          });
        })
        .catch(function () {
          status.textContent = "The server could not be reached. Your comment is still here; please try again.";
        })
        .then(function () {
          button.disabled = false;
        });
    });
  }

  // The summary of what went wrong, at the top of the form, takes the focus
  // so that screen readers announce it; each message links to its field.
  // `items` are {message, target}: target is a field's id, when there is one.
  function showSummary(form, items) {
    var summary = document.createElement("div");
    summary.className = "error-summary";
    summary.id = "error-summary";
    summary.setAttribute("role", "alert");
    summary.setAttribute("tabindex", "-1");
    summary.setAttribute("aria-labelledby", "error-summary-title");
    var title = document.createElement("p");
    title.className = "error-summary-title";
    title.id = "error-summary-title";
    title.textContent = "Please check the form";
    summary.appendChild(title);
    var list = document.createElement("ul");
    items.forEach(function (item) {
      var entry = document.createElement("li");
      if (item.target) {
        var link = document.createElement("a");
        link.href = "#" + item.target;
        link.textContent = item.message;
        entry.appendChild(link);
      } else {
        entry.textContent = item.message;
      }
      list.appendChild(entry);
    });
    summary.appendChild(list);
    var heading = form.querySelector(".form-title");
    form.insertBefore(summary, heading ? heading.nextSibling : form.firstChild);
    summary.focus();
  }

  // A summary's link puts the focus in its field, with the field's label in view.
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var label = document.querySelector('label[for="' + field.id + '"]');
    (label || field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });

  // How many characters are left, under the comment box. Screen readers
  // hear it with the box, and once the reader pauses, never per keystroke.
  function countCharacters(form) {
    var box = form.querySelector("textarea");
    var max = parseInt(form.dataset.maxChars || "", 10);
    if (!box || !max) return;
    var counter = document.createElement("span");
    counter.className = "char-count";
    counter.id = "count-" + box.name;
    var spoken = document.createElement("span");
    spoken.className = "visually-hidden";
    spoken.setAttribute("aria-live", "polite");
    box.parentNode.insertBefore(counter, box.nextSibling);
    counter.parentNode.insertBefore(spoken, counter.nextSibling);
    var describedBy = (box.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    describedBy.push(counter.id);
    box.setAttribute("aria-describedby", describedBy.join(" "));
    var pause;
    function update(event) {
      var left = max - Array.from(box.value.trim()).length;
      counter.textContent =
        left >= 0
          ? left.toLocaleString("en") + (left === 1 ? " character left" : " characters left")
          : (-left).toLocaleString("en") + (left === -1 ? " character too many" : " characters too many");
      counter.classList.toggle("over", left < 0);
      clearTimeout(pause);
      if (!event) return;
      pause = setTimeout(function () {
        spoken.textContent = counter.textContent;
      }, 1000);
    }
    box.addEventListener("input", update);
    box.addEventListener("change", update);
    update();
  }

  // Re-reads the discussion from the server so numbering and counts stay
  // exact; resolves to the new section.
  function reloadDiscussion(section) {
    var params = new URLSearchParams(window.location.search);
    params.delete("reply_to");
    params.set("sort", section.dataset.sort || "oldest");
    return fetch(window.location.pathname + "?" + params.toString(), { headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var fresh = doc.getElementById("comments");
        if (!fresh) return section;
        section.replaceWith(fresh);
        enhance(fresh);
        live.reset(fresh);
        return fresh;
      });
  }

  function refresh(section, created) {
    live.own[created.id] = true;
    // The reader's name, e-mail and website stay filled in for their next comment.
    var form = section.querySelector("#respond");
    var keep = {};
    ["name", "email", "website"].forEach(function (field) {
      var input = form && form.querySelector('[name="' + field + '"]');
      if (input) keep[field] = input.value;
    });
    return reloadDiscussion(section).then(function (fresh) {
      Object.keys(keep).forEach(function (field) {
        var input = fresh.querySelector('#respond [name="' + field + '"]');
        if (input) input.value = keep[field];
      });
      var mine = document.getElementById("comment-" + created.id);
      var status = fresh.querySelector(".form-status");
      if (mine) {
        mine.classList.add("is-new");
        mine.scrollIntoView({ block: "center" });
        if (status) status.textContent = "";
      } else if (status) {
        status.textContent = "Your comment was posted. ";
        var link = document.createElement("a");
        link.href = created.url;
        link.textContent = "See it";
        status.appendChild(link);
      }
    });
  }

  // New comments from other readers arrive over Server-Sent Events. They are
  // announced, never inserted on their own, so nobody's reading jumps.
  var live = {
    own: {},
    fresh: [],
    base: 0,
    reset: function (section) {
      var heading = section.querySelector("#comments-heading");
      live.base = heading ? parseInt(heading.dataset.total || "0", 10) : 0;
      live.fresh = [];
      live.render(section);
    },
    add: function (id) {
      if (live.own[id] || live.fresh.indexOf(id) >= 0 || document.getElementById("comment-" + id)) return;
      live.fresh.push(id);
      live.render(document.getElementById("comments"));
    },
    render: function (section) {
      if (!section) return;
      var notice = section.querySelector(".live-notice");
      var heading = section.querySelector("#comments-heading");
      var count = live.fresh.length;
      if (heading && count > 0) {
        var total = live.base + count;
        var headline = heading.dataset.headline || "";
        heading.textContent = total === 1 ? "1 comment on “" + headline + "”" : total + " comments on “" + headline + "”";
      }
      if (!notice) return;
      var button = notice.querySelector("button");
      notice.hidden = count === 0 && !live.stale;
      if (live.stale) button.textContent = "The discussion has changed. Show the latest";
      else button.textContent = count === 1 ? "1 new comment. Show it" : count + " new comments. Show them";
    },
    stale: false,
    show: function () {
      var section = document.getElementById("comments");
      var ids = live.fresh.slice();
      live.stale = false;
      reloadDiscussion(section).then(function () {
        ids.forEach(function (id) {
          var el = document.getElementById("comment-" + id);
          if (el) el.classList.add("is-new");
        });
        var first = ids.length ? document.getElementById("comment-" + ids[0]) : null;
        if (first) first.scrollIntoView({ block: "center" });
      });
    },
    source: null,
    url: null,
    start: function (section) {
      if (!window.EventSource || !section.dataset.live) return;
      live.reset(section);
      live.url = section.dataset.live;
      live.open();
      document.addEventListener("click", function (event) {
        if (event.target.closest(".live-notice button")) live.show();
      });
      // A page the reader leaves may be kept in the back/forward cache; its
      // stream must go with it, or six such pages use up the browser's
      // connections to this site and the next page stalls.
      window.addEventListener("pagehide", live.close);
      window.addEventListener("pageshow", function (event) {
        if (!event.persisted) return;
        live.open();
        live.catchUp();
      });
    },
    open: function () {
      if (live.source || !live.url) return;
      var source = new EventSource(live.url);
      source.addEventListener("comment", function (event) {
        try {
          live.add(JSON.parse(event.data).id);
        } catch (e) {
          /* a malformed event is ignored */
        }
      });
      source.addEventListener("reload", function () {
        live.stale = true;
        live.render(document.getElementById("comments"));
      });
      live.source = source;
    },
    // Back from the cache: comments posted meanwhile never came down the
    // closed stream, so the count tells whether the page is behind.
    catchUp: function () {
      var section = document.getElementById("comments");
      if (!section) return;
      fetch("/api/v1/articles/" + encodeURIComponent(section.dataset.article) + "/comments", {
        headers: { Accept: "application/json" }
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (thread) {
          if (thread && thread.total > live.base + live.fresh.length) {
            live.stale = true;
            live.render(document.getElementById("comments"));
          }
        })
        .catch(function () {
          /* offline: the stream will say more when it connects */
        });
    },
    close: function () {
      if (live.source) live.source.close();
      live.source = null;
    }
  };

  document.addEventListener("DOMContentLoaded", function () {
    // A form the server sent back refused: its summary is read out first.
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
    var section = document.getElementById("comments");
    if (section) {
      enhance(section);
      live.start(section);
    }
  });
})();
