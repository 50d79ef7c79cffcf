import { IConstruct } from 'constructs';
import { ValidationError } from './errors';

/**
 * Runtime checks of input kinds, for every public entry point: TypeScript's types do not guard plain JavaScript
 * callers or values read from configuration files. Each check throws a {@link ValidationError} naming the path and
 * the field, and returns the value typed.
 * @internal not part of the public API (generic signatures)
 */
export class Checks {
  /** A plain object (props, options): not null, not an array. */
  public static object<T>(path: string, field: string, value: T, expected: string = 'an object'): T {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError(path, field, value, `expected ${expected}`);
    return value;
  }

  /** `object` when given, else undefined. */
  public static optionalObject<T>(path: string, field: string, value: T | undefined, expected: string = 'an object'): T | undefined {
    return value === undefined ? undefined : Checks.object(path, field, value, expected);
  }

  /** A string (non-empty unless `allowEmpty`). */
  public static string(path: string, field: string, value: unknown, expected: string = 'a non-empty string', allowEmpty: boolean = false): string {
    if (typeof value !== 'string' || (!allowEmpty && value === '')) throw new ValidationError(path, field, value, `expected ${expected}`);
    return value;
  }

  /** A boolean, or the default when undefined. */
  public static boolean(path: string, field: string, value: unknown, defaultValue: boolean): boolean {
    if (value === undefined) return defaultValue;
    if (typeof value !== 'boolean') throw new ValidationError(path, field, value, 'expected true or false');
    return value;
  }

  /** A finite number within [min, max] (integer when `integer`). */
  public static number(path: string, field: string, value: unknown, min: number, max: number, integer: boolean = true): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
      throw new ValidationError(path, field, value, `expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
    }
    return value;
  }

  /** An array (each element is checked by the caller, with its index in the field). */
  public static array<T>(path: string, field: string, value: T[], expected: string = 'a list'): T[] {
    if (!Array.isArray(value)) throw new ValidationError(path, field, value, `expected ${expected}`);
    return value;
  }

  /** `array` when given, else the default. */
  public static optionalArray<T>(path: string, field: string, value: T[] | undefined, defaultValue: T[], expected: string = 'a list'): T[] {
    return value === undefined ? defaultValue : Checks.array(path, field, value, expected);
  }

  /** A string → string map (labels, tags, selectors). */
  public static stringMap(path: string, field: string, value: unknown): { [key: string]: string } {
    Checks.object(path, field, value, 'a map of strings');
    for (const [k, v] of Object.entries(value as object)) {
      if (typeof v !== 'string') throw new ValidationError(path, `${field}["${k}"]`, v, 'expected a string');
    }
    return value as { [key: string]: string };
  }

  /** An instance of `type` (a class of the library), e.g. a GpuPool where a GpuPool is expected. */
  public static instance<T>(path: string, field: string, value: T, type: { prototype: T }, expected: string): T {
    // a class with a private constructor (the enum-like classes) is no `new`-able type, but still has a prototype
    if (!(value instanceof (type as unknown as new () => T))) throw new ValidationError(path, field, value, `expected ${expected}`);
    return value;
  }

  /**
   * One of the values of an enum (or enum-like list): an unknown string never passes through, nor silently turns
   * into the default. Undefined gives `defaultValue` when one is given.
   */
  public static oneOf<T>(path: string, field: string, value: T | undefined, allowed: T[], defaultValue?: T): T {
    if (value === undefined && defaultValue !== undefined) return defaultValue;
    if (!allowed.includes(value as T)) throw new ValidationError(path, field, value, `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    return value as T;
  }

  /**
   * A rule checked at synth (cross-construct: a quota too small, a name used twice in a cluster). `check` returns
   * the problems it finds; the first is thrown as a {@link ValidationError} (with the others in its message), so
   * that synth-time rejections are the same error class as construction-time ones. cdk8s and cdktf both let an
   * exception from a validation propagate out of `synth()`.
   */
  public static atSynth(scope: IConstruct, check: () => ValidationError[]): void {
    scope.node.addValidation({
      validate: () => {
        const problems = check();
        if (problems.length === 0) return [];
        if (problems.length === 1) throw problems[0];
        const [first] = problems;
        const all = new ValidationError(first.path, first.field, undefined, first.expected);
        all.message = problems.map((p) => p.message).join('\n');
        throw all;
      },
    });
  }
}
