import type { FlowNode } from '../../nodes/document/schema.ts';
import type { RunningNode } from './running-node.ts';

/**
 * The last deploy's nodes by place. The validator hands a deploy that leaves a node alone
 * the very deep-frozen node object of the deploy before, so with the same broker entries
 * that node is known unchanged by identity, before any hash or look-up by id.
 */
export class LastDeploy {
  private specs: readonly FlowNode[] = [];
  private running: readonly RunningNode[] = [];
  private brokers: string | undefined;

  /** The running node of `spec`, when it is the frozen node deployed at `index` last time with these brokers. */
  unchanged(index: number, spec: FlowNode, brokers: string): RunningNode | undefined {
    if (spec !== this.specs[index] || brokers !== this.brokers || !Object.isFrozen(spec) || !Object.isFrozen(spec.config)) return undefined;
    const running = this.running[index];
    return running && !running.closed ? running : undefined;
  }

  remember(specs: readonly FlowNode[], running: readonly RunningNode[], brokers: string): void {
    this.specs = specs;
    this.running = running;
    this.brokers = brokers;
  }

  forget(): void {
    this.remember([], [], '');
    this.brokers = undefined;
  }
}
