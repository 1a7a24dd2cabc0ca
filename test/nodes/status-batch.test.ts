import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flushStatuses, STATUS_INTERVAL_MS, StatusLater, watchStatuses } from '../../nodes/status-batch.ts';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('deferred statuses', () => {
  it('are drawn on the timer only while watched, and at once when flushed', async () => {
    let draws = 0;
    const status = new StatusLater(() => draws++);
    status.changed();
    status.changed();
    await wait(STATUS_INTERVAL_MS + 150);
    assert.equal(draws, 0, 'drawn with nobody watching');

    const unwatch = watchStatuses();
    try {
      await wait(STATUS_INTERVAL_MS + 150);
      assert.equal(draws, 1, 'a change waiting when watching began is drawn by the timer, once');
      status.changed();
      status.changed();
      await wait(STATUS_INTERVAL_MS + 150);
      assert.equal(draws, 2, 'two changes within an interval are one draw');
    } finally {
      unwatch();
    }

    status.changed();
    flushStatuses();
    assert.equal(draws, 3, 'flushStatuses draws what waits, watched or not');
    flushStatuses();
    assert.equal(draws, 3, 'nothing changed since: nothing drawn');
  });

  it('are forgotten when cancelled (a node that shows an error, or closes)', () => {
    let draws = 0;
    const status = new StatusLater(() => draws++);
    status.changed();
    status.cancel();
    flushStatuses();
    assert.equal(draws, 0);
  });
});
