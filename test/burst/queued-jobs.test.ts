import { Chart, Testing } from 'cdk8s';
import {
  BurstManager, BurstWorker, DataBucket, DistributedTFJob, DistributedTFJobProps, GpuNodePool, GpuPool, GpuQueue, GpuType, MinioDataLake, TeamSpace, WorkloadPriority,
} from '../../lib';
import { expectValidationError } from '../helpers/errors';
import { Manifest, ofKind, synthValid } from '../helpers/manifests';
import { podProblems } from '../helpers/pod-security';
import { kueueProblems } from '../helpers/kueue-rules';
import { burst, clusterApp, pools } from './fixtures';

const IMAGE = 'registry.example.com/ml/trainer:1.2.0';
const h100 = pools.onpremH100;
const small = GpuPool.onPrem({ name: 'h100-small', gpuType: GpuType.H100_80GB, gpusPerNode: 2, nodes: 2, nvidiaDefaultRuntime: true });
const a100 = pools.onpremA100;

/** A cluster with a GPU queue over two H100 pools (one of 2-GPU nodes), an A100 queue and a priority. */
function local() {
  const chart = new Chart(Testing.app(), 'c');
  const team = new TeamSpace(chart, 'vision', { name: 'vision', quota: { gpus: 64, cpu: '256', memory: '2Ti' } });
  [h100, small, a100].forEach((pool) => new GpuNodePool(chart, `pool-${pool.name}`, { pool }));
  new GpuQueue(chart, 'h100', { pools: [h100], teams: [team], gpus: { h100: 8 } });
  new GpuQueue(chart, 'mixed', { pools: [h100, small], teams: [team], gpus: { h100: 8 } });
  new GpuQueue(chart, 'a100', { pools: [a100], teams: [team] });
  new WorkloadPriority(chart, 'urgent', { value: 1000 });
  return { chart, team };
}
/** The manager of the fixture burst, in its own App. */
function hub() {
  const c = clusterApp();
  new BurstManager(c.chart, 'burst', { burst: burst(), teams: c.teams });
  return { chart: c.chart, team: c.teams[0] };
}
function tfjob(c: { chart: Chart; team: TeamSpace | ReturnType<typeof hub>['team'] }, props: Partial<DistributedTFJobProps>) {
  return new DistributedTFJob(c.chart, 'resnet', { team: c.team, image: IMAGE, workers: { replicas: 2 }, ...props });
}
function synth(chart: Chart): Manifest[] {
  const objects = synthValid(chart);
  expect(podProblems(objects)).toEqual([]);
  return objects;
}
const worker = (objects: Manifest[]) => ofKind(objects, 'TFJob', 'resnet')[0].spec.tfReplicaSpecs.Worker.template.spec;

