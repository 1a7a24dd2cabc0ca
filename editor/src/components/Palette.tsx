/** Placeholder until the palette lands. */
export function Palette() {
  return <aside className="palette" />;
}
