import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { Errors, GpuResources, Images, Labels, Names, Quantities, Resources, Security } from '../../lib';
import { ValidationError } from '../../lib/core/errors';

const scope = () => new Construct(Testing.chart(), 'thing');

describe('ValidationError', () => {
  test('Errors.isValidationError tells the library\'s bad-input errors from others', () => {
    expect(Errors.isValidationError(new ValidationError('', 'F', 1, 'x'))).toBe(true);
    expect(Errors.isValidationError(new Error('x'))).toBe(false);
  });

  test('names the path, the field, the value and what is valid', () => {
    const e = new ValidationError('app/chart/x', 'Foo.bar', -1, 'expected a positive integer');
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toBe('[app/chart/x] Foo.bar: -1 is invalid: expected a positive integer');
    expect(e.field).toBe('Foo.bar');
  });
});

describe('Names', () => {
  test('dnsLabel is deterministic, DNS-1123 and differs per path', () => {
    const chart = Testing.chart();
    const a = new Construct(new Construct(chart, 'Team_A'), 'Notebook');
    const b = new Construct(new Construct(chart, 'team-a'), 'notebook');
    expect(Names.dnsLabel(a)).toMatch(/^test-team-a-notebook-[0-9a-f]{8}$/);
    expect(Names.dnsLabel(a)).toBe(Names.dnsLabel(a));
    expect(Names.dnsLabel(a)).not.toBe(Names.dnsLabel(b));
    expect(Names.isDnsLabel(Names.dnsLabel(a))).toBe(true);
  });

  test('dnsLabel keeps the last components and the hash when the path is long', () => {
    let c: Construct = Testing.chart();
    for (let i = 0; i < 10; i++) c = new Construct(c, `component-number-${i}`);
    const name = Names.dnsLabel(c, { maxLength: 40, suffix: 'svc' });
    expect(name.length).toBeLessThanOrEqual(40);
    expect(name).toMatch(/^component-number-9-svc-[0-9a-f]{8}$/);
  });

  test('dnsLabel rejects an impossible maxLength', () => {
    expect(() => Names.dnsLabel(scope(), { maxLength: 5 })).toThrow(/DnsLabelOptions.maxLength: 5/);
  });

  test.each(['a', 'team-a', 'a1', '0abc'])('%s is a DNS label', (v) => expect(Names.isDnsLabel(v)).toBe(true));
  test.each(['', 'A', '-a', 'a-', 'a_b', 'a.b', 'x'.repeat(64)])('%s is not a DNS label', (v) => expect(Names.isDnsLabel(v)).toBe(false));
  test('subdomains', () => {
    expect(Names.isDnsSubdomain('a.b-c.d')).toBe(true);
    expect(Names.isDnsSubdomain('a..b')).toBe(false);
  });
  test('fit: the plain name when it fits, else a prefix, a hash and the suffix, within the limit', () => {
    expect(Names.fit('features', '-mirror', 30)).toBe('features-mirror');
    const long = 'acme-ai-platform-features-replica';
    const fitted = Names.fit(long, '-mirror', 30);
    expect(fitted).toMatch(/^acme-ai-platform-[0-9a-f]{6}-mirror$/);
    expect(fitted.length).toBeLessThanOrEqual(30);
    expect(Names.fit(`${long}-2`, '-mirror', 30)).not.toBe(fitted);
    expect(Names.fit(long, '-mirror', 30)).toBe(fitted);
  });

  test('validateDnsLabel names the field', () => {
    expect(() => Names.validateDnsLabel('app/thing', 'X.name', 'Bad')).toThrow(/X.name: "Bad" is invalid: expected a DNS-1123 label/);
  });
});

describe('Quantities', () => {
  test.each([['500m', 0.5], ['2', 2], ['1Gi', 2 ** 30], ['1.5G', 1.5e9], ['1e3', 1000], ['100Mi', 100 * 2 ** 20], ['.5', 0.5]])(
    '%s = %d', (q, v) => expect(Quantities.parse(q)).toBeCloseTo(v));
  test.each(['', 'abc', '1GB', '1 Gi', '--1'])('%s is not a quantity', (q) => expect(Quantities.parse(q)).toBeUndefined());
  test.each([['64Gi', 16, '1024Gi'], ['0.5', 3, '1.5'], ['8', 0, '0'], ['1.1', 3, '3.3'], ['250m', 4, '1000m']])(
    '%s times %d is %s, in its own unit', (q, n, out) => expect(Quantities.times(q as string, n as number)).toBe(out));
  test('validate rejects negative and zero (unless allowed)', () => {
    expect(() => Quantities.validate('app/thing', 'Q.cpu', '-1')).toThrow(/Q.cpu: "-1" is invalid: expected a positive/);
    expect(() => Quantities.validate('app/thing', 'Q.cpu', '0')).toThrow(/Q.cpu/);
    expect(Quantities.validate('app/thing', 'Q.cpu', '0', true)).toBe('0');
  });
  test('validateLimit rejects a limit under the request', () => {
    expect(() => Quantities.validateLimit('app/thing', 'Q.limit', '1Gi', '2Gi')).toThrow(/Q.limit: "1Gi" is invalid: expected a limit at least equal to the request "2Gi"/);
    expect(Quantities.validateLimit('app/thing', 'Q.limit', '2Gi', '2048Mi')).toBe('2Gi');
  });
  test('validateRange: two counts, the inverted pair reported on the max field', () => {
    expect(Quantities.validateRange('p', 'X.minNodes', 'X.maxNodes', 1, 3, 1)).toEqual({ min: 1, max: 3 });
    expect(() => Quantities.validateRange('p', 'X.minNodes', 'X.maxNodes', 4, 3, 1)).toThrow(/X.maxNodes: 3 is invalid: expected at least minNodes \(4\)/);
    expect(() => Quantities.validateRange('p', 'X.minNodes', 'X.maxNodes', 0, 3, 1)).toThrow(/X.minNodes: 0 is invalid: expected an integer >= 1/);
  });

  test('validateCount', () => {
    expect(() => Quantities.validateCount('app/thing', 'Q.n', 0)).toThrow(/Q.n: 0 is invalid: expected an integer >= 1/);
    expect(() => Quantities.validateCount('app/thing', 'Q.n', 1.5)).toThrow(/Q.n/);
    expect(Quantities.validateCount('app/thing', 'Q.n', 0, 0)).toBe(0);
  });
});

