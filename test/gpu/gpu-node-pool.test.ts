import { expectValidationError } from '../helpers/errors';
import { Chart, Testing } from 'cdk8s';
import {
  AmiAliases, CapacityType, EksProvisioning, GpuNodePool, GpuNodePoolProps, GpuPool, GpuSharing, GpuType, KarpenterConsolidation,
} from '../../lib';
import { ValidationError } from '../../lib/core/errors';
import { Manifest, ofKind, synthValid, testChart } from '../helpers/manifests';
import { podProblems } from '../helpers/pod-security';

const a100 = GpuPool.onPrem({ name: 'a100', gpuType: GpuType.A100_80GB, gpusPerNode: 8, nodes: 2, sharing: GpuSharing.timeSlicing(4) });
const h100 = GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 1, sharing: GpuSharing.mig('1g.10gb') });
const karpenterPool = GpuPool.eks({
  name: 'l4-spot', gpuType: GpuType.L4, clusterName: 'ml-eks', capacityType: CapacityType.SPOT, maxNodes: 6,
  instanceType: 'g6.12xlarge', provisioning: EksProvisioning.KARPENTER,
});

const synth = (...props: GpuNodePoolProps[]) => {
  const chart = testChart();
  props.forEach((p, i) => new GpuNodePool(chart, `pool-${i}`, p));
  const objects = synthValid(chart);
  expect(podProblems(objects)).toEqual([]);
  return objects;
};
const config = (objects: Manifest[], name: string) => JSON.parse(ofKind(objects, 'ConfigMap', name)[0].data['config.yaml']);

describe('GpuNodePool on-prem', () => {
  const objects = synth({ pool: a100 });

  test('emits the gpu-system namespace, the runtime class, the device plugin and its config', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/nvidia-device-plugin-a100', 'DaemonSet/nvidia-device-plugin-a100', 'Namespace/gpu-system',
      'NetworkPolicy/default-deny', 'RuntimeClass/nvidia', 'ServiceAccount/nvidia-device-plugin',
    ]);
    expect(ofKind(objects, 'RuntimeClass')[0].handler).toBe('nvidia');
  });

  test('the device plugin runs only on the pool, tolerates its taint, uses the runtime class', () => {
    const pod = ofKind(objects, 'DaemonSet')[0].spec.template.spec;
    const scheduling = a100.schedule(1);
    expect(pod.nodeSelector).toEqual(scheduling.nodeSelector);
    expect(pod.tolerations).toEqual(expect.arrayContaining(scheduling.tolerations));
    expect(pod.runtimeClassName).toBe('nvidia');
    expect(pod.containers[0].image).toBe('nvcr.io/nvidia/k8s-device-plugin:v0.19.0');
  });

  test('the documented exception: root with the kubelet socket dir, nothing else', () => {
    const [ns] = ofKind(objects, 'Namespace');
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect((ns.metadata as unknown as { annotations: Record<string, string> }).annotations['ai-platform/pod-security-exception']).toMatch(/hostPath/);
    const pod = ofKind(objects, 'DaemonSet')[0].spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(pod.volumes.filter((v: { hostPath?: unknown }) => v.hostPath)).toEqual([{ name: 'device-plugins', hostPath: { path: '/var/lib/kubelet/device-plugins', type: 'Directory' } }]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(ofKind(objects, 'NetworkPolicy')[0].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('time-slicing config: replicas per GPU, one share per request', () => {
    expect(config(objects, 'nvidia-device-plugin-a100')).toEqual({
      version: 'v1',
      flags: { migStrategy: 'none', failOnInitError: true },
      sharing: { timeSlicing: { renameByDefault: false, failRequestsGreaterThanOne: true, resources: [{ name: 'nvidia.com/gpu', replicas: 4 }] } },
    });
    const pod = ofKind(objects, 'DaemonSet')[0].spec.template.spec;
    expect(pod.containers[0].env).toEqual([{ name: 'CONFIG_FILE', value: '/etc/nvidia-device-plugin/config.yaml' }]);
  });
});

describe('two pools in one cluster', () => {
  const objects = synth({ pool: a100 }, { pool: h100 });

  test('share one namespace and runtime class, each has its own device plugin', () => {
    expect(ofKind(objects, 'Namespace')).toHaveLength(1);
    expect(ofKind(objects, 'RuntimeClass')).toHaveLength(1);
    expect(ofKind(objects, 'DaemonSet').map((d) => d.metadata.name).sort()).toEqual(['nvidia-device-plugin-a100', 'nvidia-device-plugin-h100']);
  });

  test('MIG pool: mixed strategy, no time-slicing', () => {
    expect(config(objects, 'nvidia-device-plugin-h100')).toEqual({ version: 'v1', flags: { migStrategy: 'mixed', failOnInitError: true } });
  });

  test('the same pool name twice in one cluster fails at synth', () => {
    const app = Testing.app();
    new GpuNodePool(new Chart(app, 'a'), 'p', { pool: a100 });
    new GpuNodePool(new Chart(app, 'b'), 'p', { pool: a100 });
    const e = expectValidationError(() => app.synth(), 'GpuNodePoolProps.pool.name', 'a/p');
    expect(e.message).toMatch(/"a100" is invalid: expected a name no other GpuNodePool of the cluster uses: b\/p uses it too/);
  });
});

describe('GpuNodePool on-prem with NVIDIA\'s runtime as containerd\'s default', () => {
  test('no RuntimeClass, and the device plugin names none', () => {
    const objects = synth({ pool: GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 2, nvidiaDefaultRuntime: true }) });
    expect(ofKind(objects, 'RuntimeClass')).toEqual([]);
    expect(ofKind(objects, 'DaemonSet')[0].spec.template.spec.runtimeClassName).toBeUndefined();
  });
});

