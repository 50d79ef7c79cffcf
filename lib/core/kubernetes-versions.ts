import { ValidationError } from './errors';

/** `v1.34`, `1.34.2`, `1.34.2-eks-1234`, `v1.35.7-gke.1222000`: major.minor[.patch], anything after a `-` or `+` ignored. */
const VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/;

/**
 * Kubernetes version arithmetic, as plain data usable from both construct trees: the Kubernetes side derives a
 * cluster's minimum version from its add-ons (`ClusterAddons.minimumKubernetesVersion`), the cloud side checks the
 * version of the cluster it creates against it (`KubernetesVersions.validateAtLeast`).
 *
 * A version is `major.minor` or `major.minor.patch`, with an optional leading `v` and an optional suffix after `-`
 * or `+` (EKS and GKE version strings), which is ignored. A missing patch counts as 0: `1.34` is at least `1.34.0`.
 */
export class KubernetesVersions {
  /** True when `version` is a Kubernetes version this class understands. */
  public static isVersion(version: string): boolean {
    return typeof version === 'string' && VERSION.test(version);
  }

  /**
   * Negative when `a` is older than `b`, 0 when equal, positive when newer. Throws a `ValidationError` (field
   * `KubernetesVersions.version`) on a value that is not a version.
   */
  public static compare(a: string, b: string): number {
    const [x, y] = [KubernetesVersions.parse(a), KubernetesVersions.parse(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  }

  /** True when `version` is `minimum` or newer (`atLeast('1.34', '1.34.0')` is true). */
  public static atLeast(version: string, minimum: string): boolean {
    return KubernetesVersions.compare(version, minimum) >= 0;
  }

  /** The newest of `versions` (as given); `fallback` when the list is empty. */
  public static newest(versions: string[], fallback: string): string {
    return versions.reduce((a, b) => (KubernetesVersions.compare(b, a) > 0 ? b : a), fallback);
  }

  /**
   * Throws a `ValidationError` at `path` / `field` unless `version` is `minimum` or newer; `why` says who needs the
   * minimum (e.g. "Knative Serving 1.23 (ClusterAddons)"). Returns `version`.
   */
  public static validateAtLeast(path: string, field: string, version: string, minimum: string, why: string): string {
    if (!KubernetesVersions.isVersion(version)) throw new ValidationError(path, field, version, 'expected a Kubernetes version such as "1.34"');
    if (!KubernetesVersions.atLeast(version, minimum)) {
      throw new ValidationError(path, field, version, `expected Kubernetes ${minimum} or newer: ${why} needs it`);
    }
    return version;
  }

  private static parse(version: string): [number, number, number] {
    const m = typeof version === 'string' ? VERSION.exec(version) : null;
    if (!m) throw new ValidationError('', 'KubernetesVersions.version', version, 'expected a Kubernetes version such as "1.34" or "v1.34.2"');
    return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  }
}
