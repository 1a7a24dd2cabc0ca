import { z } from 'zod';
import { defineNode } from '../define-node.ts';
import { parseTemplate } from '../template.ts';
import { parsePath } from './path.ts';
import { UNIT_NAMES, UNITS, sameKind } from './numeric.ts';
import { compileExpression } from './expr.ts';

/**
 * The transform node: a list of small ops applied in order to each message, e.g. pick
 * `ENERGY.Power`, convert W → kW, round to 2 places. Every problem a schema can see (a bad
 * path, a JSONata syntax error, °C → kWh) is reported here, when the flow is validated,
 * instead of on the first message.
 */

const pathOp = z.object({
  op: z.literal('path'),
  path: z
    .string()
    .trim()
    .min(1, 'enter the field to pick, e.g. temperature')
    .superRefine((path, ctx) => {
      try {
        parsePath(path);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    })
    .default('temperature')
    .describe(
      'Field to pick from the payload: dotted (AM2301.Temperature), list index (.0 or [0]), ' +
        'keys with dots, colons or spaces in brackets (["temperature:0"].tC)',
    ),
});

const numberOp = z.object({
  op: z.literal('number'),
});

const scaleOp = z.object({
  op: z.literal('scale'),
  factor: z.number().default(1).describe('Multiply the value by this'),
  offset: z.number().default(0).describe('Then add this (negative to subtract)'),
});

const roundOp = z.object({
  op: z.literal('round'),
  decimals: z.number().int().min(0).max(10).default(0).describe('Digits after the decimal point (0–10); halves round away from zero'),
});

const unit = z.enum(UNIT_NAMES);
const convertOp = z
  .object({
    op: z.literal('convert'),
    from: unit.default('C').describe('Unit of the incoming value: C, F, K (temperature), W, kW (power), Wh, kWh (energy)'),
    to: unit.default('F').describe('Unit to convert to; must measure the same thing as "from"'),
  })
  .superRefine((op, ctx) => {
    if (!sameKind(op.from, op.to)) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `cannot convert ${UNITS[op.from]} (${op.from}) to ${UNITS[op.to]} (${op.to})`,
      });
    }
  });

const exprOp = z.object({
  op: z.literal('expr'),
  expr: z
    .string()
    .min(1, 'enter a JSONata expression, e.g. $round(temperature * 1.8 + 32, 1)')
    .superRefine((expr, ctx) => {
      try {
        compileExpression(expr);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    })
    .default('$')
    .describe('JSONata expression over the payload; $topic, $sourceTopic and $captures are available'),
});

const target = z
  .enum(['payload', 'topic'])
  .default('payload')
  .describe('What to replace: the payload, or the topic the message is sent on');

const setOp = z
  .object({
    op: z.literal('set'),
    target,
    value: z.json().default('ON').describe('The new value (any JSON; text for a topic)'),
  })
  .superRefine((op, ctx) => {
    if (op.target === 'topic' && (typeof op.value !== 'string' || op.value === '')) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'a topic must be non-empty text' });
    }
  });

const templateOp = z.object({
  op: z.literal('template'),
  target,
  template: z
    .string()
    .superRefine((template, ctx) => {
      try {
        parseTemplate(template);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    })
    .default('{payload}')
    .describe(
      'Text with fields in braces: captures of the topic filter ({room}), {payload}, ' +
        '{payload.field}, {topic}; write {{ and }} for literal braces',
    ),
});

/** One step of a transform, chosen by its `op` field. */
export const transformOp = z.discriminatedUnion('op', [pathOp, numberOp, scaleOp, roundOp, convertOp, exprOp, setOp, templateOp]);

/** The transform node's config: at least one op, applied in order. */
export const transformConfig = z.object({
  ops: z
    .array(transformOp)
    .min(1, 'add at least one op')
    .default([{ op: 'path', path: 'temperature' }])
    .describe('Steps applied in order; the output of one is the input of the next'),
});

/** One op after validation, defaults filled in. */
export type TransformOp = z.output<typeof transformOp>;
/** The transform config after validation, defaults filled in. */
export type TransformConfig = z.output<typeof transformConfig>;

/** The static description of the transform node type (palette, form, validation). */
export const transformNode = defineNode({
  type: 'transform',
  label: 'Transform',
  category: 'logic',
  inputs: 1,
  outputs: 1,
  help: 'Pick a field, parse, scale, round or convert units, or compute with JSONata',
  config: transformConfig,
});