describe('GpuNodePool on EKS', () => {
  test('managed node group: the device plugin, no runtime class, no Karpenter objects', () => {
    const objects = synth({ pool: GpuPool.eks({ name: 'a10g', gpuType: GpuType.A10G, clusterName: 'ml-eks' }) });
    expect(ofKind(objects, 'RuntimeClass')).toEqual([]);
    expect(ofKind(objects, 'NodePool')).toEqual([]);
    expect(ofKind(objects, 'DaemonSet')[0].spec.template.spec.runtimeClassName).toBeUndefined();
  });

  describe('Karpenter', () => {
    const objects = synth({ pool: karpenterPool });
    const [nodePool] = ofKind(objects, 'NodePool');
    const [nodeClass] = ofKind(objects, 'EC2NodeClass');

    test('NodePool: the pool\'s labels and taint, instance type, capacity type, GPU limit, conservative consolidation', () => {
      expect(nodePool.apiVersion).toBe('karpenter.sh/v1');
      expect(nodePool.spec.template.metadata.labels).toEqual(karpenterPool.nodeLabels);
      expect(nodePool.spec.template.spec.taints).toEqual(karpenterPool.taints);
      expect(nodePool.spec.template.spec.requirements).toEqual(expect.arrayContaining([
        { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['g6.12xlarge'] },
        { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] },
      ]));
      expect(nodePool.spec.limits).toEqual({ 'nvidia.com/gpu': 24 });
      expect(nodePool.spec.disruption).toEqual({ consolidationPolicy: 'WhenEmpty', consolidateAfter: '10m' });
      expect(nodePool.spec.template.spec.nodeClassRef).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: nodeClass.metadata.name });
    });

    test('EC2NodeClass: the cluster\'s node role and discovery tags, IMDSv2 only, encrypted root volume', () => {
      expect(nodeClass.apiVersion).toBe('karpenter.k8s.aws/v1');
      expect(nodeClass.spec.role).toBe('ml-eks-karpenter-node');
      expect(nodeClass.spec.subnetSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'ml-eks' } }]);
      expect(nodeClass.spec.securityGroupSelectorTerms).toEqual([{ tags: { 'karpenter.sh/discovery': 'ml-eks' } }]);
      expect(nodeClass.spec.metadataOptions).toMatchObject({ httpTokens: 'required', httpPutResponseHopLimit: 1 });
      expect(nodeClass.spec.blockDeviceMappings[0].ebs).toMatchObject({ encrypted: true, volumeType: 'gp3', volumeSize: '200Gi' });
      // pinned to a dated amazon-eks-ami release, never al2023@latest (Karpenter: not for production)
      expect(nodeClass.spec.amiSelectorTerms).toEqual([{ alias: AmiAliases.EKS_AL2023 }]);
      expect(AmiAliases.EKS_AL2023).toMatch(/^al2023@v20\d{6}$/);
    });

    test('options', () => {
      const custom = synth({ pool: karpenterPool, karpenter: { consolidation: KarpenterConsolidation.WHEN_EMPTY_OR_UNDERUTILIZED, consolidateAfter: '1h', amiAlias: 'al2023@v20251117', expireAfter: 'Never' } });
      expect(ofKind(custom, 'NodePool')[0].spec.disruption).toEqual({ consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1h' });
      expect(ofKind(custom, 'NodePool')[0].spec.template.spec.expireAfter).toBe('Never');
      expect(ofKind(custom, 'EC2NodeClass')[0].spec.amiSelectorTerms).toEqual([{ alias: 'al2023@v20251117' }]);
    });
  });
});

describe('GpuNodePool on GKE', () => {
  test('emits nothing (GKE installs the driver and device plugin) and still schedules', () => {
    const chart = testChart();
    const pool = new GpuNodePool(chart, 'l4', { pool: GpuPool.gke({ name: 'l4', gpuType: GpuType.L4 }) });
    expect(Testing.synth(chart)).toEqual([]);
    expect(pool.schedule(1).limits).toEqual({ 'nvidia.com/gpu': 1 });
  });
});

