import { KueueIntegration } from '../addons/kueue-integration';
import { Checks } from '../core/checks';
import { Cidr } from '../core/cidr';
import { ValidationError } from '../core/errors';
import { Names } from '../core/names';
import { Quantities } from '../core/quantity';
import { GpuCloud, GpuPool } from '../gpu/gpu-pool';
import { GpuSharingMode } from '../gpu/gpu-sharing';
import { GpuType } from '../gpu/gpu-type';
import { BurstSupport } from './burst-support';
import { PriceTable } from './price-table';
import { WorkloadPriorityProps } from './workload-priority';

/**
 * Where the pods of a job dispatched to a worker may connect, besides each other and DNS: exactly one of `cidr`
 * (e.g. the object storage endpoints of the cloud) or `namespace` (a namespace of the cluster, e.g. its data lake's).
 */
export interface BurstEgress {
  /**
   * An IP block (`10.20.0.0/16`; `0.0.0.0/0` for a public endpoint such as S3 or Cloud Storage).
   * @default - none
   */
  readonly cidr?: string;
  /**
   * A namespace of the worker cluster.
   * @default - none
   */
  readonly namespace?: string;
  /** The TCP port. */
  readonly port: number;
}

/** A worker cluster of a burst: its name and its GPU pools (the same `GpuPool` objects its GpuNodePools and Terraform use). */
export interface BurstWorkerCluster {
  /** The cluster's name: its MultiKueueCluster on the manager, and its `dist/<name>`. A DNS label. */
  readonly name: string;
  /** The cluster's GPU pools, all of one cloud (or all on-prem). */
  readonly pools: GpuPool[];
  /**
   * Where dispatched jobs' pods may connect (the team namespaces deny all egress but DNS, and a job's own
   * NetworkPolicy stays on the manager): their data, on this cluster.
   * @default - none: they reach each other (TensorFlow's port) and DNS only
   */
  readonly egress?: BurstEgress[];
}

/** The GPUs a job asks for: pods, and GPUs in each. */
export interface BurstRequest {
  /** GPUs per pod (all on one node). */
  readonly gpusPerPod: number;
  /** Pods. */
  readonly pods: number;
}

/** A class of GPU work that bursts: one queue, one GPU type. */
export interface BurstGpuClass {
  /**
   * The class's name: its ClusterQueue and LocalQueues on the manager and on every worker (`h100`). A DNS label.
   */
  readonly name: string;
  /** The GPU type its jobs run on. */
  readonly gpuType: GpuType;
  /**
   * The workers it may run on (each must have a pool of `gpuType`). Dispatch order: on-prem workers first, in this
   * order, then the clouds from the cheapest for `reference`.
   * @default - every worker with a pool of `gpuType`
   */
  readonly workers?: string[];
  /**
   * The job the clouds are ranked for: a queue has one order, so it is the order of a typical job of the class.
   * @default { gpusPerPod: 1, pods: 1 }
   */
  readonly reference?: BurstRequest;
  /**
   * CPU quota per GPU of quota (every resource a job requests must be in its queue).
   * @default "8"
   */
  readonly cpuPerGpu?: string;
  /**
   * Memory quota per GPU of quota.
   * @default "64Gi"
   */
  readonly memoryPerGpu?: string;
}

/** Props of {@link BurstCluster}. */
export interface BurstClusterProps {
  /**
   * The MultiKueue manager: the cluster jobs are submitted to (a DNS label). By default a small cluster of its own,
   * never one of its workers (Kueue does not support a manager that is its own worker).
   */
  readonly manager: string;
  /** The worker clusters (at most 20: Kueue's limit of a MultiKueueConfig). */
  readonly workers: BurstWorkerCluster[];
  /** The classes of work that burst. */
  readonly classes: BurstGpuClass[];
  /** The team namespaces that submit: each has the class queues on the manager and on every worker. */
  readonly teams: string[];
  /**
   * Prices of the cloud pools' machines.
   * @default PriceTable.seed()
   */
  readonly prices?: PriceTable;
  /**
   * Kueue priorities of the jobs (WorkloadPriorityClasses on the manager and every worker).
   * @default - none
   */
  readonly priorities?: WorkloadPriorityProps[];
  /**
   * The job kinds dispatched (their Kueue integrations must be on, on the manager and on every worker).
   * @default [KueueIntegration.TF_JOB]
   */
  readonly jobIntegrations?: KueueIntegration[];
  /**
   * The fallback topology: the manager's own GPU pools (e.g. the on-prem cluster as manager). Each class then has
   * a local queue `<class>` over the manager's pools of its type and a clouds-only burst queue `<class>-burst`;
   * teams choose one per job, and a job in the burst queue never runs on the manager.
   * @default - none: a dedicated manager without GPUs; each class's queue tries on-prem first, then the clouds
   */
  readonly managerPools?: GpuPool[];
  /**
   * Workers the incremental dispatcher adds per round (about five minutes each): 1 tries one cluster at a time in
   * order (`multiKueue.incrementalDispatcherConfig.stepSize`).
   * @default 1
   */
  readonly stepSize?: number;
}

