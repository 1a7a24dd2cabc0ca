import { convertNodeRed } from './nodes/import/convert.ts';
import { compileExpression } from './nodes/transform/expr.ts';
import { loadFixtures } from './test/import/support/equivalence.ts';
import jsonata from 'jsonata';
const fx = loadFixtures().find(f => f.name === 'switch-loose-comparisons')!.fixture;
const { document } = convertNodeRed(fx);
const exprs = document.nodes.filter(n => n.type === 'transform').map(n => (n.config as any).ops[0].expr as string);
for (const input of ['ON', [5], 0.5]) {
  for (const [i, e] of exprs.entries()) {
    const c = compileExpression(e);
    let t = performance.now(); await c.evaluate(input, { topic: 'x' }); const a = performance.now() - t;
    t = performance.now(); await c.evaluate(input, { topic: 'x' }); const b = performance.now() - t;
    const raw = jsonata(e); t = performance.now(); await raw.evaluate(input, { topic: 'x' }); const r = performance.now() - t;
    console.log(JSON.stringify(input), i, a.toFixed(1), b.toFixed(1), 'raw', r.toFixed(1));
  }
}
console.log(exprs[7]);
