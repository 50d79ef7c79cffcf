import { expectValidationError } from '../helpers/errors';
import { Chart, Testing } from 'cdk8s';
import { TeamSpace } from '../../lib';
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
      expect(() => app.synth()).toThrow(/TeamSpace.quota \(requests.cpu\): 8 is too small for namespace "vision": 10 needed \(a 6, b 4\)/);
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
    ])('%j', (props, message) => {
      expect(() => new TeamSpace(testChart(), 'team', { name: 'vision', ...props })).toThrow(ValidationError);
      expect(() => new TeamSpace(testChart(), 'team', { name: 'vision', ...props })).toThrow(message);
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
