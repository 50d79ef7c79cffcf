import { kueueProblems, parseQuantity } from './kueue-rules';

/* eslint-disable @typescript-eslint/no-explicit-any */
const V = 'kueue.x-k8s.io/v1beta2';
const flavor = (name: string) => ({ apiVersion: V, kind: 'ResourceFlavor', metadata: { name }, spec: {} });
const gpus = (nominalQuota: any, extra: any = {}) => ({ name: 'nvidia.com/gpu', nominalQuota, ...extra });
const clusterQueue = (name = 'h100', patch: (cq: any) => void = () => undefined) => {
  const cq: any = {
    apiVersion: V, kind: 'ClusterQueue', metadata: { name },
    spec: {
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['vision'] }] },
      resourceGroups: [
        { coveredResources: ['nvidia.com/gpu'], flavors: [{ name: 'h100', resources: [gpus(16)] }] },
        { coveredResources: ['cpu', 'memory'], flavors: [{ name: 'cpu-memory', resources: [{ name: 'cpu', nominalQuota: '128' }, { name: 'memory', nominalQuota: '1Ti' }] }] },
      ],
    },
  };
  patch(cq);
  return cq;
};
const localQueue = (name = 'h100', namespace = 'vision', cq = 'h100') => ({ apiVersion: V, kind: 'LocalQueue', metadata: { name, namespace }, spec: { clusterQueue: cq } });
const check = (name = 'burst', config = 'burst', patch: (ac: any) => void = () => undefined) => {
  const ac: any = { apiVersion: V, kind: 'AdmissionCheck', metadata: { name }, spec: { controllerName: 'kueue.x-k8s.io/multikueue', parameters: { apiGroup: 'kueue.x-k8s.io', kind: 'MultiKueueConfig', name: config } } };
  patch(ac);
  return ac;
};
const mkConfig = (name = 'burst', clusters = ['aws']) => ({ apiVersion: V, kind: 'MultiKueueConfig', metadata: { name }, spec: { clusters } });
const mkCluster = (name = 'aws') => ({ apiVersion: V, kind: 'MultiKueueCluster', metadata: { name }, spec: { clusterSource: { kubeConfig: { locationType: 'Secret', location: `multikueue-${name}` } } } });
const priority = (name = 'high') => ({ apiVersion: V, kind: 'WorkloadPriorityClass', metadata: { name }, value: 100 });
const job = (labels: Record<string, string>, namespace = 'vision') => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'train', namespace, labels }, spec: {} });
const base = () => [flavor('h100'), flavor('cpu-memory'), clusterQueue(), localQueue()];
/** A manager's objects: a ClusterQueue with one MultiKueue check over every flavor. */
const manager = (patchCq: (cq: any) => void = () => undefined) => [
  ...base().slice(0, 2), localQueue(),
  clusterQueue('h100', (cq) => { cq.spec.admissionChecksStrategy = { admissionChecks: [{ name: 'burst' }] }; patchCq(cq); }),
  check(), mkConfig(), mkCluster(),
];

