import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freeSpot } from '../../editor/src/lib/placement.ts';

const size = { width: 184, height: 60 };

test('an empty canvas takes the wanted spot', () => {
  assert.deepEqual(freeSpot({ x: 100, y: 100 }, size, []), { x: 100, y: 100 });
});

test('a taken spot moves the new node next to it, not onto it', () => {
  const taken = [{ x: 100, y: 100, ...size }];
  const spot = freeSpot({ x: 100, y: 100 }, size, taken);
  assert.notDeepEqual(spot, { x: 100, y: 100 });
  const apart = spot.x >= 100 + size.width || spot.x + size.width <= 100 || spot.y >= 100 + size.height || spot.y + size.height <= 100;
  assert.ok(apart, JSON.stringify(spot));
  assert.ok(Math.abs(spot.y - 100) <= 100 && Math.abs(spot.x - 100) <= 250, 'nearby');
});

test('adding ten nodes at the same place never stacks two', () => {
  const taken: { x: number; y: number; width: number; height: number }[] = [];
  for (let i = 0; i < 10; i++) taken.push({ ...freeSpot({ x: 0, y: 0 }, size, taken), ...size });
  const keys = new Set(taken.map((b) => `${b.x},${b.y}`));
  assert.equal(keys.size, 10);
});
