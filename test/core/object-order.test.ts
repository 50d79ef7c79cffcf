import { ApiObject, Testing } from 'cdk8s';
import { ObjectOrder } from '../../lib/core/k8s/object-order';

describe('ObjectOrder: Helm\'s install order for every chart', () => {
  test('what others depend on ranks first: namespaces, policies, identities, configuration, RBAC, Services, workloads; custom resources last', () => {
    const kinds = ['Namespace', 'ResourceQuota', 'ServiceAccount', 'Secret', 'ConfigMap', 'PersistentVolumeClaim', 'CustomResourceDefinition',
      'ClusterRole', 'RoleBinding', 'Service', 'DaemonSet', 'Deployment', 'StatefulSet', 'Job', 'CronJob', 'Ingress', 'ValidatingWebhookConfiguration', 'LocalQueue'];
    const ranks = kinds.map((k) => ObjectOrder.rank(k));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(new Set(ranks).size).toBe(ranks.length);
    expect(ObjectOrder.rank('PriorityClass')).toBeLessThan(ObjectOrder.rank('Namespace'));
    expect(ObjectOrder.rank('ClusterQueue')).toBe(ObjectOrder.rank('LocalQueue'));
  });

  test('sort is stable: objects of one rank (and unknown kinds) keep their order', () => {
    const objs = [
      { kind: 'Deployment', n: 1 }, { kind: 'LocalQueue', n: 2 }, { kind: 'ConfigMap', n: 3 }, { kind: 'ClusterQueue', n: 4 },
      { kind: 'Namespace', n: 5 }, { kind: 'ConfigMap', n: 6 }, { kind: 'LocalQueue', n: 7 },
    ];
    expect(ObjectOrder.sort(objs).map((o) => o.n)).toEqual([5, 3, 6, 1, 2, 4, 7]);
    expect(objs.map((o) => o.n)).toEqual([1, 2, 3, 4, 5, 6, 7]); // the input is not changed
  });

  test('apply orders the chart\'s synthesized objects, once however often it is called', () => {
    const chart = Testing.chart();
    new ApiObject(chart, 'dep', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' } });
    new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' } });
    new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } });
    expect(Testing.synth(chart).map((o) => o.kind)).toEqual(['Deployment', 'ConfigMap', 'Namespace']);
    ObjectOrder.apply(chart);
    const toJson = chart.toJson;
    ObjectOrder.apply(chart);
    expect(chart.toJson).toBe(toJson);
    expect(Testing.synth(chart).map((o) => o.kind)).toEqual(['Namespace', 'ConfigMap', 'Deployment']);
  });

  test('an explicit dependency between objects of one kind is kept', () => {
    const chart = Testing.chart();
    const a = new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'n' } });
    const b = new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'n' } });
    a.addDependency(b);
    ObjectOrder.apply(chart);
    expect(Testing.synth(chart).map((o) => o.metadata.name)).toEqual(['b', 'a']);
  });
});
