import type { NodeRuntime } from './define-node.ts';
import { debugRuntime } from './debug/runtime.ts';
import { injectRuntime } from './inject/runtime.ts';
import { mqttInRuntime } from './mqtt-in/runtime.ts';
import { mqttOutRuntime } from './mqtt-out/runtime.ts';
import { placeholderRuntime } from './placeholder/runtime.ts';
import { thresholdRuntime } from './threshold/runtime.ts';
import { transformRuntime } from './transform/runtime.ts';

/** The runtime of every node type, by type. Only the server imports this module. */
export const nodeRuntimes: ReadonlyMap<string, NodeRuntime> = new Map(
  ([mqttInRuntime, injectRuntime, transformRuntime, thresholdRuntime, mqttOutRuntime, debugRuntime, placeholderRuntime] as NodeRuntime[]).map(
    (r) => [r.definition.type, r],
  ),
);
