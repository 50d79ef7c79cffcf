import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';
import { GpuResources } from '../core/gpu-resources';
import { Labels } from '../core/labels';
import { Names } from '../core/names';
import { Quantities } from '../core/quantity';
import { GpuSharing, GpuSharingMode } from './gpu-sharing';
import { GpuType } from './gpu-type';

/** Where a GPU pool runs. */
export enum GpuCloud {
  ON_PREM = 'onprem',
  AWS = 'aws',
  GCP = 'gcp',
}

/** How cloud nodes are bought. */
export enum CapacityType {
  ON_DEMAND = 'on-demand',
  SPOT = 'spot',
}

/** How an EKS GPU pool gets its nodes. */
export enum EksProvisioning {
  /** An EKS managed node group, created by Terraform, scaled by the Cluster Autoscaler. */
  MANAGED_NODE_GROUP = 'managed-node-group',
  /** Karpenter, from a NodePool and EC2NodeClass in the cluster. */
  KARPENTER = 'karpenter',
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
/** EKS API `Taint`: key 1 to 63 characters, value at most 63; at most 50 taints per node group. */
const EKS_TAINT_MAX = 63;
const EKS_MAX_TAINTS = 50;
/** A Google Cloud zone: `<region>-<letter>`, e.g. `europe-west4-a`. */
const GCP_ZONE = /^[a-z]+-[a-z]+\d-[a-z]$/;

/** A node taint, in Kubernetes terms (`NoSchedule`, ...). */
export interface GpuTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: string;
}

/** A toleration, in Kubernetes terms. */
export interface GpuToleration {
  readonly key: string;
  readonly operator: string;
  readonly value: string;
  readonly effect: string;
}

/** What a pod needs to run on a pool with `count` GPUs: from {@link GpuPool.schedule}. */
export interface GpuScheduling {
  /** The pool. */
  readonly pool: GpuPool;
  /** Extended resource limits, e.g. `{ "nvidia.com/gpu": 2 }`. */
  readonly limits: { [resource: string]: number };
  /** Node selector that pins the pod to the pool. */
  readonly nodeSelector: { [key: string]: string };
  /** Tolerations of the pool's taints. */
  readonly tolerations: GpuToleration[];
  /** Runtime class the pod must use (on-prem clusters whose default runtime is not NVIDIA's). */
  readonly runtimeClassName?: string;
}

/** Props every pool takes. */
export interface GpuPoolBaseProps {
  /** Pool name: a DNS-1123 label, unique in its cluster; the value of the pool label on its nodes. */
  readonly name: string;
  /** The GPU model. */
  readonly gpuType: GpuType;
  /**
   * How pods share the GPUs.
   * @default GpuSharing.exclusive()
   */
  readonly sharing?: GpuSharing;
  /**
   * Taints of the pool's nodes; `schedule()` tolerates every one. Add your own (e.g. `team=vision:NoSchedule` for a
   * dedicated pool); an empty list leaves the nodes open to any pod, GPU or not (refused on GKE, which always puts
   * the `nvidia.com/gpu` taint on GPU nodes).
   * @default [GpuPool.GPU_TAINT] (`nvidia.com/gpu=present:NoSchedule`)
   */
  readonly taints?: GpuTaint[];
}

/** An on-prem pool: existing nodes that an administrator labels and taints (see the README). */
export interface OnPremGpuPoolProps extends GpuPoolBaseProps {
  /** Physical GPUs in each node. */
  readonly gpusPerNode: number;
  /** Number of nodes in the pool. */
  readonly nodes: number;
  /**
   * NVIDIA's container runtime is containerd's default runtime on the pool's nodes (what the NVIDIA GPU Operator's
   * toolkit configures by default), so pods need no runtime class. Otherwise the NVIDIA runtime is a named handler,
   * `nvidia`, and every GPU pod names the `nvidia` RuntimeClass. A pool that work bursts from or into must not
   * need a runtime class: a job dispatched by MultiKueue runs unchanged on every worker, and Kueue's flavors add
   * node labels and tolerations to a pod but no runtime class.
   * @default false
   */
  readonly nvidiaDefaultRuntime?: boolean;
}

