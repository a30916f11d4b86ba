// A structure's record ("fiche"): identity, addresses, category and status, groupings, members,
// activities, engagements and authorities, as of the page's date (GraphQL `structure`).
import { KINDS, NATURES, ROLES, codeLabel, el, frenchDate, frenchNumber } from "./labels.js";

const ACTIVITY = `nature activityType activity { code label } clientele { code label } mode { code label }
  authorisedCapacity installedCapacity startOn endOn state`;
export const STRUCTURE = `query Structure($finess: String!, $asOf: Date) {
  structure(finess: $finess, asOf: $asOf) {
    __typename id finess name longName kind validFrom validTo
    addresses { rank usage number streetType street streetComplement placeComplement locality line1 line2 line3 line4 line5 line6 postalCode routing communeCode commune { code name partOf { code name } } }
    groupings { role since until grouping { id finess name kind groupingType } }
    engagements { engagementType engagementSubtype name reference effectiveOn signedOn endOn lapseOn authorities { code kind territory } }
    ... on LegalEntity { siren apeCode legalStatus { code label } openedOn closedOn state phone fax
      establishments(first: 1) { totalCount } authorizedActivities { ${ACTIVITY} } }
    ... on Establishment { siret nameComplement category { code label } openedOn closedOn state phone fax email tariffMode
      legalEntity { finess name } operatedActivities { ${ACTIVITY} } }
    ... on Grouping { groupingType members { role since until structure { id finess name kind } } }
    ... on OrganicGrouping { head { finess name } }
  }
}`;
const STATES = { A: "actif", I: "inactif (fermé)", F: "fermé" };

function link(structure, asOf) {
  const key = structure.finess || structure.id;
  return el("a", { href: `/structures/${encodeURIComponent(key)}${asOf ? `?au=${asOf}` : ""}`, text: structure.name || key });
}

function definitions(rows) {
  return el("dl", { class: "facts" }, rows.filter(([, v]) => v !== null && v !== undefined && v !== "").flatMap(([k, v]) => [el("dt", { text: k }), el("dd", {}, v)]));
}

function section(title, count, body, open = true) {
  const summary = el("summary", {}, el("h2", { text: count === null ? title : `${title} (${frenchNumber(count)})` }));
  return el("details", { class: "section", open: open || null }, summary, body);
}

function table(headers, rows, caption) {
  return el(
    "div",
    { class: "table-box" },
    el(
      "table",
      { class: "data" },
      caption ? el("caption", { text: caption }) : null,
      el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c) => el("td", {}, c ?? ""))))),
    ),
  );
}

function addressText(a) {
  const street = [a.number, a.streetType, a.street].filter(Boolean).join(" ");
  const lines = [a.line1, a.line2, a.line3, street || a.line4, a.streetComplement, a.placeComplement, a.locality, a.line5];
  const town = [a.postalCode, a.routing || a.commune?.name].filter(Boolean).join(" ");
  return [...new Set(lines.filter(Boolean))].concat(town ? [town] : []).join(", ");
}

