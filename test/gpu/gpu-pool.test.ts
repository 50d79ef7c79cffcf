import { CapacityType, EksProvisioning, GpuCloud, GpuPool, GpuSharing, GpuSharingMode, GpuType } from '../../lib';
import { expectValidationError } from '../helpers/errors';
import { ValidationError } from '../../lib/core/errors';

const eks = (props: Partial<Parameters<typeof GpuPool.eks>[0]> = {}) =>
  GpuPool.eks({ name: 'pool', gpuType: GpuType.A10G, clusterName: 'ml-eks', ...props });
const gke = (props: Partial<Parameters<typeof GpuPool.gke>[0]> = {}) => GpuPool.gke({ name: 'pool', gpuType: GpuType.L4, ...props });

describe('GpuType catalog', () => {
  test('has the six GPU types with their memory and product labels', () => {
    expect(GpuType.all().map((t) => [t.id, t.memoryGiB, t.productLabel])).toEqual([
      ['t4', 16, 'Tesla-T4'], ['l4', 24, 'NVIDIA-L4'], ['a10g', 24, 'NVIDIA-A10G'],
      ['a100-40gb', 40, 'NVIDIA-A100-SXM4-40GB'], ['a100-80gb', 80, 'NVIDIA-A100-SXM4-80GB'], ['h100-80gb', 80, 'NVIDIA-H100-80GB-HBM3'],
    ]);
  });

  const eksTable: Array<[GpuType, string, number]> = [
    [GpuType.T4, 'g4dn.xlarge', 1], [GpuType.L4, 'g6.xlarge', 1], [GpuType.A10G, 'g5.xlarge', 1],
    [GpuType.A100_40GB, 'p4d.24xlarge', 8], [GpuType.A100_80GB, 'p4de.24xlarge', 8], [GpuType.H100_80GB, 'p5.48xlarge', 8],
  ];
  test.each(eksTable.map(([t, ...rest]) => [t.id, ...rest, t] as const))('EKS: %s defaults to %s with %d GPUs', (_id, instance, gpus, type) => {
    const pool = eks({ gpuType: type });
    expect([pool.machineType, pool.gpusPerNode]).toEqual([instance, gpus]);
  });

  const gkeTable: Array<[GpuType, string, string, number]> = [
    [GpuType.T4, 'nvidia-tesla-t4', 'n1-standard-4', 1], [GpuType.L4, 'nvidia-l4', 'g2-standard-4', 1],
    [GpuType.A100_40GB, 'nvidia-tesla-a100', 'a2-highgpu-1g', 1], [GpuType.A100_80GB, 'nvidia-a100-80gb', 'a2-ultragpu-1g', 1],
    [GpuType.H100_80GB, 'nvidia-h100-80gb', 'a3-highgpu-8g', 8],
  ];
  test.each(gkeTable.map(([t, ...rest]) => [t.id, ...rest, t] as const))('GKE: %s is %s on %s with %d GPUs', (_id, accelerator, machine, gpus, type) => {
    const pool = gke({ gpuType: type });
    expect([pool.gpuType.gke!.acceleratorType, pool.machineType, pool.gpusPerNode]).toEqual([accelerator, machine, gpus]);
  });

  test('a bigger machine type brings more GPUs per node', () => {
    expect(eks({ instanceType: 'g5.12xlarge' }).gpusPerNode).toBe(4);
    expect(gke({ machineType: 'g2-standard-48' }).gpusPerNode).toBe(4);
    expect(gke({ gpuType: GpuType.T4, machineType: 'n1-standard-16', gpusPerNode: 4 }).gpusPerNode).toBe(4);
  });

  test('A10G on GKE throws, listing the GPU types GKE offers', () => {
    expect(() => gke({ gpuType: GpuType.A10G })).toThrow(ValidationError);
    expect(() => gke({ gpuType: GpuType.A10G })).toThrow(
      /GkeGpuPoolProps.gpuType: "a10g" is invalid: NVIDIA A10G is not offered on GKE; GPU types on GKE: t4, l4, a100-40gb, a100-80gb, h100-80gb/);
  });

  test('an instance type of another GPU throws, listing the right ones', () => {
    expect(() => eks({ instanceType: 'p4d.24xlarge' })).toThrow(/EksGpuPoolProps.gpuType.instanceType: "p4d.24xlarge" is invalid: expected one of the EC2 instance types with NVIDIA A10G: g5.xlarge/);
    expect(() => gke({ machineType: 'a2-highgpu-1g' })).toThrow(/GkeGpuPoolProps.gpuType.machineType: "a2-highgpu-1g"/);
  });
});

