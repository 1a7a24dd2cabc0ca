import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeDefinitions } from '../../nodes/registry.ts';
import { cardStyleSheet, iconClass } from '../../editor/src/lib/card-styles.ts';
import { CATEGORY_LOOKS, iconImage } from '../../editor/src/lib/node-look.ts';

describe('editor: the canvas cards\' stylesheet', () => {
  const sheet = cardStyleSheet();

  it('gives each category its accent and tint', () => {
    for (const [category, look] of Object.entries(CATEGORY_LOOKS)) {
      assert.ok(sheet.includes(`.flow-node.cat-${category}{--accent:${look.color};--tint:${look.tint}}`), category);
    }
  });

  it('gives each node type its icon in its category\'s colour, and unknown types a generic one', () => {
    for (const def of nodeDefinitions) {
      assert.equal(iconClass(def.type), `icon-${def.type}`);
      assert.ok(sheet.includes(`.flow-node-icon.icon-${def.type}{background-image:${iconImage(def.type, CATEGORY_LOOKS[def.category].color)}}`), def.type);
    }
    for (const type of ['no-such-type', 'x"y', 'a b']) assert.equal(iconClass(type), 'icon-unknown', type);
    assert.ok(sheet.includes(`.flow-node-icon.icon-unknown{background-image:${iconImage('', CATEGORY_LOOKS.debug.color)}}`));
  });
});
