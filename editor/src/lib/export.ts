/**
 * The toolbar's Export: the current flow or the selection as a file download. The document
 * itself is made by the pure {@link exportDocument} (export-document.ts, unit-tested).
 */
import { useEditor } from '../store/editor-store.ts';
import { exportDocument, exportFileName } from './export-document.ts';

export { exportDocument, exportFileName, stripSecrets } from './export-document.ts';

/**
 * Download the current flow, or only the selected nodes, as `<name>.topicflow.json`.
 * Returns how many nodes the file holds (0 and no download when nothing is selected).
 */
export function exportFlow(selectionOnly = false): number {
  const state = useEditor.getState();
  const selection = selectionOnly ? new Set(state.nodes.filter((n) => n.selected).map((n) => n.id)) : undefined;
  if (selection && selection.size === 0) return 0;
  const doc = exportDocument(state.document(), selection);
  const blob = new Blob([`${JSON.stringify(doc, null, 2)}\n`], { type: 'application/json' });
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = exportFileName(doc.name, selectionOnly);
  document.body.append(link);
  link.click();
  link.remove();
  // The click has handed the blob to the download; free it once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return doc.nodes.length;
}
