/**
 * The MQTT broker `topicflow start` runs in-process when the user has none of their own:
 * aedes behind a plain node:net server. It speaks MQTT 3.1.1 only (aedes has no MQTT 5), so
 * a broker entry with `protocolVersion: 5` needs an external broker such as Mosquitto.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { Aedes, AuthenticateError } from 'aedes';
import { OperationalError } from '../../nodes/errors.ts';
import { waitAtMost } from '../wait-at-most.ts';

/** How to run the embedded broker; every field has a safe default. */
export interface EmbeddedBrokerOptions {
  /** Interface to bind. Default `127.0.0.1`: the broker is never reachable from the LAN by accident. */
  host?: string;
  /** TCP port. Default 1883; 0 asks the OS for a free port (read it back from `port`). */
  port?: number;
  /** With `password`, turns on authentication: CONNECTs without both, matching, are refused. */
  username?: string;
  password?: string;
  /** Receives one line per noteworthy event (client errors, refused logins). Never sees passwords. */
  logger?: (line: string) => void;
}

/** A running embedded broker. */
export interface EmbeddedBroker {
  /** `mqtt://host:port`, ready to hand to an MQTT client. */
  readonly url: string;
  readonly host: string;
  /** The port actually bound (differs from the option when that was 0). */
  readonly port: number;
  /** Clients that completed CONNECT and are still connected. */
  clientCount(): number;
  /** Disconnects every client and stops listening; resolves within about 2 s even if a client hangs. */
  close(): Promise<void>;
}

/** Upper bound on close(): a stuck socket must not keep the process (or a test) alive. */
const CLOSE_TIMEOUT_MS = 2000;

/** MQTT 3.1.1 CONNACK return codes used when refusing a login. */
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

/**
 * Starts aedes on `host:port` and resolves once the port is bound.
 *
 * Rejects with a plain-language OperationalError when the port is taken (naming `--broker`
 * and `--broker-port` as the ways out) or cannot be bound, and with a TypeError on bad options.
 */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 1883;
  const log = options.logger ?? (() => {});
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65535) {
    throw new TypeError(`broker port must be an integer from 0 to 65535, got ${String(options.port)}`);
  }
  if ((options.username === undefined) !== (options.password === undefined)) {
    // Half a credential pair is almost always a configuration slip; refusing it beats
    // silently running an open broker or one nobody can log into.
    throw new TypeError('embedded broker needs both username and password, or neither');
  }

  // Loaded here, not at the top: most servers run against the user's own broker and never need it.
  const { Aedes: AedesBroker } = await import('aedes');
  const aedes = await AedesBroker.createBroker({
    // A frozen subscriber must not stall delivery to everyone else for aedes' default minute.
    drainTimeout: 10_000,
    connectTimeout: 10_000,
  });
  if (options.username !== undefined && options.password !== undefined) {
    aedes.authenticate = makeAuthenticator(options.username, options.password, log);
  }
  aedes.on('clientError', (client, error) => log(`client ${client.id} error: ${error.message}`));
  aedes.on('connectionError', (client, error) => log(`connection from ${client.id ?? '?'} refused: ${error.message}`));

  // Tracked so close() can cut connections aedes does not know yet (no CONNECT sent) and
  // ones whose peer stopped reading; server.close() alone would wait for them forever.
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });

  try {
    await listen(server, requestedPort, host);
  } catch (error) {
    await closeAedes(aedes);
    throw bindError(error, host, requestedPort);
  }
  const port = (server.address() as AddressInfo).port;
  const url = `mqtt://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log(`embedded MQTT broker listening on ${url}`);

  let closing: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    clientCount: () => aedes.connectedClients,
    close() {
      closing ??= shutdown(server, sockets, aedes);
      return closing;
    },
  };
}

/** Builds aedes' authenticate hook; both fields are always compared so timing reveals neither. */
function makeAuthenticator(
  username: string,
  password: string,
  log: (line: string) => void,
): NonNullable<Aedes['authenticate']> {
  const wantUser = digest(username);
  const wantPass = digest(password);
  return (client, givenUser, givenPass, done) => {
    if (givenUser === undefined || givenPass === undefined) {
      log(`client ${client.id} refused: no credentials`);
      done(refusal('not authorized', NOT_AUTHORIZED), false);
      return;
    }
    // Hashing first gives equal-length buffers, which timingSafeEqual requires, and
    // hides the length of the real secret.
    const userOk = timingSafeEqual(digest(givenUser), wantUser);
    const passOk = timingSafeEqual(digest(givenPass), wantPass);
    if (userOk && passOk) {
      done(null, true);
      return;
    }
    log(`client ${client.id} refused: bad username or password`);
    done(refusal('bad username or password', BAD_USERNAME_OR_PASSWORD), false);
  };
}

function digest(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

function refusal(message: string, returnCode: number): AuthenticateError {
  // aedes reads `returnCode` off the error to pick the CONNACK code (2..5).
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/**
 * Turns a bind failure into a message that tells the user what to do next. Operational:
 * the machine's state, not the flow or our code, is what must change.
 */
function bindError(error: unknown, host: string, port: number): OperationalError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new OperationalError(
      `port ${port} on ${host} is already in use (is Mosquitto running?). ` +
        `Use --broker mqtt://${host}:${port} to use that broker instead, or --broker-port to move the embedded one.`,
      { cause: error },
    );
  }
  if (code === 'EACCES') {
    return new OperationalError(
      `not allowed to listen on port ${port} on ${host} (ports below 1024 need extra privileges). ` +
        `Use --broker-port with a port above 1023.`,
      { cause: error },
    );
  }
  if (code === 'EADDRNOTAVAIL') {
    return new OperationalError(`cannot listen on ${host}: no such address on this machine.`, { cause: error });
  }
  return new OperationalError(`embedded MQTT broker could not listen on ${host}:${port}: ${String(error)}`, { cause: error });
}

async function shutdown(server: ReturnType<typeof createServer>, sockets: Set<Socket>, aedes: Aedes): Promise<void> {
  const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
  const aedesClosed = closeAedes(aedes);
  // aedes.close() ends its clients politely; destroying the sockets too makes sure a peer
  // that never answers (or never sent CONNECT) cannot hold close() open.
  for (const socket of sockets) socket.destroy();
  await waitAtMost(Promise.all([serverClosed, aedesClosed]), CLOSE_TIMEOUT_MS);
}

function closeAedes(aedes: Aedes): Promise<void> {
  return new Promise((resolve) => aedes.close(() => resolve()));
}
