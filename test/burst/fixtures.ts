import { Chart, Testing } from 'cdk8s';
import { BurstCluster, BurstClusterProps, CapacityType, GpuCloud, GpuNodePool, GpuPool, GpuType, PriceTable, TeamSpace } from '../../lib';

/**
 * A known burst: an on-prem worker with H100s and A100s, AWS with p4d (A100 40GB x 8) and p5 (H100 x 8), GCP with
 * a2-highgpu-2g (A100 40GB x 2) and a3-highgpu-8g (H100 x 8, priced here: the seed has no A3). Plain data, made once
 * per test file and shared by the manager's and the workers' Apps.
 */
export const pools = {
  onpremH100: GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 2, nvidiaDefaultRuntime: true }),
  onpremA100: GpuPool.onPrem({ name: 'a100', gpuType: GpuType.A100_40GB, gpusPerNode: 4, nodes: 1, nvidiaDefaultRuntime: true }),
  p4d: GpuPool.eks({ name: 'p4d', gpuType: GpuType.A100_40GB, clusterName: 'aws', maxNodes: 2 }),
  p5: GpuPool.eks({ name: 'p5', gpuType: GpuType.H100_80GB, clusterName: 'aws', maxNodes: 2 }),
  a2: GpuPool.gke({ name: 'a2', gpuType: GpuType.A100_40GB, machineType: 'a2-highgpu-2g', maxNodes: 4 }),
  a3: GpuPool.gke({ name: 'a3', gpuType: GpuType.H100_80GB, maxNodes: 1 }),
};
export const A3_PRICE = {
  cloud: GpuCloud.GCP, machineType: 'a3-highgpu-8g', capacityType: CapacityType.ON_DEMAND, dollarsPerHour: 88.25, region: 'europe-west4', date: '2026-11-20', source: 'test',
};
export const prices = PriceTable.seed().with([A3_PRICE]);
export const TEAMS = ['vision', 'nlp'];

export function burstProps(props: Partial<BurstClusterProps> = {}): BurstClusterProps {
  return {
    manager: 'hub',
    workers: [
      { name: 'onprem', pools: [pools.onpremH100, pools.onpremA100] },
      { name: 'aws', pools: [pools.p4d, pools.p5] },
      { name: 'gcp', pools: [pools.a2, pools.a3] },
    ],
    classes: [{ name: 'h100', gpuType: GpuType.H100_80GB }, { name: 'a100', gpuType: GpuType.A100_40GB }],
    teams: TEAMS,
    prices,
    priorities: [{ name: 'urgent', value: 1000 }, { name: 'batch', value: 10 }],
    ...props,
  };
}

/** A cluster's App and chart, with the burst's team namespaces and the GpuNodePools of `gpuPools`. */
export function clusterApp(gpuPools: GpuPool[] = [], teams: string[] = TEAMS) {
  const app = Testing.app();
  const chart = new Chart(app, 'c');
  const spaces = teams.map((name) => new TeamSpace(chart, name, { name, quota: { gpus: 64, cpu: '512', memory: '4Ti' } }));
  gpuPools.forEach((pool) => new GpuNodePool(chart, `pool-${pool.name}`, { pool }));
  return { app, chart, teams: spaces };
}

export const burst = (props: Partial<BurstClusterProps> = {}) => new BurstCluster(burstProps(props));
