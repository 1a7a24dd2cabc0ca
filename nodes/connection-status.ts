import type { ConnectionState, NodeStatus } from './define-node.ts';

/** The status an MQTT node shows for its broker connection. */
export function connectionStatus(state: ConnectionState, reason?: string): NodeStatus {
  switch (state) {
    case 'connected':
      return { fill: 'green', text: 'connected' };
    case 'connecting':
      return { fill: 'yellow', text: reason ? `connecting (${reason})` : 'connecting' };
    case 'disconnected':
      return { fill: 'red', text: reason ? `disconnected: ${reason}` : 'disconnected' };
    case 'failed':
      return { fill: 'red', text: reason ? `failed: ${reason}` : 'failed' };
  }
}