describe('DistributedTFJob on queues', () => {
  test('gpuType on a GpuQueue: GPU limits, no node selector and no tolerations (the flavor adds them)', () => {
    const c = local();
    tfjob(c, { queue: 'h100', gpu: { gpuType: GpuType.H100_80GB, perWorker: 4 }, priorityClass: 'urgent' });
    const objects = synth(c.chart);
    const pod = worker(objects);
    expect(pod.containers[0].resources.limits['nvidia.com/gpu']).toBe(4);
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.tolerations).toBeUndefined();
    expect(pod.runtimeClassName).toBeUndefined();
    const tf = ofKind(objects, 'TFJob', 'resnet')[0];
    expect(tf.metadata.labels).toMatchObject({ 'kueue.x-k8s.io/queue-name': 'h100', 'kueue.x-k8s.io/priority-class': 'urgent' });
    expect(tf.spec.runPolicy.managedBy).toBeUndefined();
  });

  test('a pool of the queue: placed on it (node selector, tolerations)', () => {
    const c = local();
    tfjob(c, { queue: 'mixed', gpu: { pool: small, perWorker: 2 } });
    expect(worker(synth(c.chart)).nodeSelector).toEqual({ [GpuPool.POOL_LABEL]: 'h100-small' });
  });

  test('on the BurstManager\'s queue with burst: true: runPolicy.managedBy MultiKueue, and the manager\'s objects pass', () => {
    const c = hub();
    tfjob(c, { queue: 'h100', burst: true, gpu: { gpuType: GpuType.H100_80GB, perWorker: 8 }, priorityClass: 'urgent', secretEnv: { S3_ENDPOINT: 'lake/endpoint' } });
    const objects = synth(c.chart);
    const tf = ofKind(objects, 'TFJob', 'resnet')[0];
    expect(tf.spec.runPolicy.managedBy).toBe('kueue.x-k8s.io/multikueue');
    expect(tf.metadata.labels!['kueue.x-k8s.io/queue-name']).toBe('h100');
    const env = worker(objects).containers[0].env;
    expect(env).toContainEqual({ name: 'S3_ENDPOINT', valueFrom: { secretKeyRef: { name: 'lake', key: 'endpoint' } } });
  });

  test('the job the manager dispatches is admissible on every worker: its queue, priority and resources are there', () => {
    const b = burst();
    const m = clusterApp();
    new BurstManager(m.chart, 'burst', { burst: b, teams: m.teams });
    tfjob({ chart: m.chart, team: m.teams[0] }, { queue: 'a100', burst: true, gpu: { gpuType: GpuType.A100_40GB, perWorker: 2 }, priorityClass: 'batch' });
    const job = ofKind(synth(m.chart), 'TFJob', 'resnet')[0];
    // the copy MultiKueue creates: the same spec without managedBy
    const copy = { ...job, spec: { ...job.spec, runPolicy: { ...job.spec.runPolicy, managedBy: undefined } } };
    const workerPools = { onprem: [pools.onpremH100, pools.onpremA100], aws: [pools.p4d, pools.p5], gcp: [pools.a2, pools.a3] };
    for (const name of b.order('a100') as Array<keyof typeof workerPools>) {
      const w = clusterApp(workerPools[name]);
      new BurstWorker(w.chart, 'burst', { burst: b, cluster: name, teams: w.teams });
      expect(kueueProblems([copy], { objects: synthValid(w.chart) })).toEqual([]);
    }
    // and a worker without that class's queue would hold it forever
    expect(kueueProblems([copy], { objects: [] })).toHaveLength(2);
  });

  describe('errors name the field', () => {
    const at = 'c/resnet';
    test('a queue that does not exist (at synth)', () => {
      const c = local();
      tfjob(c, { queue: 'nope' });
      expect(expectValidationError(() => Testing.synth(c.chart), 'DistributedTFJobProps.queue', at).message).toContain('namespace vision');
    });
    test('burst: true on a queue that does not dispatch, false on one that does (at synth)', () => {
      const c = local();
      tfjob(c, { queue: 'h100', burst: true, gpu: { gpuType: GpuType.H100_80GB, perWorker: 1 } });
      expect(expectValidationError(() => Testing.synth(c.chart), 'DistributedTFJobProps.burst', at).message).toContain('does not dispatch');
      const m = hub();
      tfjob(m, { queue: 'h100', gpu: { gpuType: GpuType.H100_80GB, perWorker: 1 } });
      expect(expectValidationError(() => Testing.synth(m.chart), 'DistributedTFJobProps.burst', at).message).toContain('runPolicy.managedBy');
    });
    test('a pool that is not the queue\'s (at synth)', () => {
      const c = local();
      tfjob(c, { queue: 'h100', gpu: { pool: small, perWorker: 1 } });
      expectValidationError(() => Testing.synth(c.chart), 'DistributedTFJobProps.gpu.pool', at);
    });
    test('a GPU type that is not the queue\'s (at synth)', () => {
      const c = local();
      tfjob(c, { queue: 'a100', gpu: { gpuType: GpuType.H100_80GB, perWorker: 1 } });
      expect(expectValidationError(() => Testing.synth(c.chart), 'DistributedTFJobProps.gpu.gpuType', at).message).toContain('a100-40gb');
    });
    test('more GPUs per worker than the smallest node of the queue\'s pools holds (at synth)', () => {
      const c = local();
      tfjob(c, { queue: 'mixed', gpu: { gpuType: GpuType.H100_80GB, perWorker: 4 } });
      expect(expectValidationError(() => Testing.synth(c.chart), 'DistributedTFJobProps.gpu.perWorker', at).message).toContain('expected at most 2');
      // the burst queue: the smallest node of the class on its workers
      const m = hub();
      tfjob(m, { queue: 'a100', burst: true, gpu: { gpuType: GpuType.A100_40GB, perWorker: 4 } });
      expect(expectValidationError(() => Testing.synth(m.chart), 'DistributedTFJobProps.gpu.perWorker', at).message).toContain('expected at most 2');
    });
    test('a priority class the cluster does not define (at synth)', () => {
      const c = local();
      tfjob(c, { queue: 'h100', priorityClass: 'someday' });
      expectValidationError(() => Testing.synth(c.chart), 'DistributedTFJobProps.priorityClass', at);
    });
    test('a burst job\'s priority only the manager has (at synth): the workers would refuse the workload', () => {
      const c = hub();
      new WorkloadPriority(c.chart, 'manager-only', { name: 'manager-only', value: 5 });
      tfjob(c, { queue: 'h100', burst: true, gpu: { gpuType: GpuType.H100_80GB, perWorker: 8 }, priorityClass: 'manager-only' });
      const e = expectValidationError(() => Testing.synth(c.chart), 'DistributedTFJobProps.priorityClass', at);
      expect(e.message).toContain('a priority of the burst (BurstClusterProps.priorities: urgent, batch)');
    });
    test('a priority class without a queue', () => {
      expectValidationError(() => tfjob(local(), { priorityClass: 'urgent' }), 'DistributedTFJobProps.priorityClass', at);
    });
    test('a pool on a job that bursts', () => {
      expect(expectValidationError(() => tfjob(hub(), { queue: 'h100', burst: true, gpu: { pool: h100, perWorker: 1 } }), 'DistributedTFJobProps.gpu.pool', at).message).toContain('gpuType instead');
    });
    test('data from a lake on a job that bursts', () => {
      const c = hub();
      const data = new TeamSpace(c.chart, 'data', { name: 'data', quota: { storage: '1Ti', persistentVolumeClaims: 8 } });
      const input = new DataBucket({ name: 'features' });
      const output = new DataBucket({ name: 'models' });
      const lake = new MinioDataLake(c.chart, 'lake', { namespace: data, buckets: [input, output], rootCredentialsSecret: 'root' });
      expect(expectValidationError(() => tfjob(c, { queue: 'h100', burst: true, data: { lake, input, output } }), 'DistributedTFJobProps.data', at).message).toContain('secretEnv');
    });
    test('a GPU type without a queue; both a pool and a GPU type', () => {
      expectValidationError(() => tfjob(local(), { gpu: { gpuType: GpuType.H100_80GB, perWorker: 1 } }), 'DistributedTFJobProps.gpu.gpuType', at);
      expectValidationError(() => tfjob(local(), { queue: 'h100', gpu: { pool: h100, gpuType: GpuType.H100_80GB, perWorker: 1 } }), 'DistributedTFJobProps.gpu', at);
    });
  });
});
