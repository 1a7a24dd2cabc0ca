import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { payloadToKeep } from '../../../server/app/topic-tracker.ts';

describe('topic tracker', () => {
  it('keeps a copy of the start of a payload, not a view that holds the whole read buffer', () => {
    // As mqtt.js hands payloads over: views into the socket's 64 KB read buffer.
    const readBuffer = new ArrayBuffer(64 * 1024);
    const report = new TextEncoder().encode('{"temperature":21.5,"humidity":48}');
    new Uint8Array(readBuffer).set(report, 1000);
    const payload = new Uint8Array(readBuffer, 1000, report.length);

    const kept = payloadToKeep(payload);
    assert.deepEqual(kept, report);
    assert.equal(kept.buffer.byteLength, report.length, 'the read buffer is not kept alive');

    const snapshot = new Uint8Array(readBuffer, 0, 60 * 1024); // a camera image, say
    assert.equal(payloadToKeep(snapshot).byteLength, 4096, 'only the first 4 KB are kept');
  });
});
