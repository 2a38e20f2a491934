/* EmotionCare: small progressive enhancements. Every page works without it. */
(function () {
  "use strict";

  var strings = {};
  try { strings = JSON.parse(document.getElementById("js-strings").textContent); } catch (e) { /* none */ }
  function t(key, arg) {
    var s = strings[key] || key;
    return arg === undefined ? s : s.replace("%s", arg);
  }
  function isTyping(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }
  function debounce(fn, ms) {
    var timer;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  /* --- Combobox: search as you type, arrow keys, Enter to pick, Esc to close --- */
  function combobox(input, list, options) {
    var items = [], active = -1, lastTerm = null;
    function close() {
      list.hidden = true; input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant"); active = -1;
    }
    function highlight(index) {
      var nodes = list.querySelectorAll("li");
      if (!nodes.length) return;
      active = (index + nodes.length) % nodes.length;
      nodes.forEach(function (node, i) { node.setAttribute("aria-selected", i === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", nodes[active].id);
      nodes[active].scrollIntoView({ block: "nearest" });
    }
    function render(results, term) {
      list.innerHTML = "";
      items = results.slice();
      if (options.allowCreate && term) items.push({ create: true, name: term });
      if (!items.length) {
        var empty = document.createElement("li");
        empty.setAttribute("role", "option"); empty.setAttribute("aria-disabled", "true");
        empty.id = list.id + "-empty"; empty.textContent = t("noMatches");
        list.appendChild(empty);
      }
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option"); li.id = list.id + "-opt-" + i;
        li.setAttribute("aria-selected", "false");
        if (item.create) {
          li.className = "ac-create"; li.textContent = t("createCustomer", item.name);
        } else {
          var name = document.createElement("span"); name.textContent = item.name; li.appendChild(name);
          var meta = [item.phone, item.external_ref].filter(Boolean).join(" · ");
          if (meta) { var m = document.createElement("span"); m.className = "meta"; m.textContent = meta; li.appendChild(m); }
        }
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = false; input.setAttribute("aria-expanded", "true");
      if (items.length) highlight(0);
    }
    function choose(i) {
      var item = items[i];
      if (!item) return;
      close();
      options.onChoose(item);
    }
    var search = debounce(function () {
      var term = input.value.trim();
      if (term === lastTerm) return;
      lastTerm = term;
      if (!term) { close(); return; }
      fetch(options.url + "?q=" + encodeURIComponent(term), { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (input.value.trim() === term) render(data.results || [], term); })
        .catch(function () { render([], term); });
    }, 150);
    input.addEventListener("input", function () { lastTerm = lastTerm === input.value.trim() ? null : lastTerm; search(); });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown") { ev.preventDefault(); if (list.hidden) { lastTerm = null; search(); } else highlight(active + 1); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); highlight(active - 1); }
      else if (ev.key === "Enter") { if (!list.hidden && active >= 0) { ev.preventDefault(); choose(active); } }
      else if (ev.key === "Escape") { if (!list.hidden) { ev.preventDefault(); close(); } }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  /* Generic filter autocomplete (agent, customer): hidden id + visible text. */
  document.querySelectorAll("[data-autocomplete]").forEach(function (box) {
    var hidden = box.querySelector("[data-ac-value]");
    var input = box.querySelector("[data-ac-input]");
    var list = box.querySelector(".ac-list");
    combobox(input, list, {
      url: box.dataset.url,
      onChoose: function (item) { hidden.value = item.id; input.value = item.name; }
    });
    input.addEventListener("input", function () { if (!input.value.trim()) hidden.value = ""; });
  });

  /* The log form's customer picker: pick a match or create one inline. */
  var picker = document.querySelector("[data-customer-picker]");
  if (picker) {
    var idInput = picker.querySelector("[data-customer-id]");
    var searchBox = picker.querySelector("[data-customer-searchbox]");
    var searchInput = picker.querySelector("[data-customer-input]");
    var selectedBox = picker.querySelector("[data-customer-selected]");
    var newBox = picker.querySelector("[data-new-customer]");
    var newName = newBox.querySelector("input[name='new_customer_name']");
    function showSelected(item) {
      idInput.value = item.id;
      picker.querySelector("[data-customer-name]").textContent = item.name;
      picker.querySelector("[data-customer-meta]").textContent = [item.phone, item.external_ref].filter(Boolean).join(" · ");
      updateReveal(!!item.phone, item.external_ref);
      selectedBox.hidden = false; searchBox.hidden = true; newBox.hidden = true;
      newBox.querySelectorAll("input").forEach(function (i) { i.value = ""; });
      refreshSuggestions();
      var next = document.querySelector("input[name='channel']:checked") || document.querySelector("input[name='channel']");
      if (next) next.focus();
    }
    combobox(searchInput, picker.querySelector("#customer-listbox"), {
      url: picker.dataset.url,
      allowCreate: true,
      onChoose: function (item) {
        if (item.create) {
          idInput.value = ""; newBox.hidden = false;
          if (/^[0-9+\-\s()]{6,}$/.test(item.name)) {
            newBox.querySelector("input[name='new_customer_phone']").value = item.name;
            newName.focus();
          } else {
            newName.value = item.name;
            newBox.querySelector("input[name='new_customer_phone']").focus();
          }
        } else {
          showSelected(item);
        }
      }
    });
    /* "Show number": the full phone from the server, which records the reveal in the
       access log; the masked number stays until the user asks. */
    var reveal = picker.querySelector("[data-reveal-phone]");
    var meta = picker.querySelector("[data-customer-meta]");
    function updateReveal(hasPhone, ref) {
      if (!reveal) return;
      meta.dataset.ref = ref || "";
      reveal.hidden = !hasPhone; reveal.disabled = false;
    }
    if (reveal) {
      updateReveal(reveal.dataset.hasPhone === "1" && !!idInput.value, meta.dataset.ref);
      reveal.addEventListener("click", function () {
        var token = picker.closest("form").querySelector("input[name='csrfmiddlewaretoken']");
        var body = new URLSearchParams({ customer: idInput.value });
        reveal.disabled = true;
        fetch(reveal.dataset.url, {
          method: "POST", body: body, credentials: "same-origin",
          headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" }
        })
          .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
          .then(function (data) {
            meta.textContent = [data.phone, meta.dataset.ref].filter(Boolean).join(" · ");
            reveal.hidden = true; meta.focus();
          })
          .catch(function () { reveal.disabled = false; meta.textContent = meta.textContent.split(" — ")[0] + " — " + reveal.dataset.error; });
      });
    }
    picker.querySelector("[data-customer-change]").addEventListener("click", function () {
      updateReveal(false, "");
      idInput.value = ""; selectedBox.hidden = true; searchBox.hidden = false;
      searchInput.value = ""; searchInput.focus();
      refreshSuggestions();
    });
  }

  /* Live phrase-guide check of the response (warns, never blocks saving). */
  var phrasePanel = document.querySelector("[data-phrase-check]");
  var responseBox = document.querySelector("textarea[name='response_text']");
  if (phrasePanel && responseBox) {
    var csrf = document.querySelector("input[name='csrfmiddlewaretoken']");
    var preview = phrasePanel.querySelector("[data-phrase-preview]");
    var hitList = phrasePanel.querySelector("[data-phrase-hits]");
    var seq = 0;
    var renderHits = function (text, hits) {
      preview.innerHTML = ""; hitList.innerHTML = "";
      if (!hits.length) { phrasePanel.hidden = true; return; }
      var chars = Array.from(text), pos = 0;  /* offsets count code points */
      hits.forEach(function (hit) {
        if (hit.start < pos) return;
        preview.appendChild(document.createTextNode(chars.slice(pos, hit.start).join("")));
        var mark = document.createElement("mark");
        mark.textContent = chars.slice(hit.start, hit.end).join("");
        preview.appendChild(mark);
        pos = hit.end;
      });
      preview.appendChild(document.createTextNode(chars.slice(pos).join("")));
      hits.forEach(function (hit) {
        var li = document.createElement("li");
        var head = document.createElement("p");
        head.className = "phrase-hit-head";
        head.textContent = t("phraseFound", hit.text);
        var why = document.createElement("p"); why.className = "small"; why.textContent = hit.reason;
        var alt = document.createElement("p"); alt.className = "small";
        var label = document.createElement("strong"); label.textContent = t("sayInstead") + " ";
        alt.appendChild(label); alt.appendChild(document.createTextNode(hit.alternative));
        var use = document.createElement("button");
        use.type = "button"; use.className = "btn btn-small"; use.textContent = t("useAlternative");
        use.addEventListener("click", function () {
          var current = Array.from(responseBox.value);
          if (current.slice(hit.start, hit.end).join("") !== hit.text) return;
          responseBox.value = current.slice(0, hit.start).join("") + hit.alternative +
            current.slice(hit.end).join("");
          responseBox.focus();
          runCheck();
        });
        li.appendChild(head); li.appendChild(why); li.appendChild(alt); li.appendChild(use);
        hitList.appendChild(li);
      });
      phrasePanel.hidden = false;
    };
    var runCheck = function () {
      var text = responseBox.value, mine = ++seq;
      if (!text.trim()) { renderHits("", []); return; }
      var body = new FormData();
      body.append("text", text);
      if (csrf) body.append("csrfmiddlewaretoken", csrf.value);
      fetch(phrasePanel.dataset.url, { method: "POST", body: body, credentials: "same-origin",
        headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { hits: [] }; })
        .then(function (data) { if (mine === seq) renderHits(text, data.hits || []); })
        .catch(function () { /* the save path checks again */ });
    };
    responseBox.addEventListener("input", debounce(runCheck, 300));
    if (responseBox.value.trim()) runCheck();
  }

  /* Suggested responses: refreshed when the emotion, customer or channel changes;
     Insert (or Alt+R for the first) fills the template and the response text. */
  var suggestPanel = document.querySelector("[data-suggestions]");
  var logForm = document.querySelector("[data-log-form]");
  var refreshSuggestions = function () {};
  if (suggestPanel && logForm) {
    var suggestSeq = 0;
    refreshSuggestions = debounce(function () {
      var params = new URLSearchParams();
      ["emotion_start", "customer", "channel"].forEach(function (name) {
        var el = logForm.querySelector("input[name='" + name + "']:checked") ||
          logForm.querySelector("input[type=hidden][name='" + name + "']");
        if (el && el.value) params.append(name, el.value);
      });
      var mine = ++suggestSeq;
      fetch(suggestPanel.dataset.url + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null || mine !== suggestSeq) return;
          var holder = document.createElement("div");
          holder.innerHTML = html;
          var fresh = holder.querySelector("[data-suggestions-inner]");
          var old = suggestPanel.querySelector("[data-suggestions-inner]");
          if (fresh && old) old.replaceWith(fresh);
        })
        .catch(function () { /* keep the panel as it is */ });
    }, 150);
    logForm.addEventListener("change", function (ev) {
      var name = ev.target && ev.target.name;
      if (name === "emotion_start" || name === "channel") refreshSuggestions();
    });
    var insertSuggestion = function (button) {
      var select = logForm.querySelector("select[name='response_template']");
      var text = logForm.querySelector("textarea[name='response_text']");
      if (select) select.value = button.dataset.template;
      if (text) {
        var current = text.value.trim();
        text.value = current ? current + "\n" + button.dataset.text : button.dataset.text;
        text.rows = Math.min(12, Math.max(3, Math.ceil(text.value.length / 70) + text.value.split("\n").length));
        text.dispatchEvent(new Event("input", { bubbles: true }));
        text.focus();
        text.setSelectionRange(text.value.length, text.value.length);
      }
    };
    suggestPanel.addEventListener("click", function (ev) {
      var button = ev.target.closest("[data-insert-suggestion]");
      if (button) insertSuggestion(button);
    });
    suggestPanel.addEventListener("keydown", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey || !/^[1-9]$/.test(ev.key)) return;
      var buttons = suggestPanel.querySelectorAll("[data-insert-suggestion]");
      var button = buttons[parseInt(ev.key, 10) - 1];
      if (button) { ev.preventDefault(); insertSuggestion(button); }
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.altKey && !ev.shiftKey && !ev.ctrlKey && ev.code === "KeyR") {
        var first = suggestPanel.querySelector("[data-insert-suggestion]");
        if (first) { ev.preventDefault(); insertSuggestion(first); }
      }
    });
  }

  /* Complaint status only matters for complaints. */
  var complaint = document.querySelector("input[name='is_complaint']");
  if (complaint) {
    var statusField = document.querySelector(".complaint-status");
    var sync = function () { if (statusField) statusField.hidden = !complaint.checked; };
    complaint.addEventListener("change", sync); sync();
  }

  /* Focus the first error after a failed save. */
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    var firstBad = document.querySelector(".has-error input:not([type=hidden]), .has-error select, .has-error textarea, [aria-invalid='true']");
    (firstBad || summary).focus();
  }

  /* Language switcher submits on change. */
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });

  /* The list's scope switch applies at once. */
  document.querySelectorAll("[data-scope-switch] input").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });

  /* Break page: a countdown that can be paused; the page says the same without it. */
  var countdown = document.querySelector("[data-countdown]");
  if (countdown) {
    var left = parseInt(countdown.dataset.countdown, 10) || 0;
    var clock = countdown.querySelector("[data-countdown-display]");
    var plain = countdown.querySelector("[data-countdown-plain]");
    var status = countdown.querySelector("[data-countdown-status]");
    var toggle = countdown.querySelector("[data-countdown-toggle]");
    var paused = false, ticker;
    var show = function () {
      var m = Math.floor(left / 60), s = left % 60;
      clock.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    };
    var stop = function () {
      clearInterval(ticker); toggle.hidden = true;
      clock.textContent = "0:00"; status.textContent = countdown.dataset.doneText;
      plain.textContent = countdown.dataset.doneText; plain.hidden = false;
    };
    clock.hidden = false; toggle.hidden = false; plain.hidden = true; show();
    ticker = setInterval(function () {
      if (paused) return;
      left -= 1; show();
      if (left <= 0) stop();
    }, 1000);
    toggle.addEventListener("click", function () {
      paused = !paused;
      toggle.textContent = paused ? countdown.dataset.resumeText : countdown.dataset.pauseText;
    });
  }

  /* Shortcuts dialog. */
  var dialog = document.getElementById("shortcuts");
  function openShortcuts() { if (dialog && !dialog.open) dialog.showModal(); }
  document.querySelectorAll("[data-open-shortcuts]").forEach(function (b) { b.addEventListener("click", openShortcuts); });

  /* Global keyboard shortcuts. */
  var pendingG = false, gTimer;
  var routes = { l: "/", i: "/interactions/", c: "/customers/", d: "/dashboard/", t: "/templates/", r: "/reflection/", m: "/me/" };
  document.addEventListener("keydown", function (ev) {
    var form = document.querySelector("[data-log-form]");
    if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter" && form) {
      ev.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.submit(); return;
    }
    if (ev.altKey && /^Digit[1-9]$/.test(ev.code)) {
      var which = ev.shiftKey ? "end" : "start";
      var group = document.querySelector("[data-emotion-group='" + which + "']");
      if (group) {
        var radios = group.querySelectorAll("input[type=radio]");
        var r = radios[parseInt(ev.code.slice(5), 10) - 1];
        if (r) { ev.preventDefault(); r.checked = true; r.focus(); r.dispatchEvent(new Event("change", { bubbles: true })); }
      }
      return;
    }
    if (ev.key === "Escape" && isTyping(ev.target) && !ev.defaultPrevented) {
      ev.target.blur(); return;  /* leave the field so single-key shortcuts work */
    }
    if (ev.ctrlKey || ev.metaKey || ev.altKey || isTyping(ev.target)) return;
    if (ev.key === "?") { ev.preventDefault(); openShortcuts(); return; }
    if (ev.key === "/") {
      var target = document.querySelector("[data-customer-input]:not([hidden])") ||
        document.querySelector("[data-customer-searchbox]:not([hidden]) input") ||
        document.querySelector("form[role=search] input[type=search], form[role=search] input[type=text]");
      if (target && target.offsetParent !== null) { ev.preventDefault(); target.focus(); }
      return;
    }
    if (pendingG && routes[ev.key]) { pendingG = false; window.location.href = routes[ev.key]; return; }
    if (ev.key === "g") { pendingG = true; clearTimeout(gTimer); gTimer = setTimeout(function () { pendingG = false; }, 1200); }
  });
})();