/** The record of `s` as elements, for the date `asOf`. */
export function renderFiche(s, asOf) {
  const kind = KINDS[s.kind]?.label || s.kind;
  const identity = definitions([
    ["Nature", kind],
    ["Numéro FINESS", s.finess],
    ["Raison sociale longue", s.longName !== s.name ? s.longName : null],
    ["Complément", s.nameComplement],
    ["SIREN", s.siren],
    ["SIRET", s.siret],
    ["Code APE", s.apeCode],
    ["Statut juridique", s.legalStatus && codeLabel(s.legalStatus)],
    ["Catégorie", s.category && codeLabel(s.category)],
    ["Type de groupement", s.groupingType],
    ["Entité juridique", s.legalEntity ? link(s.legalEntity, asOf) : null],
    ["Entité juridique porteuse", s.head ? link(s.head, asOf) : null],
    ["Établissements", s.establishments ? frenchNumber(s.establishments.totalCount) : null],
    ["Ouverture", frenchDate(s.openedOn)],
    ["Fermeture", frenchDate(s.closedOn)],
    ["État", s.state ? STATES[s.state] || s.state : null],
    ["Valide", s.validFrom || s.validTo ? `${s.validFrom ? `depuis le ${frenchDate(s.validFrom)}` : ""}${s.validTo ? ` jusqu'au ${frenchDate(s.validTo)}` : ""}`.trim() : null],
    ["Téléphone", s.phone],
    ["Télécopie", s.fax],
    ["Courriel", s.email],
  ]);
  const parts = [section("Identité", null, identity)];

  const addresses = s.addresses || [];
  parts.push(
    section(
      "Adresses",
      addresses.length,
      addresses.length
        ? el("ol", { class: "addresses" }, addresses.map((a) => el("li", {}, addressText(a), a.commune?.partOf ? el("span", { class: "meta", text: ` — département ${a.commune.partOf.name || a.commune.partOf.code}` }) : null)))
        : el("p", { text: "Aucune adresse à cette date." }),
    ),
  );

  const groupings = s.groupings || [];
  parts.push(
    section(
      "Groupements",
      groupings.length,
      groupings.length
        ? table(
            ["Groupement", "Type", "Rôle", "Depuis", "Jusqu'au"],
            groupings.map((m) => [link(m.grouping, asOf), m.grouping.groupingType || KINDS[m.grouping.kind]?.label, m.role ? ROLES[m.role] : "", frenchDate(m.since), frenchDate(m.until)]),
          )
        : el("p", { text: "Membre d'aucun groupement à cette date." }),
    ),
  );

  if (s.members) {
    parts.push(
      section(
        "Membres",
        s.members.length,
        table(
          ["Membre", "Nature", "Rôle", "Depuis", "Jusqu'au"],
          s.members.map((m) => [link(m.structure, asOf), KINDS[m.structure.kind]?.label, m.role === "SUPPORT" ? el("strong", { text: "membre support" }) : ROLES[m.role] || "", frenchDate(m.since), frenchDate(m.until)]),
        ),
      ),
    );
  }

  const activities = s.operatedActivities || s.authorizedActivities;
  if (activities) {
    const title = s.operatedActivities ? "Activités exercées" : "Activités autorisées";
    parts.push(
      section(
        title,
        activities.length,
        activities.length
          ? table(
              ["Nature", "Activité", "Clientèle", "Mode", "Capacité autorisée", "Capacité installée", "Début", "Fin"],
              activities.map((a) => [
                el("abbr", { title: NATURES[a.nature] || a.nature, text: a.nature || "" }),
                codeLabel(a.activity),
                codeLabel(a.clientele),
                codeLabel(a.mode),
                a.authorisedCapacity ?? "",
                a.installedCapacity ?? "",
                frenchDate(a.startOn),
                frenchDate(a.endOn),
              ]),
            )
          : el("p", { text: "Aucune activité à cette date." }),
        activities.length <= 30,
      ),
    );
  }

  const engagements = s.engagements || [];
  parts.push(
    section(
      "Engagements et autorités",
      engagements.length,
      engagements.length
        ? table(
            ["Type", "Intitulé", "Référence", "Effet", "Fin", "Autorités"],
            engagements.map((e) => [
              [e.engagementType, e.engagementSubtype].filter(Boolean).join(" / "),
              e.name || "",
              e.reference || "",
              frenchDate(e.effectiveOn || e.signedOn),
              frenchDate(e.endOn || e.lapseOn),
              (e.authorities || []).map((a) => [a.kind, a.code, a.territory].filter(Boolean).join(" ")).join(" ; "),
            ]),
          )
        : el("p", { text: "Aucun engagement à cette date." }),
      engagements.length <= 30,
    ),
  );
  return parts;
}