/** Autoscaling bounds of a cloud pool. */
export interface CloudGpuPoolProps extends GpuPoolBaseProps {
  /**
   * Minimum nodes. 0 lets the pool scale to zero when idle.
   * @default 0
   */
  readonly minNodes?: number;
  /**
   * Maximum nodes.
   * @default 4
   */
  readonly maxNodes?: number;
}

/** An EKS pool. */
export interface EksGpuPoolProps extends CloudGpuPoolProps {
  /** Name of the EKS cluster the pool belongs to. */
  readonly clusterName: string;
  /**
   * EC2 instance type, one of the catalog's for the GPU type.
   * @default - the smallest instance type of the GPU type
   */
  readonly instanceType?: string;
  /**
   * On-demand or spot.
   * @default CapacityType.ON_DEMAND
   */
  readonly capacityType?: CapacityType;
  /**
   * Managed node group (Terraform) or Karpenter (NodePool in the cluster).
   * @default EksProvisioning.MANAGED_NODE_GROUP
   */
  readonly provisioning?: EksProvisioning;
}

/** A GKE pool. */
export interface GkeGpuPoolProps extends CloudGpuPoolProps {
  /**
   * GCE machine type, one of the catalog's for the GPU type.
   * @default - the smallest machine type of the GPU type
   */
  readonly machineType?: string;
  /**
   * GPUs attached to each node, for accelerators attached to general-purpose machines (T4 on N1: 1, 2 or 4).
   * @default - the machine type's own count
   */
  readonly gpusPerNode?: number;
  /**
   * Spot VMs.
   * @default false
   */
  readonly spot?: boolean;
  /**
   * Zones of the pool's nodes: the node pool's `node_locations`, each a zone of the cluster's region
   * (`europe-west4-a`). Name only zones where the accelerator exists (`gcloud compute accelerator-types list
   * --filter="name=<acceleratorType>"`): GKE refuses to create a pool with a zone that lacks it.
   * @default - every zone of the cluster's region (creation fails when one of them lacks the accelerator)
   */
  readonly zones?: string[];
}

interface PoolData {
  readonly cloud: GpuCloud;
  readonly gpusPerNode: number;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly machineType?: string;
  readonly capacityType?: CapacityType;
  readonly provisioning?: EksProvisioning;
  readonly clusterName?: string;
  readonly zones?: string[];
  readonly runtimeClassName?: string;
}

/**
 * A GPU pool, described once as plain data and read by both construct trees: {@link GpuNodePool} emits its
 * in-cluster plumbing, the cloud constructs turn it into a node group or node pool, and every workload asks it
 * where to run with {@link GpuPool.schedule}. The labels and taint it yields are the one contract between them.
 */
export class GpuPool {
  /** Node label naming the pool (value: the pool name). */
  public static readonly POOL_LABEL = 'ai-platform/gpu-pool';
  /** Node label naming the GPU type (value: the catalog id). */
  public static readonly GPU_TYPE_LABEL = 'ai-platform/gpu-type';
  /** The taint every GPU node carries, so that only pods that ask for GPUs land there (GKE adds the same). */
  public static readonly GPU_TAINT: GpuTaint = { key: GpuResources.NVIDIA_GPU, value: 'present', effect: 'NoSchedule' };
  /** Runtime class of on-prem GPU pods (containerd handler `nvidia`). */
  public static readonly ON_PREM_RUNTIME_CLASS = 'nvidia';
  /** NVIDIA MIG manager's node label: the MIG layout to apply. */
  public static readonly MIG_CONFIG_LABEL = 'nvidia.com/mig.config';
  /** GKE's node label of MIG partitions. */
  public static readonly GKE_PARTITION_LABEL = 'cloud.google.com/gke-gpu-partition-size';

  /**
   * Label of EKS managed-node-group GPU nodes that tells the Cluster Autoscaler a new node's GPUs are coming, so that
   * it does not add more nodes while the device plugin starts (kubernetes/autoscaler
   * cluster-autoscaler/cloudprovider/aws/README.md, "Special note on GPU instances"; the value comes from the
   * catalog, {@link GpuType.eksAccelerator}).
   */
  public static readonly EKS_ACCELERATOR_LABEL = 'k8s.amazonaws.com/accelerator';