describe('Kueue rules (kubernetes-sigs/kueue v0.19.2)', () => {
  test('a valid queue set, a valid manager set and objects of other kinds have no problems', () => {
    expect(kueueProblems(base())).toEqual([]);
    expect(kueueProblems(manager())).toEqual([]);
    expect(kueueProblems([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'vision' } }])).toEqual([]);
  });

  describe('ClusterQueue', () => {
    test('each flavor names exactly the coveredResources, in order', () => {
      const swapped = clusterQueue('h100', (cq) => { cq.spec.resourceGroups[1].flavors[0].resources.reverse(); });
      expect(kueueProblems([...base().slice(0, 2), swapped]).join('\n')).toContain('must be the group\'s coveredResources in order, ["cpu","memory"]');
      const missing = clusterQueue('h100', (cq) => { cq.spec.resourceGroups[1].flavors[0].resources.pop(); });
      expect(kueueProblems([...base().slice(0, 2), missing]).join('\n')).toContain('resourceGroups[1].flavors[0].resources are ["cpu"]');
    });
    test('no resource in two groups', () => {
      const cq = clusterQueue('h100', (q) => { q.spec.resourceGroups.push({ coveredResources: ['cpu'], flavors: [{ name: 'other', resources: [{ name: 'cpu', nominalQuota: 1 }] }] }); });
      expect(kueueProblems([...base().slice(0, 2), flavor('other'), cq]).join('\n')).toContain('resource cpu is covered by resourceGroups[1] and resourceGroups[2]');
    });
    test('no flavor in two groups', () => {
      const cq = clusterQueue('h100', (q) => { q.spec.resourceGroups[1].flavors[0].name = 'h100'; });
      const problems = kueueProblems([...base().slice(0, 2), cq]);
      expect(problems.join('\n')).toContain('flavor h100 is in resourceGroups[0] and resourceGroups[1]');
    });
    test('at most 256 flavors in all', () => {
      const names = Array.from({ length: 257 }, (_, i) => `f${i}`);
      // groups of at most 64 flavors (the CRD's limit per group)
      const many = (n: number) => clusterQueue('h100', (q) => {
        q.spec.resourceGroups = Array.from({ length: Math.ceil(n / 52) }, (_, g) => ({
          coveredResources: [`example.com/r${g}`],
          flavors: names.slice(g * 52, Math.min(n, (g + 1) * 52)).map((name) => ({ name, resources: [{ name: `example.com/r${g}`, nominalQuota: 1 }] })),
        }));
      });
      expect(kueueProblems([...names.map(flavor), many(257)])).toEqual(['ClusterQueue h100: 257 flavors in all, at most 256 (Kueue webhook)']);
      expect(kueueProblems([...names.map(flavor), many(256)])).toEqual([]);
    });
    test('quotas are non-negative', () => {
      const cq = clusterQueue('h100', (q) => { q.spec.resourceGroups[0].flavors[0].resources = [gpus('-1')]; });
      expect(kueueProblems([...base().slice(0, 2), cq]).join('\n')).toContain('nominalQuota "-1" must be non-negative');
      const zero = clusterQueue('h100', (q) => { q.spec.resourceGroups[0].flavors[0].resources = [gpus(0)]; });
      expect(kueueProblems([...base().slice(0, 2), zero])).toEqual([]);
    });
    test('borrowingLimit and lendingLimit only with a cohort; lendingLimit at most nominalQuota', () => {
      const noCohort = clusterQueue('h100', (q) => { q.spec.resourceGroups[0].flavors[0].resources = [gpus(16, { borrowingLimit: 4 })]; });
      expect(kueueProblems([...base().slice(0, 2), noCohort]).join('\n')).toContain('borrowingLimit is set without spec.cohortName');
      const lendNoCohort = clusterQueue('h100', (q) => { q.spec.resourceGroups[0].flavors[0].resources = [gpus(16, { lendingLimit: 4 })]; });
      expect(kueueProblems([...base().slice(0, 2), lendNoCohort]).join('\n')).toContain('lendingLimit is set without spec.cohortName');
      const over = clusterQueue('h100', (q) => { q.spec.cohortName = 'gpus'; q.spec.resourceGroups[0].flavors[0].resources = [gpus('16', { lendingLimit: '17' })]; });
      expect(kueueProblems([...base().slice(0, 2), over])).toEqual(['ClusterQueue h100: resourceGroups[0].flavors[0].resources[0].lendingLimit "17" exceeds nominalQuota "16" (Kueue webhook)']);
      const ok = clusterQueue('h100', (q) => { q.spec.cohortName = 'gpus'; q.spec.resourceGroups[0].flavors[0].resources = [gpus(16, { borrowingLimit: 4, lendingLimit: 16 })]; });
      expect(kueueProblems([...base().slice(0, 2), ok])).toEqual([]);
    });
    test('every flavor named exists as a ResourceFlavor', () => {
      expect(kueueProblems([flavor('cpu-memory'), clusterQueue()])).toEqual([
        'ClusterQueue h100: resourceGroups[0].flavors[0] names ResourceFlavor h100, which does not exist: the ClusterQueue stays inactive',
      ]);
      // one made by another chart of the cluster counts
      expect(kueueProblems([flavor('cpu-memory'), clusterQueue()], { objects: [flavor('h100')] })).toEqual([]);
    });
    test('every admission check named exists as an AdmissionCheck', () => {
      const objects = manager().filter((o) => o.kind !== 'AdmissionCheck');
      expect(kueueProblems(objects).join('\n')).toContain('admission check burst does not exist as an AdmissionCheck');
    });
    test('at most one MultiKueue admission check', () => {
      const two = manager((cq) => { cq.spec.admissionChecksStrategy.admissionChecks.push({ name: 'burst2' }); });
      expect(kueueProblems([...two, check('burst2')]).join('\n')).toContain('2 MultiKueue admission checks (burst, burst2)');
      // another controller's check beside it is fine
      const other = manager((cq) => { cq.spec.admissionChecksStrategy.admissionChecks.push({ name: 'vet' }); });
      expect(kueueProblems([...other, check('vet', 'x', (ac) => { ac.spec = { controllerName: 'example.com/vet' }; })])).toEqual([]);
    });
    test('a MultiKueue check on some flavors only keeps the queue inactive; on every flavor it is fine', () => {
      const some = manager((cq) => { cq.spec.admissionChecksStrategy.admissionChecks[0].onFlavors = ['h100']; });
      expect(kueueProblems(some).join('\n')).toContain('(MultiKueueAdmissionCheckAppliedPerFlavor)');
      const every = manager((cq) => { cq.spec.admissionChecksStrategy.admissionChecks[0].onFlavors = ['cpu-memory', 'h100']; });
      expect(kueueProblems(every)).toEqual([]);
    });
    test('a MultiKueue and a ProvisioningRequest check together', () => {
      const both = manager((cq) => { cq.spec.admissionChecksStrategy.admissionChecks.push({ name: 'prov' }); });
      const prov = check('prov', 'x', (ac) => { ac.spec = { controllerName: 'kueue.x-k8s.io/provisioning-request' }; });
      expect(kueueProblems([...both, prov]).join('\n')).toContain('(MultiKueueWithProvisioningRequest)');
    });
    test('an unset namespaceSelector admits no namespace; {} is fine', () => {
      const unset = clusterQueue('h100', (cq) => { delete cq.spec.namespaceSelector; });
      expect(kueueProblems([...base().slice(0, 2), unset]).join('\n')).toContain('spec.namespaceSelector is unset');
      const all = clusterQueue('h100', (cq) => { cq.spec.namespaceSelector = {}; });
      expect(kueueProblems([...base().slice(0, 2), all, localQueue('h100', 'anything')])).toEqual([]);
    });
  });

  describe('MultiKueue', () => {
    test('an AdmissionCheck of the MultiKueue controller names a MultiKueueConfig of kueue.x-k8s.io', () => {
      const group = manager().map((o) => (o.kind === 'AdmissionCheck' ? check('burst', 'burst', (ac) => { ac.spec.parameters.apiGroup = 'example.com'; }) : o));
      expect(kueueProblems(group).join('\n')).toContain('spec.parameters.apiGroup "example.com": MultiKueue expects kueue.x-k8s.io');
      const kind = manager().map((o) => (o.kind === 'AdmissionCheck' ? check('burst', 'burst', (ac) => { ac.spec.parameters.kind = 'ProvisioningRequestConfig'; }) : o));
      expect(kueueProblems(kind).join('\n')).toContain('spec.parameters.kind "ProvisioningRequestConfig": MultiKueue expects MultiKueueConfig');
    });
    test('the MultiKueueConfig exists', () => {
      expect(kueueProblems(manager().filter((o) => o.kind !== 'MultiKueueConfig'))).toEqual(['AdmissionCheck burst: MultiKueueConfig burst does not exist: the admission check stays inactive']);
    });
    test('each cluster of a MultiKueueConfig exists as a MultiKueueCluster', () => {
      const objects = manager().map((o) => (o.kind === 'MultiKueueConfig' ? mkConfig('burst', ['aws', 'gcp']) : o));
      expect(kueueProblems(objects)).toEqual(['MultiKueueConfig burst: cluster gcp does not exist as a MultiKueueCluster']);
      expect(kueueProblems([...objects, mkCluster('gcp')])).toEqual([]);
    });
  });

  describe('LocalQueue', () => {
    test('its ClusterQueue exists', () => {
      expect(kueueProblems([localQueue('h100', 'vision', 'nope')])).toEqual(['LocalQueue vision/h100: ClusterQueue nope does not exist: the LocalQueue admits nothing']);
    });
    test('the ClusterQueue\'s namespaceSelector selects its namespace (matchExpressions In)', () => {
      expect(kueueProblems([...base(), localQueue('h100', 'nlp')])).toEqual([
        'LocalQueue nlp/h100: ClusterQueue h100\'s namespaceSelector does not select namespace nlp: Kueue admits no workload of this LocalQueue',
      ]);
    });
    test('matchLabels on the namespace name, and on the labels of a Namespace among the objects', () => {
      const byName = clusterQueue('h100', (cq) => { cq.spec.namespaceSelector = { matchLabels: { 'kubernetes.io/metadata.name': 'vision' } }; });
      expect(kueueProblems([...base().slice(0, 2), byName, localQueue()])).toEqual([]);
      expect(kueueProblems([...base().slice(0, 2), byName, localQueue('h100', 'nlp')]).join('\n')).toContain('does not select namespace nlp');
      const byTeam = clusterQueue('h100', (cq) => { cq.spec.namespaceSelector = { matchLabels: { team: 'ml' } }; });
      const ns = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'vision', labels } });
      expect(kueueProblems([...base().slice(0, 2), byTeam, localQueue(), ns({ team: 'ml' })])).toEqual([]);
      expect(kueueProblems([...base().slice(0, 2), byTeam, localQueue(), ns({ team: 'web' })]).join('\n')).toContain('does not select namespace vision');
      // a Namespace made elsewhere: its labels are unknown, so nothing is reported
      expect(kueueProblems([...base().slice(0, 2), byTeam, localQueue()])).toEqual([]);
    });
  });

  describe('jobs', () => {
    test('a queue-name label names a LocalQueue of the job\'s namespace', () => {
      expect(kueueProblems([...base(), job({ 'kueue.x-k8s.io/queue-name': 'h100' })])).toEqual([]);
      expect(kueueProblems([...base(), job({ 'kueue.x-k8s.io/queue-name': 'a100' })])).toEqual([
        'Job vision/train: label kueue.x-k8s.io/queue-name=a100 names no LocalQueue of namespace vision: Kueue holds the job forever',
      ]);
      // the same name in another namespace is not this one
      expect(kueueProblems([...base(), job({ 'kueue.x-k8s.io/queue-name': 'h100' }, 'nlp')]).join('\n')).toContain('names no LocalQueue of namespace nlp');
    });
    test('a queue declared elsewhere (GpuQueue.external) is accepted in its namespace only', () => {
      const tf = { apiVersion: 'kubeflow.org/v1', kind: 'TFJob', metadata: { name: 'r', namespace: 'vision', labels: { 'kueue.x-k8s.io/queue-name': 'ext' } }, spec: {} };
      expect(kueueProblems([tf], { localQueues: [{ namespace: 'vision', name: 'ext' }] })).toEqual([]);
      expect(kueueProblems([tf], { localQueues: [{ namespace: 'nlp', name: 'ext' }] })).toHaveLength(1);
    });
    test('a CronJob\'s job template labels are checked too', () => {
      const cron = (queue: string) => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'vision' }, spec: { jobTemplate: { metadata: { labels: { 'kueue.x-k8s.io/queue-name': queue } }, spec: {} } } });
      expect(kueueProblems([...base(), cron('h100')])).toEqual([]);
      expect(kueueProblems([...base(), cron('nope')])).toEqual([
        'CronJob vision/nightly spec.jobTemplate: label kueue.x-k8s.io/queue-name=nope names no LocalQueue of namespace vision: Kueue holds the job forever',
      ]);
    });
    test('a priority-class label names a WorkloadPriorityClass', () => {
      const labels = { 'kueue.x-k8s.io/queue-name': 'h100', 'kueue.x-k8s.io/priority-class': 'high' };
      expect(kueueProblems([...base(), priority('high'), job(labels)])).toEqual([]);
      expect(kueueProblems([...base(), priority('low'), job(labels)])).toEqual([
        'Job vision/train: label kueue.x-k8s.io/priority-class=high names no WorkloadPriorityClass: Kueue refuses to create its workload',
      ]);
    });
  });

  test('quantities', () => {
    expect(parseQuantity('64Gi')).toBe(64 * 2 ** 30);
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity(8)).toBe(8);
    expect(parseQuantity('-2')).toBe(-2);
    expect(parseQuantity('8 cores')).toBeNaN();
  });
});

describe('Kueue rules: resources a queued job requests', () => {
  const withPod = (resources: any) => ({ ...job({ 'kueue.x-k8s.io/queue-name': 'h100' }), spec: { template: { spec: { containers: [{ name: 'c', resources }] } } } });
  test('every nonzero request (limits standing in for requests) is covered by the ClusterQueue', () => {
    expect(kueueProblems([...base(), withPod({ requests: { cpu: '1', memory: '1Gi' }, limits: { 'nvidia.com/gpu': 1 } })])).toEqual([]);
    expect(kueueProblems([...base(), withPod({ requests: { cpu: '1', 'ephemeral-storage': '10Gi' } })])).toEqual([
      'Job vision/train: requests ephemeral-storage, which ClusterQueue h100 does not cover: Kueue never admits it ("resource ... unavailable in ClusterQueue")',
    ]);
    expect(kueueProblems([...base(), withPod({ limits: { 'nvidia.com/mig-1g.10gb': 1 } })]).join('\n')).toContain('requests nvidia.com/mig-1g.10gb');
    // a zero request is skipped
    expect(kueueProblems([...base(), withPod({ requests: { cpu: '1', 'ephemeral-storage': '0' } })])).toEqual([]);
  });
});
