import type { BrokerEntry } from '../../nodes/broker.ts';
import type { FlowDocument } from '../../nodes/document/schema.ts';
import { DocumentValidator } from '../../nodes/document/incremental.ts';
import type { ValidationResult } from '../../nodes/document/validate.ts';
import { ensureError, OperationalError, UserInputError } from '../../nodes/errors.ts';
import type { DeployReply } from '../../nodes/protocol.ts';
import { overrideBrokers, secretsInUrl } from '../broker-override.ts';
import { Engine } from '../engine/engine.ts';
import { stableJson } from '../../nodes/stable-json.ts';
import type { Logger } from '../log.ts';
import type { BrokerSecrets } from '../mqtt/client-options.ts';
import { BrokerPool } from '../mqtt/pool.ts';
import type { CredentialStore } from '../storage/credential-store.ts';
import type { FlowStore } from '../storage/flow-store.ts';
import type { StateStore } from '../storage/state-store.ts';
import { SerialLock } from './deploy-lock.ts';
import { ConflictError, DeployFailedError, NotFoundError } from './http-errors.ts';
import { TopicTracker } from './topic-tracker.ts';

export interface FlowRuntimeOptions {
  readonly installId: string;
  readonly store: FlowStore;
  readonly credentials: CredentialStore;
  readonly states: StateStore;
  readonly logger: Logger;
  /** `--broker`: every broker entry runs against this URL instead of its own. */
  readonly brokerUrl?: string;
  /** How long a new or changed broker may take to connect before a deploy is rolled back. */
  readonly connectTimeoutMs?: number;
  /** How often node state (threshold states, pending timers) is saved. */
  readonly stateSaveIntervalMs?: number;
}

/**
 * The running flow and everything around it: validated deploys one at a time, revisions,
 * rollback, the credential store, saved node state and the topics seen on each broker.
 */
export class FlowRuntime {
  readonly engine: Engine;
  readonly pool: BrokerPool;
  readonly topics: TopicTracker;
  private readonly lock = new SerialLock();
  /** Remembers the nodes of the last valid document, so a deploy checks only what changed. */
  private readonly validator = new DocumentValidator();
  private rev: string | null = null;
  private document: FlowDocument | undefined;
  private readonly stateTimer: NodeJS.Timeout;

  constructor(private readonly options: FlowRuntimeOptions) {
    // A password in --broker wins over the stored ones: it is the broker every entry now uses.
    const urlSecrets: BrokerSecrets | undefined = options.brokerUrl ? secretsInUrl(options.brokerUrl) : undefined;
    this.pool = new BrokerPool({
      installId: options.installId,
      secrets: (id) => urlSecrets ?? options.credentials.get(id),
      onState: (brokerId, state, reason) => this.engine.events.emit('broker-state', { brokerId, state, ...(reason ? { reason } : {}) }),
    });
    this.engine = new Engine({ pool: this.pool });
    this.topics = new TopicTracker(this.pool);
    this.stateTimer = setInterval(() => void this.saveStates(), options.stateSaveIntervalMs ?? 5000);
    this.stateTimer.unref();
  }

  /** Start the stored flow, with the node state saved by the last run. */
  async start(): Promise<void> {
    const current = this.options.store.current();
    if (!current) return;
    const result = this.validator.validate(current.document);
    if (!result.ok) {
      this.options.logger.error(`the stored flow ${current.rev} is no longer valid; starting empty: ${result.errors.map((e) => e.message).join('; ')}`);
      return;
    }
    const saved = this.options.states.load();
    this.apply(result.document!, (id, hash) => (saved[id]?.hash === hash ? saved[id]!.state : undefined));
    this.rev = current.rev;
  }

  /** The running rev and its stored document; the document is read (parsed) only when asked for. */
  current(): { rev: string | null; readonly document: unknown } {
    const store = this.options.store;
    return {
      rev: this.rev,
      get document() {
        return store.current()?.document ?? null;
      },
    };
  }

  validate(input: unknown): ValidationResult {
    return this.validator.validate(input);
  }

