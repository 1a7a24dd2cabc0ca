/** Readable one-line logging for the terminal: `12:04:05 error  node th1: …`. */
export interface Logger {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

function stamp(): string {
  return new Date().toTimeString().slice(0, 8);
}

export function consoleLogger(out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Logger {
  return {
    info: (line) => void out.write(`${stamp()} ${line}\n`),
    warn: (line) => void err.write(`${stamp()} warn  ${line}\n`),
    error: (line) => void err.write(`${stamp()} error ${line}\n`),
  };
}

/** A debug node's output as one line: `debug log: zigbee2mqtt/kitchen/th_sensor {"state":"ON"}`. */
export function debugLine(event: { nodeId: string; topic: string; value: unknown }): string {
  return `debug ${event.nodeId}: ${event.topic ? `${event.topic} ` : ''}${showValue(event.value)}`;
}

function showValue(value: unknown): string {
  if (typeof value === 'symbol') return 'unavailable';
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (typeof value === 'string') return value;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'symbol' ? 'unavailable' : v)) ?? String(value);
}
