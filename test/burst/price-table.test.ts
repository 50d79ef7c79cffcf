import { CapacityType, GpuCloud, GpuPool, GpuPrice, GpuType, PriceTable } from '../../lib';
import { expectValidationError } from '../helpers/errors';

const price = (p: Partial<GpuPrice> = {}): GpuPrice => ({
  cloud: GpuCloud.AWS, machineType: 'p5.48xlarge', capacityType: CapacityType.ON_DEMAND, dollarsPerHour: 40, region: 'eu-west-1', date: '2026-12-01', source: 'our contract', ...p,
});
const find = (t: PriceTable, cloud: GpuCloud, machineType: string, capacityType = CapacityType.ON_DEMAND) =>
  t.prices.filter((p) => p.cloud === cloud && p.machineType === machineType && p.capacityType === capacityType);

describe('PriceTable', () => {
  test('the seed: dated public prices with their sources', () => {
    const seed = PriceTable.seed();
    expect(find(seed, GpuCloud.AWS, 'p5.48xlarge')).toEqual([expect.objectContaining({ dollarsPerHour: 55.04, region: 'us-east-1', date: '2026-07-06' })]);
    expect(find(seed, GpuCloud.AWS, 'p5.48xlarge')[0].source).toContain('karpenter-provider-aws v1.14.1');
    expect(find(seed, GpuCloud.GCP, 'a2-highgpu-1g')[0]).toMatchObject({ dollarsPerHour: 3.673385, date: '2025-10-28' });
    expect(find(seed, GpuCloud.GCP, 'a2-highgpu-1g', CapacityType.SPOT)[0].dollarsPerHour).toBe(1.102016);
    expect(find(seed, GpuCloud.GCP, 'g2-standard-4')[0].dollarsPerHour).toBe(0.76);
    expect(find(seed, GpuCloud.GCP, 'g2-standard-4', CapacityType.SPOT)[0].dollarsPerHour).toBe(0.23);
    expect(find(seed, GpuCloud.GCP, 'a2-highgpu-1g')[0].source).toContain('cluster-autoscaler-1.36.1');
    // no A3 (H100) machine in the autoscaler's table: never invented
    expect(seed.prices.filter((p) => p.machineType.startsWith('a3-'))).toEqual([]);
    expect(PriceTable.empty().prices).toEqual([]);
  });

  test('with(): replaces the entry of the same cloud, machine and capacity type, adds the others; the original is unchanged', () => {
    const seed = PriceTable.seed();
    const t = seed.with([price(), price({ cloud: GpuCloud.GCP, machineType: 'a3-highgpu-8g', dollarsPerHour: 88.49, capacityType: CapacityType.SPOT })]);
    expect(find(t, GpuCloud.AWS, 'p5.48xlarge')).toEqual([price()]);
    expect(find(t, GpuCloud.GCP, 'a3-highgpu-8g', CapacityType.SPOT)[0].dollarsPerHour).toBe(88.49);
    expect(t.prices).toHaveLength(seed.prices.length + 1);
    expect(find(seed, GpuCloud.AWS, 'p5.48xlarge')[0].dollarsPerHour).toBe(55.04);
  });

  test('priceOf() a pool: its machine and capacity type; none is an error naming the GPU type and cloud', () => {
    const p5 = GpuPool.eks({ name: 'p5', gpuType: GpuType.H100_80GB, clusterName: 'aws' });
    expect(PriceTable.seed().priceOf('x', 'f', p5).dollarsPerHour).toBe(55.04);
    const a3 = GpuPool.gke({ name: 'a3', gpuType: GpuType.H100_80GB });
    expect(PriceTable.seed().find(a3)).toBeUndefined();
    const e = expectValidationError(() => PriceTable.seed().priceOf('burst', 'BurstClusterProps.prices', a3), 'BurstClusterProps.prices', 'burst');
    expect(e.message).toContain('NVIDIA H100 80GB on gcp');
    expect(e.message).toContain('a3-highgpu-8g');
    const spot = GpuPool.gke({ name: 'a2', gpuType: GpuType.A100_40GB, spot: true });
    expect(PriceTable.seed().priceOf('x', 'f', spot).dollarsPerHour).toBe(1.102016);
  });

  test('bad entries name the field', () => {
    const bad = (p: Partial<GpuPrice>) => () => PriceTable.seed().with([price(), price(p)]);
    expectValidationError(bad({ date: undefined }), 'PriceTable.with.prices[1].date', 'price-table');
    expectValidationError(bad({ date: '2026-02-30' }), 'PriceTable.with.prices[1].date', 'price-table');
    expectValidationError(bad({ dollarsPerHour: 0 }), 'PriceTable.with.prices[1].dollarsPerHour', 'price-table');
    expectValidationError(bad({ dollarsPerHour: -1 }), 'PriceTable.with.prices[1].dollarsPerHour', 'price-table');
    expectValidationError(bad({ cloud: GpuCloud.ON_PREM }), 'PriceTable.with.prices[1].cloud', 'price-table');
    expectValidationError(bad({ capacityType: 'reserved' as CapacityType }), 'PriceTable.with.prices[1].capacityType', 'price-table');
    expectValidationError(bad({ source: undefined }), 'PriceTable.with.prices[1].source', 'price-table');
  });
});
