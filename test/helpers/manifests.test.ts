import { manifestProblems, Manifest, strictCrdSchema } from './manifests';

const labels = {
  'app.kubernetes.io/name': 'x', 'app.kubernetes.io/instance': 'x', 'app.kubernetes.io/component': 'x',
  'app.kubernetes.io/part-of': 'x', 'app.kubernetes.io/managed-by': 'x',
};
const meta = (name = 'demo', namespace: string | undefined = 'team-a') => ({ name, namespace, labels });
const configMap = (extra: object = {}): Manifest => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(), data: { a: 'b' }, ...extra });
const localQueue = (apiVersion: string, spec: object): Manifest => ({ apiVersion, kind: 'LocalQueue', metadata: meta(), spec });

describe('strict manifest validation', () => {
  test('a valid core object passes', () => {
    expect(manifestProblems(configMap())).toEqual([]);
  });

  test('an unknown field in a core object fails (kubeconform -strict)', () => {
    expect(manifestProblems(configMap({ datta: {} })).join()).toMatch(/additional properties \(datta\)/);
  });

  test('a wrong type in a core object fails', () => {
    expect(manifestProblems(configMap({ data: { a: 1 } })).join()).toMatch(/\/data\/a must be string/);
  });

  test('int-or-string accepts both and nothing else', () => {
    const policy = (port: unknown): Manifest => ({
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta(),
      spec: { podSelector: {}, egress: [{ ports: [{ port }] }] },
    });
    expect(manifestProblems(policy(53))).toEqual([]);
    expect(manifestProblems(policy('dns'))).toEqual([]);
    expect(manifestProblems(policy(true))).not.toEqual([]);
  });

  test('a valid custom resource passes, an unknown field in its spec fails', () => {
    expect(manifestProblems(localQueue('kueue.x-k8s.io/v1beta2', { clusterQueue: 'cq' }))).toEqual([]);
    expect(manifestProblems(localQueue('kueue.x-k8s.io/v1beta2', { clusterQueue: 'cq', queue: 'x' })).join())
      .toMatch(/\/spec must NOT have additional properties \(queue\)/);
  });

  test('metadata of a custom resource is checked as a strict ObjectMeta', () => {
    const bad = { ...localQueue('kueue.x-k8s.io/v1beta2', { clusterQueue: 'cq' }), metadata: { ...meta(), label: {} } };
    expect(manifestProblems(bad).join()).toMatch(/\/metadata must NOT have additional properties \(label\)/);
  });

  test('a deprecated API version is refused', () => {
    expect(manifestProblems(localQueue('kueue.x-k8s.io/v1beta1', { clusterQueue: 'cq' })).join()).toMatch(/v1beta1 is deprecated/);
  });

  test('a kind with no schema fails instead of being skipped', () => {
    const obj = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta() } as Manifest;
    expect(manifestProblems(obj).join()).toMatch(/no schema for example.com\/v1\/Widget/);
  });

  test('names must be DNS-1123', () => {
    expect(manifestProblems({ ...configMap(), metadata: meta('Bad_Name') }).join()).toMatch(/not a DNS-1123 subdomain/);
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b', labels } } as Manifest;
    expect(manifestProblems(ns).join()).toMatch(/not a DNS-1123 label/);
  });

  test('namespaced objects need a namespace other than default; cluster-scoped ones take none', () => {
    expect(manifestProblems({ ...configMap(), metadata: meta('demo', 'default') }).join()).toMatch(/other than "default"/);
    expect(manifestProblems({ ...configMap(), metadata: { name: 'demo', labels } }).join()).toMatch(/needs metadata.namespace/);
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: meta('team-a', 'team-a') } as Manifest;
    expect(manifestProblems(ns).join()).toMatch(/cluster-scoped/);
  });

  test('label keys and values follow the API server\'s rules, in templates too; Service names are DNS-1035', () => {
    const long = { ...configMap(), metadata: { ...meta(), labels: { ...labels, 'app.kubernetes.io/instance': 'x'.repeat(64) } } };
    expect(manifestProblems(long).join()).toMatch(/label app.kubernetes.io\/instance: value "x{64}" is not a valid label value/);
    const badKey = { ...configMap(), metadata: { ...meta(), labels: { ...labels, 'bad key': 'v' } } };
    expect(manifestProblems(badKey).join()).toMatch(/label key "bad key" is not a qualified name/);
    const template = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(), spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: '-b-' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } } } } as Manifest;
    expect(manifestProblems(template).join()).toMatch(/label a: value "-b-"/);
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: meta('1lake'), spec: { ports: [{ port: 80 }] } } as Manifest;
    expect(manifestProblems(svc).join()).toMatch(/DNS-1035/);
  });

  test('rules no schema states: selector matches template, mounts refer to volumes, Job restart policy', () => {
    const deployment = (selector: object, mounts: object[], volumes: object[]): Manifest => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(),
      spec: { selector: { matchLabels: selector }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i:1', volumeMounts: mounts }], volumes } } },
    });
    expect(manifestProblems(deployment({ app: 'a' }, [{ name: 'v', mountPath: '/v' }], [{ name: 'v', emptyDir: {} }]))).toEqual([]);
    expect(manifestProblems(deployment({ app: 'b' }, [], [])).join()).toMatch(/spec.selector app=b does not match/);
    expect(manifestProblems(deployment({ app: 'a' }, [{ name: 'w', mountPath: '/w' }], [])).join()).toMatch(/mounts w, which is no volume of the pod/);
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: meta(), spec: { template: { spec: { restartPolicy: 'Always', containers: [{ name: 'c', image: 'i:1' }] } } } } as Manifest;
    expect(manifestProblems(job).join()).toMatch(/restartPolicy Never or OnFailure/);
  });

  test('the standard labels are required', () => {
    const obj = { ...configMap(), metadata: { name: 'demo', namespace: 'team-a', labels: { 'app.kubernetes.io/name': 'x' } } };
    expect(manifestProblems(obj).join()).toMatch(/missing labels app.kubernetes.io\/instance/);
  });
});

describe('strictCrdSchema', () => {
  const schema = strictCrdSchema({
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          port: { 'x-kubernetes-int-or-string': true, 'anyOf': [{ type: 'integer' }, { type: 'string' }] },
          note: { type: 'string', nullable: true },
          free: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true },
          typed: { type: 'object', properties: { a: { type: 'string' } }, description: 'doc' },
        },
      },
    },
  }) as { properties: { spec: { additionalProperties: boolean; properties: Record<string, Record<string, unknown>> } } };

  test('objects with properties reject unknown fields', () => {
    expect(schema.properties.spec.additionalProperties).toBe(false);
    expect(schema.properties.spec.properties.typed.additionalProperties).toBe(false);
  });

  test('preserve-unknown-fields stays open, nullable admits null, descriptions are dropped', () => {
    expect(schema.properties.spec.properties.free.additionalProperties).toBeUndefined();
    expect(schema.properties.spec.properties.note.type).toEqual(['string', 'null']);
    expect(schema.properties.spec.properties.typed.description).toBeUndefined();
  });
});
