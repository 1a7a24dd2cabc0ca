/** Placeholder until the sidebar (config panel, brokers, debug) lands. */
export function Sidebar() {
  return <aside className="sidebar" />;
}
