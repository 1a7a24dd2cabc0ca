import { useEffect } from 'react';
import { useEditor } from '../store/editor-store.ts';

/**
 * True when a key press belongs to something else than the canvas: a text field (so Ctrl+Z
 * undoes typing and Backspace deletes a character), or an open dialog.
 */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="dialog"], dialog')) return true;
  return false;
}

/** Text the user selected on the page (in the debug panel, a message): Ctrl+C copies that instead. */
function hasTextSelection(): boolean {
  const selection = window.getSelection();
  return !!selection && !selection.isCollapsed && selection.toString().trim() !== '';
}

/**
 * The editor's keyboard: Delete/Backspace remove the selection, Ctrl+Z undo, Ctrl+Shift+Z and
 * Ctrl+Y redo, Ctrl+C/X/V copy, cut and paste nodes, Ctrl+A select the tab's nodes (Cmd on a
 * Mac). Each is one undo step; none fires while typing in a field.
 */
export function useShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.isComposing || isTyping(event.target)) return;
      const store = useEditor.getState();
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      let handled = true;
      if (!mod && (event.key === 'Delete' || event.key === 'Backspace')) store.deleteSelection();
      else if (mod && key === 'z' && !event.shiftKey) store.undo();
      else if (mod && ((key === 'z' && event.shiftKey) || key === 'y')) store.redo();
      else if (mod && key === 'c' && !hasTextSelection() && store.nodes.some((n) => n.selected)) store.copySelection();
      else if (mod && key === 'x' && !hasTextSelection() && store.nodes.some((n) => n.selected)) {
        store.copySelection();
        store.deleteSelection();
      } else if (mod && key === 'v' && store.clipboard) store.paste();
      else if (mod && key === 'a') store.selectAll();
      else handled = false;
      if (handled) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
