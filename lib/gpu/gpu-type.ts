import { ValidationError } from '../core/errors';
import { GpuResources } from '../core/gpu-resources';

/** A machine shape that carries GPUs: an EC2 instance type or a GCE machine type. */
export interface GpuMachine {
  /** `g5.12xlarge`, `a2-highgpu-1g`, ... */
  readonly name: string;
  /** GPUs attached to one machine. */
  readonly gpus: number;
}

/** Where a GPU type exists on Google Cloud. */
export interface GkeGpuOffering {
  /** `guest_accelerator.type`, e.g. `nvidia-l4`. */
  readonly acceleratorType: string;
  /** Machine types the accelerator attaches to, with the GPU count each one carries by default. */
  readonly machineTypes: GpuMachine[];
  /**
   * GPU counts a pool may attach to one machine, for accelerators attached freely to general-purpose machines
   * (T4 on N1: 1, 2 or 4).
   * @default - the machine type's count only (accelerator-optimized machines: A2, A3, G2)
   */
  readonly attachCounts?: number[];
  /**
   * MIG partition sizes GKE offers for the accelerator (`gpu_partition_size`): a subset of NVIDIA's profiles.
   * @default - none (no MIG on GKE)
   */
  readonly migPartitions?: string[];
}

/** The facts of one GPU model. */
export interface GpuTypeProps {
  /** Short id, e.g. `a100-80gb`: also the value of the pool's `gpu-type` label. */
  readonly id: string;
  /** Marketing name, e.g. `NVIDIA A100 80GB`. */
  readonly displayName: string;
  /** Memory of one GPU, in GiB. */
  readonly memoryGiB: number;
  /** Value of the `nvidia.com/gpu.product` label set by GPU feature discovery. */
  readonly productLabel: string;
  /** MIG profiles the GPU supports (empty when it has no MIG). */
  readonly migProfiles: string[];
  /** EC2 instance types carrying this GPU on EKS (empty when AWS does not offer it). */
  readonly eksInstanceTypes: GpuMachine[];
  /**
   * Value of the `k8s.amazonaws.com/accelerator` node label on EKS managed node groups, which the Cluster Autoscaler
   * reads to know that a new node's GPUs are coming (kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/
   * README.md, "Special note on GPU instances": `k8s.amazonaws.com/accelerator=<gpu-type>`, e.g. `nvidia-tesla-k80`).
   * @default - none (not offered on EKS)
   */
  readonly eksAccelerator?: string;
  /** The GKE accelerator and machine types (undefined when Google Cloud does not offer it). */
  readonly gke?: GkeGpuOffering;
}

const range = (prefix: string, sizes: Array<[string, number]>): GpuMachine[] => sizes.map(([size, gpus]) => ({ name: `${prefix}${size}`, gpus }));
// g4dn, g5 and g6 share their size ladder: 1 GPU up to 16xlarge except the 12xlarge (4); 24xlarge 4, 48xlarge 8.
const G_SIZES: Array<[string, number]> = [['xlarge', 1], ['2xlarge', 1], ['4xlarge', 1], ['8xlarge', 1], ['12xlarge', 4], ['16xlarge', 1]];

/** The GPU catalog: plain data shared by the Kubernetes side and the Terraform side. */
export class GpuType {
  /** NVIDIA T4, 16 GB (EKS g4dn, GKE n1 + nvidia-tesla-t4). */
  public static readonly T4 = new GpuType({
    id: 't4', displayName: 'NVIDIA T4', memoryGiB: 16, productLabel: 'Tesla-T4', migProfiles: [], eksAccelerator: 'nvidia-tesla-t4',
    eksInstanceTypes: [...range('g4dn.', G_SIZES), { name: 'g4dn.metal', gpus: 8 }],
    gke: {
      acceleratorType: 'nvidia-tesla-t4',
      machineTypes: ['n1-standard-4', 'n1-standard-8', 'n1-standard-16', 'n1-standard-32', 'n1-highmem-8', 'n1-highmem-16']
        .map((name) => ({ name, gpus: 1 })),
      attachCounts: [1, 2, 4],
    },
  });

