import type { NodeDefinition } from '../../../nodes/define-node.ts';

/**
 * How each node type looks on the canvas and in the palette: its colour (by category), its
 * icon (SVG path data on a 24×24 grid, drawn with a stroke) and a one-line summary of its
 * config. Pure, so it is tested without a browser.
 */

export type Category = NodeDefinition['category'];

export interface CategoryLook {
  label: string;
  /** The accent: icon tile, left stripe, minimap. */
  color: string;
  /** A pale tint of the accent for backgrounds. */
  tint: string;
}

export const CATEGORY_LOOKS: Record<Category, CategoryLook> = {
  input: { label: 'Inputs', color: '#0d9488', tint: '#e6f6f4' },
  logic: { label: 'Logic', color: '#6366f1', tint: '#eef0fe' },
  output: { label: 'Outputs', color: '#ea7a17', tint: '#fdf1e6' },
  debug: { label: 'Debug', color: '#64748b', tint: '#eef1f5' },
};

/** Palette order of the categories. */
export const CATEGORY_ORDER: readonly Category[] = ['input', 'logic', 'output', 'debug'];

const ICONS: Record<string, string> = {
  // An arrow entering a bracket: a message arriving.
  'mqtt-in': 'M3 12h11M10 8l4 4-4 4M15 4h5v16h-5',
  // A play button in a circle: press to send.
  inject: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM10 8.5v7l5.5-3.5z',
  // Two arrows swapping: the value changes shape.
  transform: 'M4 8h13M14 5l3 3-3 3M20 16H7M10 13l-3 3 3 3',
  // A gauge with its needle.
  threshold: 'M3.5 17a8.5 8.5 0 0 1 17 0M12 17l4.5-5.5M3 20h18',
  // An arrow leaving a bracket: a message published.
  'mqtt-out': 'M9 4H4v16h5M9 12h11M16 8l4 4-4 4',
  // A terminal window.
  debug: 'M3.5 5h17v14h-17zM7 10l3 2-3 2M12.5 14.5H17',
  // A question mark in a dashed box: an imported node topicflow cannot run.
  unsupported: 'M4 4h3M10 4h4M17 4h3v3M20 10v4M20 17v3h-3M14 20h-4M7 20H4v-3M4 14v-4M4 7V4M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .8-1 1.5v.7M12 16.5v.01',
};

const FALLBACK_ICON = 'M12 4a8 8 0 1 0 0 16 8 8 0 0 0 0-16z';

/** SVG path data of a node type's icon (a circle for unknown types). */
export function iconPath(type: string): string {
  return ICONS[type] ?? FALLBACK_ICON;
}

const iconImages = new Map<string, string>();

/**
 * A node type's icon drawn in `color`, as a CSS `url(…)` of an SVG image (the canvas nodes paint
 * it as a background: cheaper for the browser than an inline svg per node).
 */
export function iconImage(type: string, color: string): string {
  const key = `${type}|${color}`;
  let image = iconImages.get(key);
  if (image === undefined) {
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="18" height="18" viewBox="0 0 24 24">` +
      `<path d="${iconPath(type)}" fill="none" stroke="${color}" stroke-width="1.9" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
    image = `url("data:image/svg+xml,${encodeURIComponent(svg)}")`;
    iconImages.set(key, image);
  }
  return image;
}

/** The look of a category; unknown ones look like debug (neutral grey). */
export function categoryLook(category: string | undefined): CategoryLook {
  return CATEGORY_LOOKS[(category as Category) ?? 'debug'] ?? CATEGORY_LOOKS.debug;
}