/** A burst target's cost for a request, as {@link BurstCluster.estimate} ranks it. */
export interface BurstEstimate {
  /** The worker cluster. */
  readonly cluster: string;
  /** Where it is. */
  readonly cloud: GpuCloud;
  /** Its pool the request is priced on (the cheapest that holds it). */
  readonly pool: string;
  readonly machineType?: string;
  readonly capacityType?: string;
  /** Nodes the request needs on that pool (0 when a node cannot hold one pod). */
  readonly nodes: number;
  /** True when the pool can grow to that many nodes and each node holds a pod's GPUs. */
  readonly fits: boolean;
  /**
   * US dollars per hour for those nodes (undefined on-prem: already paid for, and always tried first; and where the
   * request does not fit: it ranks last).
   */
  readonly dollarsPerHour?: number;
  /** Date and source of the price (cloud only). */
  readonly priceDate?: string;
  readonly priceSource?: string;
  /** Why it ranks where it does, in words. */
  readonly reason: string;
}

/** A class as checked. */
interface ClassData {
  readonly name: string;
  readonly gpuType: GpuType;
  readonly workers: string[];
  readonly reference: BurstRequest;
  readonly cpuPerGpu: string;
  readonly memoryPerGpu: string;
}

const P = 'BurstClusterProps';
const PATH = 'burst-cluster';
/** Kueue 0.19.2 MultiKueueConfig `spec.clusters` maxItems. */
const MAX_WORKERS = 20;

/**
 * Cloud bursting on Kueue's MultiKueue (kubernetes-sigs/kueue v0.19.2), described once as plain data and read by
 * every cluster of the platform: {@link BurstManager} on the manager, {@link BurstWorker} on each worker, so that
 * their queues, namespaces and the manager's access cannot drift apart.
 *
 * - Per class (a GPU type), one ClusterQueue on the manager with one MultiKueue admission check (Kueue refuses a
 *   check per flavor) and one MultiKueueConfig listing the workers in dispatch order: on-prem first, then the
 *   clouds ranked by the cost of the class's reference job on their pools ({@link PriceTable}). The manager's
 *   quota is the sum of the workers'.
 * - Each worker has the same LocalQueue names in the same namespaces, over a ClusterQueue whose quota is its
 *   pools' capacity (cloud pools: `maxNodes`, the number Terraform gives the node group).
 * - The incremental dispatcher (Kueue's controller configuration, set by the manager's Kueue add-on) offers a job
 *   to `stepSize` more workers every round of about five minutes, in the MultiKueueConfig's order.
 */
export class BurstCluster {
  /** The manager cluster. */
  public readonly manager: string;
  /** The worker clusters, as given. */
  public readonly workers: BurstWorkerCluster[];
  /** The team namespaces. */
  public readonly teams: string[];
  public readonly prices: PriceTable;
  public readonly priorities: WorkloadPriorityProps[];
  public readonly jobIntegrations: KueueIntegration[];
  /** The manager's own pools (fallback topology), or none. */
  public readonly managerPools: GpuPool[];
  public readonly stepSize: number;
  private readonly classData: ClassData[];

