import { ValidationError } from './errors';

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const SUFFIX: Record<string, number> = {
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
  n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
};

/** A validated pair of counts (see {@link Quantities.validateRange}). */
export interface CountRange {
  readonly min: number;
  readonly max: number;
}

/** Kubernetes resource quantities (`500m`, `4Gi`, `1e3`): parsing and validation. */
export class Quantities {
  /** The value of a quantity in base units (cores, bytes, count), or undefined when it is not a quantity. */
  public static parse(quantity: string): number | undefined {
    const match = typeof quantity === 'string' ? QUANTITY.exec(quantity) : null;
    if (!match) return undefined;
    const [, number, suffix] = match;
    let factor = 1;
    if (suffix) factor = SUFFIX[suffix] ?? 10 ** Number(suffix.slice(1));
    return Number(number) * factor;
  }

  /**
   * `quantity` times the integer `factor`, written with the quantity's own suffix (`"64Gi"` x 16 = `"1024Gi"`,
   * `"0.5"` x 3 = `"1.5"`), so that a derived quota reads like the value it came from. `quantity` must be valid.
   */
  public static times(quantity: string, factor: number): string {
    const match = QUANTITY.exec(quantity);
    if (!match) throw new Error(`not a quantity: ${quantity}`);
    const [, number, suffix] = match;
    return `${Number((Number(number) * factor).toPrecision(15))}${suffix ?? ''}`;
  }

  /**
   * Throws a {@link ValidationError} naming `field` unless `quantity` is a valid Kubernetes quantity that is
   * strictly positive (or zero or more, with `allowZero`). Returns the quantity unchanged.
   */
  public static validate(path: string, field: string, quantity: string, allowZero: boolean = false): string {
    const value = Quantities.parse(quantity);
    if (value === undefined || value < 0 || (!allowZero && value === 0)) {
      throw new ValidationError(path, field, quantity,
        `expected a ${allowZero ? 'non-negative' : 'positive'} Kubernetes quantity such as "500m", "2", "8Gi"`);
    }
    return quantity;
  }

  /**
   * Validates a limit (a positive quantity) that must be at least `request` (already validated).
   * Returns the limit unchanged.
   */
  public static validateLimit(path: string, field: string, limit: string, request: string): string {
    Quantities.validate(path, field, limit);
    if (Quantities.parse(limit)! < Quantities.parse(request)!) {
      throw new ValidationError(path, field, limit, `expected a limit at least equal to the request "${request}"`);
    }
    return limit;
  }

  /**
   * Validates a `min`/`max` pair of counts (each an integer >= `floor`, `max` >= `min`); an inverted pair is
   * reported on `maxField`. Returns the pair.
   */
  public static validateRange(path: string, minField: string, maxField: string, min: number, max: number, floor: number = 0): CountRange {
    Quantities.validateCount(path, minField, min, floor);
    Quantities.validateCount(path, maxField, max, floor);
    if (max < min) throw new ValidationError(path, maxField, max, `expected at least ${minField.split('.').pop()} (${min})`);
    return { min, max };
  }

  /** Throws unless `value` is an integer >= `min`. Returns the value unchanged. */
  public static validateCount(path: string, field: string, value: number, min: number = 1): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      throw new ValidationError(path, field, value, `expected an integer >= ${min}`);
    }
    return value;
  }
}
