// The search page: autocomplete, filters, a page of results at a time; its state lives in the URL.
import { gql, onBusy } from "./api.js";
import { SEARCH, autocomplete, place, structureKey } from "./autocomplete.js";
import { KINDS, codeLabel, el, frenchNumber } from "./labels.js";
import { readState, writeState } from "./state.js";

const PAGE = 20;
const form = document.getElementById("recherche");
const input = document.getElementById("q");
const results = document.getElementById("resultats");
const status = document.getElementById("etat");
const error = document.getElementById("erreur");
const previous = document.getElementById("precedent");
const next = document.getElementById("suivant");
const pageLabel = document.getElementById("page");

let state = readState({ kinds: [], page: 1 });
let cursors = []; // the `after` cursor of each page seen, to go back

onBusy((busy) => {
  results.setAttribute("aria-busy", String(busy));
  if (busy) status.textContent = "Recherche en cours…";
});

function fill() {
  input.value = state.q || "";
  for (const box of form.querySelectorAll("input[name=type]")) box.checked = (state.kinds || []).includes(box.value);
  form.elements.departement.value = state.department || "";
  form.elements.region.value = state.region || "";
  form.elements.commune.value = state.commune || "";
  form.elements.categorie.value = state.category || "";
  form.elements.au.value = state.asOf || "";
}

function read() {
  return {
    q: input.value.trim(),
    kinds: [...form.querySelectorAll("input[name=type]:checked")].map((box) => box.value),
    department: form.elements.departement.value.trim(),
    region: form.elements.region.value.trim(),
    commune: form.elements.commune.value.trim(),
    category: form.elements.categorie.value.trim(),
    asOf: form.elements.au.value,
    page: 1,
    after: null,
  };
}

function structureHref(node) {
  return `/structures/${encodeURIComponent(structureKey(node))}${state.asOf ? `?au=${state.asOf}` : ""}`;
}

function row(node) {
  const details = [
    structureKey(node),
    KINDS[node.kind]?.label,
    place(node),
    node.category && codeLabel(node.category),
    node.legalStatus && codeLabel(node.legalStatus),
    node.legalEntity && `rattaché à ${node.legalEntity.name}`,
  ].filter(Boolean);
  return el(
    "li",
    { class: `result kind-${node.kind}` },
    el("a", { href: structureHref(node), class: "result-name", text: node.name || structureKey(node) }),
    el("span", { class: "result-meta", text: details.join(" · ") }),
  );
}

async function run() {
  error.hidden = true;
  const criteria = state.q || state.kinds?.length || state.department || state.region || state.commune || state.category;
  if (!criteria) {
    results.replaceChildren();
    status.textContent = "Saisissez un nom, un numéro ou choisissez un filtre.";
    previous.disabled = next.disabled = true;
    pageLabel.textContent = "";
    return;
  }
  try {
    const data = await gql(SEARCH, {
      text: state.q || null,
      kinds: state.kinds?.length ? state.kinds : null,
      department: state.department || null,
      region: state.region || null,
      commune: state.commune || null,
      category: state.category || null,
      asOf: state.asOf || null,
      first: PAGE,
      after: state.after || null,
    });
    const found = data.search;
    results.replaceChildren(...found.edges.map((edge) => row(edge.node)));
    const total = found.totalCount;
    const page = state.page || 1;
    const pages = Math.max(1, Math.ceil(total / PAGE));
    status.textContent =
      total === 0
        ? "Aucune structure ne correspond à cette recherche."
        : `${frenchNumber(total)} structure${total > 1 ? "s" : ""} trouvée${total > 1 ? "s" : ""}.`;
    pageLabel.textContent = total ? `Page ${page} sur ${frenchNumber(pages)}` : "";
    previous.disabled = page <= 1;
    next.disabled = !found.pageInfo.hasNextPage;
    next.dataset.cursor = found.pageInfo.endCursor || "";
  } catch (e) {
    results.replaceChildren();
    status.textContent = "";
    error.textContent = e.message;
    error.hidden = false;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  state = read();
  cursors = [];
  writeState(state, { push: true });
  run();
});
next.addEventListener("click", () => {
  cursors.push(state.after || null);
  state = { ...state, after: next.dataset.cursor, page: (state.page || 1) + 1 };
  writeState(state, { push: true });
  run();
});
previous.addEventListener("click", () => {
  // Cursors are opaque: going back needs the ones seen; after a reload, back is the first page.
  const after = cursors.length ? cursors.pop() : null;
  const page = after ? Math.max(2, (state.page || 1) - 1) : 1;
  state = { ...state, after, page };
  writeState(state, { push: true });
  run();
});
window.addEventListener("popstate", () => {
  state = readState({ kinds: [], page: 1 });
  fill();
  run();
});

autocomplete(input, document.getElementById("suggestions"), {
  asOf: () => form.elements.au.value,
  onChoose: (node) => {
    const at = form.elements.au.value;
    window.location.assign(`/structures/${encodeURIComponent(structureKey(node))}${at ? `?au=${at}` : ""}`);
  },
});

fill();
run();
