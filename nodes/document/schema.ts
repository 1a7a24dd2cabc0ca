import { z } from 'zod';
import { brokerSchema } from '../broker.ts';
import { idSchema } from '../common-fields.ts';
import type { NodeDefinition } from '../define-node.ts';
import { describe } from '../value.ts';

export const FORMAT = 'topicflow/1';

/** Limits that keep a hostile or broken file from exhausting memory. */
export const DOCUMENT_LIMITS = { maxNodes: 10_000, maxEdges: 50_000, maxBrokers: 100, maxBytes: 5 * 1024 * 1024 };

export const positionSchema = z.object({ x: z.number().finite(), y: z.number().finite() });

/** The fields every node has; `config` is checked against the node type's own schema. */
export const nodeEnvelopeSchema = z.object({
  id: idSchema,
  type: z.string().min(1, 'must name a node type'),
  name: z.string().max(200).optional(),
  flow: idSchema.optional().describe('The tab (flow) the node is drawn on'),
  position: positionSchema.optional(),
  config: z
    .record(z.string(), z.unknown(), { error: (issue) => `config must be an object of fields ({ "field": value }), not ${describe(issue.input)}` })
    .default({}),
});

export const edgeSchema = z.object({
  source: idSchema,
  target: idSchema,
  sourcePort: z.number().int().min(0).default(0),
});

export const flowTabSchema = z.object({
  id: idSchema,
  label: z.string().max(200).default(''),
  description: z.string().max(10_000).optional(),
});

/**
 * The document around its nodes and edges. Checks across nodes belong in checkDocument
 * (validate.ts), not here: the incremental validator parses this schema with empty node
 * and edge lists and checks each node and edge on its own.
 */
export const documentEnvelopeSchema = z.object({
  format: z.literal(FORMAT, { error: `format must be "${FORMAT}"` }),
  name: z.string().max(200).optional(),
  description: z.string().max(10_000).optional(),
  devices: z
    .array(z.string().max(200))
    .max(100)
    .optional()
    .describe('The devices a shared flow expects, e.g. "Zigbee2MQTT temperature sensor"'),
  flows: z.array(flowTabSchema).max(1000).optional(),
  brokers: z.array(brokerSchema).max(DOCUMENT_LIMITS.maxBrokers).default([]),
  nodes: z.array(nodeEnvelopeSchema).max(DOCUMENT_LIMITS.maxNodes, `a flow may hold at most ${DOCUMENT_LIMITS.maxNodes} nodes`),
  edges: z.array(edgeSchema).max(DOCUMENT_LIMITS.maxEdges).default([]),
});

export type FlowDocumentInput = z.input<typeof documentEnvelopeSchema>;
export type Edge = z.output<typeof edgeSchema>;
export type FlowNode = z.output<typeof nodeEnvelopeSchema>;
/** A validated document: every node's config has been parsed by its type, defaults filled in. */
export type FlowDocument = z.output<typeof documentEnvelopeSchema>;

/**
 * The whole format as one schema, node configs included, for the published JSON Schema
 * (flows/topicflow.schema.json) that editors and other tools can check files with.
 */
export function publishedDocumentSchema(definitions: readonly NodeDefinition[]) {
  const nodeVariants = definitions.map((d) => {
    // The validator reads a missing config as `{}`, so config may be left out exactly when
    // `{}` is a valid config of the type (debug, inject), and must be there otherwise.
    const config = d.config.safeParse({}).success ? d.config.optional() : d.config;
    return nodeEnvelopeSchema.extend({ type: z.literal(d.type), config: config.describe(d.help) });
  });
  const [first, ...rest] = nodeVariants;
  if (!first) throw new Error('no node definitions');
  return documentEnvelopeSchema.extend({
    nodes: z.array(z.discriminatedUnion('type', [first, ...rest])).max(DOCUMENT_LIMITS.maxNodes),
  });
}
