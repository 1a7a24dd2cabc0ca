import type { z } from 'zod';
import type { Message, Qos } from './message.ts';

/** What a node shows under itself in the editor and in logs. */
export interface NodeStatus {
  readonly fill: 'green' | 'yellow' | 'red' | 'grey' | 'blue';
  readonly text: string;
}

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'failed';

/** A message as it arrives from the broker, before the mqtt-in node parses its payload. */
export interface IncomingPublish {
  readonly topic: string;
  readonly payload: Uint8Array;
  readonly qos: Qos;
  readonly retained: boolean;
}

export interface PublishOptions {
  readonly qos: Qos;
  readonly retain: boolean;
}

/** A node's view of one shared broker connection. */
export interface BrokerHandle {
  /**
   * Receive every message on `filter` (a plain MQTT filter: named wildcards already reduced
   * to `+`). Each handler gets each matching message exactly once, however the filters of
   * other nodes overlap. Returns the function that ends the subscription.
   */
  subscribe(filter: string, qos: Qos, onMessage: (publish: IncomingPublish) => void): () => void;
  /** Publish now, or queue (QoS > 0, bounded) while disconnected. Throws on a bad topic. */
  publish(topic: string, payload: string | Uint8Array, options: PublishOptions): void;
  readonly state: ConnectionState;
  /** Called on every state change, with the broker's reason when it refused or dropped us. */
  onState(listener: (state: ConnectionState, reason?: string) => void): () => void;
}

/** Timers that the engine clears when the node stops, and a clock tests can replace. */
export interface NodeTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

/** Everything the runtime lends a running node. The context is an argument, never `this`. */
export interface NodeContext {
  readonly id: string;
  /** Pass a message on along every edge of output `port` (default 0). */
  send(msg: Message, port?: number): void;
  status(status: NodeStatus): void;
  /** A failure of this node on this message: counted, shown, sent to debug; never thrown on. */
  error(error: unknown, msg?: Message): void;
  /** A message that carried an unavailable value and was dropped by design: counted. */
  unavailable(msg: Message): void;
  /** A value for the editor's debug sidebar (the debug node's whole job). */
  debug(msg: Message, value: unknown): void;
  readonly timers: NodeTimers;
  /**
   * The shared connection of a broker entry of the document. With a share group the node
   * gets that group's own connection, so `$share/<group>/…` copies never mix with others.
   */
  broker(brokerId: string, shareGroup?: string): BrokerHandle;
}

/** A value the user sends into a node from the editor ("send test value"). */
export interface TestMessage {
  readonly payload: unknown;
  readonly topic: string;
}

export interface NodeInstance {
  input?(msg: Message): void;
  /**
   * For nodes with no input: send now. An inject sends its own value (or `test`'s); an
   * mqtt-in treats `test` as if it had arrived from the broker on `test.topic`.
   */
  trigger?(test?: TestMessage): void;
  /** Stop: clear timers, end subscriptions. The runner bounds how long it may take. */
  close?(): void | Promise<void>;
  /** Plain JSON of the state worth keeping across a restart (threshold per-topic state). */
  saveState?(): unknown;
  /** Take back what `saveState` returned, before the first message; ignore what does not fit. */
  restoreState?(state: unknown): void;
}

/** The static description of a node type: what the editor and the validator need. */
export interface NodeDefinition<Schema extends z.ZodType = z.ZodType> {
  readonly type: string;
  readonly label: string;
  /** One line for the palette. */
  readonly help: string;
  readonly category: 'input' | 'logic' | 'output' | 'debug';
  readonly config: Schema;
  readonly inputs: 0 | 1;
  readonly outputs: number;
  /** Field names of the config that name a broker entry (checked against `brokers`). */
  readonly brokerFields?: readonly string[];
}

export type ConfigOf<D extends NodeDefinition> = z.output<D['config']>;

/** The runtime side of a node type: only the server loads these. */
export interface NodeRuntime<D extends NodeDefinition = NodeDefinition> {
  readonly definition: D;
  create(config: ConfigOf<D>, ctx: NodeContext): NodeInstance;
}

export function defineNode<Schema extends z.ZodType>(definition: NodeDefinition<Schema>): NodeDefinition<Schema> {
  return definition;
}

export function defineRuntime<D extends NodeDefinition>(
  definition: D,
  create: (config: ConfigOf<D>, ctx: NodeContext) => NodeInstance,
): NodeRuntime<D> {
  return { definition, create };
}
