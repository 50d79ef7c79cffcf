import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AdmissionCheckV1Beta2 } from '../../imports/kueue-admissionchecks-kueue.x-k8s.io';
import {
  ClusterQueueV1Beta2, ClusterQueueV1Beta2SpecPreemptionReclaimWithinCohort, ClusterQueueV1Beta2SpecPreemptionWithinClusterQueue,
  ClusterQueueV1Beta2SpecResourceGroupsFlavorsResourcesBorrowingLimit as BorrowingLimit,
  ClusterQueueV1Beta2SpecResourceGroupsFlavorsResourcesLendingLimit as LendingLimit,
  ClusterQueueV1Beta2SpecResourceGroupsFlavorsResourcesNominalQuota as NominalQuota,
} from '../../imports/kueue-clusterqueues-kueue.x-k8s.io';
import { LocalQueueV1Beta2 } from '../../imports/kueue-localqueues-kueue.x-k8s.io';
import { MultiKueueConfigV1Beta2 } from '../../imports/kueue-multikueueconfigs-kueue.x-k8s.io';
import { ResourceFlavorV1Beta2 } from '../../imports/kueue-resourceflavors-kueue.x-k8s.io';
import { ClusterScope } from '../core/cluster-scope';
import { ValidationError } from '../core/errors';
import { KueueContract, LocalQueueInfo } from '../core/kueue-contract';
import { Labels } from '../core/labels';
import { Checks } from '../core/checks';
import { Names } from '../core/names';
import { GpuPool, GpuTaint, GpuToleration } from '../gpu/gpu-pool';
import { ITeamSpace, TeamSpace } from '../teams/team-space';
import { NamespaceSelectors } from '../core/k8s/namespace-selectors';

/** What a ResourceFlavor says about the nodes it stands for. */
export interface FlavorNodes {
  readonly nodeLabels?: { [key: string]: string };
  readonly nodeTaints?: GpuTaint[];
  readonly tolerations?: GpuToleration[];
}

/** One flavor's GPU quota in a ClusterQueue. */
export interface FlavorQuota {
  readonly flavor: string;
  readonly gpus: number;
  readonly borrowingLimit?: number;
  readonly lendingLimit?: number;
}

/** A ClusterQueue as the library writes it. */
export interface ClusterQueueInput {
  readonly name: string;
  /** The GPU resource of every flavor (`nvidia.com/gpu`). */
  readonly gpuResource: string;
  readonly flavors: FlavorQuota[];
  /** CPU and memory quota (the `cpu-memory` flavor). */
  readonly cpu: string;
  readonly memory: string;
  /** Namespaces that may submit to it. */
  readonly namespaces: string[];
  readonly cohort?: string;
  /** The MultiKueue admission check (manager clusters). */
  readonly admissionCheck?: string;
  readonly labels: { [key: string]: string };
}

/**
 * The Kueue objects the queue constructs share (kubernetes-sigs/kueue v0.19.2, `kueue.x-k8s.io/v1beta2`).
 *
 * - ResourceFlavors are cluster-wide: one per name per cluster, whoever asks first; a second request for the same
 *   name with other nodes is an error. The flavor carries the pool's labels, taints and the matching tolerations:
 *   Kueue adds `nodeLabels` to the admitted pods' node selector and `tolerations` to their tolerations, and with
 *   the tolerations set it does not require the pods to tolerate `nodeTaints` themselves (ResourceFlavor CRD,
 *   `spec.nodeTaints`), so a job that names only a GPU count lands on the pool Kueue picked.
 * - CPU and memory are a resource group of their own with one unlabelled flavor (`cpu-memory`): Kueue admits a
 *   workload only when its ClusterQueue covers every resource it requests, and CPU-only pods (parameter servers)
 *   must not be pinned to GPU nodes.
 * - Each ClusterQueue admits only the namespaces it names (`namespaceSelector`; Kueue's default, null, admits none).
 * @internal not part of the public API
 */
export class KueueObjects {
  /** The unlabelled flavor of CPU and memory. */
  public static readonly CPU_MEMORY_FLAVOR = 'cpu-memory';
  /** Kueue's limit on taints and tolerations of a flavor (ResourceFlavor CRD `maxItems`). */
  public static readonly MAX_FLAVOR_TAINTS = 8;

  /** The flavor named `name` in the cluster of `scope`, created once. */
  public static flavor(scope: IConstruct, name: string, nodes: FlavorNodes, field: string): ApiObject {
    const key = JSON.stringify(nodes);
    const made = ClusterScope.singleton(scope, `kueue-flavor/${name}`, () => ({
      key,
      object: new ResourceFlavorV1Beta2(Chart.of(scope), `kueue-flavor-${name}`, {
        metadata: { name, labels: Labels.standard({ name: 'kueue', instance: name, component: 'resource-flavor' }) },
        spec: {
          nodeLabels: nodes.nodeLabels,
          nodeTaints: nodes.nodeTaints?.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
          tolerations: nodes.tolerations?.map((t) => ({ key: t.key, operator: t.operator, value: t.value, effect: t.effect })),
        },
      }),
    }));
    if (made.key !== key) {
      throw new ValidationError(scope.node.path, field, name, 'expected a flavor name no other node set of the cluster uses: a ResourceFlavor of that name stands for other nodes already');
    }
    return made.object;
  }

