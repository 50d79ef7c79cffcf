import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';
import { CapacityType, GpuCloud, GpuPool } from '../gpu/gpu-pool';

/** The hourly price of one cloud machine, with where and when it was read. */
export interface GpuPrice {
  /** `GpuCloud.AWS` or `GpuCloud.GCP`. */
  readonly cloud: GpuCloud;
  /** EC2 instance type or GCE machine type, GPUs included (`p5.48xlarge`, `a2-highgpu-2g`). */
  readonly machineType: string;
  /** On-demand or spot (GCE preemptible / Spot VMs). */
  readonly capacityType: CapacityType;
  /** US dollars per machine-hour. */
  readonly dollarsPerHour: number;
  /** The region the price is for (`us-east-1`), or what the source says about it. */
  readonly region: string;
  /** When the source was generated or last changed, `YYYY-MM-DD`. */
  readonly date: string;
  /** Where the figure comes from (repository, tag and file, or a URL). */
  readonly source: string;
}

const KARPENTER = 'aws/karpenter-provider-aws v1.14.1 pkg/providers/pricing/zz_generated.pricing_aws.go ("generated at 2026-07-06T14:20:29Z for us-east-1")';
const AUTOSCALER = 'kubernetes/autoscaler cluster-autoscaler-1.36.1 cluster-autoscaler/cloudprovider/gce/gce_price_info.go (instancePrices, preemptiblePrices; last changed 2025-10-28; GPUs of A2 and G2 machines are in the machine price)';
const aws = (machineType: string, dollarsPerHour: number): GpuPrice => ({
  cloud: GpuCloud.AWS, machineType, capacityType: CapacityType.ON_DEMAND, dollarsPerHour, region: 'us-east-1', date: '2026-07-06', source: KARPENTER,
});
const gce = (machineType: string, capacityType: CapacityType, dollarsPerHour: number): GpuPrice => ({
  cloud: GpuCloud.GCP, machineType, capacityType, dollarsPerHour, region: 'not stated by the source', date: '2025-10-28', source: AUTOSCALER,
});

/**
 * The seed: public, dated list prices of GPU machines. Karpenter's file has on-demand prices of us-east-1 only (no
 * other region, no spot: Karpenter reads spot prices live); the Cluster Autoscaler's GCE table has no A3 (H100)
 * machine. Extend or override them with {@link PriceTable.with} for your regions, discounts and machines.
 */
const SEED: GpuPrice[] = [
  aws('p5.48xlarge', 55.04),
  aws('p4d.24xlarge', 21.957642),
  aws('p4de.24xlarge', 27.44705),
  aws('g5.xlarge', 1.006),
  aws('g5.12xlarge', 5.672),
  aws('g6.xlarge', 0.8048),
  aws('g6.12xlarge', 4.6016),
  aws('g4dn.xlarge', 0.526),
  gce('a2-highgpu-1g', CapacityType.ON_DEMAND, 3.673385),
  gce('a2-highgpu-1g', CapacityType.SPOT, 1.102016),
  gce('a2-highgpu-2g', CapacityType.ON_DEMAND, 7.34677),
  gce('a2-highgpu-2g', CapacityType.SPOT, 2.204031),
  gce('g2-standard-4', CapacityType.ON_DEMAND, 0.76),
  gce('g2-standard-4', CapacityType.SPOT, 0.23),
];
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * GPU machine prices (cloud x machine type x on-demand / spot, dollars per hour, each with its date and source):
 * plain data the cost-aware order of bursting reads ({@link BurstCluster}). A price that is missing is an error
 * naming the GPU type and cloud, never a silent zero.
 */
export class PriceTable {
  /** The seed of public, dated prices (see the sources in each entry). */
  public static seed(): PriceTable {
    return new PriceTable(SEED);
  }

  /** A table with no price: every cloud pool needs one from {@link PriceTable.with}. */
  public static empty(): PriceTable {
    return new PriceTable([]);
  }

  /** Every price, one per cloud, machine type and capacity type. */
  public readonly prices: GpuPrice[];

  private constructor(prices: GpuPrice[]) {
    this.prices = prices;
  }

  /**
   * A new table with `prices` added; each replaces the entry of the same cloud, machine type and capacity type.
   * Each is checked: a positive price, a date `YYYY-MM-DD`, a source.
   */
  public with(prices: GpuPrice[]): PriceTable {
    const path = 'price-table';
    Checks.array(path, 'PriceTable.with.prices', prices, 'a list of GpuPrice');
    const added = prices.map((p, i) => PriceTable.check(path, `PriceTable.with.prices[${i}]`, p));
    const key = (p: GpuPrice) => `${p.cloud}/${p.machineType}/${p.capacityType}`;
    const replaced = new Set(added.map(key));
    return new PriceTable([...this.prices.filter((p) => !replaced.has(key(p))), ...added]);
  }

  /** The price of one node of `pool`, or undefined. */
  public find(pool: GpuPool): GpuPrice | undefined {
    return this.prices.find((p) => p.cloud === pool.cloud && p.machineType === pool.machineType && p.capacityType === pool.capacityType);
  }

  /** The price of one node of the cloud pool `pool`; a {@link ValidationError} naming `field` when there is none. */
  public priceOf(path: string, field: string, pool: GpuPool): GpuPrice {
    const found = this.find(pool);
    if (!found) {
      throw new ValidationError(path, field, `${pool.gpuType.id} on ${pool.cloud} (${pool.machineType}, ${pool.capacityType})`,
        `expected a price for ${pool.gpuType.displayName} on ${pool.cloud}: add { cloud: GpuCloud.${pool.cloud === GpuCloud.AWS ? 'AWS' : 'GCP'}, machineType: "${pool.machineType}", capacityType: "${pool.capacityType}", dollarsPerHour, region, date, source } with PriceTable.with(); pool "${pool.name}" has none, and a missing price is never taken as zero`);
    }
    return found;
  }

  private static check(path: string, field: string, p: GpuPrice): GpuPrice {
    Checks.object(path, field, p, 'a GpuPrice { cloud, machineType, capacityType, dollarsPerHour, region, date, source }');
    const cloud = Checks.oneOf(path, `${field}.cloud`, p.cloud, [GpuCloud.AWS, GpuCloud.GCP]);
    const machineType = Checks.string(path, `${field}.machineType`, p.machineType);
    const capacityType = Checks.oneOf(path, `${field}.capacityType`, p.capacityType, Object.values(CapacityType));
    if (typeof p.dollarsPerHour !== 'number' || !Number.isFinite(p.dollarsPerHour) || p.dollarsPerHour <= 0) {
      throw new ValidationError(path, `${field}.dollarsPerHour`, p.dollarsPerHour, 'expected a positive number of US dollars per machine-hour');
    }
    const match = typeof p.date === 'string' ? DATE.exec(p.date) : null;
    const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
    if (!date || date.toISOString().slice(0, 10) !== p.date) throw new ValidationError(path, `${field}.date`, p.date, 'expected the date of the price, YYYY-MM-DD');
    return {
      cloud, machineType, capacityType, dollarsPerHour: p.dollarsPerHour,
      region: Checks.string(path, `${field}.region`, p.region), date: p.date, source: Checks.string(path, `${field}.source`, p.source),
    };
  }
}
