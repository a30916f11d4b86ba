// The chronology: a structure's dated facts on a time axis and in a table; choosing one sets the date.
import { gql } from "./api.js";
import { RELATIONS, ROLES, TIMELINE, el, frenchDate, frenchNumber } from "./labels.js";
import { begin, rendered } from "./perf.js";

const QUERY = `query Timeline($finess: String!) { timeline(finess: $finess) { date kind detail related } }`;
const COLOURS = {
  OPENED: "#2a9d5b", CLOSED: "#c0392b", APPEARED: "#1f5fa8", DISAPPEARED: "#7f8c8d",
  CHANGED: "#d98b1c", EVENT: "#95a5a6", LINKED: "#8e44ad", UNLINKED: "#b5477e",
};
const FIELDS = { name: "nom", longName: "nom long", category: "catégorie", legalStatus: "statut juridique", state: "état", closedOn: "date de fermeture", openedOn: "date d'ouverture" };

function value(v) {
  if (v === null || v === undefined || v === "") return "∅";
  return Array.isArray(v) ? v.join(", ") : String(v);
}

/** One sentence for an entry's detail. */
export function detailText(entry) {
  const d = entry.detail || {};
  if (entry.kind === "CHANGED") {
    return Object.entries(d.fields || {}).map(([k, [before, after]]) => `${FIELDS[k] || k} : ${value(before)} → ${value(after)}`).join(" ; ");
  }
  if (entry.kind === "EVENT") return d.code ? `Événement du répertoire, code ${d.code}` : "Événement du répertoire";
  if (entry.kind === "LINKED" || entry.kind === "UNLINKED") {
    const role = d.role ? ` (${ROLES[d.role] || d.role})` : "";
    return `${RELATIONS[d.type] || d.type || "Lien"}${role} : ${entry.related || ""}`;
  }
  return "";
}

