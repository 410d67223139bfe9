#include "needlescope/report/report_page.h"

#include "needlescope/report/html_text.h"

namespace needlescope::report {
namespace {

// No network: the browser refuses every fetch a page makes under this policy (images only
// from data: URIs, style and script only inline).
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

constexpr const char* kStyle = R"CSS(
:root { --ink: #1d2327; --muted: #5b6770; --line: #d5dade; --panel: #f5f7f8; --accent: #2b6cb0; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
header, main, footer { max-width: 1200px; margin: 0 auto; padding: 16px 20px; }
header { border-bottom: 1px solid var(--line); }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 22px 0 8px; }
.subtitle { color: var(--muted); margin: 0; overflow-wrap: anywhere; }
.toolbar { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; margin: 8px 0; }
.toolbar label { white-space: nowrap; cursor: pointer; }
.toolbar button { font: inherit; padding: 2px 10px; border: 1px solid var(--line); background: var(--panel); border-radius: 4px; cursor: pointer; }
.viewer { position: relative; border: 1px solid var(--line); background: #222; overflow: hidden; }
.viewer svg { display: block; width: 100%; height: auto; max-height: 78vh; cursor: grab; touch-action: none; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 18px; color: var(--muted); font-size: 13px; margin: 6px 0; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px; margin-right: 4px; border: 1px solid #0003; }
.ramp { display: inline-block; width: 120px; height: 10px; vertical-align: 0; background: linear-gradient(90deg, #440154, #3b528b, #21918c, #5ec962, #fde725); }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 10px; }
.figure { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: var(--panel); }
.figure .value { font-size: 22px; font-weight: 600; }
.figure .what { color: var(--muted); font-size: 13px; }
.flag { border-left: 4px solid #c05621; padding: 4px 10px; margin: 6px 0; background: #fff7ed; }
.ok { border-left: 4px solid #2f855a; padding: 4px 10px; background: #f0fff4; }
table { border-collapse: collapse; font-size: 14px; }
td, th { border: 1px solid var(--line); padding: 3px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
footer { color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); margin-top: 24px; overflow-wrap: anywhere; }
input.slider { width: 100%; }
@media print {
  @page { margin: 12mm; }
  body { font-size: 11pt; }
  .toolbar button, input.slider { display: none; }
  .viewer { break-inside: avoid; background: #fff; }
  .viewer svg { max-height: 150mm; }
  .figure { break-inside: avoid; }
  header, main, footer { max-width: none; padding: 4px 0; }
}
)CSS";

constexpr const char* kScript = R"JS(
(function () {
  "use strict";
  window.addEventListener("error", function (e) { document.body.setAttribute("data-script-error", String(e.message)); });
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var SVGNS = "http://www.w3.org/2000/svg";
  // Viridis at five stops (as the PNG pictures), interpolated: score 0 dark blue .. 1 yellow.
  var stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  function viridis(t) {
    t = Math.min(1, Math.max(0, t)) * (stops.length - 1);
    var i = Math.min(stops.length - 2, Math.floor(t)), f = t - i, a = stops[i], b = stops[i + 1];
    return "rgb(" + [0, 1, 2].map(function (k) { return Math.round(a[k] + f * (b[k] - a[k])); }).join(",") + ")";
  }
  (data.marks || []).forEach(function (set) {
    var group = document.getElementById(set.layer);
    if (!group) return;
    set.points.forEach(function (p) {
      var c = document.createElementNS(SVGNS, "circle");
      c.setAttribute("cx", p[0]); c.setAttribute("cy", p[1]);
      c.setAttribute("r", Math.max(3, 1.5 * p[2]));
      c.setAttribute("stroke", set.colour === "score" ? viridis(p[3]) : set.colour);
      c.setAttribute("stroke-width", "1.5");
      c.setAttribute("vector-effect", "non-scaling-stroke");
      c.setAttribute("fill", "none");
      group.appendChild(c);
    });
    group.setAttribute("data-drawn", String(set.points.length));
  });
  document.querySelectorAll("input[data-layer]").forEach(function (box) {
    function apply() {
      var layer = document.getElementById(box.getAttribute("data-layer"));
      if (layer) layer.style.display = box.checked ? "" : "none";
    }
    box.addEventListener("change", apply);
    apply();
  });
  document.querySelectorAll(".viewer").forEach(function (viewer) {
    var svg = viewer.querySelector("svg");
    if (!svg) return;
    var full = svg.viewBox.baseVal, W = full.width, H = full.height;
    var view = { x: 0, y: 0, w: W, h: H };
    function show() { svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" ")); }
    function zoom(factor, cx, cy) {
      var w = Math.min(W, Math.max(W / 64, view.w / factor)), h = w * H / W;
      view.x = Math.min(W - w, Math.max(0, cx - (cx - view.x) * w / view.w));
      view.y = Math.min(H - h, Math.max(0, cy - (cy - view.y) * h / view.h));
      view.w = w; view.h = h; show();
    }
    function toPhoto(ev) {
      var r = svg.getBoundingClientRect();
      return [view.x + (ev.clientX - r.left) / r.width * view.w, view.y + (ev.clientY - r.top) / r.height * view.h];
    }
    svg.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var p = toPhoto(ev);
      zoom(ev.deltaY < 0 ? 1.25 : 0.8, p[0], p[1]);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (ev) { drag = [ev.clientX, ev.clientY, view.x, view.y]; svg.setPointerCapture(ev.pointerId); });
    svg.addEventListener("pointerup", function () { drag = null; });
    svg.addEventListener("pointermove", function (ev) {
      if (!drag) return;
      var r = svg.getBoundingClientRect();
      view.x = Math.min(W - view.w, Math.max(0, drag[2] - (ev.clientX - drag[0]) / r.width * view.w));
      view.y = Math.min(H - view.h, Math.max(0, drag[3] - (ev.clientY - drag[1]) / r.height * view.h));
      show();
    });
    viewer.parentNode.querySelectorAll("button[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.getAttribute("data-zoom");
        if (how === "fit") { view = { x: 0, y: 0, w: W, h: H }; show(); return; }
        zoom(how === "in" ? 2 : 0.5, view.x + view.w / 2, view.y + view.h / 2);
      });
    });
    var slider = viewer.parentNode.querySelector("input.slider"), clip = svg.querySelector("#after-clip rect");
    if (slider && clip) {
      var line = svg.querySelector("#slider-line");
      var move = function () {
        var x = String(W * slider.value / 100);
        clip.setAttribute("width", x);
        if (line) { line.setAttribute("x1", x); line.setAttribute("x2", x); }
      };
      slider.addEventListener("input", move);
      move();
    }
  });
  document.body.setAttribute("data-ready", "1");
})();
)JS";

}  // namespace

std::string RenderPage(const Page& page) {
  std::string html;
  html.reserve(page.body_html.size() + 16384);
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  html += "<meta http-equiv=\"Content-Security-Policy\" content=\"";
  html += kContentSecurityPolicy;
  html += "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  html += "<title>" + EscapeHtml(page.title) + " — " + EscapeHtml(page.subtitle) + "</title>\n";
  html += "<style>";
  html += kStyle;
  html += "</style>\n</head>\n<body>\n<header><h1>" + EscapeHtml(page.title) + "</h1><p class=\"subtitle\">" +
          EscapeHtml(page.subtitle) + "</p></header>\n<main>\n";
  html += page.body_html;
  html += "</main>\n<footer>" + page.footer_html + "</footer>\n";
  html += "<script type=\"application/json\" id=\"report-data\">" + ScriptJson(page.data) + "</script>\n";
  html += "<script>";
  html += kScript;
  html += "</script>\n</body>\n</html>\n";
  return html;
}

}  // namespace needlescope::report
