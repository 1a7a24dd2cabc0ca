import { defineRuntime, type NodeContext, type NodeInstance, type NodeStatus } from '../define-node.ts';
import { UNAVAILABLE, type Message } from '../message.ts';
import { ensureError } from '../errors.ts';
import { transformNode } from './definition.ts';
import { compileOps, type OpResult, type Transform } from './ops.ts';
import { StatusLater } from '../status-batch.ts';

/**
 * The transform node at run time: it only moves messages through the compiled ops and
 * reports. Results leave in the order messages arrived, even when a JSONata evaluation
 * of an earlier message is still running.
 */

/**
 * Most messages a transform holds at once (the one being evaluated included) while JSONata
 * works. Past this the node is not keeping up with its input, and queueing more would only
 * grow memory and delay; further messages are dropped, each reported as a node error.
 */
export const MAX_WAITING = 1000;

/** How the transform node runs: compile the ops once, then transform each message in order. */
export const transformRuntime = defineRuntime(transformNode, (config, ctx) => createTransform(compileOps(config), ctx));

/**
 * The node instance around an already compiled transform; exported so tests can give the
 * ops other JSONata limits. Synchronous results are sent at once when nothing is waiting;
 * otherwise each message waits for the one before it, so output order is input order.
 */
export function createTransform(
  transform: Transform,
  ctx: NodeContext,
  maxWaiting = MAX_WAITING,
): Required<Pick<NodeInstance, 'input' | 'close'>> {
  return new TransformNode(transform, ctx, maxWaiting);
}

/**
 * A class, its steps methods on the prototype all transforms share: with 1,000 rules each
 * closure of a node was one more object to fetch from memory per message (see ThresholdNode).
 */
class TransformNode {
  private closed = false;
  private waiting = 0;
  // The end of the chain of queued messages; undefined while nothing is in flight.
  private tail: Promise<void> | undefined;
  // The value the status shows, drawn at most every STATUS_INTERVAL_MS (see status-batch.ts).
  private shown: unknown;
  private readonly status: StatusLater;

  constructor(
    private readonly transform: Transform,
    private readonly ctx: NodeContext,
    private readonly maxWaiting: number,
  ) {
    this.status = new StatusLater(() => {
      if (!this.closed) ctx.status(statusOf(this.shown));
    });
  }

  input(msg: Message): void {
    if (this.closed) return;
    if (this.tail === undefined) {
      const result = this.run(msg);
      if (!(result instanceof Promise)) return this.deliver(msg, result);
      // Already started: later messages queue behind it.
      return this.enqueue(msg, () => result);
    }
    if (this.waiting >= this.maxWaiting) {
      this.ctx.error(new Error(`transform is falling behind (${this.waiting} messages waiting); message dropped`), msg);
      this.showNow({ fill: 'red', text: 'falling behind: dropping messages' });
      return;
    }
    // One evaluation at a time, so each gets the whole time budget; once the node is
    // closed, queued messages are not worked on (deliver drops them anyway).
    this.enqueue(msg, () => (this.closed ? { ok: true, msg } : this.run(msg)));
  }

  // Stop sending; an evaluation already running is awaited (the runner bounds the wait).
  close(): Promise<void> | undefined {
    this.closed = true;
    this.status.cancel();
    return this.tail;
  }

  private showNow(now: NodeStatus): void {
    this.status.cancel();
    this.ctx.status(now);
  }

  private deliver(msg: Message, result: OpResult): void {
    if (this.closed) return;
    if (!result.ok) {
      this.ctx.error(new Error(result.error), msg);
      this.showNow({ fill: 'red', text: shorten(result.error, 60) });
      return;
    }
    this.ctx.send(result.msg);
    this.shown = result.msg.payload;
    this.status.changed();
  }

  private run(msg: Message): OpResult | Promise<OpResult> {
    try {
      return this.transform(msg);
    } catch (error) {
      // Ops report problems as results; a throw here is a bug, still only this node's.
      return { ok: false, error: `unexpected failure: ${ensureError(error).message}` };
    }
  }

  private enqueue(msg: Message, work: () => OpResult | Promise<OpResult>): void {
    this.waiting++;
    const previous = this.tail ?? Promise.resolve();
    const next = previous
      .then(work)
      .then(
        (result) => this.deliver(msg, result),
        (error: unknown) => this.deliver(msg, { ok: false, error: `unexpected failure: ${ensureError(error).message}` }),
      )
      .finally(() => {
        this.waiting--;
        if (this.tail === next) this.tail = undefined;
      });
    this.tail = next;
  }
}

function statusOf(payload: unknown): NodeStatus {
  if (payload === UNAVAILABLE) return { fill: 'grey', text: 'unavailable' };
  return { fill: 'green', text: shortValue(payload) };
}

function shortValue(value: unknown): string {
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'string') return shorten(value, 32);
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'object' && value !== null) {
    try {
      return shorten(JSON.stringify(value), 32);
    } catch {
      return Array.isArray(value) ? 'a list' : 'an object';
    }
  }
  return String(value);
}

// Number to text is slow in V8 for non-integers (~150 ns, every message sets a status) and a
// sensor repeats the same few readings, so recent texts are kept; bounded, shared by all nodes.
const NUMBER_TEXTS = new Map<number, string>();
const NUMBER_TEXTS_MAX = 256;

function numberText(value: number): string {
  let text = NUMBER_TEXTS.get(value);
  if (text === undefined) {
    if (NUMBER_TEXTS.size >= NUMBER_TEXTS_MAX) NUMBER_TEXTS.clear();
    text = String(value);
    NUMBER_TEXTS.set(value, text);
  }
  return text;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