describe('GpuSharing', () => {
  test('exclusive by default', () => {
    const pool = eks();
    expect(pool.sharing.mode).toBe(GpuSharingMode.EXCLUSIVE);
    expect(pool.resourceName).toBe('nvidia.com/gpu');
    expect(pool.schedulableGpusPerNode).toBe(1);
  });

  test('time-slicing multiplies schedulable GPUs', () => {
    const pool = GpuPool.onPrem({ name: 'a100', gpuType: GpuType.A100_80GB, gpusPerNode: 8, nodes: 2, sharing: GpuSharing.timeSlicing(4) });
    expect(pool.schedulableGpusPerNode).toBe(32);
    expect(pool.resourceName).toBe('nvidia.com/gpu');
  });

  test('MIG: a mixed-strategy resource outside GKE, nvidia.com/gpu on GKE, slices per GPU by profile', () => {
    const onprem = GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 1, sharing: GpuSharing.mig('1g.10gb') });
    expect(onprem.resourceName).toBe('nvidia.com/mig-1g.10gb');
    expect(onprem.schedulableGpusPerNode).toBe(56);
    expect(onprem.nodeLabels['nvidia.com/mig.config']).toBe('all-1g.10gb');
    const onGke = gke({ gpuType: GpuType.A100_40GB, sharing: GpuSharing.mig('3g.20gb') });
    expect(onGke.resourceName).toBe('nvidia.com/gpu');
    expect(onGke.schedulableGpusPerNode).toBe(2);
    expect(onGke.nodeLabels['nvidia.com/mig.config']).toBeUndefined();
  });

  test.each([
    [GpuType.A100_40GB, '1g.5gb', 7], [GpuType.A100_40GB, '1g.10gb', 4], [GpuType.A100_40GB, '2g.10gb', 3], [GpuType.A100_40GB, '3g.20gb', 2],
    [GpuType.A100_40GB, '4g.20gb', 1], [GpuType.A100_40GB, '7g.40gb', 1], [GpuType.A100_80GB, '1g.10gb', 7], [GpuType.H100_80GB, '1g.20gb', 4],
    [GpuType.H100_80GB, '2g.20gb', 3], [GpuType.H100_80GB, '3g.40gb', 2], [GpuType.H100_80GB, '7g.80gb', 1],
  ].map(([t, profile, slices]) => [(t as GpuType).id, profile, slices, t] as [string, string, number, GpuType]))('MIG %s %s: %d slices per GPU', (_id, profile, slices, type) => {
    expect(GpuSharing.mig(profile).unitsPerGpu(type)).toBe(slices);
  });

  test.each([GpuType.T4, GpuType.L4, GpuType.A10G].map((t) => [t.id, t]))('MIG on %s throws', (_id, type) => {
    expect(() => GpuPool.onPrem({ name: 'p', gpuType: type, gpusPerNode: 1, nodes: 1, sharing: GpuSharing.mig('1g.5gb') }))
      .toThrow(/GpuPool.sharing.migProfile: "1g.5gb" is invalid: .* has no MIG; MIG is available on a100-40gb, a100-80gb, h100-80gb/);
  });

  test('a MIG profile of another GPU throws, listing the GPU\'s profiles', () => {
    expect(() => GpuPool.onPrem({ name: 'p', gpuType: GpuType.A100_40GB, gpusPerNode: 1, nodes: 1, sharing: GpuSharing.mig('1g.10gb+me') }))
      .toThrow(/GpuPool.sharing.migProfile: "1g.10gb\+me" is invalid: expected a MIG profile of the NVIDIA A100 40GB: 1g.5gb, 1g.10gb/);
  });

  test.each([[GpuType.A100_40GB, '4g.20gb'], [GpuType.A100_40GB, '1g.10gb'], [GpuType.H100_80GB, '4g.40gb']].map(([t, p]) => [p, t] as [string, GpuType]))(
    'GKE does not offer MIG profile %s on this GPU', (profile, gpuType) => {
      expect(() => gke({ gpuType, sharing: GpuSharing.mig(profile) })).toThrow(
        new RegExp(`GkeGpuPoolProps.sharing.migProfile: "${profile}" is invalid: expected a GPU partition size GKE offers for the ${gpuType.displayName}`));
      expect(GpuPool.onPrem({ name: 'p', gpuType, gpusPerNode: 1, nodes: 1, sharing: GpuSharing.mig(profile) }).sharing.migProfile).toBe(profile);
    });

  test.each([0, 1, 49, 2.5])('time-slicing with %d replicas throws', (replicas) => {
    expect(() => eks({ sharing: GpuSharing.timeSlicing(replicas) })).toThrow(/GpuSharing.timeSlicing.replicas: .* expected an integer from 2 to 48/);
  });
});

