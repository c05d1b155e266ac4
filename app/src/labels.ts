/** Chart label fitting: pure, no imports, so the Node tests can load it. */

/** The most characters of a bar label that fit left of the bars (220 of 600 units); longer ones end in "…". */
export const LABEL_CHARS = 29;

/**
 * A bar label shortened to fit before the bar (the whole label stays in the SVG <title>). A label such as
 * "Name · issued" keeps its last part whole and shortens the name, so "issued" and "retired" stay readable.
 */
export function fitLabel(label: string): string {
  if (label.length <= LABEL_CHARS) return label;
  const cut = label.lastIndexOf(" · ");
  const tail = cut > 0 ? label.slice(cut) : "";
  if (tail && tail.length <= LABEL_CHARS - 4) {
    const head = label.slice(0, cut);
    return head.slice(0, LABEL_CHARS - tail.length - 1).trimEnd() + "…" + tail;
  }
  return label.slice(0, LABEL_CHARS - 1).trimEnd() + "…";
}