  /** NVIDIA L4, 24 GB (EKS g6, GKE g2 + nvidia-l4). */
  public static readonly L4 = new GpuType({
    id: 'l4', displayName: 'NVIDIA L4', memoryGiB: 24, productLabel: 'NVIDIA-L4', migProfiles: [], eksAccelerator: 'nvidia-l4',
    eksInstanceTypes: range('g6.', [...G_SIZES, ['24xlarge', 4], ['48xlarge', 8]]),
    gke: {
      acceleratorType: 'nvidia-l4',
      machineTypes: [['4', 1], ['8', 1], ['12', 1], ['16', 1], ['24', 2], ['32', 1], ['48', 4], ['96', 8]]
        .map(([vcpus, gpus]) => ({ name: `g2-standard-${vcpus}`, gpus: gpus as number })),
    },
  });

  /** NVIDIA A10G, 24 GB (EKS g5 only). */
  public static readonly A10G = new GpuType({
    id: 'a10g', displayName: 'NVIDIA A10G', memoryGiB: 24, productLabel: 'NVIDIA-A10G', migProfiles: [], eksAccelerator: 'nvidia-a10g',
    eksInstanceTypes: range('g5.', [...G_SIZES, ['24xlarge', 4], ['48xlarge', 8]]),
  });

  /** NVIDIA A100 40GB (EKS p4d, GKE a2-highgpu + nvidia-tesla-a100). */
  public static readonly A100_40GB = new GpuType({
    id: 'a100-40gb', displayName: 'NVIDIA A100 40GB', memoryGiB: 40, productLabel: 'NVIDIA-A100-SXM4-40GB',
    migProfiles: GpuResources.MIG_PROFILES_A100_40GB,
    eksInstanceTypes: [{ name: 'p4d.24xlarge', gpus: 8 }], eksAccelerator: 'nvidia-tesla-a100',
    gke: {
      acceleratorType: 'nvidia-tesla-a100',
      machineTypes: [...range('a2-highgpu-', [['1g', 1], ['2g', 2], ['4g', 4], ['8g', 8]]), { name: 'a2-megagpu-16g', gpus: 16 }],
      migPartitions: ['1g.5gb', '2g.10gb', '3g.20gb', '7g.40gb'],
    },
  });

  /** NVIDIA A100 80GB (EKS p4de, GKE a2-ultragpu + nvidia-a100-80gb). */
  public static readonly A100_80GB = new GpuType({
    id: 'a100-80gb', displayName: 'NVIDIA A100 80GB', memoryGiB: 80, productLabel: 'NVIDIA-A100-SXM4-80GB',
    migProfiles: GpuResources.MIG_PROFILES_80GB,
    eksInstanceTypes: [{ name: 'p4de.24xlarge', gpus: 8 }], eksAccelerator: 'nvidia-a100-80gb',
    gke: {
      acceleratorType: 'nvidia-a100-80gb',
      machineTypes: range('a2-ultragpu-', [['1g', 1], ['2g', 2], ['4g', 4], ['8g', 8]]),
      migPartitions: ['1g.10gb', '2g.20gb', '3g.40gb', '7g.80gb'],
    },
  });

  /** NVIDIA H100 80GB (EKS p5, GKE a3 + nvidia-h100-80gb). */
  public static readonly H100_80GB = new GpuType({
    id: 'h100-80gb', displayName: 'NVIDIA H100 80GB', memoryGiB: 80, productLabel: 'NVIDIA-H100-80GB-HBM3',
    migProfiles: GpuResources.MIG_PROFILES_80GB,
    eksInstanceTypes: [{ name: 'p5.48xlarge', gpus: 8 }], eksAccelerator: 'nvidia-h100-80gb',
    gke: {
      acceleratorType: 'nvidia-h100-80gb',
      machineTypes: [{ name: 'a3-highgpu-8g', gpus: 8 }, { name: 'a3-megagpu-8g', gpus: 8 }],
      migPartitions: ['1g.10gb', '1g.20gb', '2g.20gb', '3g.40gb', '7g.80gb'],
    },
  });

  /** Every GPU type of the catalog. */
  public static all(): GpuType[] {
    return [GpuType.T4, GpuType.L4, GpuType.A10G, GpuType.A100_40GB, GpuType.A100_80GB, GpuType.H100_80GB];
  }

  /**
   * The catalog entry whose id is `id` (e.g. `a100-80gb`, as read from a configuration file), or a
   * {@link ValidationError} naming `field` that lists the ids.
   */
  public static fromId(id: string, path: string = '', field: string = 'gpuType'): GpuType {
    const found = typeof id === 'string' ? GpuType.all().find((t) => t.id === id) : undefined;
    if (!found) throw new ValidationError(path, field, id, `expected the id of a GPU type of the catalog: ${GpuType.all().map((t) => t.id).join(', ')}`);
    return found;
  }

