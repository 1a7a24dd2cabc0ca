import { nodeDefinitions } from '../../../nodes/registry.ts';
import { CATEGORY_LOOKS, iconImage, type Category } from './node-look.ts';

/**
 * The canvas cards' colours and icons as class rules of one stylesheet, made once from
 * node-look.ts, instead of inline styles on every card (`--accent`/`--tint` and the icon's
 * `background-image`). With a thousand cards those inline styles were a thousand style
 * declarations to parse (the icon's a long data URL), and an element with an inline style
 * cannot share its computed style with its siblings, so the browser computed every card's
 * style on its own. FlowNode puts the sheet in the page.
 */

/** The class that gives a card's icon tile the icon of `type` (a generic one for unknown types). */
export function iconClass(type: string): string {
  return ICON_TYPES.has(type) ? `icon-${type}` : 'icon-unknown';
}

/** Node types with an icon rule: those of the registry (their names are plain CSS identifiers). */
const ICON_TYPES: ReadonlySet<string> = new Set(nodeDefinitions.map((d) => d.type).filter((type) => /^[a-z][a-z0-9-]*$/.test(type)));

/** The stylesheet's text: a rule per category (`.flow-node.cat-<category>`) and per icon. */
export function cardStyleSheet(): string {
  const rules: string[] = [];
  for (const [category, look] of Object.entries(CATEGORY_LOOKS) as [Category, (typeof CATEGORY_LOOKS)[Category]][]) {
    rules.push(`.flow-node.cat-${category}{--accent:${look.color};--tint:${look.tint}}`);
  }
  for (const def of nodeDefinitions) {
    if (!ICON_TYPES.has(def.type)) continue;
    rules.push(`.flow-node-icon.icon-${def.type}{background-image:${iconImage(def.type, CATEGORY_LOOKS[def.category].color)}}`);
  }
  rules.push(`.flow-node-icon.icon-unknown{background-image:${iconImage('', CATEGORY_LOOKS.debug.color)}}`);
  return rules.join('\n');
}
