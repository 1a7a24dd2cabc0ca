/** Placeholder until flow tabs land. */
export function Tabs() {
  return <nav className="tabs" />;
}
