/**
 * Running the transform a converter produced, with topicflow's own transform logic, on one
 * message: the honest check of what the converted node will do.
 */
import { UNAVAILABLE, newMessage, type Message } from '../../../nodes/message.ts';
import { transformNode } from '../../../nodes/transform/definition.ts';
import { compileOps } from '../../../nodes/transform/ops.ts';

export { UNAVAILABLE };

/** The result of a transform: the message, or the error text. */
export type Outcome = { ok: true; payload: unknown; topic: string } | { ok: false; error: string };

/** Validate `config` as a transform config and run it on a message with `payload` and `topic`. */
export async function runTransform(config: unknown, payload: unknown, topic = 'sensor/x'): Promise<Outcome> {
  const parsed = transformNode.config.parse(config);
  const msg: Message = newMessage({ payload, topic });
  const result = await compileOps(parsed)(msg);
  return result.ok ? { ok: true, payload: result.msg.payload, topic: result.msg.topic } : { ok: false, error: result.error };
}
