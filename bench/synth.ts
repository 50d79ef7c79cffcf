/**
 * Synth benchmark: prints figures, asserts nothing. `npm run bench`.
 * - time and heap to load the library (lib/index.ts);
 * - time to build and synthesize N of a construct, for growing N (should grow linearly);
 * - time of the whole reference platform synth (both trees).
 */
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function heapMb(): number {
  return Math.round(process.memoryUsage().heapUsed / 2 ** 20);
}

function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
}

/** Times `run(n, outdir)` (build and synth into a temporary outdir) for each n and prints one row per n. */
function series(title: string, unit: string, sizes: number[], run: (n: number, outdir: string) => void): void {
  console.log(`${title}:`);
  for (const n of sizes) {
    const outdir = mkdtempSync(join(tmpdir(), 'bench-'));
    const [, ms] = timed(() => run(n, outdir));
    rmSync(outdir, { recursive: true, force: true });
    console.log(`  ${String(n).padStart(5)} ${unit}: ${ms.toFixed(0).padStart(6)} ms, ${(ms / n).toFixed(2)} ms per ${unit.replace(/(?<=ch)es$|s$/, '')}`);
  }
}

const [lib, loadMs] = timed(() => require('../lib') as typeof import('../lib'));
const { App, Chart } = require('cdk8s') as typeof import('cdk8s');
console.log(`load lib/index: ${loadMs.toFixed(0)} ms, heap ${heapMb()} MB`);

series('TeamSpace synth (one cluster)', 'teams', [10, 100, 500, 1000], (n, outdir) => {
  const app = new App({ outdir });
  const chart = new Chart(app, 'teams');
  for (let i = 0; i < n; i++) new lib.TeamSpace(chart, `team-${i}`, { name: `team-${i}`, quota: { gpus: 2 } });
  app.synth(); // validations included
});

series('GpuNodePool synth (one cluster)', 'pools', [10, 100, 300], (n, outdir) => {
  const app = new App({ outdir });
  const chart = new Chart(app, 'gpu');
  for (let i = 0; i < n; i++) {
    const pool = lib.GpuPool.onPrem({ name: `pool-${i}`, gpuType: lib.GpuType.A100_80GB, gpusPerNode: 8, nodes: 2, sharing: lib.GpuSharing.timeSlicing(4) });
    new lib.GpuNodePool(chart, `pool-${i}`, { pool });
  }
  app.synth();
});

series('EksGpuCluster synth (one stack)', 'pools', [5, 20, 50], (n, outdir) => {
  const app = new lib.CloudApp({ outdir });
  const stack = new lib.AwsPlatformStack(app, 'aws', { region: 'eu-west-1' });
  const pools = Array.from({ length: n }, (_, i) => lib.GpuPool.eks({ name: `pool-${i}`, gpuType: lib.GpuType.L4, clusterName: 'bench' }));
  new lib.EksGpuCluster(stack, 'eks', { name: 'bench', gpuPools: pools });
  app.synth();
});

series('MinioDataLake synth (10 buckets; each team: a TeamSpace and 2 grants)', 'teams', [10, 100, 300], (n, outdir) => {
  const app = new App({ outdir });
  const chart = new Chart(app, 'data');
  const buckets = Array.from({ length: 10 }, (_, i) => new lib.DataBucket({ name: `bucket-${i}` }));
  const lake = new lib.MinioDataLake(chart, 'lake', {
    namespace: new lib.TeamSpace(chart, 'data', { name: 'data-platform', quota: { storage: '20Ti' } }), buckets, rootCredentialsSecret: 'root',
  });
  for (let i = 0; i < n; i++) {
    const team = new lib.TeamSpace(chart, `team-${i}`, { name: `team-${i}` });
    lake.grantRead(team, buckets[i % 10]);
    lake.grantReadWrite(team, buckets[(i + 1) % 10], `team-${i}`);
  }
  app.synth();
});

series('Workbench synth (Jupyter with GPU and idle culling; 10 users per team)', 'workbenches', [10, 100, 300], (n, outdir) => {
  const app = new App({ outdir });
  const chart = new Chart(app, 'workbenches');
  const pool = lib.GpuPool.onPrem({ name: 'a100', gpuType: lib.GpuType.A100_80GB, gpusPerNode: 8, nodes: 64, sharing: lib.GpuSharing.timeSlicing(4) });
  new lib.GpuNodePool(chart, 'a100', { pool });
  const teams = Array.from({ length: Math.ceil(n / 10) }, (_, t) => new lib.TeamSpace(chart, `team-${t}`, { name: `team-${t}`, quota: { gpus: 10, cpu: '64', memory: '256Gi', storage: '1Ti' } }));
  for (let i = 0; i < n; i++) {
    new lib.Workbench(chart, `user-${i}`, { kind: lib.WorkbenchKind.JUPYTER, owner: `user-${i}`, team: teams[Math.floor(i / 10)], gpu: { pool, count: 1 } });
  }
  app.synth();
});

