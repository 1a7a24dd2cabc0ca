/**
 * Whether a line of a canvas node's text fits its box, measured with a 2D canvas in the font and
 * width the stylesheet gives that line (read once from a hidden copy of a node).
 *
 * Why: `text-overflow: ellipsis` needs `overflow: hidden`, and every such clip is a change of
 * paint state that the browser re-layers for each node on every frame of a pan. With a thousand
 * nodes on the canvas those clips were a large part of the cost of a frame (bench/editor.ts),
 * yet most names and statuses are short. So a line gets its clip only when its text may overflow,
 * and the config summary (already shortened by `configSummary`) is cut to its width here.
 *
 * When nothing can be measured (no DOM, no canvas) every line keeps its CSS clip.
 */
import { measureHiddenCard } from './hidden-card.ts';

export type TextSlot = 'name' | 'summary' | 'status';

interface Slot {
  font: string;
  /** Width (px) the line's text can take. */
  width: number;
  /** In a monospace font: the width of one (ASCII) character, so ASCII text needs no measuring. */
  charWidth?: number;
}

const ELLIPSIS = '…';
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Measured widths may differ from laid-out ones by rounding: when in doubt, clip. */
const SLACK = 0.5;

let slots: Record<TextSlot, Slot> | null | undefined;
let context: CanvasRenderingContext2D | null = null;

function fontOf(element: Element): string {
  const style = getComputedStyle(element);
  return `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
}

const px = (value: string): number => Number.parseFloat(value) || 0;

/** Lay out a hidden node like the canvas draws them, and read the font and width of each line. */
function measureSlots(): Record<TextSlot, Slot> | null {
  if (typeof document === 'undefined' || !document.body) return null;
  const canvas = document.createElement('canvas').getContext('2d');
  if (!canvas) return null;
  context = canvas;
  const rows =
    '<div class="flow-node-head"><span class="flow-node-icon"></span><div class="flow-node-titles">' +
    '<div class="flow-node-name">x</div><div class="flow-node-summary">x</div></div></div>' +
    '<div class="flow-node-live"><span class="flow-node-status"><span class="dot"></span><span class="status-text">x</span></span></div>';
  const measured = measureHiddenCard(rows, (host): Record<TextSlot, Slot> => {
    const name = host.querySelector('.flow-node-name')!;
    const summary = host.querySelector('.flow-node-summary')!;
    const live = host.querySelector('.flow-node-live')!;
    const status = host.querySelector('.flow-node-status')!;
    const dot = host.querySelector('.dot') as HTMLElement;
    const statusText = host.querySelector('.status-text')!;
    const liveStyle = getComputedStyle(live);
    const statusWidth = live.clientWidth - px(liveStyle.paddingLeft) - px(liveStyle.paddingRight) - dot.offsetWidth - px(getComputedStyle(status).columnGap);
    return {
      name: { font: fontOf(name), width: name.clientWidth },
      summary: { font: fontOf(summary), width: summary.clientWidth },
      status: { font: fontOf(statusText), width: statusWidth },
    };
  });
  if (!measured) return null;
  for (const slot of Object.values(measured)) {
    canvas.font = slot.font;
    const narrow = canvas.measureText('iiiiiiiiii').width;
    if (Math.abs(narrow - canvas.measureText('WWWWWWWWWW').width) < 0.01) slot.charWidth = narrow / 10;
  }
  // No stylesheet (yet): nothing sensible was laid out.
  return Object.values(measured).every((s) => s.width > 20) ? measured : null;
}

function slotOf(slot: TextSlot): Slot | undefined {
  if (slots === undefined) slots = measureSlots();
  return slots?.[slot];
}

/** Measured widths by slot and text (names and statuses repeat across nodes). */
const widths: Record<TextSlot, Map<string, number>> = { name: new Map(), summary: new Map(), status: new Map() };
let contextFont = '';

function textWidth(slot: TextSlot, font: string, text: string): number {
  const charWidth = slots?.[slot].charWidth;
  if (charWidth !== undefined && PRINTABLE_ASCII.test(text)) return text.length * charWidth;
  const cache = widths[slot];
  let width = cache.get(text);
  if (width === undefined) {
    if (cache.size > 10_000) cache.clear();
    // Setting the font is parsed every time: only when it changes.
    if (contextFont !== font) context!.font = contextFont = font;
    width = context!.measureText(text).width;
    cache.set(text, width);
  }
  return width;
}

/** True when `text` surely fits on its line unclipped; false when it may not, or cannot be measured. */
export function fitsLine(slot: TextSlot, text: string): boolean {
  const s = slotOf(slot);
  return !!s && textWidth(slot, s.font, text) <= s.width - SLACK;
}

const segmenter = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : undefined;

const fittedLines: Record<TextSlot, Map<string, string>> = { name: new Map(), summary: new Map(), status: new Map() };

/**
 * `text` as `text-overflow: ellipsis` shows it on its line: whole when it fits, else the longest
 * start (whole characters) that fits with an ellipsis after it. Undefined when it cannot be
 * measured here (the caller then keeps the CSS clip).
 */
export function fitLine(slot: TextSlot, text: string): string | undefined {
  const s = slotOf(slot);
  if (!s) return undefined;
  let fitted = fittedLines[slot].get(text);
  if (fitted === undefined) {
    if (fittedLines[slot].size > 10_000) fittedLines[slot].clear();
    fitted = cut(slot, s, text);
    fittedLines[slot].set(text, fitted);
  }
  return fitted;
}

function cut(slot: TextSlot, s: Slot, text: string): string {
  const room = s.width - SLACK;
  const full = textWidth(slot, s.font, text);
  if (full <= room) return text;
  // Whole characters: plain ASCII needs no (slow) grapheme segmentation.
  const parts = segmenter && !PRINTABLE_ASCII.test(text) ? Array.from(segmenter.segment(text), (g) => g.segment) : Array.from(text);
  // The longest start that fits with the ellipsis. First guess from the average character width
  // (exact in a monospace font, as the summaries are), then step to the answer; the starts are
  // measured uncached, they are not worth keeping.
  if (contextFont !== s.font) context!.font = contextFont = s.font;
  const fits = (count: number) => context!.measureText(parts.slice(0, count).join('') + ELLIPSIS).width <= room;
  const ellipsis = textWidth(slot, s.font, ELLIPSIS);
  if (s.charWidth !== undefined && PRINTABLE_ASCII.test(text)) {
    return text.slice(0, Math.max(0, Math.min(text.length - 1, Math.floor((room - ellipsis) / s.charWidth)))) + ELLIPSIS;
  }
  let count = Math.max(0, Math.min(parts.length - 1, Math.floor((parts.length * (room - ellipsis)) / full)));
  if (fits(count)) {
    while (count + 1 < parts.length && fits(count + 1)) count++;
  } else {
    while (count > 0 && !fits(count - 1)) count--;
    count = Math.max(0, count - 1);
  }
  return parts.slice(0, count).join('') + ELLIPSIS;
}
