// The ecosystem view: what surrounds a structure (GraphQL `ecosystem { graph }`), expandable node by node,
// filtered by relation type, to a chosen depth, with the path to a second structure highlighted.
import { gql } from "./api.js";
import { autocomplete, structureKey } from "./autocomplete.js";
import { createGraph, isStructure } from "./graphview.js";
import { DEFAULT_RELATIONS, RELATIONS, count, el, frenchDate, frenchNumber } from "./labels.js";
import { begin, received, rendered } from "./perf.js";

const ECOSYSTEM = `query Ecosystem($finess: String!, $depth: Int!, $asOf: Date, $relations: [RelationType!], $limit: Int!) {
  ecosystem(finess: $finess, depth: $depth, asOf: $asOf, relations: $relations, limit: $limit) { graph }
}`;
const PATH = `query Path($from: String!, $to: String!, $asOf: Date) {
  path(from: $from, to: $to, asOf: $asOf) { graph }
}`;
export const LIMITS = [100, 250, 500, 1000, 2000];

/** Merge node-link documents: the first one seen of a node keeps its depth; links once per key. */
export function merge(documents) {
  const nodes = new Map();
  const links = new Map();
  for (const doc of documents) {
    if (!doc) continue;
    for (const n of doc.nodes) if (!nodes.has(n.id)) nodes.set(n.id, n);
    for (const l of doc.links) links.set(`${l.source}|${l.target}|${l.key}`, l);
  }
  return { nodes: [...nodes.values()], links: [...links.values()] };
}

