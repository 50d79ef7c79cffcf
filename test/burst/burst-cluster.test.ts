import { BurstCluster, GpuPool, GpuSharing, GpuType, KueueIntegration, PriceTable } from '../../lib';
import { expectValidationError } from '../helpers/errors';
import { burst, burstProps, pools } from './fixtures';

const AT = 'burst-cluster';

describe('BurstCluster: the cost-aware order', () => {
  test('on-prem first, then the clouds by the cost of the reference job (1 x 1 GPU by default)', () => {
    const b = burst();
    // H100: p5.48xlarge $55.04/h, a3-highgpu-8g $88.25/h (our price)
    expect(b.order('h100')).toEqual(['onprem', 'aws', 'gcp']);
    // A100 40GB, one GPU: a2-highgpu-2g $7.35/h beats p4d.24xlarge $21.96/h
    expect(b.order('a100')).toEqual(['onprem', 'gcp', 'aws']);
  });

  test('the order follows the reference request: one pod of 8 A100s does not fit an a2-highgpu-2g, so AWS goes first', () => {
    const eight = burst({ classes: [{ name: 'a100', gpuType: GpuType.A100_40GB, reference: { gpusPerPod: 8, pods: 1 } }] });
    expect(eight.order('a100')).toEqual(['onprem', 'aws', 'gcp']);
    expect(eight.estimate('a100').map((e) => [e.cluster, e.fits])).toEqual([['onprem', false], ['aws', true], ['gcp', false]]);
    // the same class ranked for another request by estimate()
    expect(eight.estimate('a100', { gpusPerPod: 1, pods: 1 }).map((e) => e.cluster)).toEqual(['onprem', 'gcp', 'aws']);
  });

  test('a request needing more nodes than a pool\'s maxNodes ranks last, even when it would be cheaper', () => {
    // 10 pods x 1 GPU: 5 a2-highgpu-2g ($36.73/h) but the pool has 4 nodes; 2 p4d.24xlarge ($43.92/h) fit
    const est = burst().estimate('a100', { gpusPerPod: 1, pods: 10 });
    expect(est.map((e) => e.cluster)).toEqual(['onprem', 'aws', 'gcp']);
    const gcp = est.find((e) => e.cluster === 'gcp')!;
    // nodes and price describe the same thing: what it would need, and no cost for what cannot run
    expect(gcp).toMatchObject({ fits: false, nodes: 5, dollarsPerHour: undefined });
    expect(gcp.reason).toBe('10 x 1 NVIDIA A100 40GB does not fit pool a2 (4 nodes of 2 GPUs; it needs 5): tried last');
  });

  test('estimate(): the pool, nodes, dollars per hour, the price\'s date and source, and why', () => {
    const [onprem, aws, gcp] = burst().estimate('a100', { gpusPerPod: 1, pods: 10 });
    expect(onprem).toMatchObject({ cluster: 'onprem', cloud: 'onprem', pool: 'a100', dollarsPerHour: undefined, priceDate: undefined });
    expect(aws).toMatchObject({
      cluster: 'aws', cloud: 'aws', pool: 'p4d', machineType: 'p4d.24xlarge', capacityType: 'on-demand', nodes: 2, fits: true, dollarsPerHour: 43.915284, priceDate: '2026-07-06',
    });
    expect(aws.priceSource).toContain('karpenter-provider-aws v1.14.1');
    expect(aws.reason).toBe('10 x 1 NVIDIA A100 40GB on 2 x p4d.24xlarge (on-demand) at $21.957642/h = $43.9153/h (us-east-1, 2026-07-06)');
    expect(gcp.priceDate).toBe('2025-10-28');
    const [first] = burst().estimate('h100');
    expect(first).toMatchObject({ cluster: 'onprem', nodes: 1, fits: true, reason: 'on-prem: 1 x 1 NVIDIA H100 80GB on 1 node(s) of pool h100, already paid for' });
  });

  test('a class limited to some workers; on-prem workers in the order given', () => {
    const onprem2 = GpuPool.onPrem({ name: 'h100-dc2', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 1, nvidiaDefaultRuntime: true });
    const props = burstProps();
    const b = new BurstCluster({
      ...props,
      workers: [...props.workers, { name: 'dc2', pools: [onprem2] }],
      classes: [{ name: 'h100', gpuType: GpuType.H100_80GB, workers: ['gcp', 'dc2', 'onprem'] }],
    });
    expect(b.order('h100')).toEqual(['dc2', 'onprem', 'gcp']);
    expect(b.classesOf('aws')).toEqual([]);
    expect(b.classesOf('dc2')).toEqual(['h100']);
  });

  test('quotas: a worker\'s is its pools\' capacity of the class\'s type; the manager\'s is the sum of the workers\'', () => {
    const b = burst();
    expect(['onprem', 'aws', 'gcp'].map((w) => b.gpusOf('a100', w))).toEqual([4, 16, 8]);
    expect(b.managerGpus('a100')).toBe(28);
    expect(['onprem', 'aws', 'gcp'].map((w) => b.gpusOf('h100', w))).toEqual([16, 16, 8]);
    expect(b.managerGpus('h100')).toBe(40);
    // the smallest node of the class's pools: a2-highgpu-2g
    expect(b.maxGpusPerPod('a100')).toBe(2);
    expect(b.poolsOf('a100', 'aws')).toEqual([pools.p4d]);
  });

  test('names: the queue is the class; <class>-burst in the fallback topology; the kubeconfig Secret per worker', () => {
    expect(burst().queueName('h100')).toBe('h100');
    expect(burst({ managerPools: [pools.onpremH100] }).queueName('h100')).toBe('h100-burst');
    expect(burst().kubeconfigSecretName('aws')).toBe('multikueue-aws');
    expect(burst().stepSize).toBe(1);
    expect(burst().jobIntegrations).toEqual([KueueIntegration.TF_JOB]);
  });

  describe('bad input names the field', () => {
    const bad = (props: Parameters<typeof burstProps>[0]) => () => burst(props);
    test('a class\'s worker without a pool of its GPU type', () => {
      const onlyH100 = { name: 'onprem', pools: [pools.onpremH100] };
      const e = expectValidationError(bad({ workers: [onlyH100, { name: 'aws', pools: [pools.p4d] }], classes: [{ name: 'a100', gpuType: GpuType.A100_40GB, workers: ['aws', 'onprem'] }] }),
        'BurstClusterProps.classes[0].workers[1]', AT);
      expect(e.message).toContain('h100 (h100-80gb)');
    });
    test('a class worker that is no worker of the burst', () => {
      expectValidationError(bad({ classes: [{ name: 'h100', gpuType: GpuType.H100_80GB, workers: ['azure'] }] }), 'BurstClusterProps.classes[0].workers[0]', AT);
    });
    test('a class whose GPU type no worker has', () => {
      expect(expectValidationError(bad({ classes: [{ name: 'l4', gpuType: GpuType.L4 }] }), 'BurstClusterProps.classes[0].gpuType', AT).message).toContain('NVIDIA L4');
    });
    test('two clusters of one name', () => {
      expectValidationError(bad({ workers: [{ name: 'aws', pools: [pools.p5] }, { name: 'aws', pools: [pools.p4d] }] }), 'BurstClusterProps.workers[1].name', AT);
    });
    test('the manager as one of its workers', () => {
      expect(expectValidationError(bad({ manager: 'onprem' }), 'BurstClusterProps.workers[0].name', AT).message).toContain('managerPools');
    });
    test('a cloud pool without a price names the GPU type and the cloud', () => {
      const e = expectValidationError(bad({ prices: PriceTable.seed() }), 'BurstClusterProps.prices', AT);
      expect(e.message).toContain('NVIDIA H100 80GB on gcp');
    });
    test('a time-sliced pool in a class', () => {
      const sliced = GpuPool.eks({ name: 'p5-sliced', gpuType: GpuType.H100_80GB, clusterName: 'aws', sharing: GpuSharing.timeSlicing(2) });
      const e = expectValidationError(bad({ workers: [{ name: 'aws', pools: [sliced] }], classes: [{ name: 'h100', gpuType: GpuType.H100_80GB }] }), 'BurstClusterProps.classes[0].gpuType', AT);
      expect(e.message).toContain('aws/p5-sliced');
    });
    test('an on-prem pool that needs the nvidia runtime class', () => {
      const runtime = GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 2 });
      const e = expectValidationError(bad({ workers: [{ name: 'onprem', pools: [runtime] }], classes: [{ name: 'h100', gpuType: GpuType.H100_80GB }] }), 'BurstClusterProps.classes[0].gpuType', AT);
      expect(e.message).toContain('nvidiaDefaultRuntime: true');
      // the manager's own pools too (fallback topology)
      expectValidationError(bad({ managerPools: [runtime] }), 'BurstClusterProps.managerPools', AT);
    });
    test('a batch/job integration (MultiKueue cannot dispatch it on the 1.28 API)', () => {
      expect(expectValidationError(bad({ jobIntegrations: [KueueIntegration.BATCH_JOB] }), 'BurstClusterProps.jobIntegrations[0]', AT).message).toContain('spec.managedBy');
    });
    test('more than 20 workers, or none', () => {
      const many = Array.from({ length: 21 }, (_, i) => ({ name: `w${i}`, pools: [pools.onpremH100] }));
      expectValidationError(bad({ workers: many, classes: [{ name: 'h100', gpuType: GpuType.H100_80GB }] }), 'BurstClusterProps.workers', AT);
      expectValidationError(bad({ workers: [] }), 'BurstClusterProps.workers', AT);
      const twenty = many.slice(0, 20);
      expect(burst({ workers: twenty, classes: [{ name: 'h100', gpuType: GpuType.H100_80GB }] }).order('h100')).toHaveLength(20);
    });
    test('a priority without a name: the manager and every worker create it under its name', () => {
      expectValidationError(bad({ priorities: [{ value: 1 }] }), 'BurstClusterProps.priorities[0].name', AT);
    });
    test('a team twice; a priority twice; a class twice', () => {
      expectValidationError(bad({ teams: ['vision', 'vision'] }), 'BurstClusterProps.teams[1]', AT);
      expectValidationError(bad({ priorities: [{ name: 'a', value: 1 }, { name: 'a', value: 2 }] }), 'BurstClusterProps.priorities[1]', AT);
      expectValidationError(bad({ classes: [{ name: 'h100', gpuType: GpuType.H100_80GB }, { name: 'h100', gpuType: GpuType.A100_40GB }] }), 'BurstClusterProps.classes[1].name', AT);
    });
    test('pools of two clouds in one worker; a step size of 0', () => {
      expectValidationError(bad({ workers: [{ name: 'mixed', pools: [pools.p5, pools.a3] }] }), 'BurstClusterProps.workers[0].pools[1]', AT);
      expectValidationError(bad({ stepSize: 0 }), 'BurstClusterProps.stepSize', AT);
    });
    test('a request of no pod', () => {
      expectValidationError(() => burst().estimate('h100', { gpusPerPod: 1, pods: 0 }), 'BurstCluster.estimate.request.pods', AT);
    });
  });
});
