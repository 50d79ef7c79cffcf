import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { KUBERNETES_VERSIONS, manifestProblems, Manifest, nestedMountProblems, strictCrdSchema } from './manifests';

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

describe('two Kubernetes levels: 1.28 and 1.34', () => {
  const job = (spec: object): Manifest => ({
    apiVersion: 'batch/v1', kind: 'Job', metadata: meta(),
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i:1' }] } }, ...spec },
  });

  test('both levels are vendored for the same kinds, except what 1.34 no longer serves', () => {
    const files = (level: string) => readdirSync(join(__dirname, '..', 'schemas', `k8s-${level}`)).filter((f) => f.endsWith('.json')).sort();
    expect(KUBERNETES_VERSIONS).toEqual(['1.28', '1.34']);
    expect(files('1.28').filter((f) => !files('1.34').includes(f))).toEqual(['validatingadmissionpolicy-admissionregistration-v1beta1.json']);
    expect(files('1.34').filter((f) => !files('1.28').includes(f))).toEqual([]);
  });

  test('a problem at both levels is reported once, naming both', () => {
    expect(manifestProblems(configMap({ datta: {} }))).toEqual([expect.stringMatching(/additional properties \(datta\) \(Kubernetes 1\.28, 1\.34\)$/)]);
  });

  test('a field only 1.34 has fails at 1.28 only; narrowing the levels is explicit', () => {
    const managed = job({ managedBy: 'kueue.x-k8s.io/multikueue' });
    expect(manifestProblems(managed)).toEqual([expect.stringMatching(/\/spec must NOT have additional properties \(managedBy\) \(Kubernetes 1\.28\)$/)]);
    expect(manifestProblems(managed, { versions: ['1.34'] })).toEqual([]);
  });

  test('a rule only 1.34 has fails at 1.34 only (hostAliases[].ip is required since 1.34)', () => {
    const aliases = job({ template: { spec: { restartPolicy: 'Never', hostAliases: [{ hostnames: ['a'] }], containers: [{ name: 'c', image: 'i:1' }] } } });
    expect(manifestProblems(aliases).join()).toMatch(/hostAliases\/0 must have required property 'ip' \(Kubernetes 1\.34\)/);
    expect(manifestProblems(aliases, { versions: ['1.28'] })).toEqual([]);
  });

  test('a kind 1.34 does not serve fails there with the reason (ValidatingAdmissionPolicy v1beta1)', () => {
    const vap = { apiVersion: 'admissionregistration.k8s.io/v1beta1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'p', labels }, spec: { validations: [{ expression: 'true' }] } } as Manifest;
    expect(manifestProblems(vap, { versions: ['1.28'] })).toEqual([]);
    expect(manifestProblems(vap)).toEqual([expect.stringMatching(/not in the Kubernetes 1\.34 API: use admissionregistration\.k8s\.io\/v1.*\(Kubernetes 1\.34\)$/)]);
  });

  test('a kind deprecated by 1.34 (v1 Endpoints, deprecated in 1.33) fails at 1.34', () => {
    const endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: meta(), subsets: [] } as Manifest;
    expect(manifestProblems(endpoints)).toEqual([expect.stringMatching(/v1 is deprecated for Endpoints \(Kubernetes 1\.34\)$/)]);
  });

  test('a custom group whose first label is a core group\'s is not taken for it', () => {
    const fake = { apiVersion: 'apps.example.com/v1', kind: 'Deployment', metadata: meta() } as Manifest;
    expect(manifestProblems(fake).join()).toMatch(/no schema for apps\.example\.com\/v1\/Deployment/);
  });
});

describe('nested mounts inside a writable volume (runc creates the missing directories as root)', () => {
  const pod = (volumes: object[], mounts: object[]) => ({ volumes, containers: [{ name: 'mc', image: 'i:1', volumeMounts: mounts }] });
  const tmp = { name: 'tmp', emptyDir: {} };
  const ca = { name: 'ca', secret: { secretName: 'ca' } };
  const check = (p: { volumes: object[]; containers: Array<{ volumeMounts: object[] }> }, claims: string[] = []) =>
    nestedMountProblems(p, p.containers[0] as never, claims);

  test('/tmp (emptyDir) + /tmp/.mc/certs/CAs without a mount at /tmp/.mc fails, naming the directories', () => {
    const problems = check(pod([tmp, ca], [{ name: 'tmp', mountPath: '/tmp' }, { name: 'ca', mountPath: '/tmp/.mc/certs/CAs', readOnly: true }]));
    expect(problems).toEqual([expect.stringMatching(/mount \/tmp\/\.mc\/certs\/CAs is nested 3 levels inside the writable volume tmp at \/tmp: the runtime creates \/tmp\/\.mc, \/tmp\/\.mc\/certs as root/)]);
  });

  test('a writable mount at each intermediate directory is fine', () => {
    const mc = { name: 'mc', emptyDir: {} };
    expect(check(pod([tmp, mc, ca], [{ name: 'tmp', mountPath: '/tmp' }, { name: 'mc', mountPath: '/tmp/.mc' }, { name: 'ca', mountPath: '/tmp/.mc/certs' }]))).toEqual([]);
  });

  test('one level down is fine; two levels down fails for PVCs, ephemeral volumes and claim templates too', () => {
    expect(check(pod([tmp, ca], [{ name: 'tmp', mountPath: '/tmp/' }, { name: 'ca', mountPath: '/tmp/certs' }]))).toEqual([]);
    const nested = [{ name: 'data', mountPath: '/data' }, { name: 'ca', mountPath: '/data/a/b' }];
    expect(check(pod([{ name: 'data', persistentVolumeClaim: { claimName: 'c' } }, ca], nested))).toHaveLength(1);
    expect(check(pod([{ name: 'data', ephemeral: {} }, ca], nested))).toHaveLength(1);
    expect(check(pod([ca], nested), ['data'])).toHaveLength(1);
  });

  test('inside a read-only mount or a read-only volume type the rule does not apply', () => {
    const nested = [{ name: 'tmp', mountPath: '/tmp', readOnly: true }, { name: 'ca', mountPath: '/tmp/a/b' }];
    expect(check(pod([tmp, ca], nested))).toEqual([]);
    expect(check(pod([{ name: 'tmp', configMap: { name: 'x' } }, ca], [{ name: 'tmp', mountPath: '/tmp' }, { name: 'ca', mountPath: '/tmp/a/b' }]))).toEqual([]);
  });

  test('every pod of every validated object is checked', () => {
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(),
      spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: pod([tmp, ca], [{ name: 'tmp', mountPath: '/tmp' }, { name: 'ca', mountPath: '/tmp/.mc/certs/CAs' }]) } },
    } as Manifest;
    expect(manifestProblems(deployment).join()).toMatch(/Deployment team-a\/demo: \.spec\.template\.spec: container mc: mount \/tmp\/\.mc\/certs\/CAs is nested 3 levels/);
  });
});
