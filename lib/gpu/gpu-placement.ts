import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';
import { GpuPool } from './gpu-pool';

/**
 * The `gpu` prop of a workload construct: which pool, and how many GPUs (or MIG slices, or time-sliced shares)
 * per pod.
 */
export interface GpuRequest {
  /** The pool (the shared description, from `GpuPool.onPrem()`, `.eks()` or `.gke()`). */
  readonly pool: GpuPool;
  /** GPUs per pod. */
  readonly count: number;
}

/** What a pod spec and its container need to run on a GPU pool, in Kubernetes types. */
export interface GpuPodPlacement {
  /** Limits to add to the container's resources (extended resources: the request equals the limit). */
  readonly limits: { [resource: string]: k8s.Quantity };
  /** The pod's node selector. */
  readonly nodeSelector: { [key: string]: string };
  /** The pod's tolerations. */
  readonly tolerations: k8s.Toleration[];
  /** The pod's runtime class (on-prem pools). */
  readonly runtimeClassName?: string;
}

/** Turns a {@link GpuRequest} into pod-spec fields: the one place workload constructs get GPU placement from. */
export class GpuPlacement {
  /**
   * Validates the request (the pool can hold `count` per pod) and returns the pod-spec fields.
   * @param path construct path reported in errors
   * @param field the prop reported in errors, e.g. `WorkbenchProps.gpu`
   */
  public static of(path: string, field: string, request: GpuRequest): GpuPodPlacement {
    Checks.object(path, field, request, 'a GPU request { pool, count }');
    if (!(request.pool instanceof GpuPool)) {
      throw new ValidationError(path, `${field}.pool`, request.pool, 'expected a GpuPool (GpuPool.onPrem(), .eks() or .gke())');
    }
    const scheduling = request.pool.schedule(request.count, `${field}.count`);
    return {
      limits: Object.fromEntries(Object.entries(scheduling.limits).map(([name, n]) => [name, k8s.Quantity.fromNumber(n)])),
      nodeSelector: scheduling.nodeSelector,
      tolerations: scheduling.tolerations.map((t) => ({ key: t.key, operator: t.operator, value: t.value, effect: t.effect })),
      runtimeClassName: scheduling.runtimeClassName,
    };
  }
}
