import { z } from 'zod';
import { UserInputError } from '../../nodes/errors.ts';
import { dotted } from '../../nodes/document/validate.ts';

export const injectBody = z.object({
  payload: z.json().optional().describe('The value to send; without one an inject node sends its own'),
  topic: z.string().max(65535).optional(),
});

export const rollbackBody = z.object({ rev: z.string().min(1).max(100) });

export const credentialsBody = z
  .object({
    password: z.string().max(1024).optional(),
    passphrase: z.string().max(1024).optional(),
  })
  .strict();

/** Parse a request body with a schema; every problem becomes a 400 naming the field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  throw new UserInputError(
    'the request body is not valid',
    result.error.issues.map((i) => ({ code: 'body.invalid', path: dotted(i.path), message: `${dotted(i.path) || 'body'}: ${i.message}` })),
  );
}
