import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiObject } from 'cdk8s';
import { stringify } from 'yaml';
import { ObjectOrder } from '../../lib/core/k8s/object-order';
import { ClusterModel, parseQuantity } from './cluster-model';
import { Manifest, synthValid, testChart, vendoredCustomResource } from './manifests';
import { tempDir } from './output';

const labels = {
  'app.kubernetes.io/name': 'x', 'app.kubernetes.io/instance': 'x', 'app.kubernetes.io/component': 'x',
  'app.kubernetes.io/part-of': 'x', 'app.kubernetes.io/managed-by': 'x',
};
const namespace = (name: string): Manifest => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const configMap = (ns: string, name = 'cm', data: Record<string, string> = {}): Manifest => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels }, data });
const localQueue = (ns: string): Manifest => ({ apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'LocalQueue', metadata: { name: 'q', namespace: ns, labels }, spec: { clusterQueue: 'cq' } });
const crd: Manifest = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'localqueues.kueue.x-k8s.io' },
  spec: { group: 'kueue.x-k8s.io', scope: 'Namespaced', names: { kind: 'LocalQueue', plural: 'localqueues' }, versions: [{ name: 'v1beta2', served: true, storage: true }] },
};

describe('ClusterModel: an empty cluster applying objects in order', () => {
  test('an object before its Namespace is refused; after it, accepted', () => {
    expect(new ClusterModel().apply([configMap('team-a'), namespace('team-a')], 'a.yaml'))
      .toEqual(['a.yaml: ConfigMap team-a/cm: namespaces "team-a" not found (its Namespace must be applied first)']);
    expect(new ClusterModel().apply([namespace('team-a'), configMap('team-a')])).toEqual([]);
  });

  test('the system namespaces exist from the start; namespaces made elsewhere can be given', () => {
    const model = new ClusterModel({ namespaces: ['lake'] });
    expect(model.apply(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'lake'].map((ns) => configMap(ns)))).toEqual([]);
    expect(model.apply([configMap('other')])).toHaveLength(1);
  });

  test('a custom resource needs its CRD installed before the command: a CRD in the same command does not count', () => {
    expect(new ClusterModel().apply([namespace('t'), localQueue('t')]).join()).toMatch(/resource mapping not found for kind LocalQueue.*ensure CRDs are installed first/);
    const model = new ClusterModel();
    expect(model.apply([namespace('t'), crd, localQueue('t')])).toHaveLength(1);
    expect(model.apply([localQueue('t')])).toEqual([]); // the next command knows the kind
    expect(new ClusterModel({ crds: ['kueue.x-k8s.io/v1beta2/LocalQueue'] }).apply([namespace('t'), localQueue('t')])).toEqual([]);
    expect(new ClusterModel({ crds: vendoredCustomResource }).apply([namespace('t'), localQueue('t')])).toEqual([]);
  });

  test('a cluster-scoped custom resource needs no namespace', () => {
    const cq = { apiVersion: 'kueue.x-k8s.io/v1beta2', kind: 'ClusterQueue', metadata: { name: 'cq' }, spec: {} } as Manifest;
    expect(new ClusterModel({ crds: vendoredCustomResource }).apply([cq])).toEqual([]);
  });

  test('client-side apply refuses an object whose last-applied annotation passes 256 KiB; server-side apply does not', () => {
    const big = configMap('default', 'big', { a: 'x'.repeat(256 * 1024) });
    expect(new ClusterModel().apply([big]).join()).toMatch(/metadata.annotations: Too long: must have at most 262144 bytes/);
    expect(new ClusterModel({ serverSide: true }).apply([big])).toEqual([]);
  });

  test('a ResourceQuota refuses what passes its hard limits, counting what was there before it', () => {
    const quota = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 't' }, spec: { hard: { 'requests.storage': '10Gi', 'configmaps': '2' } } } as Manifest;
    const pvc = (name: string, storage: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 't' }, spec: { resources: { requests: { storage } } } }) as Manifest;
    const refusals = new ClusterModel().apply([namespace('t'), configMap('t', 'a'), quota, pvc('p1', '8Gi'), pvc('p2', '4Gi'), configMap('t', 'b'), configMap('t', 'c')]);
    expect(refusals).toEqual([
      expect.stringMatching(/PersistentVolumeClaim t\/p2: exceeded quota: q, requested: requests.storage=4294967296, used: requests.storage=8589934592, limited: requests.storage=10737418240/),
      expect.stringMatching(/ConfigMap t\/c: exceeded quota: q, requested: configmaps=1, used: configmaps=2, limited: configmaps=2/),
    ]);
  });

  test('a bare Pod naming a ServiceAccount that does not exist is refused', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 't' }, spec: { serviceAccountName: 'runner', containers: [] } } as Manifest;
    const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'runner', namespace: 't' } } as Manifest;
    expect(new ClusterModel().apply([namespace('t'), pod, sa]).join()).toMatch(/serviceaccount "runner" not found/);
    expect(new ClusterModel().apply([namespace('t'), sa, pod])).toEqual([]);
  });

  test('the same object twice with other content is reported; twice the same is not', () => {
    expect(new ClusterModel().apply([configMap('default', 'a', { k: '1' }), configMap('default', 'a', { k: '2' })], 'x.yaml'))
      .toEqual([expect.stringMatching(/ConfigMap default\/a: also applied by x.yaml with other content/)]);
    expect(new ClusterModel().apply([configMap('default'), configMap('default')])).toEqual([]);
  });

  test('an object without a name is refused', () => {
    expect(new ClusterModel().apply([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'x-' } } as never]).join()).toMatch(/metadata.name is required/);
  });

  test('a directory is applied as kubectl apply -f <dir> does: .json/.yaml/.yml files in name order, documents in order, not recursively', () => {
    const dir = tempDir('cluster-model');
    const write = (file: string, docs: Manifest[]) => writeFileSync(join(dir, file), docs.map((d) => stringify(d)).join('---\n'));
    write('0000-a.yaml', [configMap('late')]);
    write('0001-b.yaml', [namespace('late'), namespace('early')]);
    write('0002-c.yml', [configMap('early')]);
    writeFileSync(join(dir, '0003-d.json'), JSON.stringify(configMap('never')));
    writeFileSync(join(dir, 'notes.txt'), 'not applied');
    mkdirSync(join(dir, 'sub'));
    write('sub/0000.yaml', [configMap('nested')]);
    expect(new ClusterModel().applyDirectory(dir)).toEqual([
      `${join(dir, '0000-a.yaml')}: ConfigMap late/cm: namespaces "late" not found (its Namespace must be applied first)`,
      `${join(dir, '0003-d.json')}: ConfigMap never/cm: namespaces "never" not found (its Namespace must be applied first)`,
    ]);
  });

  test('quantities', () => {
    expect(parseQuantity('10Gi')).toBe(10 * 2 ** 30);
    expect(parseQuantity('500M')).toBe(5e8);
    expect(parseQuantity('1.5')).toBe(1.5);
    expect(parseQuantity('100m')).toBeCloseTo(0.1);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(() => parseQuantity('ten')).toThrow(/not a quantity/);
  });
});

describe('synthValid applies each chart to the cluster model', () => {
  const build = (order: boolean) => {
    const chart = testChart();
    new ApiObject(chart, 'cm', configMap('team-a'));
    new ApiObject(chart, 'ns', namespace('team-a'));
    if (order) ObjectOrder.apply(chart);
    return chart;
  };

  test('a Namespace the chart creates must come before what lives in it', () => {
    expect(() => synthValid(build(false))).toThrow(/ConfigMap team-a\/cm: namespaces "team-a" not found/);
    expect(() => synthValid(build(true))).not.toThrow();
  });

  test('namespaces the chart uses but does not create are assumed made elsewhere', () => {
    const chart = testChart();
    new ApiObject(chart, 'cm', configMap('made-elsewhere'));
    expect(() => synthValid(chart)).not.toThrow();
  });
});
