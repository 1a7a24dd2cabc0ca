import { z } from 'zod';

/** Node, broker and flow ids: short, safe in URLs, file names and topics. */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1–64 letters, digits or _ . : -');

export const qosSchema = z
  .union([z.literal(0), z.literal(1), z.literal(2)], { error: 'QoS must be 0, 1 or 2' })
  .describe('MQTT quality of service: 0 at most once, 1 at least once, 2 exactly once');

/** Any JSON value a user can type into a form (on/off values, inject payloads, set values). */
export const jsonValueSchema: z.ZodType<unknown> = z.json();

export const brokerRefSchema = z
  .string()
  .min(1, 'choose a broker')
  .describe('The broker entry (by id) this node talks to');
