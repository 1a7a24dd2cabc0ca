import { readFile, stat } from 'node:fs/promises';
import { DOCUMENT_LIMITS } from '../nodes/document/schema.ts';
import { validateDocument, type ValidationResult } from '../nodes/document/validate.ts';
import { OperationalError, UserInputError } from '../nodes/errors.ts';

/** Read and validate a flow file: size limit, JSON syntax, then the whole schema. */
export async function loadFlowFile(path: string): Promise<ValidationResult> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new OperationalError(`cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  if (size > DOCUMENT_LIMITS.maxBytes) {
    throw new UserInputError(`${path} is ${size} bytes; a flow file may be at most ${DOCUMENT_LIMITS.maxBytes} bytes`);
  }
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserInputError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return validateDocument(json);
}
