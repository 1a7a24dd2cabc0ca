import { useStoreApi } from '@xyflow/react';
import type { DragEvent } from 'react';
import { PLACEHOLDER_TYPE } from '../../../nodes/placeholder/definition.ts';
import { nodeDefinitions } from '../../../nodes/registry.ts';
import { CATEGORY_ORDER, categoryLook } from '../lib/node-look.ts';
import { freeSpot } from '../lib/placement.ts';
import { useEditor } from '../store/editor-store.ts';
import { NodeIcon } from './FlowNode.tsx';

/** The drag data type of a palette item; its value is the node type. */
export const NODE_DRAG_TYPE = 'application/topicflow-node';

/** Rough size of a new node, to centre it where it is dropped or added. */
export const NEW_NODE_SIZE = { width: 184, height: 60 };

const groups = CATEGORY_ORDER.map((category) => ({
  category,
  look: categoryLook(category),
  // Placeholders only come from imports; nobody adds one by hand.
  definitions: nodeDefinitions.filter((d) => d.category === category && d.type !== PLACEHOLDER_TYPE),
})).filter((g) => g.definitions.length > 0);

/**
 * The node types, grouped by category. Drag one onto the canvas, or click (tap) it to add it
 * in the middle of the visible canvas. On narrow screens it shrinks to a strip of icons.
 */
export function Palette() {
  const flow = useStoreApi();
  const addNode = useEditor((s) => s.addNode);

  const onDragStart = (event: DragEvent, type: string) => {
    event.dataTransfer.setData(NODE_DRAG_TYPE, type);
    event.dataTransfer.effectAllowed = 'copy';
  };

  const addAtCentre = (type: string) => {
    const { width, height, transform } = flow.getState();
    const [x, y, zoom] = transform;
    const centre = { x: (width / 2 - x) / zoom - NEW_NODE_SIZE.width / 2, y: (height / 2 - y) / zoom - NEW_NODE_SIZE.height / 2 };
    // Taps in a row place nodes side by side instead of on top of each other.
    const { nodes, activeTab, tabs } = useEditor.getState();
    const taken = nodes
      .filter((n) => (n.data.flow ?? tabs[0]?.id) === activeTab)
      .map((n) => {
        // React Flow's size: the store hears of it only when it differs from the one the node was drawn with.
        const size = flow.getState().nodeLookup.get(n.id)?.measured ?? n.measured;
        return { ...n.position, width: size?.width ?? NEW_NODE_SIZE.width, height: size?.height ?? NEW_NODE_SIZE.height };
      });
    const position = freeSpot(centre, NEW_NODE_SIZE, taken);
    addNode(type, { x: Math.round(position.x), y: Math.round(position.y) });
  };

  return (
    <aside className="palette" aria-label="Node palette">
      <div className="palette-title">Nodes</div>
      {groups.map((group) => (
        <section key={group.category} className="palette-group" style={{ ['--accent' as string]: group.look.color, ['--tint' as string]: group.look.tint }}>
          <h3>{group.look.label}</h3>
          {group.definitions.map((def) => (
            // A div, not a <button>: Firefox does not start HTML5 drags from buttons.
            <div
              key={def.type}
              role="button"
              tabIndex={0}
              className="palette-item"
              draggable
              data-testid={`palette-${def.type}`}
              title={`${def.label}: ${def.help}\nDrag onto the canvas, or click to add it in the middle.`}
              onDragStart={(e) => onDragStart(e, def.type)}
              onClick={() => addAtCentre(def.type)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  addAtCentre(def.type);
                }
              }}
            >
              <span className="palette-icon">
                <NodeIcon type={def.type} />
              </span>
              <span className="palette-text">
                <span className="palette-label">{def.label}</span>
                <span className="palette-help">{def.help}</span>
              </span>
            </div>
          ))}
        </section>
      ))}
    </aside>
  );
}
