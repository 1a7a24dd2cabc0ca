import type { Message } from '../../nodes/message.ts';

/** Deliveries handled before the queue yields to the event loop (I/O, timers, HTTP). */
export const DELIVERY_BATCH = 1000;

/**
 * The FIFO through which every message moves from node to node. Delivery is a loop, not
 * recursion, so a cycle in the graph cannot grow the stack; after each batch the queue
 * yields with setImmediate, so a busy or looping flow cannot starve the rest of the process.
 */
/** Slots the queue keeps allocated once drained; a burst that grew it past this gives memory back. */
const KEPT_SLOTS = 4096;

export class DeliveryQueue<Target> {
  // Slots [head, tail) wait. Drained slots are reused from 0 rather than truncated: `length = 0`
  // dropped the backing stores, so every message paid for growing two new arrays.
  private targets: (Target | undefined)[] = [];
  private messages: (Message | undefined)[] = [];
  private head = 0;
  private tail = 0;
  private draining = false;

  constructor(
    private readonly deliver: (target: Target, msg: Message) => void,
    /** Most deliveries waiting at once; beyond it `push` refuses (a runaway fan-out loop). */
    private readonly limit = 100_000,
  ) {}

  get length(): number {
    return this.tail - this.head;
  }

  /** Queue a delivery and run the queue unless it is already running; false when full. */
  push(target: Target, msg: Message): boolean {
    if (this.tail - this.head >= this.limit) return false;
    const i = this.tail++;
    if (i < this.targets.length) {
      this.targets[i] = target;
      this.messages[i] = msg;
    } else {
      this.targets.push(target);
      this.messages.push(msg);
    }
    if (!this.draining) this.drain();
    return true;
  }

  /**
   * Deliver what is waiting now, up to `max` deliveries, before the caller changes the graph:
   * messages already inside the flow finish on the graph they started on.
   */
  flush(max = 10_000): void {
    for (let done = 0; done < max && this.head < this.tail; done++) this.deliverNext();
    if (!this.draining && this.head === this.tail) this.reset();
  }

  private deliverNext(): void {
    const i = this.head++;
    const target = this.targets[i]!;
    const msg = this.messages[i]!;
    // Drop the references at once: a long queue must not keep delivered messages alive.
    this.targets[i] = undefined;
    this.messages[i] = undefined;
    this.deliver(target, msg);
  }

  private drain(): void {
    this.draining = true;
    let done = 0;
    while (this.head < this.tail) {
      if (done++ >= DELIVERY_BATCH) {
        setImmediate(() => this.drain());
        return;
      }
      this.deliverNext();
    }
    this.reset();
    this.draining = false;
  }

  /** Everything is delivered (each slot already cleared): start again at slot 0. */
  private reset(): void {
    this.head = 0;
    this.tail = 0;
    if (this.targets.length > KEPT_SLOTS) {
      this.targets.length = 0;
      this.messages.length = 0;
    }
  }
}
