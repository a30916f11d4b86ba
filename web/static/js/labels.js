// What the explorer shows in French: kinds of node, relationship types, roles, timeline entries, dates.

export const KINDS = {
  LEGAL_ENTITY: { label: "Entité juridique", plural: "Entités juridiques", colour: "#1f5fa8" },
  ESTABLISHMENT: { label: "Établissement", plural: "Établissements", colour: "#2a9d5b" },
  ORGANIC_GROUPING: { label: "Groupement organique (GCS…)", plural: "Groupements organiques", colour: "#b5477e" },
  CONVENTIONAL_GROUPING: { label: "Groupement conventionnel (GHT…)", plural: "Groupements conventionnels", colour: "#8e44ad" },
  AUTHORIZED_ACTIVITY: { label: "Activité autorisée", plural: "Activités autorisées", colour: "#d98b1c" },
  OPERATED_ACTIVITY: { label: "Activité exercée", plural: "Activités exercées", colour: "#e0b400" },
  ENGAGEMENT: { label: "Engagement", plural: "Engagements", colour: "#6d7b8a" },
  AUTHORITY: { label: "Autorité", plural: "Autorités", colour: "#c0392b" },
  EVENT: { label: "Événement", plural: "Événements", colour: "#95a5a6" },
  ADDRESS: { label: "Adresse", plural: "Adresses", colour: "#7f8c8d" },
  COMMUNE: { label: "Commune", plural: "Communes", colour: "#16a085" },
  DEPARTMENT: { label: "Département", plural: "Départements", colour: "#138d75" },
  REGION: { label: "Région", plural: "Régions", colour: "#0e6655" },
  GROUP: { label: "Regroupement", plural: "Regroupements", colour: "#aab7c4" },
  MORE: { label: "Suite", plural: "Suites", colour: "#ffffff" },
};

export const RELATIONS = {
  ATTACHED_TO: "Rattachement (établissement → entité juridique)",
  MEMBER_OF: "Membre d'un groupement",
  HEADED_BY: "Groupement porté par une entité juridique",
  RELATED_TO: "Lien entre établissements",
  HOLDS: "Autorisation détenue",
  OPERATES: "Activité exercée",
  IMPLEMENTS: "Mise en œuvre d'une autorisation",
  BOUND_BY: "Engagement",
  ISSUED_BY: "Émis par une autorité",
  HAS_ADDRESS: "Adresse",
  LOCATED_IN: "Située dans",
  PART_OF: "Fait partie de",
  RECORDED: "Événement enregistré",
};
/** The relationship types the API follows by default (docs/queries.md). */
export const DEFAULT_RELATIONS = [
  "ATTACHED_TO", "MEMBER_OF", "HEADED_BY", "RELATED_TO", "HOLDS", "OPERATES", "IMPLEMENTS", "BOUND_BY", "ISSUED_BY",
];

export const ROLES = { S: "membre support", M: "membre", SUPPORT: "membre support", MEMBER: "membre" };

export const TIMELINE = {
  OPENED: "Ouverture",
  CLOSED: "Fermeture",
  APPEARED: "Apparition dans le répertoire",
  DISAPPEARED: "Disparition du répertoire",
  CHANGED: "Modification",
  EVENT: "Événement",
  LINKED: "Rattachement",
  UNLINKED: "Fin de rattachement",
};

export const NATURES = {
  AMM: "Activité de soins (AMM)",
  AASA: "Activité sociale / médico-sociale autorisée",
  ASR: "Activité soumise à reconnaissance",
  EML: "Équipement matériel lourd",
  ASDR: "Activité soumise à déclaration",
  ASOCR: "Activité soumise à conventionnement",
  AMSR: "Activité médico-sociale",
  AER: "Autorisation d'équipement",
  AMF: "Activité de médecine foraine",
};

const LONG = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const SHORT = new Intl.DateTimeFormat("fr-FR", { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" });

function parse(iso) {
  if (!iso || !/^\d{4}-\d{2}-\d{2}/.test(iso)) return null;
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "13 août 2026" from "2026-08-13"; an empty string for no date. */
export function frenchDate(iso) {
  const d = parse(iso);
  return d ? LONG.format(d).replace(/^1 /, "1er ") : "";
}

/** "13/08/2026" from "2026-08-13". */
export function shortDate(iso) {
  const d = parse(iso);
  return d ? SHORT.format(d) : "";
}

// Built once: constructing a formatter per call took 60 ms of a 1,000-node redraw (profiled).
const NUMBER = new Intl.NumberFormat("fr-FR");

/** A number with French grouping ("1 062"). */
export function frenchNumber(n) {
  return NUMBER.format(n);
}

/** A count and its noun, singular for 0 and 1 as French has it: "1 nœud", "2 nœuds". */
export function count(n, singular, plural = `${singular}s`) {
  return `${frenchNumber(n)} ${n > 1 ? plural : singular}`;
}

/** "Code — label", or the code alone when its label is unknown. */
export function codeLabel(code) {
  if (!code) return "";
  if (typeof code === "string") return code;
  return code.label ? `${code.label} (${code.code})` : code.code;
}

/** The département of a FINESS number: its first two characters, three for the overseas ones (97x, 98x). */
export function departmentOf(finess) {
  if (!finess || !/^[0-9][0-9AB]/.test(finess) || finess.length !== 9) return null;
  return finess.startsWith("97") || finess.startsWith("98") ? finess.slice(0, 3) : finess.slice(0, 2);
}

/** Make an element (the D3/DOM helper every view uses): tag, attributes, children or text. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
