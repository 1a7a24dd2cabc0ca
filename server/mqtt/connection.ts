import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { BrokerHandle, ConnectionState, IncomingPublish, PublishOptions } from '../../nodes/define-node.ts';
import type { Qos } from '../../nodes/message.ts';
import { validateTopicFilter, validateTopicName } from '../../nodes/topic/filter.ts';
import { PublishQueue } from './publish-queue.ts';
import { connectionErrorReason } from './reasons.ts';
import { SubscriptionTable } from './subscription-table.ts';

export interface ConnectionOptions {
  readonly url: string;
  readonly client: IClientOptions;
  readonly protocolVersion: 4 | 5;
  /** QoS 1/2 publishes kept while disconnected. */
  readonly queueLimit: number;
  /** Published on every connect: the runtime's "online" on its status topic. */
  readonly birth?: { topic: string; payload: string; qos: Qos; retain: boolean };
  /** MQTT 5 shared subscription group: every filter is subscribed as `$share/<group>/<filter>`. */
  readonly shareGroup?: string;
  readonly now?: () => number;
}

export interface ConnectionStats {
  readonly state: ConnectionState;
  readonly reason?: string;
  readonly queued: number;
  readonly dropped: number;
  readonly received: number;
  readonly published: number;
  readonly subscriptions: readonly string[];
  /** Local subscribers whose broker subscription is not acknowledged yet (0 = all in place). */
  readonly awaitingSubscriptions: number;
}

const MIN_RECONNECT_MS = 1000;
const MAX_RECONNECT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 2000;

/**
 * One mqtt.js client for one broker entry, shared by every node that uses the entry.
 * Reconnects with exponential backoff, keeps QoS>0 publishes while away (bounded), and
 * tells every listener about each state change with the broker's reason.
 */
export class BrokerConnection implements BrokerHandle {
  private readonly client: MqttClient;
  private readonly table = new SubscriptionTable();
  private readonly queue: PublishQueue;
  private readonly listeners = new Set<(state: ConnectionState, reason?: string) => void>();
  private readonly now: () => number;
  private currentState: ConnectionState = 'connecting';
  private reason: string | undefined;
  private syncing = false;
  private syncWanted = false;
  private closed = false;
  private received = 0;
  private published = 0;

