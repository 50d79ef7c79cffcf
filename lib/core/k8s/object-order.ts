import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * Kinds in the order they must be applied to an empty cluster: what others depend on first (namespaces, then
 * policies and quotas, identities, configuration, storage, CRDs, RBAC, Services, workloads, ingress, webhooks).
 * This is Helm's install order (helm/helm pkg/release/util/kind_sorter.go, `InstallOrder`), the reference most
 * tools follow. Kinds not listed (custom resources) come after every listed kind, in their original order.
 *
 * `kubectl apply -f <dir>` applies files in name order and the documents of a file in document order, without
 * sorting by kind (kubernetes/kubectl#1356): an object before its Namespace is refused.
 */
const INSTALL_ORDER = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget',
  'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim',
  'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role',
  'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet',
  'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
];
const RANK = new Map(INSTALL_ORDER.map((kind, i) => [kind, i]));
const ORDERED = new WeakSet<Chart>();

/**
 * The one object order of every chart the library writes into, so that `kubectl apply -f dist/<cluster>/` works
 * on an empty cluster. Every k8s construct of the library calls {@link ObjectOrder.apply} with itself.
 * @internal not part of the public API
 */
export class ObjectOrder {
  /** Install rank of a kind: lower is applied first; kinds not listed (custom resources) rank last. */
  public static rank(kind: string): number {
    return RANK.get(kind) ?? INSTALL_ORDER.length;
  }

  /** Objects (as synthesized JSON) sorted by {@link rank}, stable: objects of one rank keep their order. */
  public static sort<T extends { kind?: unknown }>(objects: T[]): T[] {
    return objects
      .map((obj, i) => ({ obj, i, rank: ObjectOrder.rank(String(obj?.kind)) }))
      .sort((a, b) => a.rank - b.rank || a.i - b.i)
      .map((e) => e.obj);
  }

  /**
   * Orders the chart holding `scope` by kind when it is synthesized. cdk8s writes a chart's objects in construct
   * and dependency order and has no hook to sort them, so the chart's own `toJson` (what `App.synth`,
   * `App.synthYaml` and `Testing.synth` call) is wrapped once, on that chart instance only. Explicit
   * `addDependency` orders among objects of the same kind are kept (the sort is stable).
   */
  public static apply(scope: IConstruct): void {
    const chart = Chart.of(scope);
    if (ORDERED.has(chart)) return;
    ORDERED.add(chart);
    const toJson = chart.toJson.bind(chart);
    chart.toJson = () => ObjectOrder.sort(toJson());
  }
}