  /**
   * The flavor of a GPU pool, named after it: the pool's node selector, its taints and their tolerations (what
   * `GpuPool.schedule` gives a pod), so that Kueue places what it admits there. At most 8 taints (Kueue's limit).
   */
  public static poolFlavor(scope: IConstruct, pool: GpuPool, field: string): ApiObject {
    const scheduling = pool.schedule(1);
    if (pool.taints.length > KueueObjects.MAX_FLAVOR_TAINTS) {
      throw new ValidationError(scope.node.path, `${field}.taints`, `${pool.taints.length} taints on pool ${pool.name}`,
        `expected at most ${KueueObjects.MAX_FLAVOR_TAINTS} taints: a Kueue ResourceFlavor holds at most ${KueueObjects.MAX_FLAVOR_TAINTS} (nodeTaints and tolerations)`);
    }
    return KueueObjects.flavor(scope, pool.name, { nodeLabels: scheduling.nodeSelector, nodeTaints: pool.taints, tolerations: scheduling.tolerations }, `${field}.name`);
  }

  /** The `cpu-memory` flavor of the cluster. */
  public static cpuMemoryFlavor(scope: IConstruct): ApiObject {
    return KueueObjects.flavor(scope, KueueObjects.CPU_MEMORY_FLAVOR, {}, 'flavor');
  }

  /** A ClusterQueue: the GPU flavors in order (Kueue tries them in order), then CPU and memory. */
  public static clusterQueue(scope: IConstruct, id: string, input: ClusterQueueInput): ApiObject {
    return new ClusterQueueV1Beta2(scope, id, {
      metadata: { name: input.name, labels: input.labels },
      spec: {
        namespaceSelector: NamespaceSelectors.among(input.namespaces),
        cohortName: input.cohort,
        resourceGroups: [
          {
            coveredResources: [input.gpuResource],
            flavors: input.flavors.map((f) => ({
              name: f.flavor,
              resources: [{
                name: input.gpuResource,
                nominalQuota: NominalQuota.fromNumber(f.gpus),
                borrowingLimit: f.borrowingLimit === undefined ? undefined : BorrowingLimit.fromNumber(f.borrowingLimit),
                lendingLimit: f.lendingLimit === undefined ? undefined : LendingLimit.fromNumber(f.lendingLimit),
              }],
            })),
          },
          {
            coveredResources: ['cpu', 'memory'],
            flavors: [{
              name: KueueObjects.CPU_MEMORY_FLAVOR,
              resources: [{ name: 'cpu', nominalQuota: NominalQuota.fromString(input.cpu) }, { name: 'memory', nominalQuota: NominalQuota.fromString(input.memory) }],
            }],
          },
        ],
        // a higher WorkloadPriorityClass preempts a lower one; in a cohort, lent quota is taken back when needed
        preemption: {
          withinClusterQueue: ClusterQueueV1Beta2SpecPreemptionWithinClusterQueue.LOWER_PRIORITY,
          reclaimWithinCohort: input.cohort ? ClusterQueueV1Beta2SpecPreemptionReclaimWithinCohort.ANY : undefined,
        },
        admissionChecksStrategy: input.admissionCheck ? { admissionChecks: [{ name: input.admissionCheck }] } : undefined,
      },
    });
  }

  /** A LocalQueue named `name` in each namespace, pointing at `clusterQueue`; recorded for the jobs that name it. */
  public static localQueues(scope: IConstruct, name: string, clusterQueue: string, namespaces: string[], info: LocalQueueInfo, labels: { [key: string]: string }): ApiObject[] {
    return namespaces.map((namespace) => {
      KueueContract.recordLocalQueue(scope, namespace, name, info);
      return new LocalQueueV1Beta2(scope, `local-queue-${namespace}`, { metadata: { name, namespace, labels }, spec: { clusterQueue } });
    });
  }

  /** The MultiKueue AdmissionCheck of a ClusterQueue, naming its MultiKueueConfig. */
  public static multiKueueCheck(scope: IConstruct, id: string, name: string, config: string, labels: { [key: string]: string }): ApiObject {
    return new AdmissionCheckV1Beta2(scope, id, {
      metadata: { name, labels },
      spec: {
        controllerName: KueueContract.MULTIKUEUE_CONTROLLER,
        parameters: { apiGroup: MultiKueueConfigV1Beta2.GVK.apiVersion.split('/')[0], kind: MultiKueueConfigV1Beta2.GVK.kind, name: config },
      },
    });
  }

  /** The team namespaces, checked: at least one, each once. */
  public static namespaces(path: string, field: string, teams: ITeamSpace[]): string[] {
    Checks.array(path, field, teams, 'a list of TeamSpaces');
    if (teams.length === 0) throw new ValidationError(path, field, teams, 'expected at least one team namespace');
    const seen = new Set<string>();
    return teams.map((team, i) => {
      TeamSpace.check(path, `${field}[${i}]`, team);
      if (seen.has(team.namespaceName)) throw new ValidationError(path, `${field}[${i}]`, team.namespaceName, 'expected each team once');
      seen.add(team.namespaceName);
      return team.namespaceName;
    });
  }

  /** A cohort name: a DNS subdomain (ClusterQueue `cohortName`). */
  public static cohort(path: string, field: string, value: string): string {
    if (typeof value !== 'string' || !Names.isDnsSubdomain(value)) {
      throw new ValidationError(path, field, value, 'expected a DNS subdomain such as "onprem-gpus" (lowercase letters, digits, "-" and ".")');
    }
    return value;
  }
}