  public constructor(props: BurstClusterProps) {
    Checks.object(PATH, P, props, 'BurstClusterProps ({ manager, workers, classes, teams })');
    this.manager = Names.validateDnsLabel(PATH, `${P}.manager`, props.manager);
    this.prices = props.prices === undefined ? PriceTable.seed() : Checks.instance(PATH, `${P}.prices`, props.prices, PriceTable, 'a PriceTable (PriceTable.seed().with([...]))');
    this.workers = this.checkWorkers(props.workers);
    this.teams = BurstCluster.checkNames(`${P}.teams`, props.teams, 'team namespace');
    this.managerPools = Checks.optionalArray(PATH, `${P}.managerPools`, props.managerPools, [], 'a list of GpuPools');
    this.managerPools.forEach((pool, i) => Checks.instance(PATH, `${P}.managerPools[${i}]`, pool, GpuPool, 'a GpuPool'));
    this.priorities = Checks.optionalArray(PATH, `${P}.priorities`, props.priorities, [], 'a list of WorkloadPriorityProps ({ name, value })');
    this.priorities.forEach((p, i) => {
      Checks.object(PATH, `${P}.priorities[${i}]`, p, 'WorkloadPriorityProps ({ name, value })');
      if (p.name === undefined) throw new ValidationError(PATH, `${P}.priorities[${i}].name`, undefined, 'expected a name: the manager and every worker create the priority under it, and jobs name it');
    });
    BurstCluster.checkNames(`${P}.priorities`, this.priorities.map((p) => p.name!), 'priority');
    this.jobIntegrations = Checks.optionalArray(PATH, `${P}.jobIntegrations`, props.jobIntegrations, [KueueIntegration.TF_JOB], 'a list of KueueIntegrations');
    this.jobIntegrations.forEach((k, i) => {
      Checks.instance(PATH, `${P}.jobIntegrations[${i}]`, k, KueueIntegration, 'a KueueIntegration such as KueueIntegration.TF_JOB');
      if (!BurstSupport.DISPATCHABLE.has(k)) {
        throw new ValidationError(PATH, `${P}.jobIntegrations[${i}]`, k.name,
          `expected a job kind MultiKueue dispatches through its managedBy field: ${[...BurstSupport.DISPATCHABLE.keys()].map((d) => d.name).join(', ')} (a batch Job needs spec.managedBy, which the Kubernetes 1.28 API does not have)`);
      }
    });
    this.stepSize = Checks.number(PATH, `${P}.stepSize`, props.stepSize ?? 1, 1, MAX_WORKERS);
    this.classData = this.checkClasses(props.classes);
  }

  /** True in the fallback topology: the manager runs GPU work of its own. */
  public get managerRunsWork(): boolean {
    return this.managerPools.length > 0;
  }

  /** The classes' names. */
  public get classNames(): string[] {
    return this.classData.map((c) => c.name);
  }

  /** The GPU type of a class. */
  public gpuTypeOf(className: string): GpuType {
    return this.classOf(className).gpuType;
  }

  /** The CPU and memory quota per GPU of a class. */
  public cpuPerGpu(className: string): string {
    return this.classOf(className).cpuPerGpu;
  }

  public memoryPerGpu(className: string): string {
    return this.classOf(className).memoryPerGpu;
  }

  /**
   * The name of a class's burst queue (manager and workers): the class name, or `<class>-burst` in the fallback
   * topology, where `<class>` is the manager's local queue.
   */
  public queueName(className: string): string {
    const c = this.classOf(className);
    return this.managerRunsWork ? `${c.name}-burst` : c.name;
  }

  /** The manager's Secret (in `kueue-system`, key `kubeconfig`) holding the kubeconfig of `worker`. Created by hand. */
  public kubeconfigSecretName(worker: string): string {
    this.worker(worker, 'BurstCluster.kubeconfigSecretName.worker');
    return `multikueue-${worker}`;
  }

  /** The classes `worker` runs. */
  public classesOf(worker: string): string[] {
    this.worker(worker, 'BurstCluster.classesOf.worker');
    return this.classData.filter((c) => c.workers.includes(worker)).map((c) => c.name);
  }

  /**
   * The pools of `worker` a class uses, cheapest first on a cloud (Kueue tries a queue's flavors in order), in the
   * given order on-prem.
   */
  public poolsOf(className: string, worker: string): GpuPool[] {
    const c = this.classOf(className);
    const pools = this.worker(worker, 'BurstCluster.poolsOf.worker').pools.filter((p) => p.gpuType === c.gpuType);
    if (pools.length === 0 || pools[0].cloud === GpuCloud.ON_PREM) return pools;
    const perGpu = (p: GpuPool) => this.prices.priceOf(PATH, `${P}.prices`, p).dollarsPerHour / p.gpusPerNode;
    return [...pools].sort((a, b) => perGpu(a) - perGpu(b));
  }