/** At most `max` characters, with an ellipsis when cut. */
export function clip(text: string, max = 38): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A value as a person would type it: text bare, everything else as JSON. */
function shown(value: unknown): string {
  if (typeof value === 'string') return value === '' ? '""' : value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isRange = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && v.every(isNumber);

const UNIT_SIGNS: Record<string, string> = { C: '°C', F: '°F', K: 'K' };
const unit = (u: unknown) => UNIT_SIGNS[String(u)] ?? String(u);

function seconds(value: number): string {
  if (value >= 3600 && value % 3600 === 0) return `${value / 3600} h`;
  if (value >= 60 && value % 60 === 0) return `${value / 60} min`;
  return `${value} s`;
}

function opSummary(op: Record<string, unknown>): string {
  switch (op['op']) {
    case 'path':
      return `.${String(op['path'] ?? '')}`;
    case 'number':
      return 'to number';
    case 'scale': {
      const factor = isNumber(op['factor']) ? op['factor'] : 1;
      const offset = isNumber(op['offset']) ? op['offset'] : 0;
      const parts = [factor !== 1 ? `×${factor}` : '', offset > 0 ? `+${offset}` : offset < 0 ? `−${-offset}` : ''].filter(Boolean);
      return parts.length ? parts.join(' ') : '×1';
    }
    case 'round':
      return `round ${isNumber(op['decimals']) ? op['decimals'] : 0}`;
    case 'convert':
      return `${unit(op['from'])}→${unit(op['to'])}`;
    case 'expr':
      return `= ${String(op['expr'] ?? '')}`;
    case 'set':
      return `${op['target'] === 'topic' ? 'topic' : 'payload'} = ${shown(op['value'])}`;
    case 'template':
      return `${op['target'] === 'topic' ? 'topic' : 'payload'} = "${String(op['template'] ?? '')}"`;
    default:
      return String(op['op'] ?? '?');
  }
}

function thresholdSummary(config: Record<string, unknown>): string {
  let condition = 'no limit set';
  if (isNumber(config['above'])) condition = `> ${config['above']}`;
  else if (isNumber(config['below'])) condition = `< ${config['below']}`;
  else if (isRange(config['between'])) condition = `${config['between'][0]} … ${config['between'][1]}`;
  else if (isRange(config['outside'])) condition = `outside ${config['outside'][0]} … ${config['outside'][1]}`;
  const extras: string[] = [];
  if (isNumber(config['hysteresis']) && config['hysteresis'] > 0) extras.push(`±${config['hysteresis']}`);
  if (isNumber(config['for']) && config['for'] > 0) extras.push(`for ${seconds(config['for'])}`);
  const on = config['on'] ?? 'ON';
  const off = config['off'] ?? 'OFF';
  // Plain values only: objects ({"state":"ON"}) would crowd out everything else on one line.
  const plain = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
  if ((on !== 'ON' || off !== 'OFF') && plain(on) && plain(off)) extras.push(`${shown(on)}/${shown(off)}`);
  return [condition, ...extras].join(' · ');
}

/**
 * A short line about a node's config for its card: the topic of an MQTT node, `> 25 · ±0.5`
 * for a threshold, `.temperature → round 1` for a transform. Never throws on odd configs.
 */
export function configSummary(type: string, config: Record<string, unknown>, max = 38): string {
  switch (type) {
    case 'mqtt-in': {
      const topic = typeof config['topic'] === 'string' && config['topic'] ? config['topic'] : 'no topic yet';
      const group = typeof config['shareGroup'] === 'string' && config['shareGroup'] ? ` · group ${config['shareGroup']}` : '';
      return clip(topic + group, max);
    }
    case 'mqtt-out': {
      const topic = typeof config['topic'] === 'string' && config['topic'] ? config['topic'] : 'no topic yet';
      return clip(topic + (config['retain'] === true ? ' · retain' : ''), max);
    }
    case 'inject': {
      const payload = config['payload'] === undefined || config['payload'] === '' ? 'empty' : shown(config['payload']);
      const when = isNumber(config['interval']) ? ` · every ${seconds(config['interval'])}` : config['once'] === true ? ' · once' : '';
      return clip(payload, Math.max(8, max - when.length)) + when;
    }
    case 'transform': {
      const ops = Array.isArray(config['ops']) ? (config['ops'] as unknown[]) : [];
      if (ops.length === 0) return 'no steps yet';
      return clip(ops.map((op) => (op && typeof op === 'object' ? opSummary(op as Record<string, unknown>) : '?')).join(' → '), max);
    }
    case 'threshold':
      return clip(thresholdSummary(config), max);
    case 'unsupported':
      return clip(`Node-RED ${typeof config['nodeRedType'] === 'string' ? config['nodeRedType'] : 'node'}`, max);
    case 'debug':
      return config['active'] === false ? 'off' : config['show'] === 'message' ? 'whole message' : 'payload';
    default:
      return '';
  }
}
