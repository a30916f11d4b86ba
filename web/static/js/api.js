// The explorer's only way to the server: GraphQL at /graphql and REST under /api/v1/, same origin.
import { frenchDate } from "./labels.js";

/** An error whose message is one French sentence, fit to show as is. */
export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

const MESSAGES = {
  STORE_UNAVAILABLE: "La base de données ne répond pas pour le moment ; réessayez dans quelques secondes.",
  NETWORK: "Le serveur de l'explorateur ne répond pas ; vérifiez qu'il est lancé puis réessayez.",
  UNEXPECTED: "Le serveur a rencontré une erreur inattendue ; réessayez, puis signalez-la si elle persiste.",
};

/** Return the French sentence for an API error (its code, the identifier asked, the date). */
export function frenchError(code, message, context = {}) {
  if (code === "NOT_FOUND") {
    const at = context.asOf ? ` au ${frenchDate(context.asOf)}` : "";
    const what = context.finess ? ` portant le numéro ${context.finess}` : "";
    return `Aucune structure${what} n'est connue du répertoire${at}.`;
  }
  if (code === "BAD_REQUEST") {
    if (/FINESS|identifier|shape|number/i.test(message || "") && context.finess) {
      return `« ${context.finess} » n'est pas un numéro FINESS, un numéro de groupement ni un identifiant connu.`;
    }
    return "La demande n'a pas pu être traitée : vérifiez les valeurs saisies.";
  }
  return MESSAGES[code] || MESSAGES.UNEXPECTED;
}

let inflight = 0;
const listeners = new Set();
/** Call `fn(busy)` whenever requests start or all end (the loading indicators). */
export function onBusy(fn) {
  listeners.add(fn);
}
function busy(delta) {
  inflight += delta;
  for (const fn of listeners) fn(inflight > 0);
}

async function request(url, init, context) {
  busy(1);
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiError(MESSAGES.NETWORK, "NETWORK");
  } finally {
    busy(-1);
  }
  if (response.status === 503) throw new ApiError(MESSAGES.STORE_UNAVAILABLE, "STORE_UNAVAILABLE");
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(MESSAGES.UNEXPECTED, "UNEXPECTED");
  }
  if (body && body.error) {
    throw new ApiError(frenchError(body.error.code, body.error.message, context), body.error.code);
  }
  if (!response.ok && !(body && body.errors)) {
    const code = response.status === 404 ? "NOT_FOUND" : response.status < 500 ? "BAD_REQUEST" : "UNEXPECTED";
    throw new ApiError(frenchError(code, "", context), code);
  }
  return body;
}

/** Run a GraphQL query; resolve to its `data`, or reject with an ApiError in French. */
export async function gql(query, variables = {}, context = {}) {
  const body = await request(
    "/graphql",
    {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query, variables }),
    },
    { asOf: variables.asOf, finess: variables.finess, ...context },
  );
  if (body.errors && body.errors.length) {
    const first = body.errors[0];
    const code = (first.extensions && first.extensions.code) || "UNEXPECTED";
    throw new ApiError(frenchError(code, first.message, { asOf: variables.asOf, finess: variables.finess, ...context }), code);
  }
  return body.data;
}

/** GET a REST route under /api/v1/ as JSON. */
export function rest(path, context = {}) {
  return request(`/api/v1/${path}`, { headers: { accept: "application/json" } }, context);
}

/** The query string of a REST route: repeated keys for arrays, empty values left out. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === "") continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
