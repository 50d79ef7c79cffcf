import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Addon } from '../addons/addon';
import { AddonRequirements } from '../addons/addon-requirements';
import { Checks } from '../core/checks';
import { ClusterScope } from '../core/cluster-scope';
import { ValidationError } from '../core/errors';
import { AdvertisedGpuResource, GpuResources } from '../core/gpu-resources';
import { KueueContract } from '../core/kueue-contract';
import { Labels } from '../core/labels';
import { Names } from '../core/names';
import { Quantities } from '../core/quantity';
import { ObjectOrder } from '../core/k8s/object-order';
import { GpuPool } from '../gpu/gpu-pool';
import { ITeamSpace, TeamSpace } from '../teams/team-space';
import { KueueObjects } from './kueue-objects';

/** Props of {@link GpuQueue}. */
export interface GpuQueueProps {
  /**
   * Name of the ClusterQueue and of the LocalQueue in each team namespace: what a job's `queue` names. A DNS label
   * (it is the value of the job's `kueue.x-k8s.io/queue-name` label).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The GPU pools whose capacity the queue hands out, in order of preference (Kueue tries the flavors in order).
   * Each pool must have its `GpuNodePool` in the cluster, and all must advertise the same GPU resource.
   */
  readonly pools: GpuPool[];
  /** The team namespaces that submit to the queue: each gets a LocalQueue. */
  readonly teams: ITeamSpace[];
  /**
   * GPUs of each pool this queue may use, by pool name (0 to the pool's capacity).
   * @default - each pool's whole capacity: nodes (cloud: `maxNodes`) x schedulable GPUs per node
   */
  readonly gpus?: { [pool: string]: number };
  /**
   * CPU quota per GPU of quota (`"8"`): the queue's CPU quota is its GPUs times this. Kueue admits a workload only
   * when its queue covers every resource it requests.
   * @default "8"
   */
  readonly cpuPerGpu?: string;
  /**
   * Memory quota per GPU of quota (`"64Gi"`).
   * @default "64Gi"
   */
  readonly memoryPerGpu?: string;
  /**
   * Kueue cohort: queues of one cohort lend each other unused quota, and take it back when they need it.
   * @default - none
   */
  readonly cohort?: string;
  /**
   * GPUs per pool this queue may borrow from its cohort beyond its own quota (only with `cohort`).
   * @default - no limit
   */
  readonly borrowingLimit?: number;
  /**
   * GPUs per pool this queue lends its cohort at most (only with `cohort`; at most its quota).
   * @default - all of its unused quota
   */
  readonly lendingLimit?: number;
}

/** A pool's quota in a queue, recorded to check the cluster's queues against the pool's capacity. */
interface PoolQuota {
  readonly pool: GpuPool;
  readonly gpus: number;
  readonly by: IConstruct;
}

const P = 'GpuQueueProps';
const POOL_QUOTAS = 'kueue/pool-quotas';

/**
 * A Kueue queue of GPU capacity in one cluster (kubernetes-sigs/kueue v0.19.2, `kueue.x-k8s.io/v1beta2`): a
 * ResourceFlavor per pool (its node labels, taints and tolerations), a ClusterQueue whose GPU quota is the pools'
 * real capacity (the numbers Terraform sizes the cloud pools with, never typed twice), CPU and memory in
 * proportion, and a LocalQueue of the same name in each team namespace. A job names the queue (`queue`) and Kueue
 * admits it when its GPUs fit, in the order of the pools.
 *
 * At synth, the quotas the cluster's queues give each pool must add up to at most its capacity, and every pool
 * must have its `GpuNodePool` in the cluster. Declares the Kueue add-on.
 */
export class GpuQueue extends Construct {
  /**
   * Declares a LocalQueue made outside the library (`name` in the namespace of `team`), so that jobs naming it pass
   * the synth-time check that their queue exists. `dispatches`: its ClusterQueue has a MultiKueue admission check.
   */
  public static external(scope: Construct, team: ITeamSpace, name: string, dispatches: boolean = false): void {
    TeamSpace.check(scope.node.path, 'GpuQueue.external.team', team);
    Names.validateDnsLabel(scope.node.path, 'GpuQueue.external.name', name);
    KueueContract.recordLocalQueue(scope, team.namespaceName, name, { dispatches: Checks.boolean(scope.node.path, 'GpuQueue.external.dispatches', dispatches, false) });
  }