  /**
   * Throws a {@link ValidationError} naming `field` unless `value` is a GpuType of the catalog (plain JavaScript
   * callers may pass undefined, an id string or a plain object). Returns it.
   */
  public static check(path: string, field: string, value: GpuType): GpuType {
    if (!(value instanceof GpuType)) {
      const hint = typeof value === 'string' ? ` (for an id from a configuration file, use GpuType.fromId(${JSON.stringify(value)}))` : '';
      throw new ValidationError(path, field, value, `expected a GpuType of the catalog, e.g. GpuType.A10G: ${GpuType.all().map((t) => t.id).join(', ')}${hint}`);
    }
    return value;
  }

  /** GPU types offered on EKS. */
  public static onEks(): GpuType[] {
    return GpuType.all().filter((t) => t.eksInstanceTypes.length > 0);
  }

  /** GPU types offered on GKE. */
  public static onGke(): GpuType[] {
    return GpuType.all().filter((t) => t.gke !== undefined);
  }

  public readonly id: string;
  public readonly displayName: string;
  public readonly memoryGiB: number;
  public readonly productLabel: string;
  public readonly migProfiles: string[];
  public readonly eksInstanceTypes: GpuMachine[];
  /** Value of the `k8s.amazonaws.com/accelerator` label on EKS managed node groups (see {@link GpuTypeProps.eksAccelerator}). */
  public readonly eksAccelerator?: string;
  public readonly gke?: GkeGpuOffering;

  private constructor(props: GpuTypeProps) {
    this.id = props.id;
    this.displayName = props.displayName;
    this.memoryGiB = props.memoryGiB;
    this.productLabel = props.productLabel;
    this.migProfiles = props.migProfiles;
    this.eksInstanceTypes = props.eksInstanceTypes;
    this.eksAccelerator = props.eksAccelerator;
    this.gke = props.gke;
  }

  /** True when the GPU can be partitioned with MIG. */
  public get supportsMig(): boolean {
    return this.migProfiles.length > 0;
  }

  /**
   * The EC2 instance type of this GPU named `name` (default: the smallest one), or a {@link ValidationError}
   * naming `field` that lists what EKS offers.
   */
  public eksInstanceType(path: string, field: string, name?: string): GpuMachine {
    if (this.eksInstanceTypes.length === 0) {
      throw new ValidationError(path, field, this.id,
        `${this.displayName} is not offered on EKS; GPU types on EKS: ${GpuType.onEks().map((t) => t.id).join(', ')}`);
    }
    return GpuType.pick(path, `${field}.instanceType`, this.eksInstanceTypes, name, `EC2 instance types with ${this.displayName}`);
  }

  /**
   * The GKE accelerator type and machine type of this GPU (default machine: the smallest), or a
   * {@link ValidationError} naming `field` that lists what GKE offers.
   */
  public gkeMachineType(path: string, field: string, name?: string): GpuMachine {
    if (!this.gke) {
      throw new ValidationError(path, field, this.id,
        `${this.displayName} is not offered on GKE; GPU types on GKE: ${GpuType.onGke().map((t) => t.id).join(', ')}`);
    }
    return GpuType.pick(path, `${field}.machineType`, this.gke.machineTypes, name, `GKE machine types for ${this.gke.acceleratorType}`);
  }

  /** Throws unless `profile` is a MIG profile of this GPU. */
  public validateMigProfile(path: string, field: string, profile: string): void {
    if (typeof profile !== 'string') throw new ValidationError(path, field, profile, `expected a MIG profile name such as "1g.10gb"`);
    if (!this.supportsMig) {
      throw new ValidationError(path, field, profile,
        `${this.displayName} has no MIG; MIG is available on ${GpuType.all().filter((t) => t.supportsMig).map((t) => t.id).join(', ')}`);
    }
    if (!this.migProfiles.includes(profile)) {
      throw new ValidationError(path, field, profile, `expected a MIG profile of the ${this.displayName}: ${this.migProfiles.join(', ')}`);
    }
  }

  private static pick(path: string, field: string, machines: GpuMachine[], name: string | undefined, what: string): GpuMachine {
    if (name === undefined) return machines[0];
    if (typeof name !== 'string') throw new ValidationError(path, field, name, `expected the name of one of the ${what}: ${machines.map((m) => m.name).join(', ')}`);
    const found = machines.find((m) => m.name === name);
    if (!found) throw new ValidationError(path, field, name, `expected one of the ${what}: ${machines.map((m) => m.name).join(', ')}`);
    return found;
  }
}
