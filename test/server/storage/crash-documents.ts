/**
 * The flow documents the crash test writes: deterministic from a sequence number, so the
 * test can rebuild the exact document (and so its rev) that a killed writer was saving.
 * A few KB of the kind of nodes a real home flow has, so a write is more than one block.
 */
const ROOMS = ['kitchen', 'living', 'bedroom', 'office', 'bathroom', 'hall'];

export interface CrashDocument {
  readonly format: 'topicflow/1';
  readonly name: string;
  readonly seq: number;
  readonly nodes: readonly { id: string; type: string; position: { x: number; y: number }; config: Record<string, unknown> }[];
  readonly edges: readonly { source: string; target: string }[];
}

export function makeCrashDocument(seq: number): CrashDocument {
  const nodes: CrashDocument['nodes'][number][] = [];
  const edges: { source: string; target: string }[] = [];
  ROOMS.forEach((room, row) => {
    const y = row * 120 + (seq % 7);
    const broker = 'home';
    nodes.push(
      { id: `${room}-in`, type: 'mqtt-in', position: { x: 0, y }, config: { broker, topic: `zigbee2mqtt/${room}_sensor`, qos: 1 } },
      {
        id: `${room}-temp`,
        type: 'transform',
        position: { x: 220, y },
        config: { ops: [{ op: 'path', path: 'temperature' }, { op: 'round', digits: 1 }] },
      },
      {
        id: `${room}-hot`,
        type: 'threshold',
        position: { x: 440, y },
        config: { above: 22 + (seq % 5), hysteresis: 0.5, for: 30, on: 'ON', off: 'OFF' },
      },
      {
        id: `${room}-fan`,
        type: 'mqtt-out',
        position: { x: 660, y },
        config: { broker, topic: `shellies/${room}-fan/relay/0/command`, qos: 1, retain: true },
      },
    );
    edges.push(
      { source: `${room}-in`, target: `${room}-temp` },
      { source: `${room}-temp`, target: `${room}-hot` },
      { source: `${room}-hot`, target: `${room}-fan` },
    );
  });
  return { format: 'topicflow/1', name: `Fans follow temperature (save ${seq})`, seq, nodes, edges };
}