  /** GPUs of `worker` in a class's queue: the capacity of its pools of the class's type. */
  public gpusOf(className: string, worker: string): number {
    return this.poolsOf(className, worker).reduce((sum, pool) => sum + pool.maxSchedulableGpus, 0);
  }

  /** The most GPUs a pod of a class may ask for: the smallest node of the class's pools on its workers. */
  public maxGpusPerPod(className: string): number {
    const c = this.classOf(className);
    return Math.min(...c.workers.flatMap((w) => this.poolsOf(className, w).map((p) => p.schedulableGpusPerNode)));
  }

  /** GPUs of a class's queue on the manager: the sum of its workers'. */
  public managerGpus(className: string): number {
    return this.classOf(className).workers.reduce((sum, worker) => sum + this.gpusOf(className, worker), 0);
  }

  /** The workers of a class in dispatch order: on-prem first, then the clouds by {@link estimate} of its reference job. */
  public order(className: string): string[] {
    return this.estimate(className).map((e) => e.cluster);
  }

  /**
   * The workers of a class ranked for `request` (default: the class's reference job): on-prem workers first (their
   * GPUs are paid for), then cloud workers whose pools hold the request, cheapest first, then those that cannot.
   * A cloud worker is priced on its cheapest pool that holds the request: nodes = pods / (pods per node), times
   * the machine's hourly price.
   */
  public estimate(className: string, request?: BurstRequest): BurstEstimate[] {
    const c = this.classOf(className);
    const req = request === undefined ? c.reference : BurstCluster.checkRequest('BurstCluster.estimate.request', request);
    const estimates = c.workers.map((worker) => this.estimateOn(c, worker, req));
    const onPrem = estimates.filter((e) => e.cloud === GpuCloud.ON_PREM);
    const clouds = estimates.filter((e) => e.cloud !== GpuCloud.ON_PREM);
    const cost = (e: BurstEstimate) => (e.fits ? e.dollarsPerHour! : Infinity);
    // a stable sort: equal costs keep the order given
    return [...onPrem, ...clouds.sort((a, b) => (cost(a) === cost(b) ? 0 : cost(a) - cost(b)))];
  }

  private estimateOn(c: ClassData, worker: string, req: BurstRequest): BurstEstimate {
    const options = this.poolsOf(c.name, worker).map((pool) => {
      const perNode = Math.floor(pool.schedulableGpusPerNode / req.gpusPerPod);
      const nodes = perNode === 0 ? Infinity : Math.ceil(req.pods / perNode);
      const fits = perNode > 0 && nodes <= pool.maxNodes;
      const price = pool.cloud === GpuCloud.ON_PREM ? undefined : this.prices.priceOf(PATH, `${P}.prices`, pool);
      // a price only for what can run: a request that does not fit has no cost, it ranks last
      return { pool, nodes, fits, price, dollars: price && fits ? price.dollarsPerHour * nodes : undefined };
    });
    const best = [...options].sort((a, b) => Number(b.fits) - Number(a.fits) || (a.dollars ?? 0) - (b.dollars ?? 0))[0];
    const { pool, price } = best;
    const nodes = Number.isFinite(best.nodes) ? best.nodes : 0;
    const what = `${req.pods} x ${req.gpusPerPod} ${c.gpuType.displayName}`;
    const reason = !best.fits
      ? `${what} does not fit pool ${pool.name} (${pool.maxNodes} nodes of ${pool.schedulableGpusPerNode} GPUs${nodes > 0 ? `; it needs ${nodes}` : ''}): tried last`
      : price === undefined
        ? `on-prem: ${what} on ${nodes} node(s) of pool ${pool.name}, already paid for`
        : `${what} on ${nodes} x ${pool.machineType} (${pool.capacityType}) at $${price.dollarsPerHour}/h = $${Number(best.dollars!.toFixed(4))}/h (${price.region}, ${price.date})`;
    return {
      cluster: worker, cloud: pool.cloud, pool: pool.name, machineType: pool.machineType, capacityType: pool.capacityType,
      nodes, fits: best.fits, dollarsPerHour: best.dollars === undefined ? undefined : Number(best.dollars.toFixed(6)),
      priceDate: price?.date, priceSource: price?.source, reason,
    };
  }