series('KnativeModel synth (TF Serving at a 90/10 canary; 20 models per team)', 'models', [10, 100, 300], (n, outdir) => {
  const app = new App({ outdir });
  const chart = new Chart(app, 'serving');
  const teams = Array.from({ length: Math.ceil(n / 20) }, (_, t) => new lib.TeamSpace(chart, `team-${t}`, { name: `team-${t}`, quota: { cpu: '512', memory: '2Ti' } }));
  for (let i = 0; i < n; i++) {
    const v1 = { version: 'v1', image: `registry.example.com/models/m${i}:1.0.0` };
    const v2 = { version: 'v2', image: `registry.example.com/models/m${i}:1.1.0` };
    new lib.KnativeModel(chart, `model-${i}`, {
      team: teams[Math.floor(i / 20)], server: lib.ModelServer.tensorflowServing({ modelName: `m${i}` }),
      traffic: lib.KnativeModelTraffic.serve(v1).canary(v2, 10),
    });
  }
  new lib.ClusterAddons(chart, 'addons', { clusterName: 'bench' });
  app.synth();
});

series('DistributedTFJob synth (4 workers with GPUs; 10 jobs per team)', 'jobs', [10, 100, 300], (n, outdir) => {
  const app = new App({ outdir });
  const chart = new Chart(app, 'training');
  const pool = lib.GpuPool.onPrem({ name: 'h100', gpuType: lib.GpuType.H100_80GB, gpusPerNode: 8, nodes: 64 });
  const teams = Array.from({ length: Math.ceil(n / 10) }, (_, t) => new lib.TeamSpace(chart, `team-${t}`, { name: `team-${t}`, quota: { gpus: 100, cpu: '512', memory: '2Ti' } }));
  for (let i = 0; i < n; i++) {
    new lib.DistributedTFJob(chart, `job-${i}`, { team: teams[Math.floor(i / 10)], image: 'registry.example.com/train:1.0.0', workers: { replicas: 4 }, gpu: { pool, perWorker: 2 } });
  }
  app.synth();
});

series('Bursting synth (BurstManager and 3 BurstWorkers, 2 classes; each team a queued TFJob on the manager)', 'teams', [10, 100, 300], (n, outdir) => {
  const pools = {
    onprem: [lib.GpuPool.onPrem({ name: 'h100', gpuType: lib.GpuType.H100_80GB, gpusPerNode: 8, nodes: 64, nvidiaDefaultRuntime: true })],
    aws: [
      lib.GpuPool.eks({ name: 'h100', gpuType: lib.GpuType.H100_80GB, clusterName: 'bench', provisioning: lib.EksProvisioning.KARPENTER, maxNodes: 8 }),
      lib.GpuPool.eks({ name: 'a100', gpuType: lib.GpuType.A100_40GB, clusterName: 'bench', provisioning: lib.EksProvisioning.KARPENTER, maxNodes: 8 }),
    ],
    gcp: [lib.GpuPool.gke({ name: 'a100', gpuType: lib.GpuType.A100_40GB, machineType: 'a2-highgpu-2g', maxNodes: 8 })],
  };
  const names = Array.from({ length: n }, (_, t) => `team-${t}`);
  const burst = new lib.BurstCluster({
    manager: 'manager', workers: (['onprem', 'aws', 'gcp'] as const).map((name) => ({ name, pools: pools[name] })), teams: names,
    classes: [{ name: 'h100', gpuType: lib.GpuType.H100_80GB }, { name: 'a100', gpuType: lib.GpuType.A100_40GB }],
  });
  const manager = new App({ outdir: join(outdir, 'manager') });
  const chart = new Chart(manager, 'queues');
  const teams = names.map((name) => new lib.TeamSpace(chart, name, { name, quota: { gpus: 16 } }));
  new lib.BurstManager(chart, 'burst', { burst, teams });
  for (const team of teams) {
    new lib.DistributedTFJob(chart, `job-${team.namespaceName}`, { team, image: 'registry.example.com/train:1.0.0', workers: { replicas: 4 }, gpu: { gpuType: lib.GpuType.H100_80GB, perWorker: 2 }, queue: 'h100', burst: true });
  }
  manager.synth();
  for (const cluster of ['onprem', 'aws', 'gcp'] as const) {
    const app = new App({ outdir: join(outdir, cluster) });
    const c = new Chart(app, 'queues');
    for (const pool of pools[cluster]) new lib.GpuNodePool(c, pool.name, { pool });
    new lib.BurstWorker(c, 'burst', { burst, cluster, teams: names.map((name) => new lib.TeamSpace(c, name, { name })) });
    app.synth();
  }
});

const out = mkdtempSync(join(tmpdir(), 'bench-ref-'));
const { synthKubernetes } = require('../apps/k8s') as typeof import('../apps/k8s');
const { synthCloud } = require('../apps/cloud') as typeof import('../apps/cloud');
const [, refMs] = timed(() => {
  synthKubernetes(join(out, 'dist'));
  synthCloud(join(out, 'cdktf.out'));
});
rmSync(out, { recursive: true, force: true });
console.log(`reference platform synth (k8s + cloud): ${refMs.toFixed(0)} ms, heap ${heapMb()} MB`);
