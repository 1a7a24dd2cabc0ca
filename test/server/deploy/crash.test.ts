import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FlowStore } from '../../../server/storage/flow-store.ts';
import { startCli } from '../../support/cli.ts';
import { http } from '../../support/http.ts';

const KILLS = 30;

/** A flow that starts without any broker, different for each `n`. */
function flow(n: number) {
  return {
    format: 'topicflow/1',
    name: `deploy ${n}`,
    nodes: [
      { id: 'tick', type: 'inject', config: { payload: n } },
      { id: 'scale', type: 'transform', config: { ops: [{ op: 'scale', factor: n, offset: 0.5 }] } },
      { id: 'log', type: 'debug', config: {} },
    ],
    edges: [
      { source: 'tick', target: 'scale' },
      { source: 'scale', target: 'log' },
    ],
  };
}

describe('a server killed while deploying', () => {
  it(`leaves the old or the new flow, never a torn one (${KILLS} SIGKILLs)`, { timeout: 240_000 }, async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'topicflow-crash-'));
    let n = 0;
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        const server = startCli(['start', '--no-broker', '--no-demo', '--port', '0', '--data', dataDir]);
        try {
          const line = await server.waitForLine(/topicflow is running: open http:\/\/127\.0\.0\.1:\d+/, 20_000);
          const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)![0];
          let acknowledged: { rev: string; n: number } | undefined;
          let inFlight = -1;
          let stop = false;
          const deploying = (async () => {
            // Bounded: at most 500 deploys per life of the server.
            for (let i = 0; i < 500 && !stop; i++) {
              inFlight = ++n;
              const reply = await http(`${url}/api/flows`, { method: 'PUT', body: flow(inFlight) }).catch(() => undefined);
              if (!reply) return;
              if (reply.status === 200) acknowledged = { rev: reply.json<{ rev: string }>().rev, n: inFlight };
            }
          })();
          await new Promise((r) => setTimeout(r, 30 + Math.random() * 300));
          server.child.kill('SIGKILL');
          await server.exited;
          stop = true;
          await deploying;

          const warnings: string[] = [];
          const store = await FlowStore.open(dataDir, { warn: (l) => warnings.push(l) });
          const current = store.current();
          // Discarding a revision whose save was interrupted is expected; a corrupt file is not.
          assert.deepEqual(warnings.filter((w) => /corrupt|recovery/i.test(w)), [], 'no file was found torn or corrupt');
          if (acknowledged) {
            assert.ok(current, 'a stored flow after an acknowledged deploy');
            const name = (current.document as { name: string }).name;
            const ok = current.rev === acknowledged.rev ? name === `deploy ${acknowledged.n}` : name === `deploy ${inFlight}`;
            assert.ok(ok, `kill ${kill}: stored "${name}" (${current.rev}); acknowledged ${acknowledged.n} (${acknowledged.rev}), in flight ${inFlight}`);
            assert.deepEqual(current.document, flow(Number(name.split(' ')[1])), 'the stored document is whole');
          }
        } finally {
          server.child.kill('SIGKILL');
          await server.exited;
        }
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
