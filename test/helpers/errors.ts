import { ValidationError } from '../../lib/core/errors';

/** Runs `fn`, expects a ValidationError on `field` whose message starts with `[path] field: `; returns it. */
export function expectValidationError(fn: () => unknown, field: string, path: string): ValidationError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).field).toBe(field);
  expect((error as Error).message).toContain(`[${path}] ${field}: `);
  return error as ValidationError;
}