/** Mount the chronology view. */
export function mountTimeline(ctx) {
  const { drawing, toolbar, details } = ctx;
  let entries = [];
  let pending = null;
  toolbar.replaceChildren(el("span", { class: "hint", text: "Choisissez un fait (clic ou Entrée) pour afficher toutes les vues à sa date." }));
  details.replaceChildren();
  const svg = d3.select(drawing).append("svg").attr("class", "timeline").attr("role", "group").attr("aria-label", "Frise chronologique");
  const scene = svg.append("g").attr("class", "scene").attr("font-family", "system-ui, sans-serif").attr("font-size", 11);
  const table = el("table", { class: "data timeline-table" });
  const tableBox = el("div", { class: "table-box" }, table);
  drawing.append(tableBox);

  function draw(start) {
    const state = ctx.state();
    const width = Math.max(600, drawing.clientWidth - 20);
    const kinds = [...new Set(entries.map((e) => e.kind))];
    const rowHeight = 26;
    const margin = { left: 190, right: 30, top: 20, bottom: 30 };
    const height = margin.top + margin.bottom + Math.max(1, kinds.length) * rowHeight;
    svg.attr("width", width).attr("height", height).attr("viewBox", `0 0 ${width} ${height}`);
    const dated = entries.filter((e) => e.date);
    const days = dated.map((e) => new Date(`${e.date}T00:00:00Z`));
    if (state.asOf) days.push(new Date(`${state.asOf}T00:00:00Z`));
    const extent = d3.extent(days);
    const x = d3.scaleUtc().domain(extent[0] ? [d3.utcYear.offset(extent[0], -1), d3.utcYear.offset(extent[1], 1)] : [new Date(2000, 0, 1), new Date()]).range([margin.left, width - margin.right]).nice();
    const y = d3.scalePoint().domain(kinds).range([margin.top + rowHeight / 2, height - margin.bottom - rowHeight / 2]).padding(0);
    scene.selectAll("*").remove();
    scene.append("g").attr("transform", `translate(0,${height - margin.bottom})`).call(d3.axisBottom(x).ticks(Math.min(12, width / 90)).tickFormat(d3.utcFormat("%Y")));
    scene
      .append("g")
      .selectAll("text")
      .data(kinds)
      .join("text")
      .attr("x", margin.left - 10)
      .attr("y", (k) => y(k))
      .attr("dy", "0.35em")
      .attr("text-anchor", "end")
      .attr("fill", "#1b1f24")
      .text((k) => TIMELINE[k] || k);
    scene
      .append("g")
      .selectAll("line")
      .data(kinds)
      .join("line")
      .attr("x1", margin.left)
      .attr("x2", width - margin.right)
      .attr("y1", (k) => y(k))
      .attr("y2", (k) => y(k))
      .attr("stroke", "#e3e7eb");
    if (state.asOf) {
      const at = x(new Date(`${state.asOf}T00:00:00Z`));
      const g = scene.append("g").attr("class", "as-of");
      g.append("line").attr("x1", at).attr("x2", at).attr("y1", margin.top - 10).attr("y2", height - margin.bottom).attr("stroke", "#d62728").attr("stroke-width", 2);
      g.append("text").attr("x", at + 4).attr("y", margin.top - 6).attr("fill", "#d62728").text(`au ${frenchDate(state.asOf)}`);
    }
    scene
      .append("g")
      .selectAll("circle")
      .data(dated)
      .join("circle")
      .attr("class", "fact")
      .attr("cx", (e) => x(new Date(`${e.date}T00:00:00Z`)))
      .attr("cy", (e) => y(e.kind))
      .attr("r", 6)
      .attr("fill", (e) => COLOURS[e.kind] || "#999")
      .attr("stroke", "#fff")
      .attr("tabindex", 0)
      .attr("role", "button")
      .attr("aria-label", (e) => `${TIMELINE[e.kind]} le ${frenchDate(e.date)}. ${detailText(e)}. Afficher au ${frenchDate(e.date)}`)
      .on("click", (event, e) => choose(e))
      .on("keydown", (event, e) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          choose(e);
        }
      })
      .append("title")
      .text((e) => `${frenchDate(e.date)} — ${TIMELINE[e.kind]}${detailText(e) ? ` : ${detailText(e)}` : ""}`);

    table.replaceChildren(
      el("caption", { text: `${frenchNumber(entries.length)} fait${entries.length > 1 ? "s" : ""} daté${entries.length > 1 ? "s" : ""}, du plus ancien au plus récent` }),
      el("thead", {}, el("tr", {}, ["Date", "Nature", "Détail", ""].map((h) => el("th", { scope: "col", text: h })))),
      el(
        "tbody",
        {},
        entries.map((e) =>
          el(
            "tr",
            { class: e.date === state.asOf ? "current" : null },
            el("td", { text: frenchDate(e.date) || "sans date" }),
            el("td", { text: TIMELINE[e.kind] || e.kind }),
            el("td", {}, linkTo(e)),
            el("td", {}, e.date ? el("button", { type: "button", class: "small", text: `Voir au ${frenchDate(e.date)}`, onclick: () => choose(e) }) : null),
          ),
        ),
      ),
    );
    rendered("chronologie", start, drawing, { noeuds: dated.length, faits: entries.length });
  }

  function linkTo(e) {
    const text = detailText(e);
    if (!e.related || !/^(\d{9}|gcc:|gco:|\d{11})/.test(e.related) || e.kind === "EVENT") return text;
    const at = e.date ? `?au=${e.date}` : "";
    return el("span", {}, text.replace(e.related, ""), el("a", { href: `/structures/${encodeURIComponent(e.related)}${at}`, text: e.related }));
  }

  function choose(e) {
    if (e.date) ctx.set({ asOf: e.date }, { push: true, dateChange: true });
  }

  return {
    name: "chronologie",
    async update(startMark) {
      const start = startMark || begin("chronologie");
      const ticket = (pending = {});
      drawing.setAttribute("aria-busy", "true");
      try {
        const data = await gql(QUERY, { finess: ctx.finess });
        if (ticket !== pending) return;
        entries = data.timeline;
        draw(start);
      } finally {
        if (ticket === pending) drawing.setAttribute("aria-busy", "false");
      }
    },
    svg: () => svg.node(),
    scene: () => scene.node(),
    entries: () => entries,
    data(format, params) {
      if (format === "json") return `/api/v1/structures/${encodeURIComponent(ctx.finess)}/timeline`;
      return null; // CSV is written in the browser (exports.js); a timeline is not a graph: no GraphML
    },
    destroy() {
      pending = null;
      drawing.replaceChildren();
    },
  };
}
