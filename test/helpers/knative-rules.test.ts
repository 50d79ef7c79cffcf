import { knativeFlagProblems, knativeFlagsNeeded, knativeServiceProblems, parseGoDuration } from './knative-rules';

const svc = (patch: (s: any) => void = () => undefined) => { // eslint-disable-line @typescript-eslint/no-explicit-any
  const s = {
    apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'm', namespace: 'ml' },
    spec: {
      template: {
        metadata: { name: 'm-v1-abc', annotations: { 'autoscaling.knative.dev/min-scale': '0', 'autoscaling.knative.dev/max-scale': '3' } },
        spec: { containers: [{ name: 'server', image: 'r/x:1', ports: [{ name: 'http1', containerPort: 8080 }], volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }] }], volumes: [{ name: 'tmp', emptyDir: {} }] },
      },
      traffic: [{ revisionName: 'm-v1-abc', percent: 100, tag: 'current' }],
    },
  };
  patch(s);
  return s;
};

describe('Knative field rules (knative/serving knative-v1.23.0)', () => {
  test('a valid Service has no problems; other kinds are ignored', () => {
    expect(knativeServiceProblems(svc())).toEqual([]);
    expect(knativeServiceProblems({ apiVersion: 'v1', kind: 'Service', spec: {} })).toEqual([]);
  });
  test.each([
    ['two ports', (s: any) => s.spec.template.spec.containers[0].ports.push({ containerPort: 9000 }), 'more than one container port'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a port name', (s: any) => { s.spec.template.spec.containers[0].ports[0].name = 'http'; }, 'is not allowed: empty, "http1" or "h2c"'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a reserved port', (s: any) => { s.spec.template.spec.containers[0].ports[0].containerPort = 8012; }, 'reserved port'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['autoscaling on the Service', (s: any) => { s.metadata.annotations = { 'autoscaling.knative.dev/min-scale': '1' }; }, 'must be put under spec.template.metadata.annotations'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['min > max', (s: any) => { s.spec.template.metadata.annotations['autoscaling.knative.dev/min-scale'] = '5'; }, 'max-scale=3 is less than min-scale=5'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a window', (s: any) => { s.spec.template.metadata.annotations['autoscaling.knative.dev/window'] = '5s'; }, 'outside 6s..1h'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a revision name prefix', (s: any) => { s.spec.template.metadata.name = 'other-v1'; }, 'must have prefix "m-"'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['percents', (s: any) => { s.spec.traffic[0].percent = 90; }, 'sum to 90, want 100'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['duplicate tags', (s: any) => { s.spec.traffic = [{ revisionName: 'm-a', percent: 50, tag: 't' }, { revisionName: 'm-b', percent: 50, tag: 't' }]; }, 'multiple definitions for "t"'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a pod field never allowed', (s: any) => { s.spec.template.spec.terminationGracePeriodSeconds = 30; }, 'terminationGracePeriodSeconds: not allowed'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a lifecycle hook', (s: any) => { s.spec.template.spec.containers[0].lifecycle = {}; }, 'lifecycle: not allowed'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['an unmounted volume', (s: any) => s.spec.template.spec.volumes.push({ name: 'x', emptyDir: {} }), 'is not mounted'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a writable configMap mount', (s: any) => { s.spec.template.spec.volumes.push({ name: 'c', configMap: { name: 'c' } }); s.spec.template.spec.containers[0].volumeMounts.push({ name: 'c', mountPath: '/etc/c' }); }, 'should be readOnly'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a reserved env', (s: any) => { s.spec.template.spec.containers[0].env = [{ name: 'PORT', value: '1' }]; }, 'reserved environment variable'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a probe port name', (s: any) => { s.spec.template.spec.containers[0].readinessProbe = { tcpSocket: { port: 'h2c' } }; }, 'must match the container port'], // eslint-disable-line @typescript-eslint/no-explicit-any
    ['a timeout over 600', (s: any) => { s.spec.template.spec.timeoutSeconds = 601; }, 'timeoutSeconds 601'], // eslint-disable-line @typescript-eslint/no-explicit-any
  ])('refuses %s', (_name, patch, message) => {
    expect(knativeServiceProblems(svc(patch)).join('\n')).toContain(message);
  });
  test('pod fields behind flags are listed with their flag, and refused unless declared or on by default', () => {
    const s = svc((x) => { x.spec.template.spec.nodeSelector = { a: 'b' }; x.spec.template.spec.securityContext = { runAsNonRoot: true }; });
    expect(knativeServiceProblems(s)).toEqual([]);
    expect(knativeFlagsNeeded(s).map((n) => n.flag)).toEqual(['kubernetes.podspec-nodeselector', 'kubernetes.podspec-securitycontext', 'kubernetes.podspec-volumes-emptydir']);
    expect(knativeFlagProblems([s], ['kubernetes.podspec-nodeselector']).join('\n')).toContain('needs the Knative config-features flag kubernetes.podspec-securitycontext');
    expect(knativeFlagProblems([s], ['kubernetes.podspec-nodeselector', 'kubernetes.podspec-securitycontext'])).toEqual([]);
  });
  test('Go durations', () => {
    expect(parseGoDuration('1h30m')).toBe(5400);
    expect(parseGoDuration('90s')).toBe(90);
    expect(parseGoDuration('90')).toBeNaN();
  });
});
