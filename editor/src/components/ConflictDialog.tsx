/** Placeholder until the deploy conflict (409) dialog lands. */
export function ConflictDialog() {
  return null;
}
