// Performance marks set when a view is drawn: what the benchmark (bench/web_bench.py) and tests read.

let renders = 0;

/** Mark the start of some work that ends in a render; return the mark's name. */
export function begin(name) {
  const mark = `${name}:debut:${performance.now().toFixed(1)}`;
  performance.mark(mark);
  return mark;
}

/** Mark that the data of `view` has arrived and is parsed: the rest of its render is the browser's. */
export function received(view) {
  performance.mark(`donnees:${view}`);
}

/** Record that `view` is drawn: a mark `rendu:<view>`, a measure from `startMark`, and the drawing's data. */
export function rendered(view, startMark, drawing, facts = {}) {
  performance.mark(`rendu:${view}`);
  if (startMark) performance.measure(`rendu:${view}`, startMark, `rendu:${view}`);
  drawing.dataset.vue = view;
  for (const [key, value] of Object.entries(facts)) drawing.dataset[key] = String(value);
  drawing.dataset.rendu = String(++renders);
}
