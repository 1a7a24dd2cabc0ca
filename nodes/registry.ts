import type { NodeDefinition } from './define-node.ts';
import { debugNode } from './debug/definition.ts';
import { injectNode } from './inject/definition.ts';
import { mqttInNode } from './mqtt-in/definition.ts';
import { mqttOutNode } from './mqtt-out/definition.ts';
import { placeholderNode } from './placeholder/definition.ts';
import { thresholdNode } from './threshold/definition.ts';
import { transformNode } from './transform/definition.ts';

/** Every node type, in palette order. The document schema and the editor are built from it. */
export const nodeDefinitions: readonly NodeDefinition[] = [
  mqttInNode,
  injectNode,
  transformNode,
  thresholdNode,
  mqttOutNode,
  debugNode,
  placeholderNode,
];

export const definitionsByType: ReadonlyMap<string, NodeDefinition> = new Map(
  nodeDefinitions.map((d) => [d.type, d]),
);
