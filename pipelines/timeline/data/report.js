(function () {
  "use strict";
  var byId = function (id) { return document.getElementById(id); };
  var events = Array.prototype.slice.call(document.querySelectorAll("li.event[data-type]"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-chamber]"));
  var f = {
    chamber: byId("f-chamber"), state: byId("f-state"), type: byId("f-type"),
    kind: byId("f-kind"), conflicts: byId("f-conflicts")
  };
  function has(list, value) {
    return !value || ("|" + (list || "") + "|").indexOf("|" + value + "|") >= 0;
  }
  function writeHash() {
    var parts = [];
    ["chamber", "state", "type", "kind"].forEach(function (k) {
      if (f[k].value) { parts.push(k + "=" + encodeURIComponent(f[k].value)); }
    });
    if (f.conflicts.checked) { parts.push("conflicts=1"); }
    try { history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname); }
    catch (e) { /* some file:// contexts forbid replaceState */ }
  }
  function apply(keepHash) {
    var shown = 0;
    events.forEach(function (li) {
      var d = li.dataset;
      var ok = has(d.chambers, f.chamber.value) && has(d.states, f.state.value) &&
        (!f.type.value || d.type === f.type.value) && has(d.kinds, f.kind.value) &&
        (!f.conflicts.checked || d.conflict === "1");
      li.hidden = !ok;
      if (ok) { shown += 1; }
    });
    rows.forEach(function (tr) {
      tr.hidden = !!f.state.value && tr.dataset.state !== f.state.value;
      tr.classList.toggle("selected", tr.dataset.chamber === f.chamber.value);
    });
    byId("f-count").textContent = shown + " von " + events.length + " Ereignissen";
    byId("no-events").hidden = shown > 0;
    document.body.setAttribute("data-shown", String(shown));
    if (!keepHash) { writeHash(); }
  }
  function readHash() {
    var hash = location.hash.replace(/^#/, "");
    if (hash.indexOf("=") < 0) { return; }
    hash.split("&").forEach(function (pair) {
      var kv = pair.split("=");
      var key = kv[0], value = decodeURIComponent(kv[1] || "");
      if (key === "conflicts") { f.conflicts.checked = value === "1"; }
      else if (f[key] && f[key].tagName === "SELECT") {
        for (var i = 0; i < f[key].options.length; i += 1) {
          if (f[key].options[i].value === value) { f[key].value = value; }
        }
      }
    });
  }
  ["chamber", "state", "type", "kind", "conflicts"].forEach(function (k) {
    f[k].addEventListener("change", function () { apply(false); });
  });
  byId("f-reset").addEventListener("click", function () {
    ["chamber", "state", "type", "kind"].forEach(function (k) { f[k].value = ""; });
    f.conflicts.checked = false;
    apply(false);
  });
  function setOpen(open) {
    events.forEach(function (li) {
      var d = li.querySelector("details");
      if (d && !li.hidden) { d.open = open; }
    });
  }
  byId("f-open").addEventListener("click", function () { setOpen(true); });
  byId("f-close").addEventListener("click", function () { setOpen(false); });
  Array.prototype.forEach.call(document.querySelectorAll("button.chamber"), function (b) {
    b.addEventListener("click", function () {
      f.chamber.value = b.getAttribute("data-chamber");
      apply(false);
      var target = byId("timeline");
      if (target.scrollIntoView) { target.scrollIntoView(); }
      target.focus();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("a.to-event"), function (a) {
    a.addEventListener("click", function () {
      var li = byId(a.getAttribute("href").slice(1));
      if (li) {
        li.hidden = false;
        var d = li.querySelector("details");
        if (d) { d.open = true; }
      }
    });
  });
  readHash();
  apply(true);
}());