describe('GpuPool', () => {
  test('EKS defaults: on-demand managed node group, 0 to 4 nodes', () => {
    const pool = eks();
    expect([pool.cloud, pool.capacityType, pool.provisioning, pool.minNodes, pool.maxNodes, pool.maxGpus])
      .toEqual([GpuCloud.AWS, CapacityType.ON_DEMAND, EksProvisioning.MANAGED_NODE_GROUP, 0, 4, 4]);
  });

  test('GKE spot', () => {
    expect(gke({ spot: true }).capacityType).toBe(CapacityType.SPOT);
  });

  test('labels and taint: the contract of the pool', () => {
    expect(eks().nodeLabels).toEqual({ 'ai-platform/gpu-pool': 'pool', 'ai-platform/gpu-type': 'a10g', 'k8s.amazonaws.com/accelerator': 'nvidia-a10g' });
    expect(eks().taints).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }]);
  });

  test('extra taints (a dedicated pool) are on the nodes and tolerated by schedule(); none leaves the nodes open', () => {
    const dedicated = { key: 'dedicated', value: 'vision', effect: 'NoSchedule' };
    const pool = eks({ taints: [GpuPool.GPU_TAINT, dedicated] });
    expect(pool.taints).toEqual([GpuPool.GPU_TAINT, dedicated]);
    expect(pool.schedule(1).tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' },
      { key: 'dedicated', operator: 'Equal', value: 'vision', effect: 'NoSchedule' },
    ]);
    expect(eks({ taints: [] }).schedule(1).tolerations).toEqual([]);
  });

  describe('schedule()', () => {
    test('returns limits, selector, toleration of the taint and, on-prem, the runtime class', () => {
      const pool = GpuPool.onPrem({ name: 'a100', gpuType: GpuType.A100_80GB, gpusPerNode: 8, nodes: 2 });
      expect(pool.schedule(4)).toEqual({
        pool,
        limits: { 'nvidia.com/gpu': 4 },
        nodeSelector: { 'ai-platform/gpu-pool': 'a100' },
        tolerations: [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }],
        runtimeClassName: 'nvidia',
      });
      expect(eks().schedule(1).runtimeClassName).toBeUndefined();
    });

    test('an on-prem pool whose containerd runs NVIDIA\'s runtime by default names no runtime class', () => {
      const pool = GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 2, nvidiaDefaultRuntime: true });
      expect(pool.runtimeClassName).toBeUndefined();
      expect(pool.schedule(2).runtimeClassName).toBeUndefined();
      expectValidationError(() => GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 2, nvidiaDefaultRuntime: 'yes' as unknown as boolean }),
        'OnPremGpuPoolProps.nvidiaDefaultRuntime', 'gpu-pool/h100');
    });

    test('MIG on GKE also selects the partition size', () => {
      expect(gke({ gpuType: GpuType.A100_40GB, sharing: GpuSharing.mig('1g.5gb') }).schedule(1).nodeSelector)
        .toEqual({ 'ai-platform/gpu-pool': 'pool', 'cloud.google.com/gke-gpu-partition-size': '1g.5gb' });
    });

    test('more GPUs per pod than a node has throws, naming the field', () => {
      expect(() => eks().schedule(2, 'Workbench.gpu.count')).toThrow(
        /\[gpu-pool\/pool\] Workbench.gpu.count: 2 is invalid: expected at most 1: a node of pool "pool" has 1 nvidia.com\/gpu/);
    });

    test.each([0, -1, 1.5])('count %d throws', (count) => {
      expect(() => eks().schedule(count)).toThrow(/gpu.count: .* expected an integer >= 1/);
    });

    test('a time-sliced pool gives one share per pod', () => {
      const pool = eks({ sharing: GpuSharing.timeSlicing(4) });
      expect(pool.schedule(1).limits).toEqual({ 'nvidia.com/gpu': 1 });
      expect(() => pool.schedule(2)).toThrow(/gpu.count: 2 is invalid: expected 1 on a time-sliced pool/);
    });
  });

  describe('bad input names the field', () => {
    test.each([
      [() => eks({ name: 'Big_Pool' }), /GpuPool.name: "Big_Pool"/],
      [() => eks({ clusterName: 'ML' }), /EksGpuPoolProps.clusterName: "ML"/],
      [() => eks({ minNodes: -1 }), /EksGpuPoolProps.minNodes: -1 is invalid: expected an integer >= 0/],
      [() => eks({ maxNodes: 0 }), /EksGpuPoolProps.maxNodes: 0 is invalid: expected an integer >= 1/],
      [() => eks({ minNodes: 5, maxNodes: 2 }), /EksGpuPoolProps.minNodes: 5 is invalid: expected at most maxNodes \(2\)/],
      [() => gke({ minNodes: 3, maxNodes: 1 }), /GkeGpuPoolProps.minNodes: 3/],
      [() => gke({ gpusPerNode: 2 }), /GkeGpuPoolProps.gpusPerNode: 2 is invalid: expected one of 1 for g2-standard-4/],
      [() => gke({ gpuType: GpuType.T4, gpusPerNode: 3 }), /GkeGpuPoolProps.gpusPerNode: 3 is invalid: expected one of 1, 2, 4/],
      [() => GpuPool.onPrem({ name: 'p', gpuType: GpuType.T4, gpusPerNode: 0, nodes: 1 }), /OnPremGpuPoolProps.gpusPerNode: 0/],
      [() => GpuPool.onPrem({ name: 'p', gpuType: GpuType.T4, gpusPerNode: 1, nodes: -3 }), /OnPremGpuPoolProps.nodes: -3/],
      [() => GpuPool.onPrem({ name: 'p', gpuType: undefined as unknown as GpuType, gpusPerNode: 1, nodes: 1 }), /GpuPool.gpuType/],
      [() => eks({ taints: [{ key: 'bad key', value: 'x', effect: 'NoSchedule' }] }), /GpuPoolBaseProps.taints\[0\].key: "bad key"/],
      [() => eks({ taints: [{ key: 'team', value: 'a b', effect: 'NoSchedule' }] }), /GpuPoolBaseProps.taints\[0\].value: "a b"/],
      [() => eks({ taints: [{ key: 'team', value: 'a', effect: 'NoScheduleAtAll' }] }), /GpuPoolBaseProps.taints\[0\].effect: "NoScheduleAtAll" is invalid: expected one of NoSchedule, PreferNoSchedule, NoExecute/],
      [() => eks({ taints: [GpuPool.GPU_TAINT, GpuPool.GPU_TAINT] }), /GpuPoolBaseProps.taints\[1\]: "nvidia.com\/gpu:NoSchedule" .* one taint per key and effect/],
      [() => gke({ taints: [] }), /GpuPoolBaseProps.taints: \[\] is invalid: expected the nvidia.com\/gpu=present:NoSchedule taint among them/],
    ])('%#', (make, message) => {
      expect(make).toThrow(ValidationError);
      expect(make).toThrow(message);
    });
  });
});

