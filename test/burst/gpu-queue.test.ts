import { Chart, Testing } from 'cdk8s';
import { GpuNodePool, GpuPool, GpuQueue, GpuQueueProps, GpuSharing, GpuType, TeamSpace } from '../../lib';
import { AddonRequirements } from '../../lib/addons/addon-requirements';
import { expectValidationError } from '../helpers/errors';
import { Manifest, ofKind, synthValid } from '../helpers/manifests';

const h100 = GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 2, nvidiaDefaultRuntime: true });
const h100b = GpuPool.onPrem({ name: 'h100-b', gpuType: GpuType.H100_80GB, gpusPerNode: 4, nodes: 1, nvidiaDefaultRuntime: true,
  taints: [GpuPool.GPU_TAINT, { key: 'team', value: 'vision', effect: 'NoExecute' }] });
const p5 = GpuPool.eks({ name: 'p5', gpuType: GpuType.H100_80GB, clusterName: 'aws', maxNodes: 3 });
const l4Sliced = GpuPool.eks({ name: 'l4-sliced', gpuType: GpuType.L4, clusterName: 'aws', maxNodes: 3, sharing: GpuSharing.timeSlicing(4) });
const mig = GpuPool.onPrem({ name: 'h100-mig', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 1, sharing: GpuSharing.mig('1g.10gb') });

/** A cluster (one App, one chart) with the teams and the GpuNodePools of `pools`. */
function cluster(pools: GpuPool[] = [h100, h100b]) {
  const chart = new Chart(Testing.app(), 'c');
  const vision = new TeamSpace(chart, 'vision', { name: 'vision', quota: { gpus: 8 } });
  const nlp = new TeamSpace(chart, 'nlp', { name: 'nlp', quota: { gpus: 8 } });
  pools.forEach((pool) => new GpuNodePool(chart, `pool-${pool.name}`, { pool }));
  return { chart, vision, nlp };
}
const queue = (props: Partial<GpuQueueProps> = {}, pools?: GpuPool[]) => {
  const c = cluster(pools);
  const q = new GpuQueue(c.chart, 'training', { pools: [h100, h100b], teams: [c.vision, c.nlp], ...props });
  return { ...c, q };
};
const gpuQuota = (cq: Manifest) => cq.spec.resourceGroups[0].flavors.map((f: Manifest) => [f.name, f.resources[0].nominalQuota]);
const cpuMemory = (cq: Manifest) => Object.fromEntries(cq.spec.resourceGroups[1].flavors[0].resources.map((r: Manifest) => [r.name, r.nominalQuota]));

