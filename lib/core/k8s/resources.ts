import { IConstruct } from 'constructs';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Checks } from '../checks';
import { Quantities } from '../quantity';

/** CPU and memory of one container. */
export interface ComputeResources {
  /** CPU request, a Kubernetes quantity (`500m`, `2`). */
  readonly cpu: string;
  /** Memory request, a Kubernetes quantity (`512Mi`, `8Gi`). */
  readonly memory: string;
  /**
   * CPU limit.
   * @default - equal to `cpu`
   */
  readonly cpuLimit?: string;
  /**
   * Memory limit. Keep it equal to the request unless you know the workload: a pod over its request is the first
   * one evicted under memory pressure.
   * @default - equal to `memory`
   */
  readonly memoryLimit?: string;
}

/** Builds validated container resource requirements (requests and limits always both set). */
export class Resources {
  /**
   * Requests and limits for a container, each quantity validated (positive, limit >= request).
   * @param scope construct reported in errors
   * @param field field name reported in errors, e.g. `Workbench.resources`
   * @param resources CPU and memory
   * @param extendedLimits extra limits such as `{ 'nvidia.com/gpu': 1 }` (for extended resources the request
   *   equals the limit, Kubernetes sets it)
   */
  public static requirements(scope: IConstruct, field: string, resources: ComputeResources,
    extendedLimits: Record<string, number> = {}): k8s.ResourceRequirements {
    Checks.object(scope.node.path, field, resources, 'ComputeResources: { cpu, memory, cpuLimit?, memoryLimit? }');
    Checks.object(scope.node.path, `${field} (extended limits)`, extendedLimits, 'a map of extended resource names to counts');
    const cpu = Quantities.validate(scope.node.path, `${field}.cpu`, resources.cpu);
    const memory = Quantities.validate(scope.node.path, `${field}.memory`, resources.memory);
    const cpuLimit = Quantities.validateLimit(scope.node.path, `${field}.cpuLimit`, resources.cpuLimit ?? cpu, cpu);
    const memoryLimit = Quantities.validateLimit(scope.node.path, `${field}.memoryLimit`, resources.memoryLimit ?? memory, memory);
    const extended: Record<string, k8s.Quantity> = {};
    for (const [name, count] of Object.entries(extendedLimits)) {
      extended[name] = k8s.Quantity.fromNumber(Quantities.validateCount(scope.node.path, `${field}.${name}`, count));
    }
    return {
      requests: { cpu: k8s.Quantity.fromString(cpu), memory: k8s.Quantity.fromString(memory) },
      limits: { cpu: k8s.Quantity.fromString(cpuLimit), memory: k8s.Quantity.fromString(memoryLimit), ...extended },
    };
  }

  /**
   * What `replicas` pods with these resources take from a namespace's ResourceQuota, keyed like the quota
   * (`requests.cpu`, `limits.cpu`, `requests.memory`, `limits.memory`), in cores and bytes: for
   * `ITeamSpace.reserve`. Quantities are assumed valid (see {@link requirements}).
   */
  public static quotaDemand(resources: ComputeResources, replicas: number = 1): { [quotaKey: string]: number } {
    const q = (v: string) => Quantities.parse(v)! * replicas;
    return {
      'requests.cpu': q(resources.cpu),
      'limits.cpu': q(resources.cpuLimit ?? resources.cpu),
      'requests.memory': q(resources.memory),
      'limits.memory': q(resources.memoryLimit ?? resources.memory),
    };
  }
}
