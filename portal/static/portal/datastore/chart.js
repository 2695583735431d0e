/* The chart builder (resource pages, chart embeds): Apache ECharts draws what the aggregate API
   returns; the chart's numbers also go into a table, and its choices into the page's URL, so a
   chart can be shared, and embedded (the embed code follows the choices). */
(function () {
  "use strict";
  const data = window.portalData;
  const FETCHED = 1000; // groups asked for; more are flagged `truncated` by the API
  const DRAWN = { bar: 200, line: 1000, pie: 11 }; // a pie groups the rest as "Other"
  let chart = null;

  function metricParam(y) {
    const colon = y.indexOf(":");
    return colon < 0 ? y : y.slice(0, colon) + ":" + data.quoteItem(y.slice(colon + 1));
  }

  function escapeAttribute(text) {
    return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  }

  function label(value, box) {
    return value === null || value === "" ? box.dataset.msgBlank : String(value);
  }

  function groups(body, state, box) {
    const x = body.fields[0].name;
    const y = body.fields[body.fields.length - 1].name;
    let rows = body.records.map(function (record) {
      return { name: label(record[x], box), value: Number(record[y]) || 0 };
    });
    let cut = body.truncated;
    if (state.kind === "pie" && rows.length > DRAWN.pie) {
      rows = rows.slice().sort(function (a, b) { return b.value - a.value; });
      const rest = rows.slice(DRAWN.pie).reduce(function (sum, row) { return sum + row.value; }, 0);
      rows = rows.slice(0, DRAWN.pie).concat([{ name: box.dataset.msgOther, value: rest }]);
    } else if (rows.length > DRAWN[state.kind]) {
      rows = rows.slice(0, DRAWN[state.kind]);
      cut = true;
    }
    return { rows: rows, cut: cut };
  }

  function option(state, rows) {
    const tooltip = { renderMode: "richText", valueFormatter: data.number }; // no HTML: the CSP
    if (state.kind === "pie") {
      return { tooltip: Object.assign({ trigger: "item" }, tooltip), animation: false,
               series: [{ type: "pie", radius: ["0%", "62%"], data: rows,
                          label: { overflow: "truncate", width: 120 } }] };
    }
    return {
      tooltip: Object.assign({ trigger: "axis" }, tooltip), animation: false,
      grid: { containLabel: true, left: 8, right: 16, top: 16, bottom: 8 },
      xAxis: { type: "category", data: rows.map(function (row) { return row.name; }),
               axisLabel: { rotate: rows.length > 6 ? 40 : 0, overflow: "truncate", width: 110 } },
      yAxis: { type: "value", axisLabel: { formatter: data.number } },
      series: [{ type: state.kind, data: rows.map(function (row) { return row.value; }) }],
    };
  }

  function fillTable(box, state, rows) {
    const details = box.parentElement.querySelector(".chart-data");
    if (!details) { return; }
    details.querySelector("[data-chart-x-heading]").textContent = state.xTitle;
    details.querySelector("[data-chart-y-heading]").textContent = state.yTitle;
    const body = details.querySelector("[data-chart-rows]");
    body.replaceChildren.apply(body, rows.map(function (row) {
      const line = document.createElement("tr");
      const name = document.createElement("th");
      name.scope = "row";
      name.className = "fw-normal";
      name.textContent = row.name;
      const value = document.createElement("td");
      value.className = "text-end";
      value.textContent = data.number(row.value);
      line.append(name, value);
      return line;
    }));
    details.hidden = false;
  }

  function draw(box, state) {
    const note = document.getElementById("chart-note");
    if (!state.x) { return; }
    note.textContent = box.dataset.msgLoading;
    const url = new URL(box.dataset.chartUrl, window.location.href);
    url.searchParams.set("group_by", data.quoteItem(state.x));
    url.searchParams.set("metrics", metricParam(state.y));
    url.searchParams.set("limit", String(FETCHED));
    data.getJSON(url).then(function (body) {
      const found = groups(body, state, box);
      if (!found.rows.length) {
        box.hidden = true;
        note.textContent = box.dataset.msgEmpty;
        return;
      }
      box.hidden = false;
      box.setAttribute("aria-label", data.format(box.dataset.msgLabel,
                                                 { x: state.xTitle, y: state.yTitle }));
      chart = chart || window.echarts.init(box, null, { renderer: "canvas" });
      chart.setOption(option(state, found.rows), true);
      chart.resize();
      note.textContent = found.cut ? box.dataset.msgTruncated : "";
      fillTable(box, state, found.rows);
    }).catch(function (error) {
      note.textContent = box.dataset.msgError + " " + error.message;
    });
  }

  function fromForm(form) {
    const pick = function (name) { return form.elements[name]; };
    const selected = function (select) { return select.options[select.selectedIndex].text; };
    return { kind: pick("chart").value, x: pick("x").value, y: pick("y").value,
             xTitle: selected(pick("x")), yTitle: selected(pick("y")) };
  }

  function remember(box, state) {
    const params = new URLSearchParams(window.location.search);
    params.set("chart", state.kind);
    params.set("x", state.x);
    params.set("y", state.y);
    window.history.replaceState(window.history.state, "", "?" + params.toString() + "#chart");
    const target = document.getElementById(box.dataset.embedTarget);
    if (target && box.dataset.embedBase) {
      const own = new URLSearchParams({ chart: state.kind, x: state.x, y: state.y });
      target.value = '<iframe src="' + escapeAttribute(box.dataset.embedBase + "?" + own) +
        '" title="' + escapeAttribute(target.dataset.title || "") +
        '" width="100%" height="480" loading="lazy"></iframe>';
    }
  }

  function start() {
    const box = document.getElementById("chart-canvas");
    if (!box || !window.echarts) { return; }
    const form = document.querySelector("[data-chart-form]");
    window.addEventListener("resize", function () { if (chart) { chart.resize(); } });
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        const state = fromForm(form);
        remember(box, state);
        draw(box, state);
      });
    }
    const d = box.dataset;
    draw(box, { kind: d.chartKind, x: d.chartX, y: d.chartY, xTitle: d.chartXTitle,
                yTitle: d.chartYTitle });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
