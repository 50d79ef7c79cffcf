import { BurstCluster, BurstManager, BurstWorker, KueueIntegration } from '../../lib';
import { AddonRequirements } from '../../lib/addons/addon-requirements';
import { expectValidationError } from '../helpers/errors';
import { Manifest, ofKind, synthValid } from '../helpers/manifests';
import { burst, clusterApp, pools } from './fixtures';

const POOLS = { onprem: [pools.onpremH100, pools.onpremA100], aws: [pools.p4d, pools.p5], gcp: [pools.a2, pools.a3] };
type Worker = keyof typeof POOLS;

/** A worker cluster in its own App, with its GpuNodePools and the burst's team namespaces. */
function worker(name: Worker, b: BurstCluster = burst()) {
  const c = clusterApp(POOLS[name]);
  const w = new BurstWorker(c.chart, 'burst', { burst: b, cluster: name, teams: c.teams });
  return { ...c, w, objects: synthValid(c.chart) };
}
const queues = (objects: Manifest[]) => ofKind(objects, 'LocalQueue').map((q) => `${q.metadata.namespace}/${q.metadata.name}`).sort();

describe('BurstWorker', () => {
  test('its LocalQueues mirror the manager\'s: same names, same namespaces, from one BurstCluster', () => {
    const b = burst();
    const hub = clusterApp();
    new BurstManager(hub.chart, 'burst', { burst: b, teams: hub.teams });
    const managerQueues = queues(synthValid(hub.chart));
    expect(managerQueues).toEqual(['nlp/a100', 'nlp/h100', 'vision/a100', 'vision/h100']);
    for (const name of ['onprem', 'aws', 'gcp'] as Worker[]) expect(queues(worker(name, b).objects)).toEqual(managerQueues);
  });

  test('the mirror holds in the fallback topology (<class>-burst) too', () => {
    const b = burst({ manager: 'onprem-hub', managerPools: [pools.onpremH100], workers: [{ name: 'aws', pools: POOLS.aws }, { name: 'gcp', pools: POOLS.gcp }] });
    const hub = clusterApp([pools.onpremH100]);
    new BurstManager(hub.chart, 'burst', { burst: b, teams: hub.teams });
    const burstQueues = queues(synthValid(hub.chart)).filter((q) => q.endsWith('-burst'));
    expect(queues(worker('aws', b).objects)).toEqual(burstQueues);
  });

  test('a ClusterQueue per class, its quota its pools\' capacity, its flavors its pools (cheapest first on a cloud)', () => {
    const { objects, w } = worker('aws');
    const cq = ofKind(objects, 'ClusterQueue', 'a100')[0];
    expect(cq.spec.resourceGroups[0].flavors).toEqual([{ name: 'p4d', resources: [{ name: 'nvidia.com/gpu', nominalQuota: 16 }] }]);
    expect(cq.spec.admissionChecksStrategy).toBeUndefined();
    expect(ofKind(objects, 'ClusterQueue', 'h100')[0].spec.resourceGroups[0].flavors[0].resources[0].nominalQuota).toBe(pools.p5.maxSchedulableGpus);
    expect(w.queues.map((q) => q.name)).toEqual(['h100', 'a100']);
    expect(ofKind(objects, 'ResourceFlavor', 'p4d')[0].spec.nodeLabels).toEqual({ 'ai-platform/gpu-pool': 'p4d' });
    expect(ofKind(objects, 'WorkloadPriorityClass').map((p) => p.metadata.name)).toEqual(['urgent', 'batch']);
  });

  test('a worker runs only its classes', () => {
    const b = burst({ classes: [{ name: 'h100', gpuType: pools.p5.gpuType, workers: ['aws'] }, { name: 'a100', gpuType: pools.p4d.gpuType }] });
    const { objects } = worker('gcp', b);
    expect(ofKind(objects, 'ClusterQueue').map((q) => q.metadata.name)).toEqual(['a100']);
  });

  test('the manager\'s identity: ServiceAccount multikueue-sa, its ClusterRole and binding, a token Secret with no data', () => {
    const { objects } = worker('gcp');
    const ns = ofKind(objects, 'Namespace', 'multikueue')[0];
    expect(ns.metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const sa = ofKind(objects, 'ServiceAccount', 'multikueue-sa')[0];
    expect(sa.metadata.namespace).toBe('multikueue');
    expect(sa.automountServiceAccountToken).toBe(false);
    const role = ofKind(objects, 'ClusterRole', 'multikueue-sa-role')[0];
    expect(role.rules).toEqual([
      { apiGroups: ['kubeflow.org'], resources: ['tfjobs'], verbs: ['create', 'delete', 'get', 'list', 'watch'] },
      { apiGroups: ['kubeflow.org'], resources: ['tfjobs/status'], verbs: ['get'] },
      { apiGroups: ['kueue.x-k8s.io'], resources: ['workloads'], verbs: ['create', 'delete', 'get', 'list', 'watch', 'update', 'patch'] },
      { apiGroups: ['kueue.x-k8s.io'], resources: ['workloads/status'], verbs: ['get', 'patch', 'update'] },
      { apiGroups: ['kueue.x-k8s.io'], resources: ['clusterqueues', 'localqueues'], verbs: ['get', 'list', 'watch'] },
    ]);
    const binding = ofKind(objects, 'ClusterRoleBinding', 'multikueue-sa-crb')[0];
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'multikueue-sa-role' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'multikueue-sa', namespace: 'multikueue' }]);
    const secret = ofKind(objects, 'Secret', 'multikueue-sa')[0];
    expect(secret.type).toBe('kubernetes.io/service-account-token');
    expect(secret.metadata.namespace).toBe('multikueue');
    expect(secret.metadata.annotations).toEqual({ 'kubernetes.io/service-account.name': 'multikueue-sa' });
    expect(secret.data).toBeUndefined();
    expect(secret.stringData).toBeUndefined();
  });

  test('the rules follow the burst\'s job kinds', () => {
    const { objects } = worker('aws', burst({ jobIntegrations: [KueueIntegration.TF_JOB, KueueIntegration.PYTORCH_JOB] }));
    const resources = ofKind(objects, 'ClusterRole', 'multikueue-sa-role')[0].rules.map((r: Manifest) => r.resources[0]);
    expect(resources.slice(0, 4)).toEqual(['tfjobs', 'tfjobs/status', 'pytorchjobs', 'pytorchjobs/status']);
  });

  test('requires Kueue with the burst\'s integrations and the training operator; no dispatcher', () => {
    const { w } = worker('onprem');
    const own = AddonRequirements.of(w).filter((r) => r.by === w).map((r) => r.requirement);
    expect(own.map((r) => r.addon.id)).toEqual(['kueue', 'training-operator']);
    expect(own[0].kueueIntegrations).toEqual([KueueIntegration.TF_JOB]);
    expect(own[0].multiKueueDispatcher).toBeUndefined();
  });

  test('the pods Kueue marks as dispatched reach each other on TensorFlow\'s port, and the worker\'s egress', () => {
    const b = burst({ workers: [
      { name: 'onprem', pools: POOLS.onprem, egress: [{ namespace: 'data-platform', port: 9000 }] },
      { name: 'aws', pools: POOLS.aws, egress: [{ cidr: '0.0.0.0/0', port: 443 }] },
      { name: 'gcp', pools: POOLS.gcp },
    ] });
    const onprem = ofKind(worker('onprem', b).objects, 'NetworkPolicy', 'multikueue-dispatched-training');
    expect(onprem.map((p) => p.metadata.namespace).sort()).toEqual(['nlp', 'vision']);
    const selector = { matchLabels: { 'kueue.x-k8s.io/multikueue-worker-workload-pod': 'true' }, matchExpressions: [{ key: 'ai-platform/training-job', operator: 'Exists' }] };
    expect(onprem[0].spec).toEqual({
      podSelector: selector,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: selector }], ports: [{ protocol: 'TCP', port: 2222 }] }],
      egress: [
        { to: [{ podSelector: selector }], ports: [{ protocol: 'TCP', port: 2222 }] },
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data-platform' } } }], ports: [{ protocol: 'TCP', port: 9000 }] },
      ],
    });
    expect(ofKind(worker('aws', b).objects, 'NetworkPolicy', 'multikueue-dispatched-training')[0].spec.egress[1])
      .toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] });
    // no egress given: peers only
    expect(ofKind(worker('gcp', b).objects, 'NetworkPolicy', 'multikueue-dispatched-training')[0].spec.egress).toHaveLength(1);
  });

  describe('bad input names the field', () => {
    test('egress with both or neither of cidr and namespace, a bad CIDR, a bad port', () => {
      const withEgress = (egress: unknown) => () => burst({ workers: [{ name: 'aws', pools: POOLS.aws, egress: egress as never }] });
      expectValidationError(withEgress([{ cidr: '10.0.0.0/8', namespace: 'data', port: 443 }]), 'BurstClusterProps.workers[0].egress[0]', 'burst-cluster');
      expectValidationError(withEgress([{ port: 443 }]), 'BurstClusterProps.workers[0].egress[0]', 'burst-cluster');
      expectValidationError(withEgress([{ cidr: '10.0.0.1/8', port: 443 }]), 'BurstClusterProps.workers[0].egress[0].cidr', 'burst-cluster');
      expectValidationError(withEgress([{ namespace: 'Data', port: 443 }]), 'BurstClusterProps.workers[0].egress[0].namespace', 'burst-cluster');
      expectValidationError(withEgress([{ cidr: '0.0.0.0/0', port: 0 }]), 'BurstClusterProps.workers[0].egress[0].port', 'burst-cluster');
    });
    test('a cluster that is not a worker of the burst', () => {
      const c = clusterApp(POOLS.aws);
      expectValidationError(() => new BurstWorker(c.chart, 'burst', { burst: burst(), cluster: 'azure', teams: c.teams }), 'BurstWorkerProps.cluster', 'c/burst');
      const e = expectValidationError(() => new BurstWorker(c.chart, 'w', { burst: burst(), cluster: 'hub', teams: c.teams }), 'BurstWorkerProps.cluster', 'c/w');
      expect(e.message).toContain('use BurstManager');
    });
    test('teams that are not the burst\'s', () => {
      const c = clusterApp(POOLS.aws, ['vision']);
      expectValidationError(() => new BurstWorker(c.chart, 'burst', { burst: burst(), cluster: 'aws', teams: c.teams }), 'BurstWorkerProps.teams', 'c/burst');
    });
    test('a worker without the GpuNodePools of its pools (at synth)', () => {
      const c = clusterApp([pools.p5]);
      new BurstWorker(c.chart, 'burst', { burst: burst(), cluster: 'aws', teams: c.teams });
      expectValidationError(() => synthValid(c.chart), 'GpuQueueProps.pools[0]', 'c/burst/a100');
    });
  });
});
