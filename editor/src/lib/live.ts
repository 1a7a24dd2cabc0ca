/**
 * The editor's live link to the runtime: a socket.io connection (same origin, session cookie)
 * whose events feed the store — node statuses, counters, broker states, debug messages and
 * node errors, edge pulses — batched every {@link FLUSH_MS} so a flow busy with a thousand
 * messages a second costs the page ten store updates a second. Also notices deploys made
 * elsewhere: reloads the flow when nothing here is unsaved, else raises the conflict.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../nodes/protocol.ts';
import { stableJson } from '../../../nodes/stable-json.ts';
import { useEditor, type EditorState } from '../store/editor-store.ts';
import { api } from './api.ts';
import {
  FLUSH_MS,
  applyBuffer,
  bufferBrokerState,
  bufferCounters,
  bufferDebug,
  bufferNodeError,
  bufferRemoved,
  bufferSnapshot,
  bufferStatus,
  emptyBuffer,
  isEmpty,
} from './live-batch.ts';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** True when the canvas differs from the last deployed (or loaded) document. */
export function hasUnsavedChanges(state: EditorState): boolean {
  return stableJson(state.document()) !== state.server.deployedDocument;
}

/** Connect to the server's live events and feed the store. Returns a function that disconnects. */
export function connectLive(): () => void {
  const socket: LiveSocket = io({ withCredentials: true });
  let buffer = emptyBuffer();
  let seq = 1;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let pulseTimer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    if (flushTimer !== undefined) clearTimeout(flushTimer);
    flushTimer = undefined;
    const state = useEditor.getState();
    if (isEmpty(buffer) && Object.keys(state.live.pulses).length === 0) return;
    const taken = buffer;
    buffer = emptyBuffer();
    const now = Date.now();
    const result = applyBuffer(state.live, taken, { edges: state.edges, now, nextSeq: seq });
    seq = result.nextSeq;
    if (Object.keys(result.patch).length > 0) state.setLive(result.patch);
    if (pulseTimer !== undefined) clearTimeout(pulseTimer);
    pulseTimer = undefined;
    // Flush again when the first pulse ends, so edges stop glowing even when all goes quiet.
    if (result.nextPulseEnd !== undefined) {
      pulseTimer = setTimeout(() => {
        pulseTimer = undefined;
        flush();
      }, Math.max(16, result.nextPulseEnd - now + 10));
    }
  };
  const schedule = () => {
    // A timer, not requestAnimationFrame: a hidden tab must keep draining its (bounded) buffer.
    flushTimer ??= setTimeout(flush, FLUSH_MS);
  };
  const paused = () => useEditor.getState().live.debugPaused;

  socket.on('connect', () => useEditor.getState().setLive({ connected: true }));
  socket.on('disconnect', () => useEditor.getState().setLive({ connected: false }));
  socket.on('connect_error', () => useEditor.getState().setLive({ connected: false }));

  socket.on('snapshot', (event) => {
    bufferSnapshot(buffer, event);
    flush();
    noticeRev(event.rev);
  });
  socket.on('status', ({ nodeId, status }) => {
    bufferStatus(buffer, nodeId, status);
    schedule();
  });
  socket.on('counters', (event) => {
    bufferCounters(buffer, event);
    schedule();
  });
  socket.on('broker-state', (event) => {
    bufferBrokerState(buffer, event);
    schedule();
  });
  socket.on('debug', (event) => {
    bufferDebug(buffer, event, paused());
    schedule();
  });
  socket.on('node-error', (event) => {
    bufferNodeError(buffer, event, paused());
    schedule();
  });
  socket.on('deployed', (event) => {
    bufferRemoved(buffer, event.stopped, event.started);
    schedule();
    noticeRev(event.rev);
  });

  // A deploy's event can arrive before its HTTP reply: while this page deploys, wait for the
  // reply before deciding whether the new rev is ours.
  let pendingRev: string | null | undefined;
  const unsubscribe = useEditor.subscribe((state, previous) => {
    if (previous.server.deployState !== 'deploying' || state.server.deployState === 'deploying') return;
    if (pendingRev === undefined) return;
    const rev = pendingRev;
    pendingRev = undefined;
    noticeRev(rev);
  });

  function noticeRev(rev: string | null): void {
    const state = useEditor.getState();
    // Not loaded yet: the load under way fetches the current flow anyway.
    if (!state.server.deployedDocument) return;
    if (rev === state.server.rev) return;
    if (state.server.deployState === 'deploying') {
      pendingRev = rev;
      return;
    }
    if (hasUnsavedChanges(state)) {
      state.setServer({ conflict: { theirRev: rev } });
      return;
    }
    const before = stableJson(state.document());
    api.getFlows().then(
      (reply) => {
        const now = useEditor.getState();
        // Edited while the flow was on its way: keep the edits, let the person choose.
        if (stableJson(now.document()) !== before || now.server.deployState === 'deploying') {
          if (reply.rev !== now.server.rev) now.setServer({ conflict: { theirRev: reply.rev } });
          return;
        }
        now.loadFromServer(reply.document, reply.rev, reply.credentials);
      },
      // The new flow could not be fetched: say that the server has another one, so the conflict
      // dialog offers to load it (which tries again).
      () => useEditor.getState().setServer({ conflict: { theirRev: rev } }),
    );
  }

  return () => {
    unsubscribe();
    if (flushTimer !== undefined) clearTimeout(flushTimer);
    if (pulseTimer !== undefined) clearTimeout(pulseTimer);
    socket.removeAllListeners();
    socket.disconnect();
    useEditor.getState().setLive({ connected: false });
  };
}