  /** The queue's name (ClusterQueue and LocalQueues). */
  public readonly name: string;
  /** GPUs of each pool in the quota, by pool name. */
  public readonly gpus: { [pool: string]: number };
  /** The CPU and memory quota. */
  public readonly cpu: string;
  public readonly memory: string;
  /** Escape hatches: the ClusterQueue, the LocalQueues, the flavors (shared with the cluster's other queues). */
  public readonly clusterQueue: ApiObject;
  public readonly localQueues: ApiObject[];
  public readonly flavors: ApiObject[];

  public constructor(scope: Construct, id: string, props: GpuQueueProps) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    Checks.object(path, P, props, 'GpuQueueProps ({ pools, teams, ... })');
    this.name = Names.validateDnsLabel(path, `${P}.name`, props.name ?? id);
    ClusterScope.claimUnique(this, 'GpuQueue', this.name, `${P}.name`);
    const pools = GpuQueue.pools(path, props.pools);
    const namespaces = KueueObjects.namespaces(path, `${P}.teams`, props.teams);
    const quota = Checks.optionalObject(path, `${P}.gpus`, props.gpus, 'a map of pool names to GPU counts') ?? {};
    for (const name of Object.keys(quota)) {
      if (!pools.some((p) => p.name === name)) throw new ValidationError(path, `${P}.gpus["${name}"]`, quota[name], `expected the name of one of the queue's pools: ${pools.map((p) => p.name).join(', ')}`);
    }
    this.gpus = Object.fromEntries(pools.map((pool) => {
      const capacity = pool.maxSchedulableGpus;
      const gpus = quota[pool.name] ?? capacity;
      Checks.number(path, `${P}.gpus["${pool.name}"]`, gpus, 0, Number.MAX_SAFE_INTEGER);
      if (gpus > capacity) {
        throw new ValidationError(path, `${P}.gpus["${pool.name}"]`, gpus,
          `expected at most the pool's capacity, ${capacity} ${pool.resourceName} (${pool.maxNodes} nodes x ${pool.schedulableGpusPerNode})`);
      }
      return [pool.name, gpus];
    }));
    const cohort = props.cohort === undefined ? undefined : KueueObjects.cohort(path, `${P}.cohort`, props.cohort);
    const limit = (name: 'borrowingLimit' | 'lendingLimit', max: number): number | undefined => {
      const value = props[name];
      if (value === undefined) return undefined;
      if (cohort === undefined) throw new ValidationError(path, `${P}.${name}`, value, 'expected a cohort: only queues of a cohort borrow and lend (Kueue refuses the limit without one)');
      return Checks.number(path, `${P}.${name}`, value, 0, max);
    };
    const minQuota = Math.min(...Object.values(this.gpus));
    const borrowingLimit = limit('borrowingLimit', Number.MAX_SAFE_INTEGER);
    const lendingLimit = limit('lendingLimit', minQuota);
    const totalGpus = Object.values(this.gpus).reduce((a, b) => a + b, 0);
    this.cpu = Quantities.times(Quantities.validate(path, `${P}.cpuPerGpu`, props.cpuPerGpu ?? '8'), totalGpus);
    this.memory = Quantities.times(Quantities.validate(path, `${P}.memoryPerGpu`, props.memoryPerGpu ?? '64Gi'), totalGpus);

    const labels = Labels.standard({ name: 'gpu-queue', instance: this.name, component: 'queue' });
    this.flavors = [...pools.map((pool, i) => KueueObjects.poolFlavor(this, pool, `${P}.pools[${i}]`)), KueueObjects.cpuMemoryFlavor(this)];
    this.clusterQueue = KueueObjects.clusterQueue(this, 'cluster-queue', {
      name: this.name,
      gpuResource: pools[0].resourceName,
      flavors: pools.map((pool) => ({ flavor: pool.name, gpus: this.gpus[pool.name], borrowingLimit, lendingLimit })),
      cpu: this.cpu,
      memory: this.memory,
      namespaces,
      cohort,
      labels,
    });
    this.localQueues = KueueObjects.localQueues(this, this.name, this.name, namespaces, {
      dispatches: false,
      pools: pools.map((p) => p.name),
      gpuType: pools.every((p) => p.gpuType === pools[0].gpuType) ? pools[0].gpuType.id : undefined,
      maxGpusPerPod: Math.min(...pools.map((p) => p.schedulableGpusPerNode)),
    }, labels);

