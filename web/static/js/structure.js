// The structure page: its record and its views (organigram, ecosystem, chronology) as of a date,
// everything in the URL so that the address reopens the same view.
import { ApiError, frenchError, gql, onBusy } from "./api.js";
import { mountEcosystem } from "./ecosystem.js";
import { wireExports } from "./exports.js";
import { STRUCTURE, renderFiche } from "./fiche.js";
import { KINDS, el, frenchDate } from "./labels.js";
import { mountOrganigram } from "./organigram.js";
import { begin } from "./perf.js";
import { readState, writeState } from "./state.js";
import { mountTimeline } from "./timeline.js";

const VIEWS = { organigramme: mountOrganigram, ecosysteme: mountEcosystem, chronologie: mountTimeline };
const ALL = "tout"; // the date value meaning "everything ever loaded, closed structures included"
const page = document.getElementById("structure");
const finess = page.dataset.finess;
const heading = document.getElementById("nom");
const fiche = document.getElementById("fiche");
const status = document.getElementById("etat");
const error = document.getElementById("erreur");
const dateInput = document.getElementById("au");
const drawing = document.getElementById("dessin");
const toolbar = document.getElementById("outils");
const details = document.getElementById("details");
const views = page.querySelector(".views");
const tabs = [...page.querySelectorAll("[role=tab]")];

let state = readState({ view: "organigramme" });
let view = null;
let message = "";
let latest = null; // the store's latest snapshot date

onBusy((busy) => {
  document.body.classList.toggle("busy", busy);
  status.textContent = busy ? "Chargement…" : message;
});

function asOf() {
  return state.asOf && state.asOf !== ALL ? state.asOf : null;
}

function setStatus(text) {
  message = text;
  status.textContent = text;
}

function fail(e) {
  const text = e instanceof ApiError ? e.message : "Une erreur inattendue est survenue dans la page ; rechargez-la, puis signalez-la si elle persiste.";
  if (!(e instanceof ApiError)) console.error(e); // eslint-disable-line no-console
  error.textContent = text;
  error.hidden = false;
}

const ctx = {
  finess,
  drawing,
  toolbar,
  details,
  state: () => ({ ...state, asOf: asOf() }),
  status: setStatus,
  fail,
  notFound: () => frenchError("NOT_FOUND", "", { finess, asOf: asOf() }),
  /** Change the state; write it in the URL; draw again unless told not to. */
  set(patch, { push = false, rerender = true, dateChange = false } = {}) {
    const start = dateChange || "asOf" in patch ? begin("date") : null;
    const dateChanged = "asOf" in patch && patch.asOf !== state.asOf;
    state = { ...state, ...patch };
    if ("asOf" in patch && !state.asOf) state.asOf = ALL;
    writeState(state, { push });
    if (!rerender) return;
    if (dateChanged) refresh(start, { viewFirst: true });
    else if ("view" in patch) showView(start);
    else run(view && view.update(start));
  },
};

async function run(promise) {
  error.hidden = true;
  try {
    await promise;
  } catch (e) {
    fail(e);
  }
}

async function loadFiche() {
  const at = asOf();
  const data = await gql(STRUCTURE, { finess, asOf: at });
  const s = data.structure;
  if (!s) {
    fiche.hidden = true;
    views.hidden = true;
    heading.textContent = `Structure ${finess}`;
    throw new ApiError(frenchError("NOT_FOUND", "", { finess, asOf: at }), "NOT_FOUND");
  }
  views.hidden = false;
  document.title = `${s.name || finess} · Explorateur FINESS+`;
  heading.replaceChildren(
    s.name || s.finess || finess,
    " ",
    el("span", { class: `badge kind-${s.kind}`, text: KINDS[s.kind]?.label || s.kind }),
  );
  fiche.replaceChildren(...renderFiche(s, at));
  fiche.hidden = false;
}

function showView(start) {
  const name = VIEWS[state.view] ? state.view : "organigramme";
  for (const tab of tabs) {
    const selected = tab.dataset.view === name;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
  }
  if (!view || view.name !== name) {
    if (view) view.destroy();
    drawing.replaceChildren();
    toolbar.replaceChildren();
    details.replaceChildren();
    setStatus("");
    view = VIEWS[name](ctx);
  }
  return run(view.update(start));
}

async function refresh(start, { viewFirst = false } = {}) {
  dateInput.value = asOf() || "";
  error.hidden = true;
  // After a date change the view is drawn first, then the record (the server answers one at a time
  // faster than both at once); on opening, both are asked at once.
  const record = viewFirst ? null : loadFiche();
  if (record) record.catch(() => {});
  if (!viewFirst) {
    try {
      await record;
    } catch (e) {
      fail(e);
      return;
    }
    await showView(start);
    return;
  }
  await showView(start);
  try {
    await loadFiche();
  } catch (e) {
    fail(e);
  }
}

dateInput.addEventListener("change", () => {
  if (dateInput.value && !/^\d{4}-\d{2}-\d{2}$/.test(dateInput.value)) return;
  ctx.set({ asOf: dateInput.value || ALL }, { push: true, dateChange: true });
});
document.getElementById("date").addEventListener("submit", (event) => event.preventDefault());
document.getElementById("au-dernier").addEventListener("click", () => ctx.set({ asOf: latest || ALL }, { push: true, dateChange: true }));
document.getElementById("au-tout").addEventListener("click", () => ctx.set({ asOf: ALL }, { push: true, dateChange: true }));
for (const tab of tabs) {
  tab.addEventListener("click", () => ctx.set({ view: tab.dataset.view }, { push: true }));
  tab.addEventListener("keydown", (event) => {
    const i = tabs.indexOf(tab);
    const next = event.key === "ArrowRight" ? tabs[(i + 1) % tabs.length] : event.key === "ArrowLeft" ? tabs[(i - 1 + tabs.length) % tabs.length] : null;
    if (next) {
      event.preventDefault();
      next.focus();
      next.click();
    }
  });
}
wireExports(page.querySelector(".exports"), () => view, () => `${finess.replace(":", "-")}-${view.name}-${asOf() || "historique"}`, fail);
window.addEventListener("popstate", () => {
  const before = state;
  state = readState({ view: "organigramme", asOf: latest || ALL });
  if (before.asOf !== state.asOf) refresh(begin("date"));
  else if (before.view !== state.view) showView();
  else run(view && view.update());
});

async function start() {
  latest = page.dataset.dernier || null;
  document.getElementById("au-dernier").title = latest ? `Le ${frenchDate(latest)}, date du dernier fichier chargé` : "";
  if (!state.asOf) state.asOf = latest || ALL;
  writeState(state);
  dateInput.value = asOf() || "";
  // The record and the view are asked at once; an unknown structure is told by the record.
  const view = showView(null);
  try {
    await loadFiche();
  } catch (e) {
    fail(e);
  }
  await view;
}
start();
