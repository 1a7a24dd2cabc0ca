import { Position, type NodeProps } from '@xyflow/react';
import { memo, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import type { NodeStatus } from '../../../nodes/define-node.ts';
import type { Problem } from '../../../nodes/errors.ts';
import type { NodeCounters } from '../../../nodes/protocol.ts';
import { PLACEHOLDER_TYPE, placeholderMessage, type PlaceholderConfig } from '../../../nodes/placeholder/definition.ts';
import { cardStyleSheet, iconClass } from '../lib/card-styles.ts';
import { countersShown, TESTABLE_TYPES } from '../lib/node-geometry.ts';
import { configSummary, iconPath } from '../lib/node-look.ts';
import { brokerIdSet, warningsByNode, wiredPortsByNode } from '../lib/node-derived.ts';
import { configProblemsCached, mergeProblems } from '../lib/schema-form-issues.ts';
import { fitLine, fitsLine } from '../lib/text-fit.ts';
import { definitionOf, useEditor, type EditorNode } from '../store/editor-store.ts';
import { COARSE_POINTER, Port } from './Port.tsx';
import { SendTestValue } from './SendTestValue.tsx';

/** A node type's icon, tinted with its category colour (palette, settings panel). */
export function NodeIcon({ type, size = 18 }: { type: string; size?: number }) {
  return (
    <svg className="node-icon" width={size} height={size} viewBox="0 0 24 24" aria-hidden="true">
      <path d={iconPath(type)} fill="none" stroke="currentColor" strokeWidth="1.9" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

// The class rules the cards' colours and icons come from, in the page before the first card.
if (typeof document !== 'undefined') {
  const style = document.createElement('style');
  style.textContent = cardStyleSheet();
  document.head.append(style);
}

const NONE: readonly Problem[] = [];

function compact(n: number): string {
  return n < 10_000 ? String(n) : n < 1_000_000 ? `${Math.round(n / 1000)}k` : `${(n / 1_000_000).toFixed(1)}M`;
}

/** What a canvas node shows from the store besides its own data. */
interface NodeView {
  status: NodeStatus | undefined;
  counters: NodeCounters | undefined;
  serverProblems: readonly Problem[] | undefined;
  warnings: readonly Problem[];
  brokerIds: ReadonlySet<string>;
  wiredPorts: number;
}

const sameView = (a: NodeView, b: NodeView): boolean =>
  a.status === b.status &&
  a.counters === b.counters &&
  a.serverProblems === b.serverProblems &&
  a.warnings === b.warnings &&
  a.brokerIds === b.brokerIds &&
  a.wiredPorts === b.wiredPorts;

/**
 * One subscription per node, each part an O(1) lookup: every canvas node re-runs this on every
 * store update (live statuses arrive ten times a second), so it must not scan whole arrays, and
 * it returns the previous object while nothing it holds changed (a plain field-by-field check,
 * cheaper than a generic shallow compare a thousand times over).
 */
function useNodeView(id: string): NodeView {
  const last = useRef<NodeView | undefined>(undefined);
  return useEditor((s) => {
    const next: NodeView = {
      status: s.live.statuses[id],
      counters: s.live.counters[id],
      serverProblems: s.server.nodeProblems[id],
      warnings: warningsByNode(s.server.warnings).get(id) ?? NONE,
      brokerIds: brokerIdSet(s.brokers),
      // Wires from ports the type does not have (a placeholder for a Node-RED node with several outputs) still get a handle.
      wiredPorts: wiredPortsByNode(s.edges).get(id) ?? 0,
    };
    if (last.current && sameView(last.current, next)) return last.current;
    return (last.current = next);
  });
}

/**
 * One canvas node, whatever its type: icon, name, a summary of its config, its live status
 * and counters, and its problems (a red outline and the first message). Handles: `in` on the
 * left when the type has an input, `out-<n>` on the right for each output.
 */
function FlowNodeView({ id, data, selected }: NodeProps<EditorNode>) {
  const def = definitionOf(data.type);
  const { status, counters, serverProblems, warnings, brokerIds, wiredPorts } = useNodeView(id);
  // Real handles only where a wire can start (Port.tsx): under the pointer, selected, or on a touch screen.
  // Rendered at once (flushSync), not later: the press that may follow must find the real handle.
  const [pointerOn, setPointerOn] = useState(false);
  const onPointerEnter = () => flushSync(() => setPointerOn(true));
  const live = COARSE_POINTER || pointerOn || selected;

  const localProblems = useMemo(() => {
    if (!def) return [{ code: 'node.unknown-type', nodeId: id, message: `unknown node type "${data.type}"` }] as Problem[];
    const problems = [...configProblemsCached(def, id, undefined, data.config, brokerIds)];
    if (data.type === PLACEHOLDER_TYPE) {
      problems.unshift({ code: 'node.placeholder', nodeId: id, message: placeholderMessage(id, data.config as PlaceholderConfig, data.name) });
    }
    return problems;
  }, [def, id, data.type, data.config, data.name, brokerIds]);
  const problems = useMemo(() => {
    const merged = mergeProblems(serverProblems, localProblems);
    return merged.filter((p, i) => merged.findIndex((q) => q.message === p.message) === i);
  }, [serverProblems, localProblems]);

  const outputs = Math.max(def?.outputs ?? 0, wiredPorts);
  const title = data.name || def?.label || data.type;
  const summary = configSummary(data.type, data.config);
  // Lines get an overflow clip (for the CSS ellipsis) only when their text may not fit: see text-fit.ts.
  const nameFits = fitsLine('name', title);
  const shownSummary = summary ? fitLine('summary', summary) : undefined;
  const hasCounters = countersShown(counters);
  const statusFits = !!status && !hasCounters && fitsLine('status', status.text);
  const classes = ['flow-node', `cat-${def?.category ?? 'debug'}`, data.type === PLACEHOLDER_TYPE ? 'placeholder' : '', selected ? 'selected' : '', problems.length ? 'has-problems' : ''];

  return (
    // Colours and icon come from class rules (card-styles.ts), not inline styles.
    <div className={classes.filter(Boolean).join(' ')} onPointerEnter={onPointerEnter} onPointerLeave={() => setPointerOn(false)}>
      {(def?.inputs ?? 0) > 0 && <Port nodeId={id} live={live} type="target" position={Position.Left} id="in" className="port port-in" />}
      <div className="flow-node-head">
        {/* The icon as a background image, not an inline svg: fewer paint layers per node. */}
        <span className={`flow-node-icon ${iconClass(data.type)}`} />
        <div className="flow-node-titles">
          <div className={nameFits ? 'flow-node-name' : 'flow-node-name clipped'} title={data.name ? `${data.name} (${def?.label ?? data.type})` : undefined}>
            {title}
          </div>
          {summary && (
            <div className={shownSummary === undefined ? 'flow-node-summary clipped' : 'flow-node-summary'} title={summary}>
              {shownSummary ?? summary}
            </div>
          )}
        </div>
      </div>
      {(status || hasCounters) && (
        <div className="flow-node-live">
          {status && (
            <span className="flow-node-status" data-testid={`status-${id}`} title={status.text}>
              <span className={`dot dot-${status.fill}`} />
              <span className={statusFits ? 'status-text' : 'status-text clipped'}>{status.text}</span>
            </span>
          )}
          {counters && hasCounters && (
            <span className="flow-node-counters" title={`${counters.in} in, ${counters.out} out, ${counters.errors} errors`}>
              {def?.inputs ? <span>↓{compact(counters.in)}</span> : null}
              {outputs ? <span>↑{compact(counters.out)}</span> : null}
              {counters.errors > 0 && <span className="errors">✕{compact(counters.errors)}</span>}
            </span>
          )}
        </div>
      )}
      {TESTABLE_TYPES.has(data.type) && (
        <div className="flow-node-test nodrag">
          <SendTestValue nodeId={id} nodeType={data.type} />
        </div>
      )}
      {problems.length > 0 ? (
        <div className="flow-node-problem" data-testid={`problem-${id}`} title={problems.map((p) => p.message).join('\n')}>
          {problems[0]!.message}
          {problems.length > 1 && <span className="more"> +{problems.length - 1}</span>}
        </div>
      ) : (
        warnings.length > 0 && (
          <div className="flow-node-warning" title={warnings.map((w) => w.message).join('\n')}>
            {warnings[0]!.message}
          </div>
        )
      )}
      {Array.from({ length: outputs }, (_, port) => (
        <Port
          key={port}
          nodeId={id}
          live={live}
          type="source"
          position={Position.Right}
          id={`out-${port}`}
          className="port port-out"
          // A share of the height inside the card's 1-px top and bottom borders (the handle is placed against the node element).
          style={outputs > 1 ? { top: `calc(1px + (100% - 2px) * ${(port + 1) / (outputs + 1)})` } : undefined}
        />
      ))}
    </div>
  );
}

/**
 * Only the props the node draws from: React Flow also passes positions, sizes and drag state,
 * which change on every move of the node but never change what it shows.
 */
function sameProps(a: NodeProps<EditorNode>, b: NodeProps<EditorNode>): boolean {
  return a.id === b.id && a.data === b.data && a.selected === b.selected;
}

export const FlowNode = memo(FlowNodeView, sameProps);