    for (const pool of pools) ClusterScope.record<PoolQuota>(this, POOL_QUOTAS, { pool, gpus: this.gpus[pool.name], by: this });
    Checks.atSynth(this, () => [...this.synthProblems(pools), ...GpuQueue.teamProblems(this.node.path, props.teams, pools[0].resourceName)]);
    AddonRequirements.require(this, { addon: Addon.KUEUE, reason: `the GPU queue ${this.name}` });
  }

  private static pools(path: string, pools: GpuPool[]): GpuPool[] {
    const field = `${P}.pools`;
    Checks.array(path, field, pools, 'a list of GpuPools');
    if (pools.length === 0) throw new ValidationError(path, field, pools, 'expected at least one GPU pool');
    const names = new Set<string>();
    pools.forEach((pool, i) => {
      Checks.instance(path, `${field}[${i}]`, pool, GpuPool, 'a GpuPool (GpuPool.onPrem(), .eks() or .gke())');
      if (names.has(pool.name)) throw new ValidationError(path, `${field}[${i}]`, pool.name, 'expected each pool once');
      names.add(pool.name);
      if (pool.resourceName !== pools[0].resourceName) {
        throw new ValidationError(path, `${field}[${i}]`, pool.name,
          `expected pools that advertise the same GPU resource (${pools[0].resourceName}), not ${pool.resourceName}: one queue's flavors share one resource; make a queue per resource`);
      }
    });
    return pools;
  }

  /**
   * Every team of a GPU queue must be allowed GPUs in its namespace: Kueue admits a job by the queue's quota, and the
   * namespace's ResourceQuota would then refuse every one of its pods (a TeamSpace grants no GPU by default).
   * Namespaces imported with `TeamSpace.fromNamespace` have no known quota and are not checked.
   */
  private static teamProblems(path: string, teams: ITeamSpace[], resource: string): ValidationError[] {
    return teams.flatMap((team, i) => {
      if (!(team instanceof TeamSpace)) return [];
      const granted = team.hardLimits[`requests.${resource}`] ?? 0;
      return granted >= 1 ? [] : [new ValidationError(path, `${P}.teams[${i}]`, team.namespaceName,
        `expected a team whose quota grants ${resource} (TeamSpaceProps.quota): namespace ${team.namespaceName} allows ${granted}, so its ResourceQuota would refuse every pod the queue admits`)];
    });
  }

  private synthProblems(pools: GpuPool[]): ValidationError[] {
    const problems: ValidationError[] = [];
    const advertised = new Set(ClusterScope.recorded<AdvertisedGpuResource>(this, GpuResources.ADVERTISED).map((a) => a.pool));
    const quotas = ClusterScope.recorded<PoolQuota>(this, POOL_QUOTAS);
    pools.forEach((pool, i) => {
      if (!advertised.has(pool.name)) {
        problems.push(new ValidationError(this.node.path, `${P}.pools[${i}]`, pool.name, 'expected a pool of this cluster: no GpuNodePool of the cluster has it'));
      }
      const users = quotas.filter((q) => q.pool.name === pool.name);
      const total = users.reduce((sum, q) => sum + q.gpus, 0);
      if (users[0]?.by === this && total > pool.maxSchedulableGpus) {
        problems.push(new ValidationError(this.node.path, `${P}.gpus["${pool.name}"]`, total,
          `expected the cluster's queues to give pool ${pool.name} at most its capacity, ${pool.maxSchedulableGpus}: ${users.map((q) => `${q.by.node.path} ${q.gpus}`).join(', ')}`));
      }
    });
    return problems;
  }
}