  private classOf(className: string): ClassData {
    const found = this.classData.find((c) => c.name === className);
    if (!found) throw new ValidationError(PATH, 'className', className, `expected a class of the burst: ${this.classNames.join(', ')}`);
    return found;
  }

  private worker(name: string, field: string): BurstWorkerCluster {
    const found = this.workers.find((w) => w.name === name);
    if (!found) throw new ValidationError(PATH, field, name, `expected a worker of the burst: ${this.workers.map((w) => w.name).join(', ')}`);
    return found;
  }

  private static checkNames(field: string, names: string[], what: string): string[] {
    Checks.array(PATH, field, names, `a list of ${what} names`);
    const seen = new Set<string>();
    names.forEach((name, i) => {
      Names.validateDnsLabel(PATH, `${field}[${i}]`, name);
      if (seen.has(name)) throw new ValidationError(PATH, `${field}[${i}]`, name, `expected each ${what} name once`);
      seen.add(name);
    });
    return [...names];
  }

  private static checkRequest(field: string, request: BurstRequest): BurstRequest {
    Checks.object(PATH, field, request, 'a BurstRequest { gpusPerPod, pods }');
    return {
      gpusPerPod: Checks.number(PATH, `${field}.gpusPerPod`, request.gpusPerPod, 1, 1024),
      pods: Checks.number(PATH, `${field}.pods`, request.pods, 1, 100000),
    };
  }

  private checkWorkers(workers: BurstWorkerCluster[]): BurstWorkerCluster[] {
    const field = `${P}.workers`;
    Checks.array(PATH, field, workers, 'a list of BurstWorkerCluster ({ name, pools })');
    if (workers.length === 0 || workers.length > MAX_WORKERS) throw new ValidationError(PATH, field, workers.length, `expected 1 to ${MAX_WORKERS} workers (a MultiKueueConfig lists at most ${MAX_WORKERS})`);
    const names = new Set<string>();
    return workers.map((w, i) => {
      const f = `${field}[${i}]`;
      Checks.object(PATH, f, w, 'a BurstWorkerCluster ({ name, pools })');
      Names.validateDnsLabel(PATH, `${f}.name`, w.name);
      if (w.name === this.manager) {
        throw new ValidationError(PATH, `${f}.name`, w.name, 'expected a cluster other than the manager: Kueue does not support a MultiKueue manager that is one of its own workers (use managerPools for the manager\'s own GPUs)');
      }
      if (names.has(w.name)) throw new ValidationError(PATH, `${f}.name`, w.name, 'expected each cluster name once');
      names.add(w.name);
      Checks.array(PATH, `${f}.pools`, w.pools, 'a list of GpuPools');
      w.pools.forEach((pool, j) => {
        Checks.instance(PATH, `${f}.pools[${j}]`, pool, GpuPool, 'a GpuPool');
        if (pool.cloud !== w.pools[0].cloud) throw new ValidationError(PATH, `${f}.pools[${j}]`, pool.name, `expected pools of one cloud per cluster (${w.pools[0].cloud}), not ${pool.cloud}`);
      });
      const egress = Checks.optionalArray(PATH, `${f}.egress`, w.egress, [], 'a list of BurstEgress ({ cidr or namespace, port })').map((e, j) => {
        const g = `${f}.egress[${j}]`;
        Checks.object(PATH, g, e, 'a BurstEgress ({ cidr or namespace, port })');
        if ((e.cidr === undefined) === (e.namespace === undefined)) throw new ValidationError(PATH, g, e, 'expected exactly one of cidr and namespace');
        return {
          cidr: e.cidr === undefined ? undefined : (Cidr.validate(PATH, `${g}.cidr`, e.cidr), e.cidr),
          namespace: e.namespace === undefined ? undefined : Names.validateDnsLabel(PATH, `${g}.namespace`, e.namespace),
          port: Checks.number(PATH, `${g}.port`, e.port, 1, 65535),
        };
      });
      return { name: w.name, pools: [...w.pools], egress };
    });
  }

