import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_NODE_SIZE, layoutGraph, offsetBelow, placeNodes, type XY } from '../../editor/src/lib/layout.ts';

const W = DEFAULT_NODE_SIZE.width;
const H = DEFAULT_NODE_SIZE.height;

function overlaps(a: XY, b: XY): boolean {
  return a.x < b.x + W && b.x < a.x + W && a.y < b.y + H && b.y < a.y + H;
}

describe('layoutGraph', () => {
  it('places a chain left to right', () => {
    const ids = ['in', 'transform', 'threshold', 'out'];
    const pos = layoutGraph(
      ids.map((id) => ({ id })),
      [
        { source: 'in', target: 'transform' },
        { source: 'transform', target: 'threshold' },
        { source: 'threshold', target: 'out' },
      ],
    );
    for (let i = 1; i < ids.length; i++) assert.ok(pos[ids[i]!]!.x >= pos[ids[i - 1]!]!.x + W, `${ids[i]} is right of ${ids[i - 1]}`);
    assert.equal(new Set(ids.map((id) => pos[id]!.y)).size, 1, 'a chain is one row');
  });

  it('starts at the origin, on a 10 px grid, with no two nodes overlapping', () => {
    const nodes = Array.from({ length: 12 }, (_, i) => ({ id: `n${i}` }));
    const edges = [
      { source: 'n0', target: 'n1' },
      { source: 'n0', target: 'n2' },
      { source: 'n0', target: 'n3' },
      { source: 'n1', target: 'n4' },
      { source: 'n2', target: 'n4' },
    ];
    const pos = layoutGraph(nodes, edges, { x: 100, y: 40 });
    const all = Object.values(pos);
    assert.equal(all.length, 12);
    assert.equal(Math.min(...all.map((p) => p.x)), 100);
    assert.equal(Math.min(...all.map((p) => p.y)), 40);
    for (const p of all) assert.ok(p.x % 10 === 0 && p.y % 10 === 0, JSON.stringify(p));
    for (let i = 0; i < all.length; i++) for (let j = i + 1; j < all.length; j++) assert.ok(!overlaps(all[i]!, all[j]!), `${i} and ${j} overlap`);
  });

  it('ignores edges to unknown nodes and self-loops, and lays out cycles', () => {
    const pos = layoutGraph([{ id: 'a' }, { id: 'b' }], [
      { source: 'a', target: 'ghost' },
      { source: 'a', target: 'a' },
      { source: 'a', target: 'b' },
      { source: 'b', target: 'a' },
    ]);
    assert.deepEqual(Object.keys(pos).sort(), ['a', 'b']);
    assert.ok(!overlaps(pos['a']!, pos['b']!));
  });

  it('honours node sizes it is given', () => {
    const pos = layoutGraph([{ id: 'wide', width: 600, height: 40 }, { id: 'next' }], [{ source: 'wide', target: 'next' }]);
    assert.ok(pos['next']!.x >= 600);
  });

  it('returns nothing for nothing', () => assert.deepEqual(layoutGraph([], []), {}));
});

describe('offsetBelow and placeNodes', () => {
  it('moves a group below what is there, left-aligned', () => {
    const offset = offsetBelow([{ x: 50, y: 0 }, { x: 300, y: 200 }], [{ x: 0, y: 0 }, { x: 200, y: 0 }]);
    assert.equal(offset.x, 50);
    assert.ok(offset.y >= 200 + H, 'below the lowest node');
  });

  it('keeps an empty canvas where the file put it', () => {
    assert.deepEqual(offsetBelow([], [{ x: 7, y: 9 }]), { x: 0, y: 0 });
  });

  it('keeps the positions a file has (shifted as a group)', () => {
    const placed = placeNodes(
      [
        { id: 'a', position: { x: 0, y: 0 } },
        { id: 'b', position: { x: 400, y: 80 } },
      ],
      [],
      [{ x: 0, y: 0 }],
    );
    assert.equal(placed[1]!.position.x - placed[0]!.position.x, 400);
    assert.equal(placed[1]!.position.y - placed[0]!.position.y, 80);
    assert.ok(placed[0]!.position.y > H, 'below the existing node');
  });

  it('lays the whole group out when one node has no position', () => {
    const placed = placeNodes([{ id: 'a', position: { x: 0, y: 0 } }, { id: 'b' }], [{ source: 'a', target: 'b' }], []);
    assert.ok(placed[1]!.position.x > placed[0]!.position.x);
    assert.equal(placed[0]!.position.y, placed[1]!.position.y);
  });

  it('lays out again when asked, and keeps every other field', () => {
    const placed = placeNodes([{ id: 'a', type: 'debug', position: { x: 0, y: 0 } }, { id: 'b', type: 'debug', position: { x: 0, y: 0 } }], [], [], true);
    assert.ok(!overlaps(placed[0]!.position, placed[1]!.position));
    assert.equal(placed[0]!.type, 'debug');
  });
});
