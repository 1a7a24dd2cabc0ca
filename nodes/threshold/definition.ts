import { z } from 'zod';
import { defineNode } from '../define-node.ts';
import { describe } from '../value.ts';

/** The four ways of comparing a value; a config sets exactly one of them. */
export const CONDITION_KEYS = ['above', 'below', 'between', 'outside'] as const;

/** A finite number whose problems are told as a sentence naming the field. */
function numberField(field: string) {
  return z.number({ error: (issue) => `${field} must be a number, not ${describe(issue.input)}.` });
}

/** Seconds to wait, never negative. */
function secondsField(field: string) {
  return numberField(field).min(0, {
    error: (issue) => `${field} must be 0 seconds or more, not ${String(issue.input)}.`,
  });
}

/** A `[low, high]` pair; whether low < high is checked with the whole config. */
function rangeField(field: string) {
  return z.tuple([numberField(`The lower bound of ${field}`), numberField(`The upper bound of ${field}`)], {
    error: `${field} must be a pair of numbers [low, high].`,
  });
}

/**
 * Any JSON value except null: null would read as "unavailable" downstream, which is never
 * what someone typing an output value means.
 */
function outputValue(field: string) {
  return z.union([z.string(), z.number(), z.boolean(), z.array(z.json()), z.record(z.string(), z.json())], {
    error: `${field} must be text, a number, true/false, a list or an object.`,
  });
}

const fields = z.object({
  above: numberField('above').optional().describe('ON when the value is greater than this number.'),
  below: numberField('below').optional().describe('ON when the value is less than this number.'),
  between: rangeField('between').optional().describe('ON when the value is inside [low, high], both ends included.'),
  outside: rangeField('outside').optional().describe('ON when the value is below low or above high.'),
  hysteresis: numberField('hysteresis')
    .min(0, { error: (issue) => `hysteresis must be 0 or more, not ${String(issue.input)}.` })
    .default(0)
    .describe('How far the value must move back past the limit before the state switches back; stops flapping.'),
  for: secondsField('for')
    .default(0)
    .describe('Seconds the condition must hold without a break before switching ON.'),
  forOff: secondsField('forOff')
    .default(0)
    .describe('Seconds the condition must stay broken before switching OFF.'),
  emit: z
    .enum(['change', 'every'], { error: 'emit must be "change" or "every".' })
    .default('change')
    .describe('"change": send only when the state of a topic flips; "every": send the state for every value.'),
  emitFirst: z
    .boolean({ error: 'emitFirst must be true or false.' })
    .default(true)
    .describe('Send the first state of each topic (after a start or deploy); false sends only real switches, e.g. no "finished" when an idle washer first reports.'),
  on: outputValue('on').default('ON').describe('The payload sent when the state is ON.'),
  off: outputValue('off').default('OFF').describe('The payload sent when the state is OFF.'),
  min: numberField('min').optional().describe('Lowest plausible value; anything lower is a sensor glitch and is dropped.'),
  max: numberField('max').optional().describe('Highest plausible value; anything higher is a sensor glitch and is dropped.'),
  maxTopics: z
    .number({ error: 'maxTopics must be a whole number.' })
    .int({ error: 'maxTopics must be a whole number.' })
    .min(1, { error: 'maxTopics must be at least 1.' })
    .default(10_000)
    .describe('How many source topics to remember; beyond it the least recently updated one is forgotten.'),
});

/**
 * Rules that span fields. They live on the object rather than on each field so a message can
 * name the fields involved, and zod only runs them once every field has the right type.
 */
const thresholdConfig = fields.superRefine((config, ctx) => {
  const set = CONDITION_KEYS.filter((key) => config[key] !== undefined);
  if (set.length === 0) {
    ctx.addIssue({ code: 'custom', path: [], message: 'Set one of above, below, between or outside.' });
  } else if (set.length > 1) {
    ctx.addIssue({
      code: 'custom',
      path: [set[1]!],
      message: `Set only one of above, below, between or outside; this config sets ${set.join(' and ')}.`,
    });
  }
  for (const key of ['between', 'outside'] as const) {
    const range = config[key];
    if (range && !(range[0] < range[1])) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `The lower bound of ${key} (${range[0]}) must be less than its upper bound (${range[1]}).`,
      });
    }
  }
  // `outside` switches OFF only inside [low + h, high − h]; a larger h would leave it ON forever.
  const outside = config.outside;
  if (outside && outside[0] < outside[1] && 2 * config.hysteresis > outside[1] - outside[0]) {
    ctx.addIssue({
      code: 'custom',
      path: ['hysteresis'],
      message: `hysteresis ${config.hysteresis} leaves no value that switches OFF; with outside it must be at most ${(outside[1] - outside[0]) / 2}.`,
    });
  }
  if (config.min !== undefined && config.max !== undefined && !(config.min < config.max)) {
    ctx.addIssue({
      code: 'custom',
      path: ['min'],
      message: `min (${config.min}) must be less than max (${config.max}).`,
    });
  }
});

/** The threshold node's config after parsing, defaults filled in. */
export type ThresholdConfig = z.output<typeof thresholdConfig>;

/**
 * Threshold: turns a stream of numbers into ON/OFF, with hysteresis, delays and state kept
 * per source topic. The behaviour is pinned in DESIGN.md ("Pinned details").
 */
export const thresholdNode = defineNode({
  type: 'threshold',
  label: 'Threshold',
  help: 'Sends ON/OFF when a number crosses a limit, per source topic, with hysteresis and delays.',
  category: 'logic',
  config: thresholdConfig,
  inputs: 1,
  outputs: 1,
});