describe('GpuQueue', () => {
  test('a ResourceFlavor per pool: its pool label, its taints and the matching tolerations; a cpu-memory flavor', () => {
    const { chart } = queue();
    const objects = synthValid(chart);
    const flavor = ofKind(objects, 'ResourceFlavor', 'h100-b')[0];
    expect(flavor.spec.nodeLabels).toEqual({ [GpuPool.POOL_LABEL]: 'h100-b' });
    expect(flavor.spec.nodeTaints).toEqual(h100b.taints);
    expect(flavor.spec.tolerations).toEqual(h100b.taints.map((t) => ({ ...t, operator: 'Equal' })));
    expect(ofKind(objects, 'ResourceFlavor', 'h100')[0].spec.nodeLabels).toEqual({ [GpuPool.POOL_LABEL]: 'h100' });
    expect(ofKind(objects, 'ResourceFlavor', 'cpu-memory')[0].spec).toEqual({});
    expect(ofKind(objects, 'ResourceFlavor').map((f) => f.metadata.name).sort()).toEqual(['cpu-memory', 'h100', 'h100-b']);
  });

  test('quota = capacity: on-prem nodes x GPUs per node, in the pools\' order; CPU and memory per GPU', () => {
    const { chart, q } = queue();
    const cq = ofKind(synthValid(chart), 'ClusterQueue', 'training')[0];
    expect(cq.spec.resourceGroups[0].coveredResources).toEqual(['nvidia.com/gpu']);
    expect(gpuQuota(cq)).toEqual([['h100', 16], ['h100-b', 4]]);
    // 20 GPUs x 8 CPUs and x 64Gi
    expect(cpuMemory(cq)).toEqual({ cpu: '160', memory: '1280Gi' });
    expect(q.gpus).toEqual({ 'h100': 16, 'h100-b': 4 });
    expect(cq.spec.namespaceSelector).toEqual({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['vision', 'nlp'] }] });
    expect(cq.spec.cohortName).toBeUndefined();
  });

  test('cloud pools: maxNodes x GPUs of the machine; a time-sliced pool counts its replicas', () => {
    const c = cluster([p5, l4Sliced]);
    new GpuQueue(c.chart, 'h100', { pools: [p5], teams: [c.vision], cpuPerGpu: '4', memoryPerGpu: '32Gi' });
    new GpuQueue(c.chart, 'l4', { pools: [l4Sliced], teams: [c.vision] });
    const objects = synthValid(c.chart);
    const h = ofKind(objects, 'ClusterQueue', 'h100')[0];
    expect(gpuQuota(h)).toEqual([['p5', 24]]);
    expect(cpuMemory(h)).toEqual({ cpu: '96', memory: '768Gi' });
    // g6.xlarge: 1 GPU x 4 replicas x 3 nodes
    expect(gpuQuota(ofKind(objects, 'ClusterQueue', 'l4')[0])).toEqual([['l4-sliced', 12]]);
    expect(l4Sliced.maxSchedulableGpus).toBe(12);
  });

  test('a quota below capacity, a cohort with borrowing and lending limits', () => {
    const { chart } = queue({ gpus: { 'h100': 8 }, cohort: 'onprem-gpus', borrowingLimit: 8, lendingLimit: 2 });
    const cq = ofKind(synthValid(chart), 'ClusterQueue', 'training')[0];
    expect(cq.spec.cohortName).toBe('onprem-gpus');
    expect(cq.spec.resourceGroups[0].flavors.map((f: Manifest) => f.resources[0])).toEqual([
      { name: 'nvidia.com/gpu', nominalQuota: 8, borrowingLimit: 8, lendingLimit: 2 },
      { name: 'nvidia.com/gpu', nominalQuota: 4, borrowingLimit: 8, lendingLimit: 2 },
    ]);
    expect(cq.spec.preemption).toEqual({ withinClusterQueue: 'LowerPriority', reclaimWithinCohort: 'Any' });
  });

  test('a LocalQueue of the queue\'s name in each team namespace', () => {
    const { chart } = queue({ name: 'gpus' });
    const objects = synthValid(chart);
    expect(ofKind(objects, 'ClusterQueue').map((q) => q.metadata.name)).toEqual(['gpus']);
    expect(ofKind(objects, 'LocalQueue').map((q) => [q.metadata.namespace, q.metadata.name, q.spec.clusterQueue])).toEqual([
      ['vision', 'gpus', 'gpus'], ['nlp', 'gpus', 'gpus'],
    ]);
  });

  test('two queues may share a pool up to its capacity', () => {
    const c = cluster();
    new GpuQueue(c.chart, 'a', { pools: [h100], teams: [c.vision], gpus: { h100: 10 } });
    new GpuQueue(c.chart, 'b', { pools: [h100], teams: [c.nlp], gpus: { h100: 6 } });
    const objects = synthValid(c.chart);
    expect(ofKind(objects, 'ResourceFlavor', 'h100')).toHaveLength(1);
    expect(gpuQuota(ofKind(objects, 'ClusterQueue', 'b')[0])).toEqual([['h100', 6]]);
  });

  test('declares the Kueue add-on', () => {
    const { q } = queue();
    expect(AddonRequirements.of(q).filter((r) => r.by === q).map((r) => r.requirement.addon.id)).toEqual(['kueue']);
  });

  describe('bad input names the field', () => {
    test('the cluster\'s queues give a pool more than its capacity (at synth)', () => {
      const c = cluster();
      new GpuQueue(c.chart, 'a', { pools: [h100], teams: [c.vision], gpus: { h100: 10 } });
      new GpuQueue(c.chart, 'b', { pools: [h100], teams: [c.nlp], gpus: { h100: 7 } });
      const e = expectValidationError(() => synthValid(c.chart), 'GpuQueueProps.gpus["h100"]', 'c/a');
      expect(e.message).toContain('at most its capacity, 16: c/a 10, c/b 7');
    });
    test('a quota above the pool\'s capacity (at construction)', () => {
      expect(expectValidationError(() => queue({ gpus: { h100: 17 } }), 'GpuQueueProps.gpus["h100"]', 'c/training').message).toContain('at most the pool\'s capacity, 16');
    });
    test('a quota for a pool that is not the queue\'s', () => {
      expectValidationError(() => queue({ gpus: { p5: 1 } }), 'GpuQueueProps.gpus["p5"]', 'c/training');
    });
    test('a pool without its GpuNodePool in the cluster (at synth)', () => {
      const c = cluster([h100]);
      new GpuQueue(c.chart, 'training', { pools: [h100, h100b], teams: [c.vision] });
      expect(expectValidationError(() => synthValid(c.chart), 'GpuQueueProps.pools[1]', 'c/training').message).toContain('no GpuNodePool of the cluster has it');
    });
    test('pools that advertise different resources', () => {
      const e = expectValidationError(() => queue({ pools: [h100, mig] }, [h100, mig]), 'GpuQueueProps.pools[1]', 'c/training');
      expect(e.message).toContain('nvidia.com/mig-1g.10gb');
    });
    test('borrowingLimit or lendingLimit without a cohort', () => {
      expectValidationError(() => queue({ borrowingLimit: 2 }), 'GpuQueueProps.borrowingLimit', 'c/training');
      expectValidationError(() => queue({ lendingLimit: 2 }), 'GpuQueueProps.lendingLimit', 'c/training');
    });
    test('a lendingLimit above the smallest quota', () => {
      expectValidationError(() => queue({ cohort: 'gpus', lendingLimit: 5 }), 'GpuQueueProps.lendingLimit', 'c/training');
    });
    test('no pool, no team, a pool twice, a bad name or cohort', () => {
      expectValidationError(() => queue({ pools: [] }), 'GpuQueueProps.pools', 'c/training');
      expectValidationError(() => queue({ teams: [] }), 'GpuQueueProps.teams', 'c/training');
      expectValidationError(() => queue({ pools: [h100, h100] }), 'GpuQueueProps.pools[1]', 'c/training');
      expectValidationError(() => queue({ name: 'GPUs' }), 'GpuQueueProps.name', 'c/training');
      expectValidationError(() => queue({ cohort: 'On Prem' }), 'GpuQueueProps.cohort', 'c/training');
    });
    test('a team whose quota grants no GPU (at synth): its ResourceQuota would refuse every admitted pod', () => {
      const c = cluster();
      const none = new TeamSpace(c.chart, 'ops', { name: 'ops' });
      new GpuQueue(c.chart, 'training', { pools: [h100], teams: [c.vision, none] });
      expect(expectValidationError(() => synthValid(c.chart), 'GpuQueueProps.teams[1]', 'c/training').message).toContain('namespace ops allows 0');
      // an imported namespace has no known quota: not checked
      const d = cluster();
      new GpuQueue(d.chart, 'training', { pools: [h100], teams: [TeamSpace.fromNamespace(d.chart, 'shared', 'shared')] });
      expect(() => Testing.synth(d.chart)).not.toThrow();
    });
    test('two queues of one name in a cluster (at synth)', () => {
      const c = cluster();
      new GpuQueue(c.chart, 'a', { name: 'gpus', pools: [h100], teams: [c.vision], gpus: { h100: 1 } });
      new GpuQueue(c.chart, 'b', { name: 'gpus', pools: [h100b], teams: [c.nlp] });
      expectValidationError(() => Testing.synth(c.chart), 'GpuQueueProps.name', 'c/a');
    });
  });
});
