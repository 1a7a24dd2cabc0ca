import { convertNodeRed } from './nodes/import/convert.ts';
import { broker, change, mqttIn, mqttOut, set, tab } from './test/import/support/nr.ts';
for (const rules of [[set('payload & msg_id & _msgid', 'jsonata')], [set('', 'str', 'topic'), set('x', 'str')], [set('true', 'bool', 'retain'), set('2', 'num', 'qos')]]) {
  const { report } = convertNodeRed([tab(), broker(), mqttIn('in', 'x', ['c']), change('c', rules, ['out']), mqttOut('out', 'y')]);
  console.log(JSON.stringify(report.changed.map(r => [r.id, r.differences]), null, 1));
}