  /** A pool of existing on-prem nodes. */
  public static onPrem(props: OnPremGpuPoolProps): GpuPool {
    const path = GpuPool.path(props, 'OnPremGpuPoolProps');
    return new GpuPool(props, {
      cloud: GpuCloud.ON_PREM,
      gpusPerNode: Quantities.validateCount(path, 'OnPremGpuPoolProps.gpusPerNode', props.gpusPerNode),
      minNodes: Quantities.validateCount(path, 'OnPremGpuPoolProps.nodes', props.nodes),
      maxNodes: props.nodes,
      runtimeClassName: Checks.boolean(path, 'OnPremGpuPoolProps.nvidiaDefaultRuntime', props.nvidiaDefaultRuntime, false) ? undefined : GpuPool.ON_PREM_RUNTIME_CLASS,
    });
  }

  /** An EKS pool: a managed node group or Karpenter. */
  public static eks(props: EksGpuPoolProps): GpuPool {
    const path = GpuPool.path(props, 'EksGpuPoolProps');
    const gpuType = GpuType.check(path, 'EksGpuPoolProps.gpuType', props.gpuType);
    const machine = gpuType.eksInstanceType(path, 'EksGpuPoolProps.gpuType', props.instanceType);
    Names.validateDnsLabel(path, 'EksGpuPoolProps.clusterName', props.clusterName);
    const capacityType = Checks.oneOf(path, 'EksGpuPoolProps.capacityType', props.capacityType, Object.values(CapacityType), CapacityType.ON_DEMAND);
    const provisioning = Checks.oneOf(path, 'EksGpuPoolProps.provisioning', props.provisioning, Object.values(EksProvisioning), EksProvisioning.MANAGED_NODE_GROUP);
    if (provisioning === EksProvisioning.KARPENTER && props.sharing instanceof GpuSharing && props.sharing.mode === GpuSharingMode.MIG) {
      // Karpenter models nvidia.com/gpu only: a pod asking for nvidia.com/mig-* never gets a node
      // (kubernetes-sigs/karpenter#751).
      throw new ValidationError(path, 'EksGpuPoolProps.sharing', `mig ${props.sharing.migProfile}`,
        'expected exclusive or time-slicing sharing on a Karpenter pool: Karpenter does not model nvidia.com/mig-* resources, so MIG pods would never get a node (kubernetes-sigs/karpenter#751); use EksProvisioning.MANAGED_NODE_GROUP for MIG');
    }
    return new GpuPool(props, {
      cloud: GpuCloud.AWS,
      machineType: machine.name,
      gpusPerNode: machine.gpus,
      capacityType,
      provisioning,
      clusterName: props.clusterName,
      ...GpuPool.bounds(path, 'EksGpuPoolProps', props),
    });
  }

  /** A GKE node pool. */
  public static gke(props: GkeGpuPoolProps): GpuPool {
    const path = GpuPool.path(props, 'GkeGpuPoolProps');
    const gpuType = GpuType.check(path, 'GkeGpuPoolProps.gpuType', props.gpuType);
    const machine = gpuType.gkeMachineType(path, 'GkeGpuPoolProps.gpuType', props.machineType);
    let gpusPerNode = machine.gpus;
    if (props.gpusPerNode !== undefined) {
      const allowed = gpuType.gke!.attachCounts ?? [machine.gpus];
      if (!allowed.includes(props.gpusPerNode)) {
        throw new ValidationError(path, 'GkeGpuPoolProps.gpusPerNode', props.gpusPerNode,
          `expected one of ${allowed.join(', ')} for ${machine.name} with ${gpuType.displayName}`);
      }
      gpusPerNode = props.gpusPerNode;
    }
    const sharing = props.sharing;
    if (sharing instanceof GpuSharing && sharing.mode === GpuSharingMode.MIG) {
      const partitions = gpuType.gke!.migPartitions ?? [];
      if (!partitions.includes(sharing.migProfile!)) {
        throw new ValidationError(path, 'GkeGpuPoolProps.sharing.migProfile', sharing.migProfile,
          `expected a GPU partition size GKE offers for the ${gpuType.displayName}: ${partitions.join(', ') || 'none'}`);
      }
    }
    const spot = Checks.boolean(path, 'GkeGpuPoolProps.spot', props.spot, false);
    return new GpuPool(props, {
      cloud: GpuCloud.GCP,
      machineType: machine.name,
      gpusPerNode,
      capacityType: spot ? CapacityType.SPOT : CapacityType.ON_DEMAND,
      zones: GpuPool.validateZones(path, props.zones),
      ...GpuPool.bounds(path, 'GkeGpuPoolProps', props),
    });
  }

