import type { Panel } from './model.js';
import type { PanelSpec } from './panels.js';

/** A titled row of panels. */
export interface Section {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

const GRID_COLUMNS = 24;
const PANEL_HEIGHT = 8;

/**
 * Places panels left to right under a row header per section, wrapping at 24 columns, and numbers
 * them. Ids and positions come only from the order of the input, so the output is stable.
 */
export function layoutSections(sections: readonly Section[]): Panel[] {
  const panels: Panel[] = [];
  let id = 1;
  let y = 0;
  for (const section of sections) {
    panels.push({ id: id++, type: 'row', title: section.title, collapsed: false, gridPos: { x: 0, y, w: GRID_COLUMNS, h: 1 }, panels: [] });
    y += 1;
    let x = 0;
    // The tallest panel of the current line decides where the next line starts.
    let lineHeight = 0;
    for (const { width = 12, height = PANEL_HEIGHT, ...spec } of section.panels) {
      if (x + width > GRID_COLUMNS) {
        x = 0;
        y += lineHeight;
        lineHeight = 0;
      }
      panels.push({ ...spec, id: id++, gridPos: { x, y, w: width, h: height } });
      x += width;
      lineHeight = Math.max(lineHeight, height);
    }
    y += lineHeight;
  }
  return panels;
}