/** Mount the ecosystem view; `ctx` as for the organigram. */
export function mountEcosystem(ctx) {
  const { drawing, toolbar, details } = ctx;
  const info = el("div", { class: "node-info" });
  const legend = el("div", { class: "legend-box" });
  const pathInfo = el("div", { class: "path-info", "aria-live": "polite" });
  details.replaceChildren(info, pathInfo, legend);
  let pending = null;
  let rootId = null;
  let base = null;

  const depthSelect = el("select", { id: "eco-profondeur" }, [1, 2, 3, 4].map((d) => el("option", { value: d, text: String(d) })));
  const limitSelect = el("select", { id: "eco-limite" }, LIMITS.map((n) => el("option", { value: n, text: frenchNumber(n) })));
  const relationBoxes = Object.entries(RELATIONS).map(([type, text]) =>
    el("label", { class: "relation" }, el("input", { type: "checkbox", name: "relation", value: type }), ` ${text}`),
  );
  const relations = el("fieldset", { class: "relations" }, el("legend", { text: "Types de relation suivis" }), relationBoxes);
  const targetInput = el("input", { id: "eco-vers", type: "search", role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": "eco-vers-liste", placeholder: "nom ou numéro FINESS" });
  const targetList = el("ul", { id: "eco-vers-liste", class: "suggestions", role: "listbox", "aria-label": "Suggestions", hidden: true });
  const clearPath = el("button", { type: "button", text: "Effacer le chemin" });
  const unpin = el("button", { type: "button", text: "Libérer tous les nœuds" });
  const fit = el("button", { type: "button", text: "Recadrer" });
  toolbar.replaceChildren(
    el("label", { for: "eco-profondeur" }, "Profondeur"),
    depthSelect,
    el("label", { for: "eco-limite" }, "Nœuds au plus"),
    limitSelect,
    el("div", { class: "combo inline" }, el("label", { for: "eco-vers" }, "Chemin jusqu'à"), targetInput, targetList),
    clearPath,
    unpin,
    fit,
    relations,
    el("span", { class: "hint", text: "Clic ou Entrée : étendre un nœud · glisser : épingler · P : épingler ou libérer · flèches : passer d'un nœud à l'autre" }),
  );
  depthSelect.addEventListener("change", () => ctx.set({ depth: Number(depthSelect.value), expanded: [] }, { push: true }));
  limitSelect.addEventListener("change", () => ctx.set({ limit: Number(limitSelect.value) }, { push: true }));
  relations.addEventListener("change", () => {
    const chosen = relationBoxes.map((l) => l.firstChild).filter((box) => box.checked).map((box) => box.value);
    ctx.set({ relations: chosen.length ? chosen : ["ATTACHED_TO"], expanded: [] }, { push: true });
  });
  clearPath.addEventListener("click", () => ctx.set({ target: null }, { push: true }));
  unpin.addEventListener("click", () => graph.unpinAll());
  fit.addEventListener("click", () => graph.fit());
  autocomplete(targetInput, targetList, {
    asOf: () => ctx.state().asOf,
    onChoose: (node) => {
      targetInput.value = node.name || structureKey(node);
      ctx.set({ target: structureKey(node) }, { push: true });
    },
  });

  const graph = createGraph(drawing, info, legend, {
    onExpand: (node) => expand(node),
    extra: (node) => {
      const at = ctx.state().asOf;
      const key = node.finess || node.id;
      return isStructure(node)
        ? [
            node.expanded ? el("p", { text: "Ses voisins sont affichés." }) : el("p", { class: "hint", text: "Cliquez ou appuyez sur Entrée pour afficher ses voisins." }),
            el("a", { href: `/structures/${encodeURIComponent(key)}${at ? `?au=${at}` : ""}`, text: "Ouvrir sa fiche" }),
          ]
        : [];
    },
  });

  function variables(state) {
    return {
      asOf: state.asOf || null,
      relations: state.relations && state.relations.length ? state.relations : null,
      limit: state.limit || 500,
    };
  }

  async function neighbours(id, state) {
    const data = await gql(ECOSYSTEM, { finess: id, depth: 1, ...variables(state) });
    return data.ecosystem.graph;
  }

  function show(docs, state, start, refit) {
    const merged = merge(docs.docs);
    const expanded = new Set(state.expanded || []);
    for (const n of merged.nodes) n.expanded = n.id === rootId || expanded.has(n.id);
    const paths = docs.path ? docs.path.graph.paths : [];
    const counts = graph.setData(merged.nodes, merged.links, { root: rootId, path: paths, refit });
    rendered("ecosysteme", start, drawing, { noeuds: counts.nodes, liens: counts.links, etendus: expanded.size });
    graph.onSettled(() => performance.mark("rendu:ecosysteme:stable"));
    return counts;
  }

  let current = null; // the documents shown: base, expansions, path

  async function expand(node) {
    if (!isStructure(node)) {
      info.append(el("p", { class: "hint", text: "Seules les structures (entités juridiques, établissements, groupements) peuvent être étendues." }));
      return;
    }
    if (node.expanded || !current) return;
    const start = begin("ecosysteme");
    const state = ctx.state();
    try {
      const doc = await neighbours(node.finess || node.id, state);
      for (const n of doc.nodes) n.depth = (node.depth || 0) + (n.depth || 0);
      current.docs.push(doc);
      const expanded = [...(state.expanded || []), node.finess || node.id];
      ctx.set({ expanded }, { rerender: false });
      show(current, ctx.state(), start, false);
    } catch (e) {
      ctx.fail(e);
    }
  }

  function describePath(state, path) {
    if (!state.target) {
      pathInfo.replaceChildren();
      return;
    }
    targetInput.value = targetInput.value || state.target;
    if (!path) return;
    const at = state.asOf ? ` au ${frenchDate(state.asOf)}` : "";
    const found = path.graph.paths;
    if (!found.length) {
      pathInfo.replaceChildren(el("p", { class: "error", text: `Aucun chemin de six liens au plus ne relie ces deux structures${at}.` }));
      return;
    }
    const names = new Map(path.graph.nodes.map((n) => [n.id, n.name || n.id]));
    pathInfo.replaceChildren(
      el("h3", { text: `Chemin${found.length > 1 ? "s" : ""} le${found.length > 1 ? "s" : ""} plus court${found.length > 1 ? "s" : ""} (${found[0].length - 1} lien${found[0].length > 2 ? "s" : ""})` }),
      el("ol", { class: "paths" }, found.map((ids) => el("li", { text: ids.map((id) => names.get(id)).join(" → ") }))),
    );
  }

  return {
    name: "ecosysteme",
    async update(startMark) {
      const state = ctx.state();
      const start = startMark || begin("ecosysteme");
      depthSelect.value = String(state.depth || 2);
      limitSelect.value = String(state.limit || 500);
      const chosen = new Set(state.relations && state.relations.length ? state.relations : DEFAULT_RELATIONS);
      for (const label of relationBoxes) label.firstChild.checked = chosen.has(label.firstChild.value);
      const ticket = (pending = {});
      drawing.setAttribute("aria-busy", "true");
      // The layout of what is shown is about to be replaced: its animation would only compete with the
      // request and the new drawing for the page's one thread (setData starts it again).
      graph.stop();
      try {
        const vars = variables(state);
        const [main, pathData, ...more] = await Promise.all([
          gql(ECOSYSTEM, { finess: ctx.finess, depth: state.depth || 2, ...vars }),
          state.target ? gql(PATH, { from: ctx.finess, to: state.target, asOf: vars.asOf }, { finess: state.target }).catch(() => null) : null,
          ...(state.expanded || []).map((id) => neighbours(id, state).catch(() => null)), // gone at this date: skipped
        ]);
        if (ticket !== pending) return;
        received("ecosysteme");
        base = main.ecosystem.graph;
        rootId = base.graph.root;
        const depthOf = new Map(base.nodes.map((n) => [n.id, n.depth]));
        for (const doc of more) if (doc) for (const n of doc.nodes) n.depth = (depthOf.get(doc.graph.root) || 0) + n.depth;
        current = { docs: [base, ...more, pathData ? pathData.path?.graph : null].filter(Boolean), path: pathData?.path || null };
        describePath(state, current.path);
        if (state.target && pathData === null) pathInfo.replaceChildren(el("p", { class: "error", text: `La structure « ${state.target} » n'est pas connue à cette date : aucun chemin à montrer.` }));
        const counts = show(current, state, start, true);
        ctx.status(
          base.graph.truncated
            ? `${count(counts.nodes, "nœud affiché", "nœuds affichés")} : le plafond a coupé la réponse ; étendez un nœud pour voir ses voisins.`
            : `${count(counts.nodes, "nœud")} et ${count(counts.links, "lien")}.`,
        );
      } finally {
        if (ticket === pending) drawing.setAttribute("aria-busy", "false");
      }
    },
    svg: () => graph.svg(),
    scene: () => graph.scene(),
    data(format, params) {
      const state = ctx.state();
      return `/api/v1/structures/${encodeURIComponent(ctx.finess)}/ecosystem${params({ format, as_of: state.asOf, depth: state.depth || 2, relation: state.relations, limit: state.limit || 500 })}`;
    },
    destroy() {
      pending = null;
      graph.stop();
      drawing.replaceChildren();
    },
  };
}
