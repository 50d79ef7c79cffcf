import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { MultiKueueClusterV1Beta2, MultiKueueClusterV1Beta2SpecClusterSourceKubeConfigLocationType } from '../../imports/kueue-multikueueclusters-kueue.x-k8s.io';
import { MultiKueueConfigV1Beta2 } from '../../imports/kueue-multikueueconfigs-kueue.x-k8s.io';
import { Checks } from '../core/checks';
import { ClusterScope } from '../core/cluster-scope';
import { GpuResources } from '../core/gpu-resources';
import { Labels } from '../core/labels';
import { Quantities } from '../core/quantity';
import { ObjectOrder } from '../core/k8s/object-order';
import { ITeamSpace } from '../teams/team-space';
import { BurstCluster } from './burst-cluster';
import { BurstSupport } from './burst-support';
import { GpuQueue } from './gpu-queue';
import { KueueObjects } from './kueue-objects';
import { WorkloadPriority } from './workload-priority';

/** Props of {@link BurstManager}. */
export interface BurstManagerProps {
  /** The burst, described once. */
  readonly burst: BurstCluster;
  /** The team namespaces of the manager cluster: exactly the burst's teams. */
  readonly teams: ITeamSpace[];
}

const P = 'BurstManagerProps';

/**
 * The MultiKueue manager of a {@link BurstCluster}, in the manager cluster's cdk8s App. Jobs are submitted here;
 * Kueue keeps them suspended, admits them against the sum of the workers' quotas and dispatches a copy to the
 * workers, one round at a time in the burst's order, until one admits it (kubernetes-sigs/kueue v0.19.2).
 *
 * - a MultiKueueCluster per worker, reading its kubeconfig from the Secret `multikueue-<worker>` in
 *   `kueue-system` (key `kubeconfig`), which you create by hand from the worker's token (see the README);
 * - per class: a ResourceFlavor, a MultiKueueConfig listing the workers in order, one MultiKueue AdmissionCheck, a
 *   ClusterQueue whose quota is the workers' sum, and a LocalQueue in each team namespace;
 * - the burst's WorkloadPriorityClasses; in the fallback topology, a local GpuQueue per class of the manager's pools.
 *
 * Declares the Kueue add-on with the burst's job integrations and the incremental dispatcher, and the training
 * operator (the manager must know the TFJob kind; the operator leaves jobs managed by MultiKueue alone).
 */
export class BurstManager extends Construct {
  /** Escape hatches. */
  public readonly multiKueueClusters: ApiObject[];
  public readonly multiKueueConfigs: ApiObject[];
  public readonly admissionChecks: ApiObject[];
  public readonly clusterQueues: ApiObject[];
  public readonly localQueues: ApiObject[];
  /** The local queues of the fallback topology. */
  public readonly localGpuQueues: GpuQueue[];

  public constructor(scope: Construct, id: string, props: BurstManagerProps) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    Checks.object(path, P, props, 'BurstManagerProps ({ burst, teams })');
    const burst = Checks.instance(path, `${P}.burst`, props.burst, BurstCluster, 'a BurstCluster');
    const namespaces = BurstSupport.checkTeams(path, `${P}.teams`, burst, props.teams);
    ClusterScope.claimUnique(this, 'BurstManager', 'manager', `${P}.burst`);
    const labels = Labels.standard({ name: 'multikueue', instance: burst.manager, component: 'manager' });

    this.multiKueueClusters = burst.workers.map((w) => new MultiKueueClusterV1Beta2(this, `cluster-${w.name}`, {
      metadata: { name: w.name, labels },
      spec: { clusterSource: { kubeConfig: { locationType: MultiKueueClusterV1Beta2SpecClusterSourceKubeConfigLocationType.SECRET, location: burst.kubeconfigSecretName(w.name) } } },
    }));
    this.multiKueueConfigs = [];
    this.admissionChecks = [];
    this.clusterQueues = [];
    this.localQueues = [];
    this.localGpuQueues = [];
    KueueObjects.cpuMemoryFlavor(this);
    for (const className of burst.classNames) {
      const queue = burst.queueName(className);
      const gpus = burst.managerGpus(className);
      const classLabels = { ...labels, [Labels.INSTANCE]: queue };
      const flavor = KueueObjects.flavor(this, queue, {}, `${P}.burst.classes`);
      const config = new MultiKueueConfigV1Beta2(this, `config-${queue}`, { metadata: { name: queue, labels: classLabels }, spec: { clusters: burst.order(className) } });
      this.multiKueueConfigs.push(config);
      this.admissionChecks.push(KueueObjects.multiKueueCheck(this, `check-${queue}`, queue, config.name, classLabels));
      this.clusterQueues.push(KueueObjects.clusterQueue(this, `cluster-queue-${queue}`, {
        name: queue,
        gpuResource: GpuResources.NVIDIA_GPU,
        flavors: [{ flavor: flavor.name, gpus }],
        cpu: Quantities.times(burst.cpuPerGpu(className), gpus),
        memory: Quantities.times(burst.memoryPerGpu(className), gpus),
        namespaces,
        admissionCheck: queue,
        labels: classLabels,
      }));
      const local = new Construct(this, `queues-${queue}`);
      this.localQueues.push(...KueueObjects.localQueues(local, queue, queue, namespaces, {
        dispatches: true, gpuType: burst.gpuTypeOf(className).id, maxGpusPerPod: burst.maxGpusPerPod(className),
        priorities: burst.priorities.map((p) => p.name!),
      }, classLabels));
      const own = burst.managerPools.filter((p) => p.gpuType === burst.gpuTypeOf(className));
      if (own.length) {
        this.localGpuQueues.push(new GpuQueue(this, `local-${className}`, {
          name: className, pools: own, teams: props.teams, cpuPerGpu: burst.cpuPerGpu(className), memoryPerGpu: burst.memoryPerGpu(className),
        }));
      }
    }
    for (const priority of burst.priorities) new WorkloadPriority(this, `priority-${priority.name}`, priority);
    BurstSupport.requireAddons(this, burst, 'the MultiKueue manager', true);
  }
}
