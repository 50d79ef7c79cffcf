import { PROJECT_NAME } from './versions';

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

  /** The stable subset used in selectors (name and instance): selectors must never change after creation. */
  public static selector(options: StandardLabelsOptions): Record<string, string> {
    return { [Labels.NAME]: options.name, [Labels.INSTANCE]: options.instance };
  }
}
