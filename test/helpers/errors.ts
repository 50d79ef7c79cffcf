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
  // outside a construct (plain data such as GpuPool or WorkbenchCulling) the message starts with the field
  if (path === '') expect((error as Error).message.startsWith(`${field}: `)).toBe(true);
  else expect((error as Error).message).toContain(`[${path}] ${field}: `);
  return error as ValidationError;
}
