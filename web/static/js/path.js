// The path page: the shortest paths between two chosen structures at a date, drawn and highlighted.
import { ApiError, gql, onBusy } from "./api.js";
import { autocomplete, structureKey } from "./autocomplete.js";
import { wireExports } from "./exports.js";
import { createGraph } from "./graphview.js";
import { el, frenchDate } from "./labels.js";
import { begin, rendered } from "./perf.js";
import { readState, writeState } from "./state.js";

const PATH = `query Path($from: String!, $to: String!, $asOf: Date) { path(from: $from, to: $to, asOf: $asOf) { graph } }`;
const form = document.getElementById("chemin");
const from = document.getElementById("de");
const to = document.getElementById("a");
const dateInput = document.getElementById("au");
const drawing = document.getElementById("dessin");
const details = document.getElementById("details");
const status = document.getElementById("etat");
const error = document.getElementById("erreur");
const info = el("div");
const legend = el("div");
details.replaceChildren(info, legend);
let state = readState({});
const chosen = { from: state.from || "", to: state.to || "" };
onBusy((busy) => {
  if (busy) status.textContent = "Recherche du chemin…";
});

const graph = createGraph(drawing, info, legend, {
  onExpand: (node) => {
    const key = node.finess || node.id;
    if (node.finess || /^gc[co]:/.test(node.id)) window.location.assign(`/structures/${encodeURIComponent(key)}${state.asOf ? `?au=${state.asOf}` : ""}`);
  },
});

async function run() {
  error.hidden = true;
  if (!state.from || !state.to) {
    status.textContent = "Choisissez deux structures.";
    return;
  }
  const start = begin("chemin");
  try {
    const data = await gql(PATH, { from: state.from, to: state.to, asOf: state.asOf || null });
    const at = state.asOf ? ` au ${frenchDate(state.asOf)}` : "";
    if (!data.path) throw new ApiError(`L'une des deux structures n'est pas connue du répertoire${at}.`, "NOT_FOUND");
    const doc = data.path.graph;
    graph.setData(doc.nodes, doc.links, { root: doc.graph.root, path: doc.graph.paths, refit: true });
    rendered("chemin", start, drawing, { noeuds: doc.nodes.length, chemins: doc.graph.paths.length });
    status.textContent = doc.graph.paths.length
      ? `${doc.graph.paths.length} chemin${doc.graph.paths.length > 1 ? "s" : ""} de ${doc.graph.paths[0].length - 1} lien${doc.graph.paths[0].length > 2 ? "s" : ""}${at}.`
      : `Aucun chemin de six liens au plus ne relie ces deux structures${at}.`;
  } catch (e) {
    status.textContent = "";
    error.textContent = e instanceof ApiError ? e.message : "Une erreur inattendue est survenue dans la page ; rechargez-la.";
    error.hidden = false;
  }
}

autocomplete(from, document.getElementById("suggestions-de"), { asOf: () => dateInput.value, onChoose: (n) => { from.value = n.name || structureKey(n); chosen.from = structureKey(n); } });
autocomplete(to, document.getElementById("suggestions-a"), { asOf: () => dateInput.value, onChoose: (n) => { to.value = n.name || structureKey(n); chosen.to = structureKey(n); } });
from.addEventListener("input", () => (chosen.from = ""));
to.addEventListener("input", () => (chosen.to = ""));
form.addEventListener("submit", (event) => {
  event.preventDefault();
  // A number typed without choosing a suggestion is taken as is.
  state = { from: chosen.from || from.value.trim(), to: chosen.to || to.value.trim(), asOf: dateInput.value || null };
  writeState(state, { push: true });
  run();
});
wireExports(
  document.querySelector(".exports"),
  () => ({
    svg: () => graph.svg(),
    scene: () => graph.scene(),
    data: (format, params) => `/api/v1/path${params({ from: state.from, to: state.to, as_of: state.asOf, format })}`,
  }),
  () => `chemin-${state.from}-${state.to}`.replaceAll(":", "-"),
  (e) => {
    error.textContent = e.message;
    error.hidden = false;
  },
);
from.value = state.from || "";
to.value = state.to || "";
dateInput.value = state.asOf || "";
run();
