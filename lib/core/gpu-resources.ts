/** A GPU resource that a pool of a cluster advertises (recorded per cluster, read by the team quotas). */
export interface AdvertisedGpuResource {
  /** The extended resource name, e.g. `nvidia.com/mig-1g.10gb`. */
  readonly resourceName: string;
  /** The pool advertising it. */
  readonly pool: string;
  /** True on GKE, which advertises MIG partitions as `nvidia.com/gpu`. */
  readonly gke: boolean;
}

/**
 * The Kubernetes extended resources NVIDIA's device plugin advertises: whole GPUs, and MIG slices under the
 * `mixed` strategy (`nvidia.com/mig-<profile>`). Shared data: TeamSpace quotas, the GPU catalog and every
 * workload's resource limits use these names.
 */
export class GpuResources {
  /** Key of the per-cluster record of {@link AdvertisedGpuResource}s. */
  public static readonly ADVERTISED = 'advertised-gpu-resources';
  /** A whole GPU (or a time-sliced replica of one). */
  public static readonly NVIDIA_GPU = 'nvidia.com/gpu';
  /** Prefix of MIG resources. */
  public static readonly MIG_PREFIX = 'nvidia.com/mig-';
  /** MIG profiles of the A100 40GB. */
  public static readonly MIG_PROFILES_A100_40GB: string[] = ['1g.5gb', '1g.10gb', '2g.10gb', '3g.20gb', '4g.20gb', '7g.40gb'];
  /** MIG profiles of the 80GB A100 and the H100 80GB. */
  public static readonly MIG_PROFILES_80GB: string[] = ['1g.10gb', '1g.20gb', '2g.20gb', '3g.40gb', '4g.40gb', '7g.80gb'];

  /** The resource name of a MIG profile, e.g. `nvidia.com/mig-1g.10gb`. */
  public static mig(profile: string): string {
    return `${GpuResources.MIG_PREFIX}${profile}`;
  }

  /** Every GPU resource name the library knows. */
  public static all(): string[] {
    const profiles = new Set([...GpuResources.MIG_PROFILES_A100_40GB, ...GpuResources.MIG_PROFILES_80GB]);
    return [GpuResources.NVIDIA_GPU, ...[...profiles].map(GpuResources.mig)];
  }
}