  private checkClasses(classes: BurstGpuClass[]): ClassData[] {
    const field = `${P}.classes`;
    Checks.array(PATH, field, classes, 'a list of BurstGpuClass ({ name, gpuType })');
    if (classes.length === 0) throw new ValidationError(PATH, field, classes, 'expected at least one class');
    const names = new Set<string>();
    return classes.map((c, i) => {
      const f = `${field}[${i}]`;
      Checks.object(PATH, f, c, 'a BurstGpuClass ({ name, gpuType })');
      // `<class>-burst` must stay a DNS label in the fallback topology
      Names.validateDnsLabel(PATH, `${f}.name`, c.name);
      if (c.name.length > 57) throw new ValidationError(PATH, `${f}.name`, c.name, 'expected at most 57 characters (queues add "-burst" in the fallback topology)');
      if (names.has(c.name)) throw new ValidationError(PATH, `${f}.name`, c.name, 'expected each class name once');
      names.add(c.name);
      const gpuType = GpuType.check(PATH, `${f}.gpuType`, c.gpuType);
      const hasType = (w: BurstWorkerCluster) => w.pools.some((p) => p.gpuType === gpuType);
      let workers: string[];
      if (c.workers === undefined) {
        workers = this.workers.filter(hasType).map((w) => w.name);
        if (workers.length === 0) throw new ValidationError(PATH, `${f}.gpuType`, gpuType.id, `expected a worker with a pool of ${gpuType.displayName}: none of ${this.workers.map((w) => w.name).join(', ')} has one`);
      } else {
        workers = BurstCluster.checkNames(`${f}.workers`, c.workers, 'worker');
        if (workers.length === 0) throw new ValidationError(PATH, `${f}.workers`, workers, 'expected at least one worker');
        workers.forEach((name, j) => {
          const w = this.workers.find((x) => x.name === name);
          if (!w) throw new ValidationError(PATH, `${f}.workers[${j}]`, name, `expected a worker of the burst: ${this.workers.map((x) => x.name).join(', ')}`);
          if (!hasType(w)) throw new ValidationError(PATH, `${f}.workers[${j}]`, name, `expected a worker with a pool of ${gpuType.displayName}: ${name} has ${w.pools.map((p) => `${p.name} (${p.gpuType.id})`).join(', ') || 'no pool'}`);
        });
      }
      for (const name of workers) {
        const pools = this.workers.find((x) => x.name === name)!.pools.filter((p) => p.gpuType === gpuType);
        pools.forEach((pool) => this.checkBurstPool(`${f}.gpuType`, name, pool));
      }
      this.managerPools.filter((p) => p.gpuType === gpuType).forEach((pool) => this.checkBurstPool(`${P}.managerPools`, this.manager, pool));
      return {
        name: c.name, gpuType, workers,
        reference: c.reference === undefined ? { gpusPerPod: 1, pods: 1 } : BurstCluster.checkRequest(`${f}.reference`, c.reference),
        cpuPerGpu: Quantities.validate(PATH, `${f}.cpuPerGpu`, c.cpuPerGpu ?? '8'),
        memoryPerGpu: Quantities.validate(PATH, `${f}.memoryPerGpu`, c.memoryPerGpu ?? '64Gi'),
      };
    });
  }

  /** A pool a dispatched job may land on: whole GPUs (one resource everywhere), no runtime class, a price if cloud. */
  private checkBurstPool(field: string, cluster: string, pool: GpuPool): void {
    if (pool.sharing.mode !== GpuSharingMode.EXCLUSIVE) {
      throw new ValidationError(PATH, field, `${cluster}/${pool.name}`,
        `expected whole GPUs on every pool of a burst class: pool ${pool.name} of ${cluster} shares its GPUs (${pool.sharing.mode}), so a GPU there is not a GPU on the other clusters`);
    }
    if (pool.runtimeClassName !== undefined) {
      throw new ValidationError(PATH, field, `${cluster}/${pool.name}`,
        `expected pools whose pods need no runtime class: pool ${pool.name} of ${cluster} needs RuntimeClass ${pool.runtimeClassName}, which a dispatched job cannot name (it runs unchanged on every worker, and Kueue's flavors add no runtime class); make NVIDIA's runtime containerd's default there and set nvidiaDefaultRuntime: true`);
    }
    if (pool.cloud !== GpuCloud.ON_PREM) this.prices.priceOf(PATH, `${P}.prices`, pool);
  }
}
