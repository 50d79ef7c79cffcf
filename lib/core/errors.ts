/**
 * The one error class of the library: bad input, found at construction time or at synth.
 *
 * The message always names where (the construct path), what (the field), the value given and what would be valid,
 * e.g. `[platform/team-a] TeamSpace.quota.cpu: "-1" is invalid: expected a positive Kubernetes quantity`.
 */
export class ValidationError extends Error {
  /** Path of the construct that rejected the input ("" outside a construct). */
  public readonly path: string;
  /** The field that holds the bad value, e.g. `TeamSpace.quota.cpu`. */
  public readonly field: string;
  /** What would have been valid. */
  public readonly expected: string;

  /**
   * @param path construct path (use `scope.node.path`)
   * @param field the field, prefixed with the props type, e.g. `TeamSpace.name`
   * @param value the value that was given (rendered as JSON in the message)
   * @param expected what would be valid
   */
  public constructor(path: string, field: string, value: unknown, expected: string) {
    super(`${path ? `[${path}] ` : ''}${field}: ${ValidationError.render(value)} is invalid: ${expected}`);
    this.name = 'ValidationError';
    this.path = path;
    this.field = field;
    this.expected = expected;
  }

  /**
   * The value as JSON, cut at 200 characters. What JSON cannot render (a construct, a circular object, a function,
   * a BigInt) is named by its kind instead: building the message must never throw.
   */
  private static render(value: unknown): string {
    if (value === undefined) return 'undefined';
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      json = undefined;
    }
    if (json === undefined) {
      const path = (value as { node?: { path?: unknown } } | null)?.node?.path;
      if (typeof path === 'string') return `<construct ${path || '(root)'}>`;
      const name = (value as object | null)?.constructor?.name;
      return `<${typeof value}${name && typeof value === 'object' ? ` ${name}` : ''}>`;
    }
    return json.length > 200 ? `${json.slice(0, 200)}...` : json;
  }
}

/** Error helpers usable from every language the library is published in. */
export class Errors {
  /** True when `x` is a {@link ValidationError} thrown by this library (bad input). */
  public static isValidationError(x: unknown): boolean {
    return x instanceof ValidationError;
  }
}