describe('bad input from plain JavaScript or configuration files names the field (issue 7)', () => {
  const any = (v: unknown) => v as never;
  /** Outside a construct (no path): a ValidationError on `field`, its message starting with the field. */
  const expectFieldError = (fn: () => unknown, field: string): ValidationError => expectValidationError(fn, field, '');

  test.each([
    ['onPrem', () => GpuPool.onPrem({ name: 'p', gpuType: any(undefined), gpusPerNode: 1, nodes: 1 }), 'GpuPool.gpuType'],
    ['eks', () => eks({ gpuType: any(undefined) }), 'EksGpuPoolProps.gpuType'],
    ['gke', () => gke({ gpuType: any(undefined) }), 'GkeGpuPoolProps.gpuType'],
    ['eks with an id string', () => eks({ gpuType: any('a10g') }), 'EksGpuPoolProps.gpuType'],
    ['gke with a plain object', () => gke({ gpuType: any({ id: 'l4' }) }), 'GkeGpuPoolProps.gpuType'],
  ])('an undefined or wrong-kind GPU type (%s) is a ValidationError, never a TypeError', (_what, fn, field) => {
    expectValidationError(fn, field, _what === 'onPrem' ? 'gpu-pool/p' : 'gpu-pool/pool');
  });

  test('props that are not an object', () => {
    expectValidationError(() => GpuPool.eks(any(undefined)), 'EksGpuPoolProps', 'gpu-pool');
    expectValidationError(() => GpuPool.gke(any('l4')), 'GkeGpuPoolProps', 'gpu-pool');
    expectValidationError(() => GpuPool.onPrem(any(null)), 'OnPremGpuPoolProps', 'gpu-pool');
  });

  test('a plain object instead of a GpuSharing', () => {
    const e = expectValidationError(() => eks({ sharing: any({ mode: 'mig', migProfile: '1g.10gb', replicas: 1 }) }), 'GpuPool.sharing', 'gpu-pool/pool');
    expect(e.message).toMatch(/GpuSharing.exclusive\(\), GpuSharing.timeSlicing\(n\) or GpuSharing.mig\(profile\)/);
  });

  test('GpuSharing factories check the kinds of their arguments', () => {
    expectFieldError(() => GpuSharing.timeSlicing(any('4')), 'GpuSharing.timeSlicing.replicas');
    expectFieldError(() => GpuSharing.mig(any(undefined)), 'GpuSharing.mig.profile');
    expectValidationError(() => GpuSharing.check('x', 'f', any({})), 'f', 'x');
  });

  test('a string where a list of taints goes', () => {
    expectValidationError(() => eks({ taints: any('nvidia.com/gpu=present:NoSchedule') }), 'GpuPoolBaseProps.taints', 'gpu-pool/pool');
    expectValidationError(() => eks({ taints: any([null]) }), 'GpuPoolBaseProps.taints[0]', 'gpu-pool/pool');
  });

  test.each([['Spot'], ['SPOT'], ['preemptible']])('capacity type %j is refused: it never silently becomes on-demand', (capacityType) => {
    expectValidationError(() => eks({ capacityType: any(capacityType) }), 'EksGpuPoolProps.capacityType', 'gpu-pool/pool');
  });

  test.each([['Karpenter'], ['managed']])('provisioning %j is refused', (provisioning) => {
    expectValidationError(() => eks({ provisioning: any(provisioning) }), 'EksGpuPoolProps.provisioning', 'gpu-pool/pool');
  });

  test('instance type and machine type of the wrong kind', () => {
    expectValidationError(() => eks({ instanceType: any(5) }), 'EksGpuPoolProps.gpuType.instanceType', 'gpu-pool/pool');
    expectValidationError(() => gke({ machineType: any(['g2-standard-4']) }), 'GkeGpuPoolProps.gpuType.machineType', 'gpu-pool/pool');
  });

  test('spot that is not a boolean', () => {
    expectValidationError(() => gke({ spot: any('yes') }), 'GkeGpuPoolProps.spot', 'gpu-pool/pool');
  });

  test('GKE zones: a list of distinct zone names', () => {
    expectValidationError(() => gke({ zones: any('europe-west4-a') }), 'GkeGpuPoolProps.zones', 'gpu-pool/pool');
    expectValidationError(() => gke({ zones: ['europe-west4-a', 'europe-west4-a'] }), 'GkeGpuPoolProps.zones[1]', 'gpu-pool/pool');
    expectValidationError(() => gke({ zones: [any(4)] }), 'GkeGpuPoolProps.zones[0]', 'gpu-pool/pool');
    expect(gke({ zones: ['europe-west4-a', 'europe-west4-b'] }).zones).toEqual(['europe-west4-a', 'europe-west4-b']);
    expect(gke({ zones: [] }).zones).toBeUndefined();
  });

  test('GpuType lookups: by id from a configuration file, or a ValidationError listing the ids', () => {
    expect(GpuType.fromId('a100-80gb')).toBe(GpuType.A100_80GB);
    expect(expectFieldError(() => GpuType.fromId('a100'), 'gpuType').message).toMatch(/t4, l4, a10g, a100-40gb, a100-80gb, h100-80gb/);
    expect(expectValidationError(() => GpuType.check('p', 'f', any('l4')), 'f', 'p').message).toMatch(/GpuType.fromId\("l4"\)/);
    expectValidationError(() => GpuType.A100_80GB.validateMigProfile('p', 'f', any(7)), 'f', 'p');
  });
});

