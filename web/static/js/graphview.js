// A force-directed graph (D3, SVG): colours and legend by kind, hover and focus details, drag pins,
// zoom and pan, keyboard (arrows move between nodes, Entrée expands, P pins), a highlighted path.
import { KINDS, el, frenchDate, frenchNumber } from "./labels.js";

const STRUCTURES = new Set(["LEGAL_ENTITY", "ESTABLISHMENT", "ORGANIC_GROUPING", "CONVENTIONAL_GROUPING"]);
const RADIUS = { LEGAL_ENTITY: 8, ORGANIC_GROUPING: 9, CONVENTIONAL_GROUPING: 9, ESTABLISHMENT: 6 };
const RING = 110; // distance between depth rings

export function isStructure(node) {
  return STRUCTURES.has(node.kind);
}

const linkKey = (l) => `${typeof l.source === "object" ? l.source.id : l.source}|${typeof l.target === "object" ? l.target.id : l.target}|${l.key || l.type}`;

/** Create the graph in `drawing`; `onExpand(node)` is called when a node is clicked or Entrée pressed. */
export function createGraph(drawing, details, legend, { onExpand = () => {}, extra = () => [] } = {}) {
  let nodes = [];
  let links = [];
  let byId = new Map();
  let onPath = new Set();
  let pathLinks = new Set();
  let focusId = null;
  let rootId = null;

  const svg = d3.select(drawing).append("svg").attr("class", "ecosystem").attr("role", "group").attr("aria-label", "Graphe de l'écosystème");
  const scene = svg.append("g").attr("class", "scene");
  const linkLayer = scene.append("g");
  const nodeLayer = scene.append("g").attr("font-family", "system-ui, sans-serif").attr("font-size", 10);
  const zoom = d3.zoom().scaleExtent([0.05, 4]).on("zoom", (event) => scene.attr("transform", event.transform));
  svg.call(zoom).on("dblclick.zoom", null);

  const simulation = d3
    .forceSimulation()
    .alphaDecay(0.045)
    .velocityDecay(0.45)
    .force("link", d3.forceLink().id((d) => d.id).distance(38).strength(0.6))
    .force("charge", d3.forceManyBody().strength(-70).distanceMax(350).theta(0.95))
    .force("radial", d3.forceRadial((d) => (d.depth || 0) * RING).strength(0.25))
    .stop();
  // The animation: the simulation's own timer would update the DOM on every tick; here a frame runs
  // several ticks on a big graph and updates the DOM once, so the layout settles in fewer frames.
  let frame = null;
  let settled = () => {};
  function animate() {
    if (frame !== null) return;
    const step = () => {
      const ticks = nodes.length > 400 ? 5 : nodes.length > 150 ? 2 : 1;
      for (let i = 0; i < ticks; i++) simulation.tick();
      position();
      if (simulation.alpha() < simulation.alphaMin() && simulation.alphaTarget() === 0) {
        frame = null;
        settled();
      } else {
        frame = requestAnimationFrame(step);
      }
    };
    frame = requestAnimationFrame(step);
  }

  // Links are drawn as one path per style, not one element each: a 1,000-node graph has 1,500 links,
  // and one attribute per style per frame is what keeps its animation fluid.
  const STYLES = [
    { name: "lien", stroke: "#aab2bd", width: 1, dash: null, test: (l) => l.type !== "MEMBER_OF" && l.type !== "RELATED_TO" },
    { name: "membre", stroke: "#8e44ad", width: 1.2, dash: null, test: (l) => l.type === "MEMBER_OF" },
    { name: "lie", stroke: "#aab2bd", width: 1, dash: "3 3", test: (l) => l.type === "RELATED_TO" },
    { name: "chemin", stroke: "#d62728", width: 3.5, dash: null, test: () => false },
  ];
  const linkSel = linkLayer
    .selectAll("path")
    .data(STYLES)
    .join("path")
    .attr("class", (s) => `links ${s.name}`)
    .attr("fill", "none")
    .attr("stroke", (s) => s.stroke)
    .attr("stroke-width", (s) => s.width)
    .attr("stroke-dasharray", (s) => s.dash);
  let byStyle = STYLES.map(() => []);
  let nodeSel = nodeLayer.selectAll("g.node");

  function position() {
    linkSel.attr("d", (s, i) => {
      let d = "";
      for (const l of byStyle[i]) d += `M${l.source.x.toFixed(1)},${l.source.y.toFixed(1)}L${l.target.x.toFixed(1)},${l.target.y.toFixed(1)}`;
      return d;
    });
    nodeSel.attr("transform", (d) => `translate(${d.x.toFixed(1)},${d.y.toFixed(1)})`);
  }

  function describe(d) {
    const degree = d.degree || 0;
    return [KINDS[d.kind]?.label, d.name, d.finess && `FINESS ${d.finess}`, `${frenchNumber(degree)} lien${degree > 1 ? "s" : ""}`, d.fx !== undefined && d.fx !== null ? "épinglé" : null, onPath.has(d.id) ? "sur le chemin" : null]
      .filter(Boolean)
      .join(", ");
  }

  function showDetails(d) {
    const rows = [
      ["Nature", KINDS[d.kind]?.label],
      ["Numéro FINESS", d.finess],
      ["Distance à la structure", d.depth !== undefined ? `${d.depth} lien${d.depth > 1 ? "s" : ""}` : null],
      ["Catégorie", d.labels?.category ? `${d.labels.category} (${d.properties?.category})` : d.properties?.category],
      ["Statut juridique", d.labels?.legalStatus ? `${d.labels.legalStatus} (${d.properties?.legalStatus})` : null],
      ["Activité", d.labels?.activity],
      ["Valide depuis", frenchDate(d.validFrom)],
      ["Valide jusqu'au", frenchDate(d.validTo)],
      ["Voisins non affichés", d.more ? `${frenchNumber(d.more)} (plafond atteint)` : null],
      ["Liens", frenchNumber(d.degree || 0)],
    ].filter(([, v]) => v);
    const pinned = d.fx !== undefined && d.fx !== null;
    details.replaceChildren(
      el("h3", { text: d.name || d.id }),
      el("dl", {}, rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })])),
      ...extra(d),
      pinned ? el("button", { type: "button", text: "Libérer ce nœud", onclick: () => pin(d, false) }) : null,
    );
  }

  function pin(d, on) {
    if (on) {
      d.fx = d.x;
      d.fy = d.y;
    } else {
      d.fx = null;
      d.fy = null;
      simulation.alpha(0.2);
      animate();
    }
    nodeSel.filter((n) => n === d).classed("pinned", on).attr("aria-label", describe);
    showDetails(d);
  }

  function move(offset, current) {
    const all = nodeSel.nodes();
    const i = all.indexOf(current);
    const target = all[(i + offset + all.length) % all.length];
    if (!target) return;
    current.setAttribute("tabindex", "-1");
    target.setAttribute("tabindex", "0");
    target.focus();
    focusId = d3.select(target).datum().id;
  }

  const drag = d3
    .drag()
    .on("start", (event, d) => {
      if (!event.active) {
        simulation.alphaTarget(0.2);
        animate();
      }
      d.fx = d.x;
      d.fy = d.y;
    })
    .on("drag", (event, d) => {
      d.fx = event.x;
      d.fy = event.y;
    })
    .on("end", (event, d) => {
      if (!event.active) simulation.alphaTarget(0);
      pin(d, true); // a dragged node stays where it was left: pinned
    });

  function draw() {
    const degree = new Map();
    for (const l of links) {
      const s = typeof l.source === "object" ? l.source.id : l.source;
      const t = typeof l.target === "object" ? l.target.id : l.target;
      degree.set(s, (degree.get(s) || 0) + 1);
      degree.set(t, (degree.get(t) || 0) + 1);
    }
    for (const n of nodes) n.degree = degree.get(n.id) || 0;
    const labelled = nodes.length <= 250 ? (d) => isStructure(d) : (d) => d.id === rootId || (isStructure(d) && d.kind !== "ESTABLISHMENT");

    byStyle = STYLES.map((style) => links.filter((l) => !pathLinks.has(linkKey(l)) && style.test(l)));
    byStyle[STYLES.length - 1] = links.filter((l) => pathLinks.has(linkKey(l)));
    linkLayer.attr("data-liens", links.length);

    const ordered = [...nodes].sort((a, b) => (a.depth ?? 9) - (b.depth ?? 9) || d3.ascending(a.name || a.id, b.name || b.id));
    const focusTarget = byId.get(focusId) || byId.get(rootId) || ordered[0];
    nodeSel = nodeLayer
      .selectAll("g.node")
      .data(ordered, (d) => d.id)
      .join((enter) => {
        const g = enter.append("g").attr("class", "node").attr("role", "button");
        g.append("circle");
        g.append("text").attr("dy", "-0.9em").attr("text-anchor", "middle").attr("fill", "#1b1f24");
        g.append("title");
        g.on("click", (event, d) => {
          focusId = d.id;
          showDetails(d);
          onExpand(d);
        });
        g.on("mouseenter focus", (event, d) => showDetails(d));
        g.on("keydown", (event, d) => {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            onExpand(d);
          } else if (event.key === "p" || event.key === "P") {
            pin(d, !(d.fx !== undefined && d.fx !== null));
          } else if (event.key === "ArrowRight" || event.key === "ArrowDown") {
            event.preventDefault();
            move(1, event.currentTarget);
          } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
            event.preventDefault();
            move(-1, event.currentTarget);
          }
        });
        g.call(drag);
        return g;
      })
      .order()
      .attr("tabindex", (d) => (d === focusTarget ? 0 : -1))
      .attr("data-id", (d) => d.id)
      .attr("data-kind", (d) => d.kind)
      .attr("aria-label", describe)
      .classed("root", (d) => d.id === rootId)
      .classed("on-path", (d) => onPath.has(d.id))
      .classed("expanded", (d) => Boolean(d.expanded))
      .classed("pinned", (d) => d.fx !== undefined && d.fx !== null);
    nodeSel
      .select("circle")
      .attr("r", (d) => (d.id === rootId ? 12 : RADIUS[d.kind] || 4))
      .attr("fill", (d) => KINDS[d.kind]?.colour || "#999")
      .attr("stroke", (d) => (onPath.has(d.id) ? "#d62728" : d.expanded ? "#1b1f24" : "#ffffff"))
      .attr("stroke-width", (d) => (onPath.has(d.id) ? 3 : d.expanded ? 2 : 1));
    nodeSel.select("text").text((d) => (labelled(d) || onPath.has(d.id) ? shortName(d) : ""));
    nodeSel.select("title").text(describe);

    const counts = d3.rollups(nodes, (v) => v.length, (d) => d.kind).sort((a, b) => b[1] - a[1]);
    legend.replaceChildren(
      el("h3", { text: "Légende" }),
      el(
        "ul",
        { class: "legend" },
        counts.map(([kind, n]) => el("li", {}, el("span", { class: `swatch kind-${kind}`, "aria-hidden": "true" }), `${KINDS[kind]?.plural || kind} : ${frenchNumber(n)}`)),
        onPath.size ? el("li", {}, el("span", { class: "swatch path", "aria-hidden": "true" }), "Chemin") : null,
      ),
    );
  }

  function shortName(d) {
    const text = (d.name || d.id).replace(/\s+/g, " ").trim();
    return text.length > 28 ? `${text.slice(0, 27)}…` : text;
  }

  // Where a new node starts: near a placed neighbour, else on the ring of its depth.
  function place(newNodes) {
    const neighbours = new Map();
    for (const l of links) {
      const s = typeof l.source === "object" ? l.source.id : l.source;
      const t = typeof l.target === "object" ? l.target.id : l.target;
      if (!neighbours.has(s)) neighbours.set(s, []);
      if (!neighbours.has(t)) neighbours.set(t, []);
      neighbours.get(s).push(t);
      neighbours.get(t).push(s);
    }
    const isNew = new Set(newNodes);
    const byDepth = d3.group(newNodes, (d) => d.depth || 0);
    for (const [depth, group] of byDepth) {
      group.forEach((d, i) => {
        const anchor = (neighbours.get(d.id) || []).map((id) => byId.get(id)).find((n) => n && n.x !== undefined && !isNew.has(n));
        if (anchor) {
          const angle = (i / group.length) * 2 * Math.PI;
          d.x = anchor.x + 30 * Math.cos(angle);
          d.y = anchor.y + 30 * Math.sin(angle);
        } else {
          const angle = (i / group.length) * 2 * Math.PI;
          const r = depth * RING + (i % 3) * 12;
          d.x = r * Math.cos(angle);
          d.y = r * Math.sin(angle);
        }
      });
    }
  }

  function fit() {
    const width = drawing.clientWidth || 900;
    const height = drawing.clientHeight || 600;
    const [x0, x1] = d3.extent(nodes, (d) => d.x);
    const [y0, y1] = d3.extent(nodes, (d) => d.y);
    if (x0 === undefined) return;
    const k = Math.max(0.08, Math.min(1.5, 0.9 * Math.min(width / (x1 - x0 + 60), height / (y1 - y0 + 60))));
    svg.call(zoom.transform, d3.zoomIdentity.translate(width / 2 - ((x0 + x1) / 2) * k, height / 2 - ((y0 + y1) / 2) * k).scale(k));
  }

  return {
    /** Show these nodes and links; nodes already shown keep their place (and pins). */
    setData(newNodes, newLinks, { root, path = [], refit = false } = {}) {
      rootId = root;
      const old = byId;
      nodes = newNodes.map((n) => {
        const before = old.get(n.id);
        return before ? Object.assign(before, n, { x: before.x, y: before.y, fx: before.fx, fy: before.fy }) : { ...n };
      });
      byId = new Map(nodes.map((n) => [n.id, n]));
      links = newLinks.filter((l) => byId.has(l.source) && byId.has(l.target)).map((l) => ({ ...l }));
      const fresh = nodes.filter((n) => n.x === undefined);
      place(fresh);
      const rootNode = byId.get(root);
      if (rootNode && !old.has(root)) {
        rootNode.x = 0;
        rootNode.y = 0;
      }
      onPath = new Set();
      pathLinks = new Set();
      for (const ids of path) {
        ids.forEach((id, i) => {
          onPath.add(id);
          if (i > 0) {
            for (const l of links) {
              if ((l.source === ids[i - 1] && l.target === id) || (l.source === id && l.target === ids[i - 1])) pathLinks.add(linkKey(l));
            }
          }
        });
      }
      simulation.nodes(nodes);
      simulation.force("link").links(links);
      // A few ticks before the first frame, so that it is already readable; the rest animates.
      const settled = nodes.length - fresh.length;
      simulation.alpha(fresh.length === 0 ? 0.05 : settled > 0 ? 0.3 : 1);
      // A tick costs in proportion to every node, not to the new ones: about 4,000 node-ticks in all.
      simulation.tick(fresh.length === 0 ? 0 : Math.min(40, Math.ceil(4000 / nodes.length)));
      draw();
      position();
      if (refit || old.size === 0) fit();
      animate();
      return { nodes: nodes.length, links: links.length };
    },
    /** Call `fn` once the layout has settled. */
    onSettled(fn) {
      settled = fn;
    },
    unpinAll() {
      for (const n of nodes) n.fx = n.fy = null;
      nodeSel.classed("pinned", false).attr("aria-label", describe);
      simulation.alpha(0.3);
      animate();
    },
    fit,
    node: (id) => byId.get(id),
    counts: () => ({ nodes: nodes.length, links: links.length }),
    svg: () => svg.node(),
    scene: () => scene.node(),
    stop: () => {
      if (frame !== null) cancelAnimationFrame(frame);
      frame = null;
    },
    redraw: () => draw(),
  };
}
