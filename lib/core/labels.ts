import { ValidationError } from './errors';
import { Names } from './names';
import { PROJECT_NAME } from './versions';

/** The name part of a qualified name, and a label value: alphanumeric at both ends, '-', '_', '.' inside. */
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const MAX_NAME_PART = 63;

/** Inputs of {@link Labels.standard}. */
export interface StandardLabelsOptions {
  /** `app.kubernetes.io/name`: the application, e.g. `minio`, `jupyter`. */
  readonly name: string;
  /** `app.kubernetes.io/instance`: this instance, unique per namespace (usually the object name). */
  readonly instance: string;
  /** `app.kubernetes.io/component`: the role inside the application, e.g. `server`, `tenancy`. */
  readonly component: string;
  /**
   * `app.kubernetes.io/part-of`: the larger application.
   * @default "ai-platform"
   */
  readonly partOf?: string;
}

/** The recommended `app.kubernetes.io/*` labels, put on every object the library emits. */
export class Labels {
  public static readonly NAME = 'app.kubernetes.io/name';
  public static readonly INSTANCE = 'app.kubernetes.io/instance';
  public static readonly COMPONENT = 'app.kubernetes.io/component';
  public static readonly PART_OF = 'app.kubernetes.io/part-of';
  public static readonly MANAGED_BY = 'app.kubernetes.io/managed-by';
  /** Default `part-of` value. */
  public static readonly DEFAULT_PART_OF = 'ai-platform';

  /** All five standard labels. `managed-by` is always this library. */
  public static standard(options: StandardLabelsOptions): Record<string, string> {
    return {
      ...Labels.selector(options),
      [Labels.COMPONENT]: options.component,
      [Labels.PART_OF]: options.partOf ?? Labels.DEFAULT_PART_OF,
      [Labels.MANAGED_BY]: PROJECT_NAME,
    };
  }

  /**
   * Tags / labels for cloud resources (valid both as AWS tags and GCP labels: lowercase, no '/' or '.').
   * @param partOf the larger application (default "ai-platform")
   */
  public static cloud(partOf: string = Labels.DEFAULT_PART_OF): Record<string, string> {
    return { 'managed-by': PROJECT_NAME, 'part-of': partOf };
  }

  /**
   * True when `key` is a Kubernetes qualified name, as label keys, annotation keys and taint keys must be: an
   * optional DNS-1123 subdomain prefix and one '/', then a name of at most 63 characters (apimachinery
   * `IsQualifiedName`).
   */
  public static isQualifiedName(key: string): boolean {
    if (typeof key !== 'string') return false;
    const parts = key.split('/');
    if (parts.length > 2) return false;
    const name = parts[parts.length - 1];
    const prefix = parts.length === 2 ? parts[0] : undefined;
    return name.length <= MAX_NAME_PART && NAME_PART.test(name) && (prefix === undefined || Names.isDnsSubdomain(prefix));
  }

  /** True when `value` is a valid label value: empty, or at most 63 characters, alphanumeric at both ends. */
  public static isValue(value: string): boolean {
    return typeof value === 'string' && (value === '' || (value.length <= MAX_NAME_PART && NAME_PART.test(value)));
  }

  /**
   * Throws a {@link ValidationError} naming the key unless `labels` is a map of qualified names to label values.
   * Returns the map unchanged.
   */
  public static validate(path: string, field: string, labels: { [key: string]: string }): { [key: string]: string } {
    if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
      throw new ValidationError(path, field, labels, 'expected a map of label keys to values');
    }
    for (const [key, value] of Object.entries(labels)) {
      if (!Labels.isQualifiedName(key)) {
        throw new ValidationError(path, field, key, 'expected label keys that are qualified names such as "app" or "example.com/team" (at most 63 characters after an optional DNS prefix and "/")');
      }
      if (!Labels.isValue(value)) {
        throw new ValidationError(path, `${field}["${key}"]`, value, 'expected a label value: at most 63 characters, letters, digits, "-", "_" or ".", alphanumeric at both ends');
      }
    }
    return labels;
  }

  /** The stable subset used in selectors (name and instance): selectors must never change after creation. */
  public static selector(options: StandardLabelsOptions): Record<string, string> {
    return { [Labels.NAME]: options.name, [Labels.INSTANCE]: options.instance };
  }
}
