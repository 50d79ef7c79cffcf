import { expectValidationError } from '../helpers/errors';
import { Chart, Testing } from 'cdk8s';
import { GpuNodePool, GpuPool, GpuSharing, GpuType, TeamSpace, TeamSpaceProps } from '../../lib';
import { ValidationError } from '../../lib/core/errors';
import { ofKind, synthValid, testChart } from '../helpers/manifests';

const synthTeam = (props: Partial<ConstructorParameters<typeof TeamSpace>[2]> = {}) => {
  const chart = testChart();
  const team = new TeamSpace(chart, 'team', { name: 'vision', ...props });
  return { team, objects: synthValid(chart) };
};

describe('TeamSpace', () => {
  test('emits a namespace enforcing PSS restricted, and every guard rail, all valid', () => {
    const { objects } = synthTeam();
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'LimitRange', 'Namespace', 'NetworkPolicy', 'NetworkPolicy', 'ResourceQuota', 'Role', 'RoleBinding', 'ServiceAccount',
    ]);
    const [ns] = ofKind(objects, 'Namespace');
    expect(ns.metadata.name).toBe('vision');
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.28',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    for (const o of objects.filter((o) => o.kind !== 'Namespace')) expect(o.metadata.namespace).toBe('vision');
  });

  test('quota: defaults, GPUs only when granted, MIG resources', () => {
    const hard = (props: object) => ofKind(synthTeam(props).objects, 'ResourceQuota')[0].spec.hard;
    expect(hard({})).toEqual({
      'requests.cpu': '16', 'limits.cpu': '16', 'requests.memory': '64Gi', 'limits.memory': '64Gi',
      'requests.storage': '500Gi', 'persistentvolumeclaims': 20, 'requests.nvidia.com/gpu': 0,
    });
    expect(hard({ quota: { cpu: '64', gpus: 8, gpuResources: { 'nvidia.com/mig-1g.10gb': 14 } } })).toMatchObject({
      'requests.cpu': '64', 'requests.nvidia.com/gpu': 8, 'requests.nvidia.com/mig-1g.10gb': 14,
    });
  });

  describe('GPU resources the cluster advertises are always in the quota (a ResourceQuota limits only what it lists)', () => {
    const migPool = GpuPool.onPrem({ name: 'a100-mig', gpuType: GpuType.A100_80GB, gpusPerNode: 8, nodes: 1, sharing: GpuSharing.mig('1g.10gb') });
    const cluster = (teamProps: object, pools: GpuPool[]) => {
      const app = Testing.app();
      const teams = new Chart(app, 'teams');
      const team = new TeamSpace(teams, 'team', { name: 'vision', ...teamProps });
      const gpu = new Chart(app, 'gpu');
      for (const pool of pools) new GpuNodePool(gpu, pool.name, { pool });
      return { team, teams, hard: () => ofKind(synthValid(teams), 'ResourceQuota')[0].spec.hard };
    };

    test('a team without a MIG grant gets 0 of every MIG resource a pool of its cluster advertises', () => {
      const { hard, team } = cluster({}, [migPool]);
      expect(hard()).toMatchObject({ 'requests.nvidia.com/gpu': 0, 'requests.nvidia.com/mig-1g.10gb': 0 });
      expect(team.hardLimits['requests.nvidia.com/mig-1g.10gb']).toBe(0);
    });

    test('a grant is kept; without MIG pools no MIG key is added', () => {
      expect(cluster({ quota: { gpuResources: { 'nvidia.com/mig-1g.10gb': 7 } } }, [migPool]).hard()['requests.nvidia.com/mig-1g.10gb']).toBe(7);
      const plain = cluster({}, [GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 1 })]).hard();
      expect(Object.keys(plain).filter((k) => k.includes('mig'))).toEqual([]);
    });

    test('a workload that reserves MIG slices in a team without a grant fails at synth', () => {
      const { team, teams } = cluster({}, [migPool]);
      team.reserve(new Chart(teams, 'notebook'), { 'requests.nvidia.com/mig-1g.10gb': 1 });
      expectValidationError(() => synthValid(teams), 'TeamSpace.quota (requests.nvidia.com/mig-1g.10gb)', 'teams/team');
    });

    test('on GKE (MIG partitions are nvidia.com/gpu there) a MIG quota key is refused at synth', () => {
      const gke = GpuPool.gke({ name: 'a100-mig', gpuType: GpuType.A100_40GB, sharing: GpuSharing.mig('1g.5gb') });
      const { teams } = cluster({ quota: { gpuResources: { 'nvidia.com/mig-1g.5gb': 2 } } }, [gke]);
      const e = expectValidationError(() => synthValid(teams), 'TeamSpace.quota.gpuResources["nvidia.com/mig-1g.5gb"]', 'teams/team');
      expect(e.message).toMatch(/GKE advertises MIG partitions as nvidia.com\/gpu/);
      expect(cluster({ quota: { gpus: 2 } }, [gke]).hard()['requests.nvidia.com/gpu']).toBe(2);
    });
  });

  test('container defaults come from a LimitRange', () => {
    const [lr] = ofKind(synthTeam({ containerDefaults: { cpuLimit: '2' } }).objects, 'LimitRange');
    expect(lr.spec.limits).toEqual([{ type: 'Container', defaultRequest: { cpu: '250m', memory: '512Mi' }, default: { cpu: '2', memory: '2Gi' } }]);
  });

  test('network: default deny in and out, DNS allowed to kube-dns only', () => {
    const { objects } = synthTeam();
    const deny = ofKind(objects, 'NetworkPolicy', 'default-deny')[0];
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dns = ofKind(objects, 'NetworkPolicy', 'allow-dns')[0];
    expect(dns.spec.policyTypes).toEqual(['Egress']);
    expect(dns.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    }]);
  });

  test('the DNS endpoint can be changed', () => {
    const { objects } = synthTeam({ dns: { namespace: 'dns-system', podLabels: { app: 'coredns' } } });
    expect(ofKind(objects, 'NetworkPolicy', 'allow-dns')[0].spec.egress[0].to[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns-system' } }, podSelector: { matchLabels: { app: 'coredns' } },
    });
  });

  test('RBAC: the team group gets an edit-like role that cannot lift the guard rails', () => {
    const { objects } = synthTeam({ group: 'oidc:vision-engineers' });
    const [binding] = ofKind(objects, 'RoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'team-edit' });
    expect(binding.subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'oidc:vision-engineers' }]);
    const [role] = ofKind(objects, 'Role');
    const writable = (resource: string) => role.rules.some((r: { resources: string[]; verbs: string[] }) =>
      r.resources.includes(resource) && r.verbs.includes('update'));
    expect(writable('deployments')).toBe(true);
    expect(writable('tfjobs')).toBe(true);
    for (const guard of ['resourcequotas', 'limitranges', 'networkpolicies', 'rolebindings', 'roles', 'namespaces']) {
      expect(writable(guard)).toBe(false);
    }
  });

  test('the service account does not automount its token', () => {
    const { team, objects } = synthTeam();
    const [sa] = ofKind(objects, 'ServiceAccount');
    expect(sa.metadata.name).toBe(team.serviceAccountName);
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  test('fromNamespace imports an existing namespace', () => {
    const team = TeamSpace.fromNamespace(testChart(), 'ml', 'ml-shared', 'runner');
    expect(team.namespaceName).toBe('ml-shared');
    expect(team.serviceAccountName).toBe('runner');
  });

  describe('reserve(): what constructs declare must fit the quota, checked at synth', () => {
    test('within the quota: fine; beyond it: an error naming the quota key, the total and who needs what', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'c');
      const team = new TeamSpace(chart, 'team', { name: 'vision', quota: { cpu: '8', storage: '1Ti' } });
      team.reserve(new Chart(app, 'a'), { 'requests.cpu': 6, 'requests.storage': 512 * 2 ** 30 });
      expect(() => app.synth()).not.toThrow();
      team.reserve(new Chart(app, 'b'), { 'requests.cpu': 4 });
      const e = expectValidationError(() => app.synth(), 'TeamSpace.quota (requests.cpu)', 'c/team');
      expect(e.message).toMatch(/"8" is invalid: expected at least 10 for namespace "vision" \(a 6, b 4\)/);
    });

    test('an imported namespace has no known quota: nothing is checked', () => {
      const app = Testing.app();
      const team = TeamSpace.fromNamespace(new Chart(app, 'c'), 'ns', 'shared');
      team.reserve(new Chart(app, 'a'), { 'requests.cpu': 1e6 });
      expect(() => app.synth()).not.toThrow();
    });
  });

  describe('bad input names the field', () => {
    test.each([
      [{ name: 'Vision' }, /TeamSpace.name: "Vision" is invalid: expected a DNS-1123 label/],
      [{ name: 'default' }, /TeamSpace.name: "default" is invalid: .*not "default"/],
      [{ name: 'kube-system' }, /TeamSpace.name: "kube-system"/],
      [{ group: ' ' }, /TeamSpace.group/],
      [{ quota: { cpu: '-4' } }, /TeamSpace.quota.cpu: "-4" is invalid/],
      [{ quota: { memory: 'lots' } }, /TeamSpace.quota.memory: "lots"/],
      [{ quota: { storage: '-1Gi' } }, /TeamSpace.quota.storage/],
      [{ quota: { gpus: -1 } }, /TeamSpace.quota.gpus: -1 is invalid: expected an integer >= 0/],
      [{ quota: { gpus: 1.5 } }, /TeamSpace.quota.gpus: 1.5/],
      [{ quota: { persistentVolumeClaims: -2 } }, /TeamSpace.quota.persistentVolumeClaims: -2/],
      [{ quota: { gpuResources: { 'amd.com/gpu': 1 } } }, /TeamSpace.quota.gpuResources: "amd.com\/gpu" is invalid: expected one of: nvidia.com\/gpu/],
      [{ quota: { gpuResources: { 'nvidia.com/mig-1g.5gb': -1 } } }, /TeamSpace.quota.gpuResources\["nvidia.com\/mig-1g.5gb"\]: -1/],
      [{ containerDefaults: { cpuRequest: 'x' } }, /TeamSpace.containerDefaults.cpuRequest: "x"/],
      [{ containerDefaults: { memoryLimit: '256Mi' } }, /TeamSpace.containerDefaults.memoryLimit: "256Mi" is invalid: expected a limit at least equal to the request "512Mi"/],
      [{ dns: { namespace: 'Kube System' } }, /TeamSpace.dns.namespace/],
      [{ dns: { podLabels: { 'k8s-app': 'kube dns' } } }, /TeamSpace.dns.podLabels\["k8s-app"\]: "kube dns" is invalid: expected a label value/],
      [{ dns: { podLabels: { 'a/b/c': 'x' } } }, /TeamSpace.dns.podLabels: "a\/b\/c" is invalid: expected label keys that are qualified names/],
      [{ dns: { podLabels: {} } }, /TeamSpace.dns.podLabels: {} is invalid: expected at least one label/],
      [{ name: 'gpu-system' }, /TeamSpace.name: "gpu-system" is invalid: .*none of the platform's/],
      [{ name: 'kueue-system' }, /TeamSpace.name: "kueue-system"/],
      [{ name: 42 }, /TeamSpace.name: 42 is invalid/],
      [{ name: undefined }, /TeamSpace.name: undefined is invalid/],
      [{ group: 7 }, /TeamSpace.group: 7/],
      [{ quota: 'big' }, /TeamSpace.quota: "big" is invalid: expected a TeamQuota object/],
      [{ quota: { gpus: '4' } }, /TeamSpace.quota.gpus: "4" is invalid/],
      [{ quota: { gpuResources: ['nvidia.com/gpu'] } }, /TeamSpace.quota.gpuResources: \["nvidia.com\/gpu"\] is invalid/],
      [{ containerDefaults: [] }, /TeamSpace.containerDefaults: \[\] is invalid/],
      [{ dns: 'kube-system' }, /TeamSpace.dns: "kube-system" is invalid/],
    ] as Array<[object, RegExp]>)('%j', (props, message) => {
      const make = () => new TeamSpace(testChart(), 'team', { name: 'vision', ...props } as TeamSpaceProps);
      expect(make).toThrow(ValidationError);
      expect(make).toThrow(message);
    });

    test('props that are not an object: a ValidationError, not a TypeError', () => {
      expectValidationError(() => new TeamSpace(testChart(), 'team', undefined as never), 'TeamSpaceProps', 'test/team');
      expectValidationError(() => new TeamSpace(testChart(), 'team', 'vision' as never), 'TeamSpaceProps', 'test/team');
    });

    test('reserve() checks what it is given', () => {
      const team = new TeamSpace(testChart(), 'team', { name: 'vision' });
      expectValidationError(() => team.reserve({} as never, { 'requests.cpu': 1 }), 'TeamSpace.reserve.by', 'test/team');
      expectValidationError(() => team.reserve(team, { 'requests.cpu': -1 }), 'TeamSpace.reserve.resources["requests.cpu"]', 'test/team');
      expectValidationError(() => team.reserve(team, { 'requests.cpu': '2' as never }), 'TeamSpace.reserve.resources["requests.cpu"]', 'test/team');
      expectValidationError(() => team.reserve(team, null as never), 'TeamSpace.reserve.resources', 'test/team');
    });

    test('fromNamespace refuses default', () => {
      expect(() => TeamSpace.fromNamespace(testChart(), 'x', 'default')).toThrow(/TeamSpace.fromNamespace.namespaceName: "default"/);
    });

    test('two TeamSpaces with one name in one cluster fail at synth', () => {
      const app = Testing.app();
      new TeamSpace(new Chart(app, 'a'), 'team', { name: 'vision' });
      new TeamSpace(new Chart(app, 'b'), 'team', { name: 'vision' });
      const e = expectValidationError(() => app.synth(), 'TeamSpace.name', 'a/team');
      expect(e.message).toMatch(/"vision" is invalid: expected a name no other TeamSpace of the cluster uses: b\/team uses it too/);
    });

    test('the same team in two clusters (apps) is fine', () => {
      for (let cluster = 0; cluster < 2; cluster++) {
        const app = Testing.app();
        new TeamSpace(new Chart(app, 'c'), 'team', { name: 'vision' });
        expect(() => app.synth()).not.toThrow();
      }
    });
  });
});