describe('taints are checked with the rules of every place they go (issue 7)', () => {
  const taint = (key: string, value = 'x', effect = 'NoSchedule') => ({ key, value, effect });
  const onPrem = (taints: unknown) => GpuPool.onPrem({ name: 'p', gpuType: GpuType.T4, gpusPerNode: 1, nodes: 1, taints: taints as never });
  const karpenter = (taints: unknown) => eks({ provisioning: EksProvisioning.KARPENTER, taints: taints as never });

  test.each(['a/b/c', 'example.com/team/x', '/team', 'example.com/', 'Example.com/team', 'team-'])('key %j is not a qualified name', (key) => {
    expectValidationError(() => onPrem([taint(key)]), 'GpuPoolBaseProps.taints[0].key', 'gpu-pool/p');
  });

  test('a key past EKS\'s 63 characters is refused on a managed node group only', () => {
    const key = `example.com/${'k'.repeat(60)}`;
    expectValidationError(() => eks({ taints: [taint(key)] }), 'GpuPoolBaseProps.taints[0].key', 'gpu-pool/pool');
    expect(onPrem([taint(key)]).taints[0].key).toBe(key);
    expect(karpenter([taint(key)]).taints[0].key).toBe(key);
  });

  test('an empty value: fine for Kubernetes, refused on Karpenter (its NodePool CRD requires one)', () => {
    expect(onPrem([taint('dedicated', '')]).taints[0].value).toBe('');
    expectValidationError(() => karpenter([taint('dedicated', '')]), 'GpuPoolBaseProps.taints[0].value', 'gpu-pool/pool');
  });

  test('one taint per key on a managed node group (the Cluster Autoscaler tag of a key holds one value:effect)', () => {
    const twice = [taint('dedicated', 'a', 'NoSchedule'), taint('dedicated', 'a', 'NoExecute')];
    expectValidationError(() => eks({ taints: twice }), 'GpuPoolBaseProps.taints[1].key', 'gpu-pool/pool');
    expect(karpenter(twice).taints).toHaveLength(2);
  });

  test('at most 50 taints on a managed node group', () => {
    const many = Array.from({ length: 51 }, (_, i) => taint(`t${i}`));
    expectValidationError(() => eks({ taints: many }), 'GpuPoolBaseProps.taints', 'gpu-pool/pool');
    expect(onPrem(many).taints).toHaveLength(51);
  });

  test.each(['NoSchedulex', 'NO_SCHEDULE', undefined])('effect %j names the field', (effect) => {
    expectValidationError(() => onPrem([{ key: 'k', value: 'v', effect }]), 'GpuPoolBaseProps.taints[0].effect', 'gpu-pool/p');
  });
});

