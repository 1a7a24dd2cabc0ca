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
