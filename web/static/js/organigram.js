// The organigram: a collapsible D3 tree (zoom, pan, keyboard) of GraphQL `organigram { tree }`.
// Large fan-outs are grouped (by category, département or activity) and shown a page at a time.
import { ApiError, gql } from "./api.js";
import { KINDS, ROLES, departmentOf, el, frenchNumber } from "./labels.js";
import { begin, received, rendered } from "./perf.js";

export const GROUP_ABOVE = 40; // more children than this are grouped
export const PAGE = 40; // children shown at first in a group, then "N de plus"
export const FOLD_ACTIVITIES_ABOVE = 300; // in a tree of more boxes, establishments start folded
const STEP = 100; // what each "N de plus" reveals
export const MAX_GROUPS = 120; // more groups than this (or three children or fewer a group): pages instead
const ROW = 26;
const COLUMN = 270;
const BOX_WIDTH = 232;
const BOX_HEIGHT = 20;
const ACTIVITY_KINDS = new Set(["AUTHORIZED_ACTIVITY", "OPERATED_ACTIVITY"]);
const QUERY = `query Organigram($finess: String!, $asOf: Date, $depth: Int!) {
  organigram(finess: $finess, asOf: $asOf, depth: $depth) { tree }
}`;

function groupOf(child, groupBy) {
  if (ACTIVITY_KINDS.has(child.kind)) return { code: child.name || "?", label: child.name || "Activité sans libellé" };
  if (groupBy === "departement") {
    const dep = departmentOf(child.finess);
    return { code: dep || "?", label: dep ? `Département ${dep}` : "Département inconnu" };
  }
  const code = child.category;
  const label = child.labels && child.labels.category;
  if (!code) return { code: "?", label: KINDS[child.kind]?.plural || "Sans catégorie" };
  return { code, label: label ? `${label} (${code})` : `Catégorie ${code}` };
}

function count(raw) {
  let n = 1;
  for (const child of raw.children || []) n += count(child);
  return n;
}

function short(text, size = 34) {
  const clean = (text || "").replace(/\s+/g, " ").trim();
  return clean.length > size ? `${clean.slice(0, size - 1)}…` : clean;
}

