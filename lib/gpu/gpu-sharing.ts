import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';
import { GpuResources } from '../core/gpu-resources';
import { GpuType } from './gpu-type';

/** How the GPUs of a pool are shared between pods. */
export enum GpuSharingMode {
  /** One pod per GPU. */
  EXCLUSIVE = 'exclusive',
  /** N pods take turns on one GPU (no memory isolation). */
  TIME_SLICING = 'time-slicing',
  /** The GPU is partitioned into isolated MIG slices of one profile. */
  MIG = 'mig',
}

/** GPU sharing of a pool: exclusive (the default), time-slicing with N replicas, or one MIG profile. */
export class GpuSharing {
  /** One pod per GPU. */
  public static exclusive(): GpuSharing {
    return new GpuSharing(GpuSharingMode.EXCLUSIVE, 1);
  }

  /**
   * Time-slicing: each GPU is advertised as `replicas` GPUs that pods share in turn, without memory isolation.
   * @param replicas pods per GPU, 2 to 48
   */
  public static timeSlicing(replicas: number): GpuSharing {
    Checks.number('', 'GpuSharing.timeSlicing.replicas', replicas, MIN_REPLICAS, MAX_REPLICAS);
    return new GpuSharing(GpuSharingMode.TIME_SLICING, replicas);
  }

  /**
   * MIG: every GPU of the pool is cut into slices of one profile (e.g. `1g.10gb`), each an isolated GPU with its
   * own memory. Valid only on GPUs with MIG (A100, H100) and checked against the pool's GPU.
   */
  public static mig(profile: string): GpuSharing {
    Checks.string('', 'GpuSharing.mig.profile', profile, 'a MIG profile name such as "1g.10gb"');
    return new GpuSharing(GpuSharingMode.MIG, 1, profile);
  }

  private constructor(
    /** The kind of sharing. */
    public readonly mode: GpuSharingMode,
    /** Time-slicing replicas per GPU (1 otherwise). */
    public readonly replicas: number,
    /** The MIG profile, for MIG. */
    public readonly migProfile?: string,
  ) {}

  /**
   * Throws a {@link ValidationError} naming `field` unless `value` is a GpuSharing (from `GpuSharing.exclusive()`,
   * `.timeSlicing(n)` or `.mig(profile)`, never a plain object). Returns it.
   */
  public static check(path: string, field: string, value: GpuSharing): GpuSharing {
    if (!(value instanceof GpuSharing)) {
      throw new ValidationError(path, field, value, 'expected a GpuSharing: GpuSharing.exclusive(), GpuSharing.timeSlicing(n) or GpuSharing.mig(profile)');
    }
    return value;
  }

  /** Throws a {@link ValidationError} naming `field` unless this sharing fits the GPU type. */
  public validate(path: string, field: string, gpuType: GpuType): void {
    if (this.mode === GpuSharingMode.TIME_SLICING && (!Number.isInteger(this.replicas) || this.replicas < MIN_REPLICAS || this.replicas > MAX_REPLICAS)) {
      throw new ValidationError(path, `${field}.replicas`, this.replicas, 'expected an integer from 2 to 48 pods per GPU');
    }
    if (this.mode === GpuSharingMode.MIG) gpuType.validateMigProfile(path, `${field}.migProfile`, this.migProfile!);
  }

  /**
   * Schedulable units per physical GPU of `gpuType`: `replicas` for time-slicing, 1 when exclusive, and for MIG as
   * many slices of the profile as fit both the GPU's 7 compute slices and its memory (`1g.5gb` on an A100 40GB: 7;
   * `1g.10gb` on an A100 40GB: 4, on an 80GB GPU: 7; `1g.20gb`: 4; `2g.*`: 3; `3g.*`: 2; `4g.*`, `7g.*`: 1).
   */
  public unitsPerGpu(gpuType: GpuType): number {
    if (this.mode === GpuSharingMode.TIME_SLICING) return this.replicas;
    if (this.mode === GpuSharingMode.MIG) {
      const [, compute, memory] = /^(\d)g\.(\d+)gb/.exec(this.migProfile!)!;
      return Math.min(Math.floor(MIG_COMPUTE_SLICES / Number(compute)), Math.floor(gpuType.memoryGiB / Number(memory)));
    }
    return 1;
  }

  /** The extended resource pods request on a node with the NVIDIA device plugin (MIG with the mixed strategy). */
  public get resourceName(): string {
    return this.mode === GpuSharingMode.MIG ? GpuResources.mig(this.migProfile!) : GpuResources.NVIDIA_GPU;
  }
}

/** Compute slices of an A100 / H100 under MIG. */
const MIG_COMPUTE_SLICES = 7;
const MIN_REPLICAS = 2;
const MAX_REPLICAS = 48;

