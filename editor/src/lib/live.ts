/** Placeholder until live events land: connects socket.io and feeds the store; returns a disconnect. */
export function connectLive(): () => void {
  return () => {};
}
