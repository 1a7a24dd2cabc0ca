import { defineRuntime } from '../define-node.ts';
import { placeholderMessage, placeholderNode } from './definition.ts';

/**
 * A placeholder never runs. Validation already refuses a document that holds one; this is
 * the second lock, for a caller that starts nodes without validating (a test, a tool).
 */
export const placeholderRuntime = defineRuntime(placeholderNode, (config, ctx) => {
  throw new Error(placeholderMessage(ctx.id, config));
});