describe('Images', () => {
  test.each(['nginx:1.27.1', 'nvcr.io/nvidia/k8s-device-plugin:v0.17.1', 'registry:5000/a/b:1.0', `a/b@sha256:${'a'.repeat(64)}`])(
    '%s is pinned', (ref) => expect(Images.validatePinned('app/thing', 'X.image', ref)).toBe(ref));
  test.each(['nginx', 'nginx:latest', 'registry:5000/app', 'a/b@sha256:short'])('%s is refused', (ref) => {
    expect(() => Images.validatePinned('app/thing', 'X.image', ref)).toThrow(/X.image: .* expected a pinned image reference/);
  });
});

describe('Labels', () => {
  test('standard labels: all five, managed-by this library', () => {
    expect(Labels.standard({ name: 'minio', instance: 'lake', component: 'server' })).toEqual({
      'app.kubernetes.io/name': 'minio',
      'app.kubernetes.io/instance': 'lake',
      'app.kubernetes.io/component': 'server',
      'app.kubernetes.io/part-of': 'ai-platform',
      'app.kubernetes.io/managed-by': 'cdk8s-ai-platform',
    });
    expect(Labels.selector({ name: 'minio', instance: 'lake', component: 'server' })).toEqual({
      'app.kubernetes.io/name': 'minio', 'app.kubernetes.io/instance': 'lake',
    });
  });
});

describe('Security', () => {
  test('pod and container contexts meet PSS restricted', () => {
    expect(Security.podSecurityContext()).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    expect(Security.containerSecurityContext()).toMatchObject({
      allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, privileged: false,
    });
    expect(Security.containerSecurityContext({ readOnlyRootFilesystem: false }).readOnlyRootFilesystem).toBe(false);
  });
  test('uid 0 is refused', () => {
    expect(() => Security.podSecurityContext({ runAsUser: 0 })).toThrow(/PodSecurityOptions.runAsUser: 0 is invalid/);
  });
  test('writable directories are emptyDir volumes with matching mounts', () => {
    const w = Security.writableDirectories(['/tmp', '/home/app/.cache']);
    expect(w.volumes.map((v) => v.name)).toEqual(['writable-0', 'writable-1']);
    expect(w.mounts).toEqual([{ name: 'writable-0', mountPath: '/tmp' }, { name: 'writable-1', mountPath: '/home/app/.cache' }]);
    expect(() => Security.writableDirectories(['tmp'])).toThrow(/writableDirectories.paths\[0\]: "tmp"/);
  });
});

describe('Resources', () => {
  test('requests and limits, limits default to requests, GPUs as extended limits', () => {
    const r = Resources.requirements(scope(), 'W.resources', { cpu: '2', memory: '4Gi', cpuLimit: '4' }, { [GpuResources.NVIDIA_GPU]: 1 });
    expect(JSON.parse(JSON.stringify(r))).toEqual({
      requests: { cpu: { value: '2' }, memory: { value: '4Gi' } },
      limits: { 'cpu': { value: '4' }, 'memory': { value: '4Gi' }, 'nvidia.com/gpu': { value: 1 } },
    });
  });
  test('quotaDemand: what replicas take from a ResourceQuota, in cores and bytes', () => {
    expect(Resources.quotaDemand({ cpu: '500m', memory: '1Gi', memoryLimit: '2Gi' }, 4)).toEqual({
      'requests.cpu': 2, 'limits.cpu': 2, 'requests.memory': 4 * 2 ** 30, 'limits.memory': 8 * 2 ** 30,
    });
  });

  test('bad input names the field', () => {
    expect(() => Resources.requirements(scope(), 'W.resources', { cpu: '-1', memory: '1Gi' })).toThrow(/W.resources.cpu: "-1"/);
    expect(() => Resources.requirements(scope(), 'W.resources', { cpu: '1', memory: '1Gi', memoryLimit: '512Mi' })).toThrow(/W.resources.memoryLimit/);
    expect(() => Resources.requirements(scope(), 'W.resources', { cpu: '1', memory: '1Gi' }, { 'nvidia.com/gpu': 0 })).toThrow(/W.resources.nvidia.com\/gpu: 0/);
  });
});

describe('GpuResources', () => {
  test('knows whole GPUs and MIG slices', () => {
    expect(GpuResources.all()).toContain('nvidia.com/gpu');
    expect(GpuResources.all()).toContain('nvidia.com/mig-1g.10gb');
    expect(GpuResources.all()).toContain('nvidia.com/mig-7g.80gb');
    expect(new Set(GpuResources.all()).size).toBe(GpuResources.all().length);
  });
});

describe('Names.isDns1035Label', () => {
  test.each(['a', 'lake', 'alice-jupyter', 'a1'])('%s is one', (v) => expect(Names.isDns1035Label(v)).toBe(true));
  test.each(['1lake', '-a', 'a-', 'Lake', 'a'.repeat(64), '', 3 as never])('%s is not', (v) => expect(Names.isDns1035Label(v)).toBe(false));
});