  /** The path in errors: `gpu-pool/<name>` (props are plain data, checked before anything is read from them). */
  private static path(props: GpuPoolBaseProps, type: string): string {
    Checks.object('gpu-pool', type, props);
    return `gpu-pool/${typeof props.name === 'string' ? props.name : '?'}`;
  }

  private static bounds(path: string, type: string, props: CloudGpuPoolProps): { minNodes: number; maxNodes: number } {
    const minNodes = Quantities.validateCount(path, `${type}.minNodes`, props.minNodes ?? 0, 0);
    const maxNodes = Quantities.validateCount(path, `${type}.maxNodes`, props.maxNodes ?? 4, 1);
    if (minNodes > maxNodes) {
      throw new ValidationError(path, `${type}.minNodes`, minNodes, `expected at most maxNodes (${maxNodes})`);
    }
    return { minNodes, maxNodes };
  }

  /**
   * GKE zones: a list of distinct zone names (`<region>-<letter>`, e.g. `europe-west4-a`); the cluster checks that
   * they are in its region. Undefined or empty: the cluster's zones.
   */
  private static validateZones(path: string, zones: string[] | undefined): string[] | undefined {
    const field = 'GkeGpuPoolProps.zones';
    if (zones === undefined) return undefined;
    Checks.array(path, field, zones, 'a list of zone names such as ["europe-west4-a", "europe-west4-b"]');
    const seen = new Set<string>();
    zones.forEach((zone, i) => {
      if (typeof zone !== 'string' || !GCP_ZONE.test(zone)) {
        throw new ValidationError(path, `${field}[${i}]`, zone, 'expected a Google Cloud zone name such as "europe-west4-a" (<region>-<letter>)');
      }
      if (seen.has(zone)) throw new ValidationError(path, `${field}[${i}]`, zone, 'expected each zone once');
      seen.add(zone);
    });
    return zones.length > 0 ? [...zones] : undefined;
  }

  public readonly name: string;
  public readonly gpuType: GpuType;
  public readonly sharing: GpuSharing;
  public readonly cloud: GpuCloud;
  /** Physical GPUs per node. */
  public readonly gpusPerNode: number;
  public readonly minNodes: number;
  public readonly maxNodes: number;
  /** EC2 instance type or GCE machine type (cloud pools). */
  public readonly machineType?: string;
  public readonly capacityType?: CapacityType;
  public readonly provisioning?: EksProvisioning;
  /** EKS cluster name (EKS pools). */
  public readonly clusterName?: string;
  public readonly zones?: string[];
  /** The runtime class GPU pods of the pool name (on-prem pools without NVIDIA's runtime as containerd's default). */
  public readonly runtimeClassName?: string;
  private readonly nodeTaints: GpuTaint[];

  private constructor(props: GpuPoolBaseProps, data: PoolData) {
    const path = `gpu-pool/${typeof props.name === 'string' ? props.name : '?'}`;
    Names.validateDnsLabel(path, 'GpuPool.name', props.name);
    this.name = props.name;
    this.gpuType = GpuType.check(path, 'GpuPool.gpuType', props.gpuType);
    this.sharing = props.sharing === undefined ? GpuSharing.exclusive() : GpuSharing.check(path, 'GpuPool.sharing', props.sharing);
    this.sharing.validate(path, 'GpuPool.sharing', props.gpuType);
    this.cloud = data.cloud;
    this.gpusPerNode = data.gpusPerNode;
    this.minNodes = data.minNodes;
    this.maxNodes = data.maxNodes;
    this.machineType = data.machineType;
    this.capacityType = data.capacityType;
    this.provisioning = data.provisioning;
    this.clusterName = data.clusterName;
    this.zones = data.zones;
    this.runtimeClassName = data.runtimeClassName;
    this.nodeTaints = GpuPool.validateTaints(path, props.taints ?? [GpuPool.GPU_TAINT], data.cloud, data.provisioning);
  }