describe('bad input names the field', () => {
  test.each([
    [{ pool: a100, karpenter: {} }, /GpuNodePoolProps.karpenter: .* expected no Karpenter settings: pool "a100"/],
    [{ pool: karpenterPool, karpenter: { amiAlias: 'al2@latest' } }, /GpuNodePoolProps.karpenter.amiAlias: "al2@latest"/],
    [{ pool: karpenterPool, karpenter: { consolidateAfter: '10 minutes' } }, /GpuNodePoolProps.karpenter.consolidateAfter: "10 minutes"/],
    [{ pool: karpenterPool, karpenter: { expireAfter: '30d' } }, /GpuNodePoolProps.karpenter.expireAfter: "30d"/],
    [{ pool: karpenterPool, karpenter: { rootVolumeSize: 'big' } }, /GpuNodePoolProps.karpenter.rootVolumeSize: "big"/],
    [{ pool: a100, devicePluginImage: 'nvcr.io/nvidia/k8s-device-plugin:latest' }, /GpuNodePoolProps.devicePluginImage: .* expected a pinned image/],
    [{ pool: {} as GpuPool }, /GpuNodePoolProps.pool: .* expected a GpuPool/],
  ])('%#', (props, message) => {
    expect(() => new GpuNodePool(testChart(), 'p', props as GpuNodePoolProps)).toThrow(ValidationError);
    expect(() => new GpuNodePool(testChart(), 'p', props as GpuNodePoolProps)).toThrow(message);
  });
});

describe('long names', () => {
  test('a pool name of 63 characters still yields valid objects and labels', () => {
    const name = `p${'x'.repeat(62)}`;
    synth({ pool: GpuPool.onPrem({ name, gpuType: GpuType.T4, gpusPerNode: 1, nodes: 1 }) });
    synth({ pool: GpuPool.eks({ name, gpuType: GpuType.L4, clusterName: 'ml-eks', provisioning: EksProvisioning.KARPENTER }) });
  });
});

describe('Karpenter settings are parsed and bounded (issue 7)', () => {
  const attempt = (karpenter: unknown) => () => new GpuNodePool(testChart(), 'p', { pool: karpenterPool, karpenter } as GpuNodePoolProps);
  const field = (name: string) => `GpuNodePoolProps.karpenter.${name}`;

  test.each(['0Gi', '0G', '17Ti', '16385Gi', '1.5Gi', '200', 200, '-1Gi'])('root volume %j is outside gp3\'s 1 GiB to 16 TiB or not a size', (size) => {
    expectValidationError(attempt({ rootVolumeSize: size }), field('rootVolumeSize'), 'test/p');
  });

  test.each(['1Gi', '16Ti', '16384Gi', '500G', '2T'])('root volume %j is a gp3 size', (size) => {
    const objects = synth({ pool: karpenterPool, karpenter: { rootVolumeSize: size } });
    expect(ofKind(objects, 'EC2NodeClass')[0].spec.blockDeviceMappings[0].ebs.volumeSize).toBe(size);
  });

  test.each(['al2023@v20261340', 'al2023@v20260230', 'al2023@v19990101', 'al2023@20260714', 'al2023@LATEST', 42])('AMI alias %j is not a dated release', (alias) => {
    expectValidationError(attempt({ amiAlias: alias }), field('amiAlias'), 'test/p');
  });

  test('al2023@latest is still accepted (documented as not for production)', () => {
    const objects = synth({ pool: karpenterPool, karpenter: { amiAlias: 'al2023@latest' } });
    expect(ofKind(objects, 'EC2NodeClass')[0].spec.amiSelectorTerms).toEqual([{ alias: 'al2023@latest' }]);
  });

  test.each(['Aggressive', 'whenEmpty', 1])('consolidation %j is not a KarpenterConsolidation (never silently the default)', (consolidation) => {
    expectValidationError(attempt({ consolidation }), field('consolidation'), 'test/p');
  });

  test.each([10, ['10m']])('a duration that is not a string (%j) names the field', (value) => {
    expectValidationError(attempt({ consolidateAfter: value }), field('consolidateAfter'), 'test/p');
  });

  test('karpenter settings that are not an object', () => {
    expectValidationError(attempt('WhenEmpty'), 'GpuNodePoolProps.karpenter', 'test/p');
  });

  test('no props at all', () => {
    expectValidationError(() => new GpuNodePool(testChart(), 'p', undefined as unknown as GpuNodePoolProps), 'GpuNodePoolProps', 'test/p');
  });

  test('a GpuNodePool where a GpuPool goes', () => {
    const chart = testChart();
    const node = new GpuNodePool(chart, 'a', { pool: a100 });
    expectValidationError(() => new GpuNodePool(chart, 'b', { pool: node as unknown as GpuPool }), 'GpuNodePoolProps.pool', 'test/b');
  });
});
