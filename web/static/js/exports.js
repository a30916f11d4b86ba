// Exports of the current view: PNG and SVG images drawn in the browser; its data from the REST API.
import { query } from "./api.js";
import { TIMELINE } from "./labels.js";
import { detailText } from "./timeline.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const MAX_PIXELS = 16000; // a canvas side larger than this fails in browsers

/** Save `blob` as `filename` (a download the browser asks no server for). */
export function save(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** The view's drawing as a standalone SVG document: the whole drawing, not only what the zoom shows. */
export function svgText(svgNode, sceneNode, title) {
  const box = sceneNode.getBBox();
  const pad = 20;
  const width = Math.ceil(box.width + 2 * pad);
  const height = Math.ceil(box.height + 2 * pad);
  const copy = svgNode.cloneNode(true);
  copy.setAttribute("xmlns", SVG_NS);
  copy.setAttribute("width", width);
  copy.setAttribute("height", height);
  copy.setAttribute("viewBox", `${box.x - pad} ${box.y - pad} ${width} ${height}`);
  copy.removeAttribute("style");
  copy.removeAttribute("class");
  const scene = copy.querySelector(".scene");
  if (scene) scene.removeAttribute("transform");
  for (const node of copy.querySelectorAll("[tabindex]")) node.removeAttribute("tabindex");
  const background = document.createElementNS(SVG_NS, "rect");
  background.setAttribute("x", box.x - pad);
  background.setAttribute("y", box.y - pad);
  background.setAttribute("width", width);
  background.setAttribute("height", height);
  background.setAttribute("fill", "#ffffff");
  copy.insertBefore(background, copy.firstChild);
  const heading = document.createElementNS(SVG_NS, "title");
  heading.textContent = title;
  copy.insertBefore(heading, copy.firstChild);
  return { text: `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`, width, height };
}

/** Save the drawing as SVG. */
export function exportSvg(svgNode, sceneNode, title, filename) {
  const { text } = svgText(svgNode, sceneNode, title);
  save(new Blob([text], { type: "image/svg+xml" }), filename);
}

/** Save the drawing as PNG, at twice its size when that fits in a canvas. */
export function exportPng(svgNode, sceneNode, title, filename) {
  const { text, width, height } = svgText(svgNode, sceneNode, title);
  const scale = Math.min(2, MAX_PIXELS / width, MAX_PIXELS / height);
  return new Promise((resolve, reject) => {
    const image = new Image();
    const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
    image.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.floor(width * scale));
      canvas.height = Math.max(1, Math.floor(height * scale));
      const context = canvas.getContext("2d");
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      canvas.toBlob((blob) => {
        if (!blob) reject(new Error("Le navigateur n'a pas pu produire l'image PNG."));
        else {
          save(blob, filename);
          resolve();
        }
      }, "image/png");
    };
    image.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error("Le navigateur n'a pas pu produire l'image PNG."));
    };
    image.src = url;
  });
}

/** Download a REST answer (its Content-Disposition names the file). */
export function download(url) {
  const link = document.createElement("a");
  link.href = url;
  link.download = "";
  document.body.append(link);
  link.click();
  link.remove();
}

function cell(value) {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The chronology as CSV (RFC 4180, like the API's CSV exports). */
export function timelineCsv(entries) {
  const lines = [["date", "kind", "label", "detail", "related", "detail_json"]];
  for (const e of entries) lines.push([e.date, e.kind, TIMELINE[e.kind], detailText(e), e.related, JSON.stringify(e.detail)]);
  return lines.map((line) => line.map(cell).join(",")).join("\r\n") + "\r\n";
}

/** Wire the export buttons of `container` to the view `view()` returns. */
export function wireExports(container, view, name, onError) {
  container.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-export]");
    const current = view();
    if (!button || !current) return;
    const format = button.dataset.export;
    const base = name();
    try {
      if (format === "svg") exportSvg(current.svg(), current.scene(), base, `${base}.svg`);
      else if (format === "png") await exportPng(current.svg(), current.scene(), base, `${base}.png`);
      else {
        const url = current.data(format, query);
        if (url) download(url);
        else if (format === "csv" && current.entries) save(new Blob([timelineCsv(current.entries())], { type: "text/csv;charset=utf-8" }), `${base}.csv`);
        else onError(new Error("Cette vue n'a pas de données dans ce format."));
      }
    } catch (e) {
      onError(e);
    }
  });
}
