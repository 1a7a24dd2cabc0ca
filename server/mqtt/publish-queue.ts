import type { PublishOptions } from '../../nodes/define-node.ts';

export interface QueuedPublish {
  readonly topic: string;
  readonly payload: string | Uint8Array;
  readonly options: PublishOptions;
}

/**
 * QoS 1/2 publishes waiting for the broker to come back. Bounded: past `limit` the oldest
 * is dropped (a stale "ON" matters less than the newest state) and counted.
 */
export class PublishQueue {
  private items: QueuedPublish[] = [];
  private head = 0;
  dropped = 0;

  constructor(private readonly limit: number) {}

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: QueuedPublish): void {
    if (this.limit === 0) {
      this.dropped++;
      return;
    }
    if (this.length >= this.limit) {
      this.head++;
      this.dropped++;
    }
    this.items.push(item);
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Everything queued, oldest first; the queue is empty afterwards. */
  takeAll(): QueuedPublish[] {
    const all = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return all;
  }
}
