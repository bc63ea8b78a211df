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
      form.querySelectorAll(".field-error").forEach(function (el) {
        if (el.dataset.field === "parent_id") el.remove();
        else el.textContent = "";
      });
      form.querySelectorAll("[aria-invalid]").forEach(function (el) {
        el.removeAttribute("aria-invalid");
      });
    }

    function showProblem(problem) {
      // The answer has come: "Posting…" must not stay next to the messages.
      status.textContent = "";
      var shown = false;
      (problem.errors || []).forEach(function (error) {
        var slot = form.querySelector('.field-error[data-field="' + error.field + '"]');
        var input = form.querySelector('[name="' + error.field + '"]');
        if (slot) {
          slot.textContent = error.message;
          if (input) input.setAttribute("aria-invalid", "true");
          shown = true;
        } else {
          status.textContent = error.message;
          shown = true;
        }
      });
      if (!shown) status.textContent = problem.detail || "Your comment could not be posted.";
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
        parent_id: data.get("parent_id") || null
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

  // Re-reads the discussion from the server so numbering and counts stay exact.
  function refresh(section, created) {
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
        if (!fresh) return;
        section.replaceWith(fresh);
        enhance(fresh);
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

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.getElementById("comments");
    if (section) enhance(section);
  });
})();
