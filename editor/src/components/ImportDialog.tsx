/** Placeholder until the import dialog lands. */
export function ImportDialog(props: { onClose: () => void; files?: File[] }) {
  return <div className="dialog" onClick={props.onClose} />;
}
