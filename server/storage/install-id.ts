import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The data folder: `--data`, else TOPICFLOW_DATA, else ~/.topicflow. */
export function resolveDataDir(flag?: string): string {
  return flag ?? process.env['TOPICFLOW_DATA'] ?? join(homedir(), '.topicflow');
}

/**
 * A short random id made once per install and kept in the data folder. Default MQTT client
 * ids are built from it, so two installs on one broker never share (and fight over) an id.
 */
export function loadInstallId(dataDir: string): string {
  const file = join(dataDir, 'install-id');
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[a-f0-9]{8,32}$/.test(id)) return id;
  } catch {
    // First start: no id yet; make one below.
  }
  const id = randomBytes(4).toString('hex');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, `${id}\n`, { mode: 0o600 });
  return id;
}
