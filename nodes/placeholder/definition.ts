import { z } from 'zod';
import { defineNode } from '../define-node.ts';

/** The node type that stands in for a Node-RED node topicflow cannot run. */
export const PLACEHOLDER_TYPE = 'unsupported';

/**
 * A placeholder: what an import keeps in place of a node it could not convert (a `function`,
 * a dashboard widget, a node type nobody knows), so that nothing of the original is lost —
 * its whole JSON stays in `original` — and the wiring around it stays visible. Validation
 * reports every placeholder as an error, so a flow holding one cannot be deployed until the
 * user replaces or removes it.
 */
export const placeholderNode = defineNode({
  type: PLACEHOLDER_TYPE,
  label: 'Unsupported',
  category: 'logic',
  help: 'Stands in for an imported node topicflow cannot run; replace or remove it before deploying',
  inputs: 1,
  outputs: 1,
  config: z.object({
    nodeRedType: z.string().max(200).describe('The type of the original node, e.g. function'),
    reason: z.string().max(2000).describe('Why it could not be converted'),
    original: z.record(z.string(), z.json()).describe('The original node, every property as exported'),
    suggestion: z.string().max(10_000).optional().describe('A JSONata expression that may replace it'),
  }),
});

/** The config of a placeholder after parsing. */
export type PlaceholderConfig = z.output<typeof placeholderNode.config>;

/** The sentence validation and the runtime use to refuse a placeholder. */
export function placeholderMessage(nodeId: string, config: Pick<PlaceholderConfig, 'nodeRedType' | 'reason'>, name?: string): string {
  const named = name ? ` ("${name}")` : '';
  return `node ${nodeId}${named} is a placeholder for Node-RED '${config.nodeRedType}': ${config.reason}; replace or remove it before deploying`;
}