/** Mount the organigram in `ctx.drawing`; `ctx.state()` is the page's state, `ctx.set(patch)` changes it. */
export function mountOrganigram(ctx) {
  const { drawing, toolbar, details } = ctx;
  let raw = null; // the tree as the API gave it (grafts included)
  let boxes = 0;
  let focusKey = null;
  let transform = null;
  let pending = null;

  const depthSelect = el("select", { id: "org-profondeur" }, [1, 2, 3, 4].map((d) => el("option", { value: d, text: String(d) })));
  const groupSelect = el(
    "select",
    { id: "org-regrouper" },
    el("option", { value: "categorie", text: "par catégorie" }),
    el("option", { value: "departement", text: "par département" }),
    el("option", { value: "aucun", text: "sans regrouper" }),
  );
  const unfold = el("button", { type: "button", text: "Tout déplier" });
  const fold = el("button", { type: "button", text: "Tout replier" });
  const fit = el("button", { type: "button", text: "Recadrer" });
  toolbar.replaceChildren(
    el("label", { for: "org-profondeur" }, "Niveaux"),
    depthSelect,
    el("label", { for: "org-regrouper" }, `Au-delà de ${GROUP_ABOVE} enfants, regrouper`),
    groupSelect,
    unfold,
    fold,
    fit,
    el("span", { class: "hint", text: "Entrée : déplier ou replier · flèches : se déplacer · glisser : déplacer · molette : zoomer" }),
  );
  depthSelect.addEventListener("change", () => ctx.set({ depth: Number(depthSelect.value), toggled: [] }, { push: true }));
  groupSelect.addEventListener("change", () => ctx.set({ groupBy: groupSelect.value, toggled: [] }, { push: true }));

  const svg = d3.select(drawing).append("svg").attr("class", "organigram").attr("role", "tree").attr("aria-label", "Organigramme");
  const scene = svg.append("g").attr("class", "scene");
  const linkLayer = scene.append("g").attr("fill", "none").attr("stroke", "#9aa5b1").attr("stroke-width", 1.2);
  const nodeLayer = scene.append("g").attr("font-family", "system-ui, sans-serif").attr("font-size", 11);
  const zoom = d3.zoom().scaleExtent([0.1, 3]).on("zoom", (event) => {
    transform = event.transform;
    scene.attr("transform", transform);
  });
  svg.call(zoom).on("dblclick.zoom", null);

  function toggledSet() {
    return new Set(ctx.state().toggled || []);
  }

  // The tree drawn: structure and activity boxes, group boxes, "N de plus" boxes.
  function display() {
    const state = ctx.state();
    const groupBy = state.groupBy || "categorie";
    const toggled = toggledSet();
    const foldStructures = boxes > FOLD_ACTIVITIES_ABOVE;
    const shownOf = (key) => {
      for (const t of toggled) if (t.startsWith(`${key}*`)) return Number(t.slice(key.length + 1)) || PAGE;
      return PAGE;
    };
    function page(parentKey, items, makeChild) {
      const shown = shownOf(parentKey);
      const out = items.slice(0, shown).map(makeChild);
      if (items.length > shown) {
        out.push({ key: `${parentKey}~plus`, kind: "MORE", name: `${frenchNumber(items.length - shown)} de plus`, reveal: { key: parentKey, to: shown + STEP }, children: [] });
      }
      return out;
    }
    function make(node, parentKey) {
      const key = node.id;
      const item = { key, kind: node.kind, name: node.name, finess: node.finess, role: node.role, category: node.category, labels: node.labels, childCount: node.childCount, raw: node };
      const children = node.children || [];
      let shown;
      const groups = children.length > GROUP_ABOVE && groupBy !== "aucun" ? d3.groups(children, (c) => groupOf(c, groupBy).code) : [];
      // Grouping helps only with a few big groups; else (activities, scattered categories) pages do.
      if (groups.length && groups.length <= MAX_GROUPS && groups.length <= children.length / 3) {
        groups.sort((a, b) => d3.ascending(groupOf(a[1][0], groupBy).label, groupOf(b[1][0], groupBy).label));
        shown = groups.map(([code, members]) => {
          const gkey = `${key}~${groupBy}:${code}`;
          const open = toggled.has(gkey) !== (groups.length === 1);
          const group = { key: gkey, kind: "GROUP", name: `${groupOf(members[0], groupBy).label} — ${frenchNumber(members.length)}`, childCount: members.length, members };
          group.all = page(gkey, members, (c) => make(c, gkey));
          group.children = open ? group.all : null;
          return group;
        });
      } else {
        shown = page(key, children, (c) => make(c, key));
      }
      const foldedByDefault = foldStructures && node.kind === "ESTABLISHMENT";
      const open = toggled.has(key) === foldedByDefault;
      item.all = shown;
      item.children = open && shown.length ? shown : null;
      if (!children.length && node.more > 0) {
        item.all = [{ key: `${key}~charger`, kind: "MORE", name: `${frenchNumber(node.more)} de plus`, load: node, children: [] }];
        item.children = item.all;
      }
      return item;
    }
    return make(raw, "");
  }

  function label(d) {
    const data = d.data;
    if (data.kind === "MORE") return data.name;
    const role = data.role === "S" ? "★ " : "";
    return role + short(data.name || data.finess || data.key);
  }

  function describe(d) {
    const data = d.data;
    const kind = KINDS[data.kind]?.label || "";
    const parts = [kind, data.name, data.finess && `FINESS ${data.finess}`, data.role && ROLES[data.role]];
    if (data.all && data.all.length) parts.push(`${frenchNumber(data.childCount ?? data.all.length)} sous-éléments, ${data.children ? "dépliés" : "repliés"}`);
    return parts.filter(Boolean).join(", ");
  }

  function showDetails(d) {
    const data = d.data;
    if (!data || data.kind === "MORE") return;
    const rows = [
      ["Nature", KINDS[data.kind]?.label],
      ["Numéro FINESS", data.finess],
      ["Rôle", data.role && ROLES[data.role]],
      ["Catégorie", data.labels?.category ? `${data.labels.category} (${data.category})` : data.category],
      ["Sous-éléments", data.childCount !== undefined ? frenchNumber(data.childCount) : null],
    ].filter(([, v]) => v);
    const at = ctx.state().asOf;
    details.replaceChildren(
      el("h3", { text: data.name || data.finess || "" }),
      el("dl", {}, rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })])),
      data.finess && data.kind !== "GROUP"
        ? el("a", { href: `/structures/${encodeURIComponent(data.finess)}${at ? `?au=${at}` : ""}`, text: "Ouvrir sa fiche" })
        : null,
    );
  }

  async function activate(d) {
    const data = d.data;
    focusKey = data.key;
    if (data.reveal) {
      const toggled = (ctx.state().toggled || []).filter((t) => !t.startsWith(`${data.reveal.key}*`));
      toggled.push(`${data.reveal.key}*${data.reveal.to}`);
      ctx.set({ toggled }, { rerender: false });
      focusKey = data.key.replace(/~plus$/, "");
      draw();
      return;
    }
    if (data.load) {
      const start = begin("organigramme");
      const found = await gql(QUERY, { finess: data.load.finess || data.load.id, asOf: ctx.state().asOf || null, depth: 2 });
      if (found.organigram) {
        data.load.children = found.organigram.tree.children;
        data.load.more = 0;
        boxes = count(raw);
      }
      draw(start);
      return;
    }
    if (!data.all || !data.all.length) return;
    const toggled = new Set(ctx.state().toggled || []);
    if (toggled.has(data.key)) toggled.delete(data.key);
    else toggled.add(data.key);
    ctx.set({ toggled: [...toggled] }, { rerender: false });
    draw();
  }

  function draw(startMark = null) {
    const root = d3.hierarchy(display(), (d) => d.children);
    d3.tree().nodeSize([ROW, COLUMN]).separation(() => 1)(root);
    const nodes = [];
    root.eachBefore((d) => nodes.push(d)); // pre-order: the order of tabbing and of arrow keys
    const links = root.links();

    linkLayer
      .selectAll("path")
      .data(links, (l) => l.target.data.key)
      .join("path")
      .attr("d", (l) => `M${l.source.y + BOX_WIDTH},${l.source.x}H${l.source.y + BOX_WIDTH + 16}V${l.target.x}H${l.target.y}`);

    const focusTarget = nodes.find((d) => d.data.key === focusKey) || nodes[0];
    const boxesSel = nodeLayer
      .selectAll("g.box")
      .data(nodes, (d) => d.data.key)
      .join((enter) => {
        const g = enter.append("g").attr("class", "box");
        g.append("rect").attr("rx", 4).attr("height", BOX_HEIGHT).attr("y", -BOX_HEIGHT / 2).attr("width", BOX_WIDTH);
        g.append("text").attr("x", 8).attr("dy", "0.35em");
        g.append("text").attr("class", "twisty").attr("x", BOX_WIDTH - 12).attr("dy", "0.35em").attr("text-anchor", "middle");
        g.append("title");
        g.on("click", (event, d) => {
          showDetails(d);
          activate(d);
        });
        g.on("focus", (event, d) => showDetails(d));
        g.on("keydown", (event, d) => keydown(event, d));
        return g;
      })
      .order()
      .attr("transform", (d) => `translate(${d.y},${d.x})`)
      .attr("role", "treeitem")
      .attr("aria-level", (d) => d.depth + 1)
      .attr("aria-expanded", (d) => (d.data.all && d.data.all.length ? String(Boolean(d.data.children)) : null))
      .attr("aria-label", describe)
      .attr("tabindex", (d) => (d === focusTarget ? 0 : -1))
      .attr("data-kind", (d) => d.data.kind)
      .attr("data-cle", (d) => d.data.key)
      .classed("support", (d) => d.data.role === "S");
    boxesSel
      .select("rect")
      .attr("fill", (d) => (d.data.kind === "MORE" ? "#ffffff" : d3.color(KINDS[d.data.kind]?.colour || "#ccc").brighter(1.6)))
      .attr("stroke", (d) => (d.data.role === "S" ? "#000" : KINDS[d.data.kind]?.colour || "#888"))
      .attr("stroke-width", (d) => (d.data.role === "S" ? 2.5 : 1.2))
      .attr("stroke-dasharray", (d) => (d.data.kind === "MORE" || d.data.kind === "GROUP" ? "4 3" : null));
    boxesSel.select("text").attr("fill", "#1b1f24").text(label);
    boxesSel.select(".twisty").attr("fill", "#1b1f24").text((d) => (d.data.all && d.data.all.length ? (d.data.children ? "−" : "+") : ""));
    boxesSel.select("title").text(describe);

    if (document.activeElement && drawing.contains(document.activeElement) && focusTarget) {
      nodeLayer.selectAll("g.box").filter((d) => d === focusTarget).node()?.focus({ preventScroll: true });
    }
    rendered("organigramme", startMark, drawing, { noeuds: nodes.length, boites: boxes });
    return root;
  }

  function fitView(root) {
    const width = drawing.clientWidth || 900;
    const height = drawing.clientHeight || 600;
    let [x0, x1] = [Infinity, -Infinity];
    let y1 = 0;
    root.each((d) => {
      x0 = Math.min(x0, d.x);
      x1 = Math.max(x1, d.x);
      y1 = Math.max(y1, d.y);
    });
    const w = y1 + BOX_WIDTH + 40;
    const h = x1 - x0 + ROW * 2;
    const k = Math.max(0.6, Math.min(1, width / w, height / h));
    const ty = h * k <= height ? (height - h * k) / 2 - (x0 - ROW) * k : height / 2 - root.x * k;
    svg.call(zoom.transform, d3.zoomIdentity.translate(20, ty).scale(k));
  }

  function keydown(event, d) {
    const all = nodeLayer.selectAll("g.box").nodes();
    const index = all.indexOf(event.currentTarget);
    const move = (target) => {
      if (!target) return;
      all.forEach((n) => n.setAttribute("tabindex", "-1"));
      target.setAttribute("tabindex", "0");
      target.focus();
      focusKey = d3.select(target).datum().data.key;
    };
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      activate(d);
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      move(all[index + 1]);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      move(all[index - 1]);
    } else if (event.key === "ArrowRight" && d.data.all && d.data.all.length && !d.data.children) {
      event.preventDefault();
      activate(d);
    } else if (event.key === "ArrowLeft") {
      event.preventDefault();
      if (d.data.children) activate(d);
      else if (d.parent) move(all.find((n) => d3.select(n).datum() === d.parent));
    }
  }

  function setAll(open) {
    // Every box with children, groups included, flips from its default to `open`.
    const toggled = [];
    const walk = (d) => {
      if (d.all && d.all.length && Boolean(d.children) !== open) toggled.push(d.key);
      for (const c of d.all || []) walk(c);
    };
    ctx.set({ toggled: [] }, { rerender: false });
    walk(display());
    ctx.set({ toggled }, { rerender: false });
    fitView(draw());
  }
  unfold.addEventListener("click", () => setAll(true));
  fold.addEventListener("click", () => setAll(false));
  fit.addEventListener("click", () => fitView(draw()));

  return {
    name: "organigramme",
    /** Fetch the tree for the page's state and draw it. */
    async update(startMark) {
      const state = ctx.state();
      depthSelect.value = String(state.depth || 3);
      groupSelect.value = state.groupBy || "categorie";
      const start = startMark || begin("organigramme");
      const ticket = (pending = {});
      drawing.setAttribute("aria-busy", "true");
      try {
        const data = await gql(QUERY, { finess: ctx.finess, asOf: state.asOf || null, depth: state.depth || 3 });
        if (ticket !== pending) return;
        if (!data.organigram) throw new ApiError(ctx.notFound(), "NOT_FOUND");
        received("organigramme");
        raw = data.organigram.tree;
        boxes = count(raw);
        fitView(draw(start));
      } finally {
        if (ticket === pending) drawing.setAttribute("aria-busy", "false");
      }
    },
    svg: () => svg.node(),
    scene: () => scene.node(),
    /** REST URLs of the view's data: the organigram as nested JSON, or the same relations as a graph. */
    data(format, params) {
      if (format === "json") return `/api/v1/structures/${encodeURIComponent(ctx.finess)}/organigram${params({ as_of: ctx.state().asOf, depth: ctx.state().depth || 3 })}`;
      const relation = ["ATTACHED_TO", "MEMBER_OF", "OPERATES"];
      return `/api/v1/structures/${encodeURIComponent(ctx.finess)}/ecosystem${params({ format, as_of: ctx.state().asOf, depth: ctx.state().depth || 3, relation, limit: 2000 })}`;
    },
    destroy() {
      pending = null;
      svg.remove();
    },
  };
}
