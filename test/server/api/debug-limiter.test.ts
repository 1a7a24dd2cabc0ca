import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEBUG_BURST, DebugLimiter } from '../../../server/api/debug-limiter.ts';

describe('DebugLimiter', () => {
  it('lets a burst through, then drops, and reports the drops on the next message sent', () => {
    const limiter = new DebugLimiter({ ratePerSecond: 10, burst: 3 });
    const at0 = [1, 2, 3, 4, 5].map(() => limiter.offer('n', 0));
    assert.deepEqual(at0, [
      { send: true, dropped: 0 },
      { send: true, dropped: 0 },
      { send: true, dropped: 0 },
      { send: false },
      { send: false },
    ]);
    // 100 ms at 10/s is one token.
    assert.deepEqual(limiter.offer('n', 100), { send: true, dropped: 2 });
    assert.deepEqual(limiter.offer('n', 100), { send: false });
  });

  it('refills at the rate, never above the burst', () => {
    const limiter = new DebugLimiter({ ratePerSecond: 10, burst: 5 });
    for (let i = 0; i < 5; i++) limiter.offer('n', 0);
    let sent = 0;
    for (let i = 0; i < 100; i++) if (limiter.offer('n', 10_000).send) sent++;
    assert.equal(sent, 5);
  });

  it('limits each node on its own', () => {
    const limiter = new DebugLimiter({ ratePerSecond: 1, burst: 1 });
    assert.equal(limiter.offer('a', 0).send, true);
    assert.equal(limiter.offer('a', 0).send, false);
    assert.equal(limiter.offer('b', 0).send, true);
  });

  it('hands out the drops of a node that went quiet at the next flush, not of one still busy', () => {
    const limiter = new DebugLimiter({ ratePerSecond: 10, burst: 1 });
    limiter.offer('quiet', 0);
    limiter.offer('quiet', 0);
    limiter.offer('busy', 0);
    limiter.offer('busy', 0);
    // Both offered during this period: a busy node's next message will carry the count.
    assert.deepEqual(limiter.flush(10), []);
    limiter.offer('busy', 20);
    assert.deepEqual(limiter.flush(1000), [{ nodeId: 'quiet', dropped: 1 }]);
    assert.equal(limiter.pending(), 2);
    assert.deepEqual(limiter.flush(2000), [{ nodeId: 'busy', dropped: 2 }]);
    assert.equal(limiter.pending(), 0);
    assert.deepEqual(limiter.flush(3000), []);
  });

  it('accounts for every message: sent + reported drops == offered', () => {
    const limiter = new DebugLimiter();
    let sent = 0;
    let dropped = 0;
    let now = 0;
    for (let i = 0; i < 5000; i++) {
      now += i % 7; // an uneven stream, about 3 ms apart
      const d = limiter.offer(`n${i % 3}`, now);
      if (d.send) {
        sent++;
        dropped += d.dropped;
      }
      if (i % 300 === 0) for (const q of limiter.flush(now)) dropped += q.dropped;
    }
    for (const q of limiter.flush(now + 1000)) dropped += q.dropped;
    for (const q of limiter.flush(now + 2000)) dropped += q.dropped;
    assert.equal(sent + dropped, 5000);
    assert.ok(sent < 5000 / 2, `sent ${sent}`);
  });

  it('forgets nodes whose bucket is full again', () => {
    const limiter = new DebugLimiter();
    limiter.offer('gone', 0);
    limiter.flush(0);
    limiter.flush(10_000);
    // A fresh bucket behaves exactly like the forgotten one: a full burst.
    let sent = 0;
    for (let i = 0; i < DEBUG_BURST + 5; i++) if (limiter.offer('gone', 10_000).send) sent++;
    assert.equal(sent, DEBUG_BURST);
  });

  it('does not take tokens away when the clock steps back', () => {
    const limiter = new DebugLimiter({ ratePerSecond: 10, burst: 2 });
    limiter.offer('n', 1000);
    assert.equal(limiter.offer('n', 500).send, true);
  });
});
