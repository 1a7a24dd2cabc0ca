import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../server/log.ts';
import { startServer, type RunningServer, type ServerOptions } from '../../server/server.ts';
import { http, type HttpOptions, type HttpReply } from './http.ts';

export interface TestServer {
  readonly server: RunningServer;
  readonly dataDir: string;
  readonly logs: string[];
  /** A request to this server: `api('/api/flows', { method: 'PUT', body })`. */
  api(path: string, options?: HttpOptions): Promise<HttpReply>;
  /** Stop the server; with `keepData` the data folder stays for a restart. */
  close(options?: { keepData?: boolean }): Promise<void>;
}

/** The real server on 127.0.0.1 and a free port, with its own data folder (or `dataDir`). */
export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'topicflow-server-')));
  const logs: string[] = [];
  const logger: Logger = {
    info: (line) => void logs.push(`info ${line}`),
    warn: (line) => void logs.push(`warn ${line}`),
    error: (line) => void logs.push(`error ${line}`),
  };
  const server = await startServer({ host: '127.0.0.1', port: 0, logger, env: {}, ...options, dataDir });
  return {
    server,
    dataDir,
    logs,
    api: (path, requestOptions) => http(`${server.url}${path}`, requestOptions),
    async close(closeOptions = {}) {
      await server.close();
      if (!closeOptions.keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
