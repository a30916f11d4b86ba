// A view's state in its URL: every view reopens exactly from its address (history.replaceState/pushState).

/** Parameter names in the URL, French like the rest of the interface, and their types. */
const FIELDS = {
  view: { param: "vue", type: "string" },
  asOf: { param: "au", type: "string" },
  depth: { param: "profondeur", type: "int" },
  relations: { param: "relations", type: "list" },
  groupBy: { param: "regrouper", type: "string" },
  toggled: { param: "bascules", type: "list" },
  expanded: { param: "etendus", type: "list" },
  target: { param: "vers", type: "string" },
  limit: { param: "limite", type: "int" },
  selected: { param: "choix", type: "string" },
  from: { param: "de", type: "string" },
  to: { param: "a", type: "string" },
  q: { param: "q", type: "string" },
  kinds: { param: "types", type: "list" },
  department: { param: "departement", type: "string" },
  region: { param: "region", type: "string" },
  commune: { param: "commune", type: "string" },
  category: { param: "categorie", type: "string" },
  after: { param: "apres", type: "string" },
  page: { param: "page", type: "int" },
};

/** The state written in the current URL, over `defaults`. */
export function readState(defaults = {}) {
  const params = new URLSearchParams(window.location.search);
  const state = { ...defaults };
  for (const [key, { param, type }] of Object.entries(FIELDS)) {
    if (!params.has(param)) continue;
    const raw = params.get(param);
    if (type === "int") {
      const n = Number.parseInt(raw, 10);
      if (Number.isFinite(n)) state[key] = n;
    } else if (type === "list") {
      state[key] = raw ? raw.split(",").filter(Boolean) : [];
    } else {
      state[key] = raw;
    }
  }
  return state;
}

/** The query string of a state (keys absent from FIELDS, null and empty values left out). */
export function stateQuery(state) {
  const params = new URLSearchParams();
  for (const [key, { param, type }] of Object.entries(FIELDS)) {
    const value = state[key];
    if (value === null || value === undefined || value === "") continue;
    if (type === "list") {
      if (!Array.isArray(value)) continue;
      params.set(param, value.join(","));
    } else {
      params.set(param, String(value));
    }
  }
  const text = params.toString().replaceAll("%2C", ",").replaceAll("%3A", ":");
  return text ? `?${text}` : "";
}

/** Write a state into the address bar: a new history entry when `push`, else in place. */
export function writeState(state, { push = false, path = window.location.pathname } = {}) {
  const url = path + stateQuery(state);
  if (url === window.location.pathname + window.location.search) return;
  if (push) window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
}