describe('MIG on a Karpenter pool (issue 7, defect 12)', () => {
  test('is refused: Karpenter does not model nvidia.com/mig-* (kubernetes-sigs/karpenter#751)', () => {
    const e = expectValidationError(() => GpuPool.eks({
      name: 'h100', gpuType: GpuType.H100_80GB, clusterName: 'ml-eks', provisioning: EksProvisioning.KARPENTER, sharing: GpuSharing.mig('1g.10gb'),
    }), 'EksGpuPoolProps.sharing', 'gpu-pool/h100');
    expect(e.message).toMatch(/karpenter#751/);
  });

  test('time-slicing on Karpenter and MIG on a managed node group stay possible', () => {
    expect(GpuPool.eks({ name: 'l4', gpuType: GpuType.L4, clusterName: 'ml-eks', provisioning: EksProvisioning.KARPENTER, sharing: GpuSharing.timeSlicing(4) }).sharing.replicas).toBe(4);
    expect(GpuPool.eks({ name: 'h100', gpuType: GpuType.H100_80GB, clusterName: 'ml-eks', sharing: GpuSharing.mig('1g.10gb') }).resourceName).toBe('nvidia.com/mig-1g.10gb');
  });
});

describe('the Cluster Autoscaler accelerator label (issue 7, defect 10)', () => {
  test('every GPU type on EKS has its label value in the catalog, a valid label value', () => {
    for (const type of GpuType.onEks()) expect(type.eksAccelerator).toMatch(/^nvidia-[a-z0-9-]+$/);
    expect(GpuType.T4.eksAccelerator).toBe('nvidia-tesla-t4');
  });

  test('managed node group pools carry it; Karpenter, GKE and on-prem pools do not', () => {
    expect(eks({ gpuType: GpuType.H100_80GB }).nodeLabels[GpuPool.EKS_ACCELERATOR_LABEL]).toBe(GpuType.H100_80GB.eksAccelerator);
    expect(eks({ provisioning: EksProvisioning.KARPENTER }).nodeLabels[GpuPool.EKS_ACCELERATOR_LABEL]).toBeUndefined();
    expect(gke().nodeLabels[GpuPool.EKS_ACCELERATOR_LABEL]).toBeUndefined();
  });
});