  /**
   * Deploy a document. `ifMatch` is the rev the editor based its change on; a stale one is
   * refused (409). An invalid document is refused with every problem (400); one that does
   * not start — a node fails, a new broker does not connect — is rolled back and the
   * previous flow keeps running (422). Otherwise the new revision is stored and returned.
   * `text`, the UTF-8 JSON that `input` was parsed from, is stored as it is when given.
   */
  deploy(input: unknown, ifMatch?: string, note?: string, text?: Uint8Array): Promise<DeployReply> {
    return this.lock.run(() => this.deployNow(input, ifMatch, note, text)).catch((error: unknown) => {
      const reason =
        error instanceof ConflictError ? 'conflict' : error instanceof UserInputError ? 'invalid' : error instanceof DeployFailedError ? 'failed' : undefined;
      if (reason) this.engine.events.emit('deploy-refused', { reason, message: ensureError(error).message });
      throw error;
    });
  }

  private async deployNow(input: unknown, ifMatch: string | undefined, note: string | undefined, text: Uint8Array | undefined): Promise<DeployReply> {
    if (ifMatch !== undefined && ifMatch !== this.rev && ifMatch !== '*') {
      throw new ConflictError(`the flow changed since revision ${ifMatch}; the running revision is ${this.rev}`, this.rev);
    }
    const result = this.validator.validate(input);
    if (!result.ok) throw new UserInputError(`the flow has ${result.errors.length} error(s); nothing was deployed`, result.errors);
    const previous = this.document;
    let deployed;
    try {
      deployed = this.apply(result.document!);
    } catch (error) {
      // The engine left the running flow as it was; say which node failed and why.
      const problems = error instanceof UserInputError ? error.problems : [];
      throw new DeployFailedError(`${ensureError(error).message}; the previous flow keeps running`, problems);
    }
    const failure = await this.waitForNewBrokers(previous, result.document!);
    if (failure) {
      this.apply(previous ?? { format: 'topicflow/1', brokers: [], nodes: [], edges: [] });
      throw new DeployFailedError(`${failure.message}; the previous flow keeps running`, [failure]);
    }
    try {
      this.rev = await this.options.store.save(input, { ...(note ? { note } : {}), ...(text ? { text } : {}) });
    } catch (error) {
      // Running a flow that is not on disk would be lost at the next restart: go back.
      this.apply(previous ?? { format: 'topicflow/1', brokers: [], nodes: [], edges: [] });
      throw new OperationalError(`the flow could not be saved (${ensureError(error).message}); the previous flow keeps running`, { cause: error });
    }
    this.engine.events.emit('deployed', { rev: this.rev, ...deployed });
    this.options.logger.info(`deployed ${this.rev}: ${deployed.started.length} started, ${deployed.stopped.length} stopped, ${deployed.unchanged} unchanged`);
    return { rev: this.rev, ...deployed, warnings: [...result.warnings] };
  }

  /** Deploy a stored revision again. */
  async rollback(rev: string): Promise<DeployReply> {
    const document = await this.options.store.get(rev);
    if (document === undefined) throw new NotFoundError(`there is no revision ${rev}`);
    return this.deploy(document, undefined, `rollback to ${rev}`);
  }

  revisions() {
    return this.options.store.revisions();
  }

  async saveStates(): Promise<void> {
    try {
      await this.options.states.save(this.engine.saveStates());
    } catch (error) {
      this.options.logger.warn(`node state not saved: ${ensureError(error).message}`);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.stateTimer);
    await this.lock.run(async () => {
      await this.saveStates();
      this.topics.stop();
      await this.engine.stop();
    });
  }

  /** Start `doc` in the engine (broker override applied) and point the topic tracker at its brokers. */
  private apply(doc: FlowDocument, restore?: (id: string, hash: string) => unknown) {
    const running = this.options.brokerUrl ? overrideBrokers(doc, this.options.brokerUrl).document : doc;
    const { started, stopped, unchanged, durationMs } = this.engine.deploy(running, restore ? { restore } : {});
    this.document = doc;
    this.topics.watch(running.brokers);
    return { started, stopped, unchanged, durationMs };
  }

  /** Brokers that are new or changed in `next` must connect, or the deploy is rolled back. */
  private async waitForNewBrokers(previous: FlowDocument | undefined, next: FlowDocument) {
    const before = new Map((previous?.brokers ?? []).map((b) => [b.id, stableJson(b)]));
    const changed = next.brokers.filter((b: BrokerEntry) => before.get(b.id) !== stableJson(b));
    const timeout = this.options.connectTimeoutMs ?? 5000;
    for (const broker of changed) {
      const outcome = await this.pool.waitConnected(broker.id, timeout);
      if (!outcome.ok) {
        return { code: 'broker.unreachable', brokerId: broker.id, message: `broker "${broker.id}" (${broker.url}) did not connect: ${outcome.reason}` };
      }
    }
    return undefined;
  }
}
