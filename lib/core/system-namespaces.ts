/**
 * Namespaces the platform itself owns: its system components, and the operators it installs. A team namespace
 * never takes one of these names (nor `default` or a `kube-` name).
 */
export class SystemNamespaces {
  /** The NVIDIA device plugins (GpuNodePool): the library's one documented Pod Security exception. */
  public static readonly GPU = 'gpu-system';
  /** The MultiKueue manager's identity on a worker cluster (BurstWorker). */
  public static readonly MULTIKUEUE = 'multikueue';
  /** Namespaces of the operators the platform targets (their upstream defaults). */
  public static readonly OPERATORS: string[] = [
    'cert-manager', 'kueue-system', 'knative-operator', 'knative-serving', 'knative-eventing', 'kubeflow', 'argocd', 'karpenter',
  ];

  /** Every namespace a team may not use. */
  public static all(): string[] {
    return [SystemNamespaces.GPU, SystemNamespaces.MULTIKUEUE, ...SystemNamespaces.OPERATORS];
  }

  /** True when a team may not use `name`: `default`, a `kube-` name, or one of {@link all}. */
  public static isReserved(name: string): boolean {
    return name === 'default' || name.startsWith('kube-') || SystemNamespaces.all().includes(name);
  }
}
