import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Server as SocketServer } from 'socket.io';
import { OperationalError, UserInputError } from '../nodes/errors.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../nodes/protocol.ts';
import { createApp } from './api/app.ts';
import { hostRefusal } from './api/security.ts';
import { socketAuth } from './api/auth.ts';
import { loadAuth } from './api/auth-settings.ts';
import { attachLiveEvents } from './api/live-events.ts';
import { FlowRuntime } from './app/flow-runtime.ts';
import type { Logger } from './log.ts';
import { CredentialStore } from './storage/credential-store.ts';
import { FlowStore } from './storage/flow-store.ts';
import { loadInstallId } from './storage/install-id.ts';
import { StateStore } from './storage/state-store.ts';

export const DEFAULT_EDITOR_DIR = fileURLToPath(new URL('../editor/dist', import.meta.url));

export interface ServerOptions {
  readonly dataDir: string;
  readonly host: string;
  /** 0 picks a free port (tests). */
  readonly port: number;
  readonly logger: Logger;
  readonly brokerUrl?: string;
  /** Serve without login on a non-loopback address, knowingly. */
  readonly insecure?: boolean;
  readonly editorDir?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly connectTimeoutMs?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly runtime: FlowRuntime;
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/**
 * Why the server must not start on `host`, or undefined when it may: beyond loopback it
 * needs an admin login, or the user's explicit `--insecure`.
 */
export function bindRefusal(host: string, hasLogin: boolean, insecure: boolean): string | undefined {
  if (LOOPBACK.test(host) || hasLogin || insecure) return undefined;
  return (
    `refusing to serve on ${host} without a login: anyone on the network could switch your devices. ` +
    'Set an admin login (topicflow hash-password, then TOPICFLOW_ADMIN_USER and TOPICFLOW_ADMIN_HASH) or pass --insecure.'
  );
}

/** Start the HTTP API, live events and the stored flow. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const auth = await loadAuth(options.dataDir, env);
  const refusal = bindRefusal(options.host, auth !== undefined, options.insecure ?? false);
  if (refusal) throw new UserInputError(refusal);
  const [store, credentials] = await Promise.all([
    FlowStore.open(options.dataDir, { warn: (line) => options.logger.warn(line) }),
    CredentialStore.open(options.dataDir, env['TOPICFLOW_SECRET'] ? { secret: env['TOPICFLOW_SECRET'] } : {}),
  ]);
  const states = await StateStore.open(options.dataDir, { warn: (line) => options.logger.warn(line) });
  const runtime = new FlowRuntime({
    installId: loadInstallId(options.dataDir),
    store,
    credentials,
    states,
    logger: options.logger,
    ...(options.brokerUrl ? { brokerUrl: options.brokerUrl } : {}),
    ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
  });
  await runtime.start();

  const app = createApp({ runtime, credentials, auth, insecure: options.insecure ?? false, editorDir: options.editorDir ?? DEFAULT_EDITOR_DIR, logger: options.logger });
  const http: HttpServer = createServer(app);
  const io = new SocketServer<ClientToServerEvents, ServerToClientEvents>(http, { serveClient: false, maxHttpBufferSize: 1e6 });
  if (!auth && !options.insecure) {
    io.use((socket, next) => {
      const reason = hostRefusal(socket.handshake.headers.host);
      next(reason ? new Error(reason) : undefined);
    });
  }
  io.use(socketAuth(auth));
  const live = attachLiveEvents(io, runtime);

  await new Promise<void>((resolve, reject) => {
    http.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new OperationalError(`port ${options.port} on ${options.host} is already in use (another topicflow or Node-RED?); use --port to pick another`)
          : error,
      ),
    );
    http.listen(options.port, options.host, () => resolve());
  }).catch(async (error: unknown) => {
    live.stop();
    await runtime.stop();
    throw error;
  });
  const { port } = http.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    runtime,
    close() {
      closing ??= (async () => {
        live.stop();
        await new Promise<void>((resolve) => io.close(() => resolve()));
        http.closeAllConnections();
        await runtime.stop();
      })();
      return closing;
    },
  };
}