  /**
   * Taints, checked with the rules of every place they go: Kubernetes (a qualified name as key, a label-like value,
   * a known effect, one taint per key and effect), and
   * - EKS managed node groups (EKS API `Taint`: key 1 to 63 characters, value at most 63, at most 50 taints; and one
   *   taint per key, since the Cluster Autoscaler's node-template tag `.../node-template/taint/<key>` holds one
   *   `value:effect`);
   * - Karpenter (its NodePool CRD requires a non-empty value: `spec.template.spec.taints[].value` pattern);
   * - GKE (the `nvidia.com/gpu=present:NoSchedule` taint GKE adds to every GPU node must be among them).
   */
  private static validateTaints(path: string, taints: GpuTaint[], cloud: GpuCloud, provisioning: EksProvisioning | undefined): GpuTaint[] {
    const field = 'GpuPoolBaseProps.taints';
    Checks.array(path, field, taints, 'a list of taints { key, value, effect }');
    const managedNodeGroup = cloud === GpuCloud.AWS && provisioning === EksProvisioning.MANAGED_NODE_GROUP;
    const karpenter = cloud === GpuCloud.AWS && provisioning === EksProvisioning.KARPENTER;
    if (managedNodeGroup && taints.length > EKS_MAX_TAINTS) {
      throw new ValidationError(path, field, `${taints.length} taints`, `expected at most ${EKS_MAX_TAINTS} taints: the limit of an EKS managed node group`);
    }
    const seen = new Set<string>();
    const keys = new Set<string>();
    taints.forEach((t, i) => {
      Checks.object(path, `${field}[${i}]`, t, 'a taint { key, value, effect }');
      if (!Labels.isQualifiedName(t.key)) {
        throw new ValidationError(path, `${field}[${i}].key`, t.key,
          'expected a qualified name such as "nvidia.com/gpu" or "dedicated": an optional DNS subdomain prefix and one "/", then at most 63 letters, digits, "-", "_" or "."');
      }
      if (managedNodeGroup && t.key.length > EKS_TAINT_MAX) {
        throw new ValidationError(path, `${field}[${i}].key`, t.key, `expected at most ${EKS_TAINT_MAX} characters: the limit of an EKS node group taint key`);
      }
      if (!Labels.isValue(t.value)) {
        throw new ValidationError(path, `${field}[${i}].value`, t.value, 'expected a label-like value of at most 63 characters: letters, digits, "-", "_" or ".", alphanumeric at both ends');
      }
      if (karpenter && t.value === '') {
        throw new ValidationError(path, `${field}[${i}].value`, t.value, 'expected a non-empty value: the Karpenter NodePool refuses taints without one');
      }
      if (!TAINT_EFFECTS.includes(t.effect)) throw new ValidationError(path, `${field}[${i}].effect`, t.effect, `expected one of ${TAINT_EFFECTS.join(', ')}`);
      const id = `${t.key}:${t.effect}`;
      if (seen.has(id)) throw new ValidationError(path, `${field}[${i}]`, id, 'expected one taint per key and effect');
      if (managedNodeGroup && keys.has(t.key)) {
        throw new ValidationError(path, `${field}[${i}].key`, t.key,
          'expected one taint per key on an EKS managed node group: the Cluster Autoscaler node-template tag of a taint key holds one value and effect');
      }
      seen.add(id);
      keys.add(t.key);
    });
    if (cloud === GpuCloud.GCP && !taints.some((t) => t.key === GpuPool.GPU_TAINT.key && t.value === GpuPool.GPU_TAINT.value && t.effect === GpuPool.GPU_TAINT.effect)) {
      throw new ValidationError(path, field, taints, 'expected the nvidia.com/gpu=present:NoSchedule taint among them: GKE puts it on every GPU node');
    }
    return taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect }));
  }

  /**
   * Labels of the pool's nodes (set by Terraform, Karpenter, or the administrator on-prem). MIG pools outside GKE
   * also carry `nvidia.com/mig.config=all-<profile>`, which NVIDIA's MIG manager applies to the GPUs (GKE
   * partitions its nodes itself, from the node pool's `gpu_partition_size`); EKS managed-node-group pools carry
   * `k8s.amazonaws.com/accelerator` for the Cluster Autoscaler ({@link GpuPool.EKS_ACCELERATOR_LABEL}).
   */
  public get nodeLabels(): { [key: string]: string } {
    const labels: { [key: string]: string } = { [GpuPool.POOL_LABEL]: this.name, [GpuPool.GPU_TYPE_LABEL]: this.gpuType.id };
    if (this.sharing.mode === GpuSharingMode.MIG && this.cloud !== GpuCloud.GCP) labels[GpuPool.MIG_CONFIG_LABEL] = `all-${this.sharing.migProfile}`;
    if (this.cloud === GpuCloud.AWS && this.provisioning === EksProvisioning.MANAGED_NODE_GROUP && this.gpuType.eksAccelerator) {
      labels[GpuPool.EKS_ACCELERATOR_LABEL] = this.gpuType.eksAccelerator;
    }
    return labels;
  }

  /** Taints of the pool's nodes. */
  public get taints(): GpuTaint[] {
    return this.nodeTaints;
  }

  /**
   * The extended resource a pod requests here: `nvidia.com/gpu`, or `nvidia.com/mig-<profile>` for MIG pools
   * outside GKE (NVIDIA device plugin, mixed strategy). GKE advertises MIG partitions as `nvidia.com/gpu`.
   */
  public get resourceName(): string {
    return this.cloud === GpuCloud.GCP ? GpuResources.NVIDIA_GPU : this.sharing.resourceName;
  }

  /** Schedulable GPUs (slices, replicas) of one node. */
  public get schedulableGpusPerNode(): number {
    return this.gpusPerNode * this.sharing.unitsPerGpu(this.gpuType);
  }

  /** Physical GPUs of the pool at its maximum size. */
  public get maxGpus(): number {
    return this.gpusPerNode * this.maxNodes;
  }

  /**
   * Schedulable GPUs (slices, replicas) of the pool at its maximum size: its nodes (a cloud pool's `maxNodes`, the
   * number Terraform sizes it with) times {@link schedulableGpusPerNode}. A Kueue queue's quota over the pool.
   */
  public get maxSchedulableGpus(): number {
    return this.schedulableGpusPerNode * this.maxNodes;
  }

  /**
   * Where and how a pod with `count` GPUs runs on this pool: limits, node selector, tolerations, runtime class.
   * Throws when one node cannot hold `count` (or, time-sliced, when `count` is not 1: a replica is a share of one
   * GPU, and asking for more gives no more compute).
   * @param count GPUs (or MIG slices) per pod
   * @param field the field reported in errors, e.g. `Workbench.gpu.count`
   */
  public schedule(count: number, field: string = 'gpu.count'): GpuScheduling {
    const path = `gpu-pool/${this.name}`;
    Quantities.validateCount(path, field, count, 1);
    if (this.sharing.mode === GpuSharingMode.TIME_SLICING && count !== 1) {
      throw new ValidationError(path, field, count, 'expected 1 on a time-sliced pool: each pod gets a share of one GPU');
    }
    if (count > this.schedulableGpusPerNode) {
      throw new ValidationError(path, field, count,
        `expected at most ${this.schedulableGpusPerNode}: a node of pool "${this.name}" has ${this.schedulableGpusPerNode} ${this.resourceName}`);
    }
    const nodeSelector: { [key: string]: string } = { [GpuPool.POOL_LABEL]: this.name };
    if (this.cloud === GpuCloud.GCP && this.sharing.mode === GpuSharingMode.MIG) nodeSelector[GpuPool.GKE_PARTITION_LABEL] = this.sharing.migProfile!;
    return {
      pool: this,
      limits: { [this.resourceName]: count },
      nodeSelector,
      tolerations: this.taints.map((t) => ({ key: t.key, operator: 'Equal', value: t.value, effect: t.effect })),
      runtimeClassName: this.runtimeClassName,
    };
  }
}
