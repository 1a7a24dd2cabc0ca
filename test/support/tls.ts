/**
 * A throwaway certificate authority for TLS tests, made with the `openssl` command line so
 * the certificates are ordinary PEM files that Mosquitto and mqtt.js both read unchanged.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Paths of the PEM files written by {@link makeTestCa}. */
export interface TestCa {
  /** The CA certificate: give it to a client as `ca` (or to a broker as `cafile`). */
  ca: string;
  caKey: string;
  /** For CN=localhost, with subjectAltName IP:127.0.0.1 and DNS:localhost, signed by the CA. */
  serverCert: string;
  serverKey: string;
  /** For CN=topicflow-test-client, signed by the CA, usable for mutual TLS. */
  clientCert: string;
  clientKey: string;
}

/** Each openssl step is quick (EC keys); anything near this means openssl is stuck. */
const STEP_TIMEOUT_MS = 10_000;
const VALID_DAYS = '2';

/**
 * Writes a CA, a server certificate for 127.0.0.1/localhost and a client certificate into
 * `dir` (created if needed). Runs openssl without a shell; each step is bounded by 10 s.
 */
export async function makeTestCa(dir: string): Promise<TestCa> {
  await mkdir(dir, { recursive: true });
  const files: TestCa = {
    ca: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.crt'),
    clientKey: join(dir, 'client.key'),
  };
  await openssl([
    'req', '-x509', ...newEcKey(files.caKey), '-out', files.ca, '-days', VALID_DAYS,
    '-subj', '/CN=topicflow test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await issue(files, dir, 'server', '/CN=localhost', [
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    'extendedKeyUsage=serverAuth',
  ]);
  await issue(files, dir, 'client', '/CN=topicflow-test-client', ['extendedKeyUsage=clientAuth']);
  return files;
}

/** Makes `<name>.key`, a CSR, and `<name>.crt` signed by the CA with the given extensions. */
async function issue(files: TestCa, dir: string, name: string, subject: string, extensions: string[]): Promise<void> {
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  await openssl(['req', '-new', ...newEcKey(join(dir, `${name}.key`)), '-out', csr, '-subj', subject]);
  await writeFile(ext, ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', ...extensions].join('\n') + '\n');
  await openssl([
    'x509', '-req', '-in', csr, '-CA', files.ca, '-CAkey', files.caKey,
    // A random serial avoids openssl's shared .srl file, so parallel runs cannot collide.
    '-set_serial', `0x${randomBytes(8).toString('hex')}`,
    '-days', VALID_DAYS, '-extfile', ext, '-out', join(dir, `${name}.crt`),
  ]);
}

function newEcKey(keyFile: string): string[] {
  // P-256 keys generate in milliseconds, where RSA would dominate a test's run time.
  return ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile];
}

function openssl(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, { timeout: STEP_TIMEOUT_MS }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      reject(
        new Error(
          missing
            ? 'openssl not found; install it with: apt-get install -y openssl'
            : `openssl ${args[0]} failed: ${error.message}\n${stderr}`,
          { cause: error },
        ),
      );
    });
  });
}
