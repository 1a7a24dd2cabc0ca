import type { ReadStream } from 'node:tty';
import bcrypt from 'bcryptjs';

export const MIN_PASSWORD_LENGTH = 8;
/** bcrypt cost for the admin password: about a quarter of a second per login check. */
export const HASH_COST = 12;

/**
 * `topicflow hash-password`: read a password (one line; typed without echo when `isTty`),
 * print its bcrypt hash and the settings that enable the admin login. Returns the exit
 * code: 0 done, 2 for an empty, short or mistyped password, 130 when cancelled with Ctrl+C.
 */
export async function hashPasswordCommand(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, isTty: boolean): Promise<number> {
  let password: string | undefined;
  if (isTty) {
    password = await readHidden(input as ReadStream, output, 'Admin password: ');
    if (password === undefined) return 130;
    // Typed blind, so typed twice: a typo here would lock the user out.
    if (password.length >= MIN_PASSWORD_LENGTH && (await readHidden(input as ReadStream, output, 'Again: ')) !== password) {
      output.write('the two passwords differ; nothing was changed\n');
      return 2;
    }
  } else {
    password = await readLine(input);
  }
  if (!password) {
    output.write('no password given: type one, or pipe it in (printf %s "$PASSWORD" | topicflow hash-password)\n');
    return 2;
  }
  if (password.length < MIN_PASSWORD_LENGTH) {
    output.write(`that password is too short: use at least ${MIN_PASSWORD_LENGTH} characters\n`);
    return 2;
  }
  if (bcrypt.truncates(password)) output.write('note: bcrypt only uses the first 72 bytes of the password\n');
  const hash = await bcrypt.hash(password, HASH_COST);
  const settings = JSON.stringify({ admin: { user: 'admin', hash } }, null, 2);
  output.write(
    [
      hash,
      '',
      'Set these in the environment topicflow starts in (single quotes keep the $ signs):',
      '  TOPICFLOW_ADMIN_USER=admin',
      `  TOPICFLOW_ADMIN_HASH='${hash}'`,
      '',
      'or put this in settings.json in the data folder:',
      ...settings.split('\n').map((line) => `  ${line}`),
      '',
    ].join('\n'),
  );
  return 0;
}

/** The first line of a piped input (without its line ending), or what there is when it ends first. */
function readLine(input: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = () => {
      input.off('data', onData);
      input.off('end', finish);
      input.off('error', onError);
      input.pause();
      resolve(text.split('\n')[0]!.replace(/\r$/, ''));
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.includes('\n')) finish();
    };
    const onError = (error: Error) => {
      input.off('data', onData);
      input.off('end', finish);
      reject(error);
    };
    input.on('data', onData);
    input.once('end', finish);
    input.once('error', onError);
    input.resume();
  });
}

/** Read one line from a terminal in raw mode, so nothing typed is echoed; undefined on Ctrl+C. */
function readHidden(input: ReadStream, output: NodeJS.WritableStream, prompt: string): Promise<string | undefined> {
  output.write(prompt);
  const raw = typeof input.setRawMode === 'function';
  if (raw) input.setRawMode(true);
  return new Promise((resolve) => {
    let text = '';
    const done = (value: string | undefined) => {
      input.off('data', onData);
      if (raw) input.setRawMode(false);
      input.pause();
      output.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n' || char === '\u0004') return done(text);
        if (char === '\u0003') return done(undefined);
        if (char === '\u007f' || char === '\b') text = [...text].slice(0, -1).join('');
        else if (char >= ' ') text += char;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}
