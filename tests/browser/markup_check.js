// The markup checks axe does not make: what the HTML standard asks of the page as the browser
// built it. Returns a list of [check, detail] problems; an empty list is a clean page.
() => {
  const problems = [];
  const say = (check, detail) => problems.push([check, detail]);
  const where = (el) => {
    const id = el.id ? `#${el.id}` : "";
    const cls = typeof el.className === "string" && el.className.trim()
      ? "." + el.className.trim().split(/\s+/).join(".") : "";
    return `${el.tagName.toLowerCase()}${id}${cls}`;
  };

  // Ids are unique, and every reference to one names an element that exists.
  const ids = new Map();
  for (const el of document.querySelectorAll("[id]")) ids.set(el.id, (ids.get(el.id) || 0) + 1);
  for (const [id, count] of ids) if (count > 1) say("duplicate-id", `id="${id}" is used ${count} times`);
  for (const el of document.querySelectorAll("[id='']")) say("empty-id", where(el));
  const lists = ["aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "aria-flowto",
                 "aria-details", "aria-errormessage", "headers"];
  const singles = ["aria-activedescendant", "for", "list", "form"];
  for (const attr of [...lists, ...singles]) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      if (attr === "for" && el.tagName !== "LABEL" && el.tagName !== "OUTPUT") continue;
      if (attr === "form" && !el.matches("button, fieldset, input, object, output, select, textarea")) continue;
      const value = el.getAttribute(attr).trim();
      const refs = lists.includes(attr) ? value.split(/\s+/).filter(Boolean) : [value];
      if (!refs.length) say("empty-reference", `${where(el)} has an empty ${attr}`);
      for (const ref of refs) {
        if (!document.getElementById(ref)) say("missing-reference", `${where(el)} ${attr}="${ref}": no such id`);
      }
    }
  }

  // <time datetime> holds a valid date, time, datetime or duration (at most milliseconds).
  const date = "\\d{4,}(-\\d{2}(-\\d{2})?)?|\\d{4,}-W\\d{2}|--\\d{2}-\\d{2}";
  const time = "\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?";
  const zone = "(Z|[+-]\\d{2}:?\\d{2})";
  const valid = new RegExp(
    `^(${date}|${time}|${zone}|\\d{4,}-\\d{2}-\\d{2}[T ]${time}${zone}?|P(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+(\\.\\d{1,3})?S)?)?|(\\d+(\\.\\d{1,3})?[wdhms]\\s*)+)$`
  );
  for (const el of document.querySelectorAll("time")) {
    const value = el.hasAttribute("datetime") ? el.getAttribute("datetime") : el.textContent.trim();
    if (!valid.test(value)) say("time-datetime", `<time datetime="${value}"> is not a valid date or time`);
  }

  // One level-one heading, and a title of its own.
  const h1s = document.querySelectorAll("h1");
  if (h1s.length !== 1) say("one-h1", `${h1s.length} <h1> elements`);
  if (!document.title.trim()) say("title", "empty <title>");

  // Tables: every row as wide as the header (colspans and rowspans counted), no column empty.
  for (const [n, table] of [...document.querySelectorAll("table")].entries()) {
    const label = table.caption?.textContent.trim() || table.closest("[aria-label]")?.getAttribute("aria-label");
    const name = label ? `table "${label}"` : `table ${n + 1}`;
    const grid = [];  // grid[row][column] = cell
    const rows = [...table.rows];
    rows.forEach((row, r) => {
      grid[r] = grid[r] || [];
      let c = 0;
      for (const cell of row.cells) {
        while (grid[r][c]) c++;
        for (let dr = 0; dr < cell.rowSpan; dr++) {
          grid[r + dr] = grid[r + dr] || [];
          for (let dc = 0; dc < cell.colSpan; dc++) grid[r + dr][c + dc] = cell;
        }
        c += cell.colSpan;
      }
    });
    // A wide table scrolls in a region of its own, which a keyboard can reach and a screen reader names.
    const region = table.parentElement;
    if (!region.matches(".table-responsive[tabindex='0'][role=region][aria-label]:not([aria-label=''])")) {
      say("table-scroll-region", `${name} is not in a <div class="table-responsive" tabindex="0" role="region" aria-label=...>`);
    }
    if (!rows.length) { say("table-empty", `${name} has no rows`); continue; }
    const width = grid[0].length;
    grid.slice(0, rows.length).forEach((cells, r) => {
      if (cells.length !== width) say("table-row-width", `${name}: row ${r + 1} has ${cells.length} cells, the header ${width}`);
    });
    const empty = (cell) => !cell || (!cell.textContent.trim()
      && !cell.querySelector("img[alt]:not([alt='']), input, select, textarea, button, svg[aria-label], [aria-label]"));
    const body = rows.filter((row) => row.parentElement.tagName !== "THEAD" && !row.querySelector("th[scope=col]"));
    if (body.length) {
      for (let c = 0; c < width; c++) {
        if (body.every((row) => empty(grid[row.rowIndex][c]))) say("table-empty-column", `${name}: column ${c + 1} is empty in every row`);
      }
    }
  }
  return problems;
}
