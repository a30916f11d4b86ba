// Performance marks set when a view is drawn: what the benchmark (bench/web_bench.py) and tests read.

let renders = 0;

/** Mark the start of some work that ends in a render; return the mark's name. */
export function begin(name) {
  const mark = `${name}:debut:${performance.now().toFixed(1)}`;
  performance.mark(mark);
  return mark;
}

/** Record that `view` is drawn: a mark `rendu:<view>`, a measure from `startMark`, and the drawing's data. */
export function rendered(view, startMark, drawing, facts = {}) {
  performance.mark(`rendu:${view}`);
  if (startMark) performance.measure(`rendu:${view}`, startMark, `rendu:${view}`);
  drawing.dataset.vue = view;
  for (const [key, value] of Object.entries(facts)) drawing.dataset[key] = String(value);
  drawing.dataset.rendu = String(++renders);
}
