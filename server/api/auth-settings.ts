import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { dotted } from '../../nodes/document/validate.ts';
import { OperationalError, UserInputError } from '../../nodes/errors.ts';
import { AuthService, BCRYPT_HASH, notBcrypt } from './auth.ts';

/**
 * The admin login, from `TOPICFLOW_ADMIN_USER` + `TOPICFLOW_ADMIN_HASH`, else from the
 * `admin` entry of `<dataDir>/settings.json`; undefined when neither is set (auth off).
 * Throws UserInputError for half a login, a malformed file or a hash that is not bcrypt.
 */
export async function loadAuth(dataDir: string, env: NodeJS.ProcessEnv): Promise<AuthService | undefined> {
  const user = env['TOPICFLOW_ADMIN_USER'] || undefined;
  const hash = env['TOPICFLOW_ADMIN_HASH'] || undefined;
  if (user || hash) {
    if (!user || !hash) throw new UserInputError('set both TOPICFLOW_ADMIN_USER and TOPICFLOW_ADMIN_HASH, or neither');
    if (!BCRYPT_HASH.test(hash)) throw new UserInputError(notBcrypt('TOPICFLOW_ADMIN_HASH'));
    return new AuthService({ user, hash });
  }
  const admin = await readSettingsAdmin(join(dataDir, 'settings.json'));
  return admin ? new AuthService(admin) : undefined;
}

const settingsSchema = z.looseObject({
  admin: z
    .object({
      user: z.string().min(1, 'must name the admin user').max(200),
      hash: z.string().regex(BCRYPT_HASH, 'must be a bcrypt hash ($2b$12$… , 60 characters); make one with `topicflow hash-password`'),
    })
    .optional(),
});

async function readSettingsAdmin(file: string): Promise<{ user: string; hash: string } | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OperationalError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserInputError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const result = settingsSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((i) => ({ code: 'settings.invalid', path: dotted(i.path), message: `${dotted(i.path) || 'settings'}: ${i.message}` }));
    throw new UserInputError(`${file}: ${problems.map((p) => p.message).join('; ')}`, problems);
  }
  return result.data.admin;
}
