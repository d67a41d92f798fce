// whosaid show, article page: hover or focus a marked part to highlight its claim; the claims
// table's buttons go to a claim; the kind and entity filters repaint the text and the table.
// The repaint uses the same rule as the page builder (src/show/page.rs): a segment's look comes
// from its innermost (shortest) parts among the claims shown.
(function () {
  "use strict";
  var claims = JSON.parse(document.getElementById("claims-data").textContent);
  var marks = Array.prototype.slice.call(document.querySelectorAll("#text mark"));
  var rows = {};
  Array.prototype.forEach.call(document.querySelectorAll("tr[data-c]"), function (tr) {
    rows[tr.getAttribute("data-c")] = tr;
  });
  var ORDER = { who: 0, verb: 1, what: 2 };
  var byClaim = claims.map(function () { return []; });
  var segParts = marks.map(function (m) {
    return m.getAttribute("data-parts").split(" ").map(function (t) {
      var dash = t.indexOf("-");
      var p = { claim: +t.slice(1, dash), part: t.slice(dash + 1) };
      var list = byClaim[p.claim];
      if (list[list.length - 1] !== m) list.push(m);
      return p;
    });
  });
  var shown = claims.map(function () { return true; });

  function key(p) { return [claims[p.claim][p.part], p.claim, ORDER[p.part]]; }
  function less(a, b) {
    var x = key(a), y = key(b);
    for (var i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i];
    return false;
  }
  function innermost(parts, keep) {
    var best = null;
    parts.forEach(function (p) { if (keep(p) && (best === null || less(p, best))) best = p; });
    return best;
  }

  function paint() {
    var anchors = new Set();
    byClaim.forEach(function (list, c) { if (shown[c] && list.length) anchors.add(list[0]); });
    marks.forEach(function (m, i) {
      var parts = segParts[i].filter(function (p) { return shown[p.claim]; });
      var cls = [];
      var ct = innermost(parts, function (p) { return p.part === "what"; });
      if (ct) cls.push("ct ct-" + claims[ct.claim].kind);
      var src = innermost(parts, function (p) { return p.part === "who"; });
      if (src) cls.push("src " + claims[src.claim].colour);
      var cue = innermost(parts, function (p) { return p.part === "verb"; });
      if (cue) cls.push("cue cue-" + claims[cue.claim].kind);
      m.className = cls.join(" ");
      var shortest = Math.min.apply(null, parts.map(function (p) { return claims[p.claim][p.part]; }));
      var hl = [];
      parts.forEach(function (p) {
        if (claims[p.claim][p.part] === shortest && hl.indexOf(p.claim) < 0) hl.push(p.claim);
      });
      hl.sort(function (a, b) { return a - b; });
      m.setAttribute("data-hl", hl.join(" "));
      if (hl.length) m.title = hl.map(function (c) { return claims[c].label; }).join("; ");
      else m.removeAttribute("title");
      if (anchors.has(m)) m.setAttribute("tabindex", "0");
      else m.removeAttribute("tabindex");
    });
    var n = 0;
    claims.forEach(function (c, i) {
      if (shown[i]) n++;
      if (rows[i]) rows[i].hidden = !shown[i];
    });
    document.getElementById("shown").textContent =
      n === claims.length ? "All " + n + " claims shown" : "Showing " + n + " of " + claims.length + " claims";
  }

  var lit = [];
  var pinned = [];
  function light(ids) {
    lit.forEach(function (c) {
      byClaim[c].forEach(function (m) { m.classList.remove("hl"); });
      if (rows[c]) rows[c].classList.remove("hl");
    });
    lit = ids.filter(function (c) { return shown[c]; });
    lit.forEach(function (c) {
      byClaim[c].forEach(function (m) { m.classList.add("hl"); });
      if (rows[c]) rows[c].classList.add("hl");
    });
  }
  function idsOf(m) {
    var s = m.getAttribute("data-hl");
    return s ? s.split(" ").map(Number) : [];
  }
  function goTo(c) {
    var m = byClaim[c][0];
    if (!m) return;
    var smooth = !window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    m.scrollIntoView({ block: "center", behavior: smooth ? "smooth" : "auto" });
    if (!m.hasAttribute("tabindex")) m.setAttribute("tabindex", "-1");
    m.focus({ preventScroll: true });
    pinned = [c];
    light(pinned);
  }

  var text = document.getElementById("text");
  function markOf(e) { return e.target.closest ? e.target.closest("mark") : null; }
  text.addEventListener("mouseover", function (e) { var m = markOf(e); if (m) light(idsOf(m)); });
  text.addEventListener("mouseout", function (e) { if (markOf(e)) light(pinned); });
  text.addEventListener("focusin", function (e) {
    var m = markOf(e);
    if (m && !(pinned.length && byClaim[pinned[0]][0] === m)) { pinned = idsOf(m); light(pinned); }
  });
  text.addEventListener("focusout", function () { pinned = []; light([]); });
  text.addEventListener("click", function (e) { var m = markOf(e); if (m) { pinned = idsOf(m); light(pinned); } });
  text.addEventListener("keydown", function (e) {
    var m = markOf(e);
    if (m && e.key === "Enter") {
      var ids = idsOf(m);
      var tr = ids.length && rows[ids[0]];
      if (tr) { tr.scrollIntoView({ block: "nearest" }); tr.querySelector("button").focus(); }
    }
  });

  var table = document.querySelector(".claims tbody");
  if (table) {
    table.addEventListener("click", function (e) {
      var b = e.target.closest("button[data-goto]");
      if (b) goTo(+b.getAttribute("data-goto"));
    });
    table.addEventListener("mouseover", function (e) {
      var tr = e.target.closest("tr[data-c]");
      if (tr) light([+tr.getAttribute("data-c")]);
    });
    table.addEventListener("mouseleave", function () { light(pinned); });
    table.addEventListener("focusin", function (e) {
      var tr = e.target.closest("tr[data-c]");
      if (tr) light([+tr.getAttribute("data-c")]);
    });
  }
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { pinned = []; light([]); }
  });

  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=kind]"));
  var entity = document.getElementById("entity");
  function filter() {
    var kinds = {};
    boxes.forEach(function (b) { kinds[b.value] = b.checked; });
    var who = entity.value;
    claims.forEach(function (c, i) {
      shown[i] = kinds[c.kind] !== false && (who === "" || c.entity === who);
    });
    light([]);
    pinned = [];
    paint();
  }
  // The filters live in the address too (?kinds=action,belief&entity=Name), so a filtered view
  // can be bookmarked or shared.
  function remember() {
    var q = new URLSearchParams();
    var on = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    if (on.length !== boxes.filter(function (b) { return !b.disabled; }).length) q.set("kinds", on.join(","));
    if (entity.value) q.set("entity", entity.value);
    try { history.replaceState(null, "", q.toString() ? "?" + q : location.pathname); } catch (e) { /* file: URLs may refuse */ }
  }
  boxes.forEach(function (b) { b.addEventListener("change", function () { filter(); remember(); }); });
  entity.addEventListener("change", function () { filter(); remember(); });
  document.getElementById("shown").textContent = "All " + claims.length + " claims shown";
  var asked = new URLSearchParams(location.search);
  if (asked.has("kinds") || asked.has("entity")) {
    if (asked.has("kinds")) {
      var want = asked.get("kinds").split(",");
      boxes.forEach(function (b) { if (!b.disabled) b.checked = want.indexOf(b.value) >= 0; });
    }
    if (asked.has("entity")) {
      entity.value = asked.get("entity");
      if (entity.value !== asked.get("entity")) entity.value = "";
    }
    filter();
  }
})();
