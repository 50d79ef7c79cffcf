import { IConstruct } from 'constructs';
import { Checks } from './checks';
import { ValidationError } from './errors';

/**
 * Cluster-wide bookkeeping. One cdk8s App is one cluster, so what must be unique or created once per cluster is
 * tracked per construct-tree root. Linear: each call is O(1).
 * @internal not part of the public API
 */
export class ClusterScope {
  /**
   * Claims `name` among the `kind`s of the cluster holding `scope`; at synth, `scope` reports any other claimant
   * as an error naming `field`.
   */
  public static claimUnique(scope: IConstruct, kind: string, name: string, field: string): void {
    const claims = ClusterScope.registry(scope, CLAIMS);
    const key = `${kind}/${name}`;
    const owners = claims.get(key) ?? [];
    claims.set(key, [...owners, scope]);
    Checks.atSynth(scope, () => (claims.get(key) ?? []).filter((c) => c !== scope).map((c) =>
      new ValidationError(scope.node.path, field, name, `expected a name no other ${kind} of the cluster uses: ${c.node.path} uses it too`)));
  }

  /** The object created once per cluster under `key`: `create` runs on the first call only. */
  public static singleton<T>(scope: IConstruct, key: string, create: () => T): T {
    const singletons = ClusterScope.registry(scope, SINGLETONS);
    if (!singletons.has(key)) singletons.set(key, create());
    return singletons.get(key) as T;
  }

  /** Records `value` under `key` for the cluster holding `scope` (e.g. the GPU pools of the cluster). */
  public static record<T>(scope: IConstruct, key: string, value: T): void {
    const records = ClusterScope.registry(scope, RECORDS);
    records.set(key, [...(records.get(key) ?? []), value]);
  }

  /** Everything recorded under `key` in the cluster holding `scope`, in order. Read it at synth, when all is built. */
  public static recorded<T>(scope: IConstruct, key: string): T[] {
    return (ClusterScope.registry(scope, RECORDS).get(key) ?? []) as T[];
  }

  private static registry<V>(scope: IConstruct, store: WeakMap<IConstruct, Map<string, V>>): Map<string, V> {
    let map = store.get(scope.node.root);
    if (!map) store.set(scope.node.root, map = new Map());
    return map;
  }
}

const CLAIMS = new WeakMap<IConstruct, Map<string, IConstruct[]>>();
const SINGLETONS = new WeakMap<IConstruct, Map<string, unknown>>();
const RECORDS = new WeakMap<IConstruct, Map<string, unknown[]>>();
