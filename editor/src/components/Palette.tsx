import { useStoreApi } from '@xyflow/react';
import type { DragEvent } from 'react';
import { nodeDefinitions } from '../../../nodes/registry.ts';
import { CATEGORY_ORDER, categoryLook } from '../lib/node-look.ts';
import { useEditor } from '../store/editor-store.ts';
import { NodeIcon } from './FlowNode.tsx';

/** The drag data type of a palette item; its value is the node type. */
export const NODE_DRAG_TYPE = 'application/topicflow-node';

/** Rough size of a new node, to centre it where it is dropped or added. */
export const NEW_NODE_SIZE = { width: 200, height: 60 };

const groups = CATEGORY_ORDER.map((category) => ({
  category,
  look: categoryLook(category),
  definitions: nodeDefinitions.filter((d) => d.category === category),
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
    // Several taps in a row fan out instead of stacking exactly on top of each other.
    const { nodes, activeTab } = useEditor.getState();
    const here = nodes.filter((n) => n.data.flow === activeTab);
    let position = centre;
    for (let i = 1; i < 20 && here.some((n) => Math.abs(n.position.x - position.x) < 12 && Math.abs(n.position.y - position.y) < 12); i++) {
      position = { x: centre.x + i * 24, y: centre.y + i * 24 };
    }
    addNode(type, { x: Math.round(position.x), y: Math.round(position.y) });
  };

  return (
    <aside className="palette" aria-label="Node palette">
      <div className="palette-title">Nodes</div>
      {groups.map((group) => (
        <section key={group.category} className="palette-group" style={{ ['--accent' as string]: group.look.color, ['--tint' as string]: group.look.tint }}>
          <h3>{group.look.label}</h3>
          {group.definitions.map((def) => (
            <button
              key={def.type}
              type="button"
              className="palette-item"
              draggable
              data-testid={`palette-${def.type}`}
              title={`${def.label}: ${def.help}\nDrag onto the canvas, or click to add it in the middle.`}
              onDragStart={(e) => onDragStart(e, def.type)}
              onClick={() => addAtCentre(def.type)}
            >
              <span className="palette-icon">
                <NodeIcon type={def.type} />
              </span>
              <span className="palette-text">
                <span className="palette-label">{def.label}</span>
                <span className="palette-help">{def.help}</span>
              </span>
            </button>
          ))}
        </section>
      ))}
    </aside>
  );
}
