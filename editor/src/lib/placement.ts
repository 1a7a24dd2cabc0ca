/** Where new nodes go on the canvas. Pure, so it is tested without a browser. */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A gap kept around nodes so a new one never touches another. */
const MARGIN = 16;

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width + MARGIN && b.x < a.x + a.width + MARGIN && a.y < b.y + b.height + MARGIN && b.y < a.y + a.height + MARGIN;
}

/**
 * The free spot for a box of `size` nearest to `want` (its top-left corner), trying a grid of
 * places around it, nearest first; `want` itself when nothing is in the way or nothing is free.
 */
export function freeSpot(want: { x: number; y: number }, size: { width: number; height: number }, taken: readonly Box[]): { x: number; y: number } {
  const stepX = size.width + MARGIN * 2;
  const stepY = size.height + MARGIN;
  const candidates: { x: number; y: number; d: number }[] = [];
  for (let i = -4; i <= 4; i++) {
    for (let j = -6; j <= 6; j++) {
      const x = want.x + i * stepX;
      const y = want.y + j * stepY;
      // Below and to the right of the wanted spot reads as "added next to it": a small preference.
      const d = Math.hypot(i * stepX, j * stepY) + (i < 0 ? 1 : 0) + (j < 0 ? 1 : 0);
      candidates.push({ x, y, d });
    }
  }
  candidates.sort((a, b) => a.d - b.d);
  const free = candidates.find((c) => !taken.some((t) => overlaps({ x: c.x, y: c.y, ...size }, t)));
  return free ? { x: free.x, y: free.y } : want;
}
