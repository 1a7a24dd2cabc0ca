/** Placeholder until keyboard shortcuts land (Delete, Ctrl+Z, Ctrl+Shift+Z, Ctrl+C, Ctrl+V). */
export function useShortcuts(): void {}
