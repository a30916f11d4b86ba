// Autocomplete of structures by name or number: an ARIA combobox over GraphQL `search`.
import { gql } from "./api.js";
import { KINDS, el } from "./labels.js";

export const SEARCH = `query Search($text: String, $kinds: [StructureKind!], $department: String, $region: String,
    $commune: String, $category: String, $asOf: Date, $first: Int!, $after: String) {
  search(text: $text, kinds: $kinds, department: $department, region: $region, commune: $commune,
         category: $category, asOf: $asOf, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id finess name kind
      commune { code name }
      addresses { postalCode routing }
      ... on Establishment { category { code label } legalEntity { finess name } }
      ... on LegalEntity { legalStatus { code label } }
      ... on Grouping { groupingType }
    } }
  }
}`;

/** The identifier a structure's page is addressed by: its FINESS number, else its graph id. */
export function structureKey(node) {
  return node.finess || node.id;
}

/** "DIJON (21000)" from a search node. */
export function place(node) {
  const address = (node.addresses || [])[0];
  if (address && (address.routing || address.postalCode)) {
    return [address.routing, address.postalCode && `(${address.postalCode})`].filter(Boolean).join(" ");
  }
  return node.commune ? node.commune.name || node.commune.code : "";
}

let counter = 0;

/** Turn `input` and its listbox `list` into a combobox; `onChoose(node)` gets the structure picked. */
export function autocomplete(input, list, { onChoose, asOf = () => null, size = 8 }) {
  const prefix = `opt${++counter}`;
  let items = [];
  let active = -1;
  let timer = null;
  let asked = 0;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }
  function highlight(index) {
    active = index;
    list.querySelectorAll("[role=option]").forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === index));
      if (i === index) {
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      }
    });
  }
  function render() {
    list.replaceChildren(
      ...items.map((node, i) =>
        el(
          "li",
          { role: "option", id: `${prefix}-${i}`, "aria-selected": "false", class: "option", onmousedown: (e) => e.preventDefault(), onclick: () => choose(i) },
          el("span", { class: "option-name", text: node.name || structureKey(node) }),
          el("span", { class: "option-meta", text: [structureKey(node), KINDS[node.kind]?.label, place(node)].filter(Boolean).join(" · ") }),
        ),
      ),
    );
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", String(items.length > 0));
  }
  function choose(i) {
    const node = items[i];
    close();
    if (node) onChoose(node);
  }
  async function suggest() {
    const text = input.value.trim();
    if (text.length < 2) {
      items = [];
      render();
      return;
    }
    const ticket = ++asked;
    try {
      const data = await gql(SEARCH, { text, asOf: asOf() || null, first: size });
      if (ticket !== asked) return; // a later keystroke has asked since
      items = data.search.edges.map((edge) => edge.node);
      active = -1;
      render();
    } catch {
      items = [];
      render(); // suggestions are a convenience: the form's own search reports errors
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, 180);
  });
  input.addEventListener("keydown", (event) => {
    const open = !list.hidden && items.length > 0;
    if (event.key === "ArrowDown" && open) {
      event.preventDefault();
      highlight((active + 1) % items.length);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      highlight((active - 1 + items.length) % items.length);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape" && open) {
      event.preventDefault(); // close the list, keep the text (a search field would clear it)
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  return { close };
}
