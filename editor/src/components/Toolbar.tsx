/** Placeholder until the toolbar (deploy, undo/redo, import/export) lands. */
export function Toolbar(_props: { onImport: () => void }) {
  return <header className="toolbar">topicflow</header>;
}
