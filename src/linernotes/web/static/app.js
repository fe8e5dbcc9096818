/* linernotes pages: the little JavaScript they need beside htmx.
 *
 * - htmx swaps the answers a reader must see even when they are not 2xx: the reveal limit (429)
 *   and a refused form (403) come back as small fragments meant to replace the Reveal button.
 * - Search suggestions: the down arrow moves from the search box into the suggestions, up and
 *   down move between them, Enter follows (they are links), Escape goes back to the box.
 * - Copy buttons copy a handle (Clipboard API, with a fallback for older or insecure pages) and
 *   say "Copied" through a live region.
 * - After a reveal, focus moves to what replaced the button, so keyboard users are not lost.
 */
(function () {
  "use strict";

  function configureHtmx() {
    if (!window.htmx) return;
    window.htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "429", swap: true, error: false },
      { code: "403", swap: true, error: true },
      { code: "[45]..", swap: false, error: true },
      { code: "...", swap: false },
    ];
  }

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region) return;
    region.textContent = "";
    // A new text node after a tick makes screen readers read the same words again.
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  // -- search suggestions ---------------------------------------------------------------------

  function hitsOf(input) {
    var box = document.querySelector(input.getAttribute("data-suggest"));
    return box ? Array.prototype.slice.call(box.querySelectorAll("a.hit")) : [];
  }

  function inputOf(link) {
    var box = link.closest(".suggestions");
    return box ? document.querySelector('[data-suggest="#' + box.id + '"]') : null;
  }

  function clearSuggestions(input) {
    var box = document.querySelector(input.getAttribute("data-suggest"));
    if (box) box.innerHTML = "";
  }

  function onSearchKey(event) {
    var input = event.target;
    if (event.key === "ArrowDown") {
      var hits = hitsOf(input);
      if (hits.length) {
        event.preventDefault();
        hits[0].focus();
      }
    } else if (event.key === "Escape") {
      clearSuggestions(input);
    }
  }

  function onHitKey(event) {
    var link = event.target;
    var input = inputOf(link);
    if (!input) return;
    var hits = hitsOf(input);
    var at = hits.indexOf(link);
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (at < hits.length - 1) hits[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (at > 0 ? hits[at - 1] : input).focus();
    } else if (event.key === "Home") {
      event.preventDefault();
      input.focus();
    } else if (event.key === "End") {
      event.preventDefault();
      hits[hits.length - 1].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      input.focus();
      clearSuggestions(input);
    }
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    if (target.matches("input[data-suggest]")) onSearchKey(event);
    else if (target.matches(".suggestions a.hit")) onHitKey(event);
  });

  // Suggestions close when focus moves out of the search form (Tab past the end) or a click
  // lands outside it. A click on a suggestion keeps them: not every browser focuses a link on
  // mousedown, and clearing first would swallow the click.
  function closeOutside(form, target) {
    document.querySelectorAll("form.search").forEach(function (other) {
      if (other === form || (target instanceof Node && other.contains(target))) return;
      var input = other.querySelector("input[data-suggest]");
      if (input) clearSuggestions(input);
    });
  }

  document.addEventListener("focusout", function (event) {
    var form = event.target instanceof Element ? event.target.closest("form.search") : null;
    var next = event.relatedTarget;
    if (form && next instanceof Element && !form.contains(next)) closeOutside(null, next);
  });

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    closeOutside(target ? target.closest("form.search") : null, target);
  });

  // -- copy -------------------------------------------------------------------------------------

  function copyFallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    document.body.removeChild(area);
    return done;
  }

  function copied(button, ok, text) {
    var label = button.getAttribute("data-label") || button.textContent;
    button.setAttribute("data-label", label);
    button.textContent = ok ? "Copied" : "Copy failed";
    button.classList.toggle("copied", ok);
    announce(ok ? "Copied " + text : "Could not copy " + text + ": select it and copy by hand");
    window.setTimeout(function () {
      button.textContent = label;
      button.classList.remove("copied");
    }, 2000);
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("button.copy") : null;
    if (!button) return;
    var text = button.getAttribute("data-copy") || "";
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { copied(button, true, text); },
        function () { copied(button, copyFallback(text), text); }
      );
    } else {
      copied(button, copyFallback(text), text);
    }
  });

  // -- after a reveal ---------------------------------------------------------------------------

  document.addEventListener("htmx:afterSwap", function (event) {
    var slot = event.detail && event.detail.target;
    if (!(slot instanceof Element) || !slot.classList.contains("reveal-slot")) return;
    var next = slot.querySelector("button.copy, .limit-message, .error-message");
    if (next) next.focus();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", configureHtmx);
  } else {
    configureHtmx();
  }
})();
