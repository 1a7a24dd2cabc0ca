/** A minimal event emitter whose event names and payloads are checked by the compiler. */
export class TypedEmitter<Events extends Record<string, unknown>> {
  private readonly listeners: { [K in keyof Events]?: Set<(payload: Events[K]) => void> } = {};

  /** `onListening(event, true)` when an event gets its first listener, `false` when it loses its last. */
  constructor(private readonly onListening?: (event: keyof Events, listening: boolean) => void) {}

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void {
    const set = (this.listeners[event] ??= new Set());
    const before = set.size;
    set.add(listener);
    if (before === 0 && set.size === 1) this.onListening?.(event, true);
    return () => {
      if (set.delete(listener) && set.size === 0) this.onListening?.(event, false);
    };
  }

  /** True when someone listens: lets hot paths skip building an event nobody reads. */
  has<K extends keyof Events>(event: K): boolean {
    return (this.listeners[event]?.size ?? 0) > 0;
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.listeners[event];
    if (!set) return;
    for (const listener of set) {
      try {
        listener(payload);
      } catch (error) {
        // A broken listener (a socket gone, a logger failing) must not break the engine.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
