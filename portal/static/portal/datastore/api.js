/* Shared by chart.js and map.js: the data API's list items and errors, message templates. */
(function () {
  "use strict";

  /* A name as an item of the API's comma-separated lists (portal/datastore/params.py). */
  function quoteItem(name) {
    if (/[,"]/.test(name) || name.startsWith("-") || name !== name.trim()) {
      return '"' + name.replace(/"/g, '""') + '"';
    }
    return name;
  }

  /* GET a data API address; resolves with the JSON body, rejects with the API's message. */
  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok) {
            const message = body && body.error && body.error.message;
            throw new Error(message || String(response.status));
          }
          return body;
        });
      });
  }

  /* "Rows: %(count)s" with {count: 3} → "Rows: 3". */
  function format(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (_all, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);

  window.portalData = { quoteItem: quoteItem, getJSON: getJSON, format: format,
                        number: function (value) { return numbers.format(value); } };
})();
