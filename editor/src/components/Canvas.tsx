/** Placeholder until the canvas lands: the React Flow surface with palette drops and file drops. */
export function Canvas(_props: { onFilesDropped: (files: File[]) => void }) {
  return <div className="canvas" />;
}
