import { validateDocument } from '../nodes/document/validate.ts';
const r = validateDocument({ format: 'topicflow/1', brokers: [{ id: 'home', url: 'mqtt://u:secret@h' }], nodes: [
  { id: 'in', type: 'mqtt-in', config: { broker: 'home', topic: 'a/#/b', qos: 3 } },
  { id: 'bad id', type: 'debug' },
  { id: 'th', type: 'threshold', config: 'above 25' },
  { id: 'th2', type: 'threshold', config: { above: 1, hysterisis: 2, hysteresis: -1 } },
  { id: 'x', type: 'function' },
  { id: 'out', type: 'mqtt-out', config: { broker: 'home', topic: 'home/\u0001/fan' } }], edges: [{ source: 'in', target: 'nowhere' }] });
console.log(r.errors, r.warnings);
