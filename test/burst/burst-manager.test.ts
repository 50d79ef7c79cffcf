import { Chart } from 'cdk8s';
import { parse } from 'yaml';
import { BurstCluster, BurstManager, ClusterAddons, KueueIntegration, MultiKueueDispatcher, TeamSpace } from '../../lib';
import { AddonRequirements } from '../../lib/addons/addon-requirements';
import { expectValidationError } from '../helpers/errors';
import { Manifest, ofKind, synthValid } from '../helpers/manifests';
import { burst, clusterApp, pools } from './fixtures';

function manager(b: BurstCluster = burst(), gpuPools = b.managerPools) {
  const c = clusterApp(gpuPools);
  const m = new BurstManager(c.chart, 'burst', { burst: b, teams: c.teams });
  return { ...c, m, b };
}
const gpuQuota = (cq: Manifest) => cq.spec.resourceGroups[0].flavors[0].resources[0].nominalQuota;

describe('BurstManager', () => {
  test('a MultiKueueCluster per worker, reading the Secret multikueue-<worker>', () => {
    const { chart } = manager();
    const clusters = ofKind(synthValid(chart), 'MultiKueueCluster');
    expect(clusters.map((c) => c.metadata.name)).toEqual(['onprem', 'aws', 'gcp']);
    expect(clusters[1].spec).toEqual({ clusterSource: { kubeConfig: { locationType: 'Secret', location: 'multikueue-aws' } } });
  });

  test('per class: a MultiKueueConfig in the burst\'s order, one MultiKueue AdmissionCheck, a ClusterQueue of the workers\' sum', () => {
    const { chart, b } = manager();
    const objects = synthValid(chart);
    for (const cls of ['h100', 'a100']) {
      expect(ofKind(objects, 'MultiKueueConfig', cls)[0].spec.clusters).toEqual(b.order(cls));
      const check = ofKind(objects, 'AdmissionCheck', cls)[0];
      expect(check.spec).toEqual({ controllerName: 'kueue.x-k8s.io/multikueue', parameters: { apiGroup: 'kueue.x-k8s.io', kind: 'MultiKueueConfig', name: cls } });
      const cq = ofKind(objects, 'ClusterQueue', cls)[0];
      expect(cq.spec.admissionChecksStrategy).toEqual({ admissionChecks: [{ name: cls }] });
      expect(gpuQuota(cq)).toBe(b.managerGpus(cls));
    }
    expect(ofKind(objects, 'MultiKueueConfig', 'a100')[0].spec.clusters).toEqual(['onprem', 'gcp', 'aws']);
    // 28 A100s: 8 CPUs and 64Gi each
    const a100 = ofKind(objects, 'ClusterQueue', 'a100')[0];
    expect(gpuQuota(a100)).toBe(28);
    expect(a100.spec.resourceGroups[1].flavors[0].resources).toEqual([{ name: 'cpu', nominalQuota: '224' }, { name: 'memory', nominalQuota: '1792Gi' }]);
    expect(ofKind(objects, 'AdmissionCheck')).toHaveLength(2);
  });

  test('a LocalQueue of each class in each team namespace; the burst\'s WorkloadPriorityClasses', () => {
    const { chart } = manager();
    const objects = synthValid(chart);
    expect(ofKind(objects, 'LocalQueue').map((q) => `${q.metadata.namespace}/${q.metadata.name}->${q.spec.clusterQueue}`).sort()).toEqual([
      'nlp/a100->a100', 'nlp/h100->h100', 'vision/a100->a100', 'vision/h100->h100',
    ]);
    expect(ofKind(objects, 'WorkloadPriorityClass').map((p) => [p.metadata.name, p.value])).toEqual([['urgent', 1000], ['batch', 10]]);
  });

  test('requires Kueue with the tfjob integration and the incremental dispatcher, and the training operator', () => {
    const { m } = manager(burst({ stepSize: 2 }));
    const own = AddonRequirements.of(m).filter((r) => r.by === m).map((r) => r.requirement);
    expect(own.map((r) => r.addon.id)).toEqual(['kueue', 'kueue', 'training-operator']);
    expect(own[0].kueueIntegrations).toEqual([KueueIntegration.TF_JOB]);
    expect(own[1]).toMatchObject({ multiKueueDispatcher: MultiKueueDispatcher.INCREMENTAL, multiKueueStepSize: 2 });
  });

  test('the cluster\'s add-ons: Kueue\'s configuration names the incremental dispatcher, its step size and the tfjob framework', () => {
    const { app, chart } = manager(burst({ stepSize: 2 }));
    synthValid(chart);
    const addonsChart = new Chart(app, 'addons');
    new ClusterAddons(addonsChart, 'addons', { clusterName: 'hub' });
    const kueue = ofKind(synthValid(addonsChart), 'Application', 'hub-kueue')[0];
    const yaml: string = kueue.spec.source.helm.valuesObject.managerConfig.controllerManagerConfigYaml;
    expect(yaml).toContain('dispatcherName: "kueue.x-k8s.io/multikueue-dispatcher-incremental"');
    const config = parse(yaml);
    expect(config.multiKueue).toEqual({ dispatcherName: 'kueue.x-k8s.io/multikueue-dispatcher-incremental', incrementalDispatcherConfig: { stepSize: 2 } });
    expect(config.integrations.frameworks).toContain('kubeflow.org/tfjob');
    expect(ofKind(synthValid(addonsChart), 'Application', 'hub-training-operator')).toHaveLength(1);
  });

  test('the fallback topology: the manager\'s own pools give a local GpuQueue <class> and a burst queue <class>-burst', () => {
    const b = burst({ managerPools: [pools.onpremH100], manager: 'dc1', workers: [{ name: 'aws', pools: [pools.p4d, pools.p5] }, { name: 'gcp', pools: [pools.a2, pools.a3] }] });
    const { chart, m } = manager(b);
    const objects = synthValid(chart);
    expect(ofKind(objects, 'ClusterQueue').map((q) => q.metadata.name).sort()).toEqual(['a100-burst', 'h100', 'h100-burst']);
    const local = ofKind(objects, 'ClusterQueue', 'h100')[0];
    expect(local.spec.admissionChecksStrategy).toBeUndefined();
    expect(local.spec.resourceGroups[0].flavors).toEqual([{ name: 'h100', resources: [{ name: 'nvidia.com/gpu', nominalQuota: 16 }] }]);
    expect(ofKind(objects, 'ClusterQueue', 'h100-burst')[0].spec.admissionChecksStrategy).toEqual({ admissionChecks: [{ name: 'h100-burst' }] });
    expect(ofKind(objects, 'MultiKueueConfig', 'h100-burst')[0].spec.clusters).toEqual(['aws', 'gcp']);
    expect(ofKind(objects, 'LocalQueue').filter((q) => q.metadata.namespace === 'vision').map((q) => q.metadata.name).sort()).toEqual(['a100-burst', 'h100', 'h100-burst']);
    expect(m.localGpuQueues.map((q) => q.name)).toEqual(['h100']);
  });

  describe('bad input names the field', () => {
    test('teams that are not the burst\'s', () => {
      const c = clusterApp([], ['vision']);
      expect(expectValidationError(() => new BurstManager(c.chart, 'burst', { burst: burst(), teams: c.teams }), 'BurstManagerProps.teams', 'c/burst').message).toContain('nlp missing');
      const d = clusterApp([], ['vision', 'nlp', 'web']);
      expectValidationError(() => new BurstManager(d.chart, 'burst', { burst: burst(), teams: d.teams }), 'BurstManagerProps.teams[2]', 'c/burst');
    });
    test('two managers in one cluster (at synth)', () => {
      const { chart, b, teams } = manager();
      const other = new Chart(chart.node.root, 'other');
      new BurstManager(other, 'again', { burst: b, teams: [TeamSpace.fromNamespace(other, 'v', teams[0].namespaceName), TeamSpace.fromNamespace(other, 'n', teams[1].namespaceName)] });
      expectValidationError(() => synthValid(chart), 'BurstManagerProps.burst', 'c/burst');
    });
  });
});