  constructor(private readonly options: ConnectionOptions) {
    this.now = options.now ?? Date.now;
    this.queue = new PublishQueue(options.queueLimit);
    this.client = mqtt.connect(options.url, {
      ...options.client,
      protocolVersion: options.protocolVersion,
      reconnectPeriod: MIN_RECONNECT_MS,
      reconnectOnConnackError: true,
      // Subscriptions are restored by this class, which knows which ones the broker kept.
      resubscribe: false,
      queueQoSZero: false,
    });
    this.client.on('connect', (connack) => this.onConnect(connack.sessionPresent));
    this.client.on('message', (topic, payload, packet) => {
      this.received++;
      const publish: IncomingPublish = { topic, payload, qos: packet.qos, retained: packet.retain };
      this.table.dispatch(publish, this.now());
    });
    this.client.on('error', (error) => {
      this.reason = connectionErrorReason(error as Error & { code?: unknown }, options.protocolVersion);
      const refused = typeof (error as { code?: unknown }).code === 'number';
      this.setState(refused ? 'failed' : this.currentState, this.reason);
    });
    this.client.on('close', () => {
      if (this.closed) return;
      const period = this.client.options.reconnectPeriod ?? MIN_RECONNECT_MS;
      this.client.options.reconnectPeriod = Math.min(MAX_RECONNECT_MS, Math.max(MIN_RECONNECT_MS, period * 2));
      if (this.currentState !== 'failed') this.setState('disconnected', this.reason);
    });
    this.client.on('reconnect', () => {
      if (this.currentState !== 'failed') this.setState('connecting', this.reason);
    });
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  stats(): ConnectionStats {
    return {
      state: this.currentState,
      ...(this.reason ? { reason: this.reason } : {}),
      queued: this.queue.length,
      dropped: this.queue.dropped,
      received: this.received,
      published: this.published,
      subscriptions: this.table.activeFilters(),
      awaitingSubscriptions: this.table.awaiting(),
    };
  }

  onState(listener: (state: ConnectionState, reason?: string) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  subscribe(filter: string, qos: Qos, onMessage: (publish: IncomingPublish) => void): () => void {
    const problem = validateTopicFilter(filter);
    if (problem) throw new Error(`topic filter "${filter}": ${problem}`);
    const subscriber = this.table.add(filter, qos, onMessage);
    this.requestSync();
    return () => {
      this.table.remove(subscriber);
      this.requestSync();
    };
  }

  publish(topic: string, payload: string | Uint8Array, options: PublishOptions): void {
    const problem = validateTopicName(topic);
    if (problem) throw new Error(`topic "${topic}": ${problem}`);
    if (this.currentState === 'connected') {
      this.send(topic, payload, options);
    } else if (options.qos > 0) {
      this.queue.push({ topic, payload, options });
      this.setState(this.currentState, this.reason);
    } else {
      this.queue.dropped++;
    }
  }

  /** Disconnect cleanly (the broker does not send the Last Will); bounded in time. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.client.end(true, {}, () => resolve()), CLOSE_TIMEOUT_MS);
      this.client.end(false, {}, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private send(topic: string, payload: string | Uint8Array, options: PublishOptions): void {
    this.published++;
    if (options.qos === 0 && this.client.connected && !this.closed) {
      // No callback: for a QoS 0 publish on a connected client that is not ending, mqtt.js
      // calls it only on a topic alias error (we set no aliases), so it could never report;
      // and with one, each publish made while the socket is backed up adds a 'drain' listener.
      this.client.publish(topic, payload as Buffer | string, options);
      return;
    }
    this.client.publish(topic, payload as Buffer | string, options, (error) => {
      if (error && !this.closed) this.reason = `publish to ${topic} failed: ${error.message}`;
    });
  }

  private onConnect(sessionPresent: boolean): void {
    this.client.options.reconnectPeriod = MIN_RECONNECT_MS;
    this.reason = undefined;
    if (!sessionPresent || this.options.client.clean !== false) this.table.sessionLost();
    this.setState('connected');
    const birth = this.options.birth;
    if (birth) this.send(birth.topic, birth.payload, { qos: birth.qos, retain: birth.retain });
    for (const item of this.queue.takeAll()) this.send(item.topic, item.payload, item.options);
    this.requestSync();
  }

  private setState(state: ConnectionState, reason?: string): void {
    this.currentState = state;
    const queued = this.queue.length;
    const shown = queued > 0 && state !== 'connected' ? `${reason ? `${reason}; ` : ''}${queued} queued` : reason;
    for (const listener of this.listeners) listener(state, shown);
  }

  /** Bring the broker's subscriptions in line with the table, once per burst of changes. */
  private requestSync(): void {
    this.syncWanted = true;
    if (this.syncing || this.currentState !== 'connected') return;
    this.syncing = true;
    queueMicrotask(() => void this.runSync());
  }

  private async runSync(): Promise<void> {
    try {
      while (this.syncWanted && this.currentState === 'connected' && !this.closed) {
        this.syncWanted = false;
        const plan = this.table.plan();
        if (plan.subscribe.size > 0) {
          const request = Object.fromEntries(
            [...plan.subscribe].map(([filter, qos]) => [this.brokerFilter(filter), { qos }]),
          );
          const granted = await this.client.subscribeAsync(request);
          this.table.subscribed(plan, this.now());
          const refused = granted.filter((g) => g.qos === 128 || (g.qos as number) >= 0x80).map((g) => g.topic);
          if (refused.length > 0) {
            this.reason = `the broker refused the subscription to ${refused.join(', ')} (not allowed for this user?)`;
            this.setState(this.currentState, this.reason);
          }
        }
        if (plan.unsubscribe.length > 0) {
          await this.client.unsubscribeAsync(plan.unsubscribe.map((f) => this.brokerFilter(f)));
          this.table.unsubscribed(plan.unsubscribe);
        }
      }
    } catch (error) {
      this.reason = `subscribe failed: ${(error as Error).message}`;
      this.setState(this.currentState, this.reason);
    } finally {
      this.syncing = false;
    }
  }

  private brokerFilter(filter: string): string {
    return this.options.shareGroup ? `$share/${this.options.shareGroup}/${filter}` : filter;
  }
}
