import { Manifest } from './manifests';
import { podProblems, podSpecs, restrictedProblems, imageRuleProblems } from './pod-security';

const goodContainer = {
  name: 'app',
  image: 'example.com/app:1.2.3',
  resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
  securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
};
const goodPod = { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [goodContainer] };
const deployment = (spec: object): Manifest => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' }, spec: { template: { spec } },
});

describe('pod security checks', () => {
  test('finds pod specs at any depth (Deployment, TFJob replicas, ...)', () => {
    const tfjob = { apiVersion: 'kubeflow.org/v1', kind: 'TFJob', metadata: { name: 't' },
      spec: { tfReplicaSpecs: { Worker: { template: { spec: goodPod } }, PS: { template: { spec: goodPod } } } } } as Manifest;
    expect(podSpecs(tfjob).map((p) => p.path)).toEqual(['.spec.tfReplicaSpecs.Worker.template.spec', '.spec.tfReplicaSpecs.PS.template.spec']);
  });

  test('a restricted pod with pinned images and resources has no problems', () => {
    expect(podProblems([deployment(goodPod)])).toEqual([]);
  });

  test.each([
    ['hostNetwork', { ...goodPod, hostNetwork: true }, /host namespaces/],
    ['hostPath volume', { ...goodPod, volumes: [{ name: 'h', hostPath: { path: '/' } }] }, /type hostPath is forbidden/],
    ['root user', { ...goodPod, securityContext: { ...goodPod.securityContext, runAsUser: 0 } }, /runAsUser 0/],
    ['no runAsNonRoot', { ...goodPod, securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }, /runAsNonRoot must be true/],
    ['no seccomp', { ...goodPod, securityContext: { runAsNonRoot: true } }, /seccompProfile must be/],
    ['privilege escalation', { ...goodPod, containers: [{ ...goodContainer, securityContext: { capabilities: { drop: ['ALL'] } } }] }, /allowPrivilegeEscalation/],
    ['capabilities kept', { ...goodPod, containers: [{ ...goodContainer, securityContext: { allowPrivilegeEscalation: false } }] }, /drop ALL/],
    ['capability added', { ...goodPod, containers: [{ ...goodContainer, securityContext: { ...goodContainer.securityContext, capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } } }] }, /SYS_ADMIN may not be added/],
    ['privileged', { ...goodPod, containers: [{ ...goodContainer, securityContext: { ...goodContainer.securityContext, privileged: true } }] }, /privileged is forbidden/],
    ['hostPort', { ...goodPod, containers: [{ ...goodContainer, ports: [{ containerPort: 80, hostPort: 80 }] }] }, /hostPort 80/],
    // a 1.28 cluster allows only the 1.27 sysctls; tcp_keepalive_time is safe from 1.29 on
    ['a sysctl 1.28 does not allow', { ...goodPod, securityContext: { ...goodPod.securityContext, sysctls: [{ name: 'net.ipv4.tcp_keepalive_time', value: '60' }] } }, /sysctl net.ipv4.tcp_keepalive_time is not safe/],
    // since 1.34 (baseline): probes and lifecycle handlers may not name a host
    ['a probe host', { ...goodPod, containers: [{ ...goodContainer, readinessProbe: { httpGet: { host: '10.0.0.1', port: 80 } } }] }, /readinessProbe.httpGet.host "10.0.0.1" is forbidden \(Kubernetes 1.34\)/],
    ['a lifecycle host', { ...goodPod, containers: [{ ...goodContainer, lifecycle: { preStop: { tcpSocket: { host: 'x', port: 1 } } } }] }, /preStop.tcpSocket.host "x" is forbidden/],
  ])('%s is a violation', (_name, spec, message) => {
    expect(restrictedProblems(spec).join()).toMatch(message);
  });

  test('a node agent in a documented privileged namespace may be root with hostPath, nothing more', () => {
    const agent = { ...goodPod, securityContext: { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } }, volumes: [{ name: 'h', hostPath: { path: '/var/lib/kubelet' } }] };
    const ns = (annotations?: object): Manifest => ({ apiVersion: 'v1', kind: 'Namespace',
      metadata: { name: 'n', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' }, annotations } as Manifest['metadata'] });
    expect(podProblems([ns({ 'ai-platform/pod-security-exception': 'why' }), deployment(agent)])).toEqual([]);
    expect(podProblems([ns(), deployment(agent)]).join()).toMatch(/enforces privileged pod security level without a documented exception/);
    const escalating = { ...agent, containers: [{ ...goodContainer, securityContext: { capabilities: { drop: ['ALL'] } } }] };
    expect(podProblems([ns({ 'ai-platform/pod-security-exception': 'why' }), deployment(escalating)]).join()).toMatch(/allowPrivilegeEscalation/);
  });

  test('house rules: unpinned images and missing resources are reported', () => {
    const spec = { ...goodPod, containers: [{ ...goodContainer, image: 'example.com/app:latest', resources: {} }] };
    const problems = podProblems([deployment(spec)]).join('\n');
    expect(problems).toMatch(/image "example.com\/app:latest" is not pinned/);
    expect(problems).toMatch(/resources.limits.memory is not set/);
    expect(podProblems([deployment({ ...goodPod, containers: [{ ...goodContainer, image: 'registry:5000/app' }] })]).join())
      .toMatch(/not pinned/);
  });
});

describe('image rules: what the binary inside does with a pod that validates', () => {
  const pod = (container: object, spec: object = {}) => ({ automountServiceAccountToken: false, ...spec, containers: [{ name: 'c', ...container }] });
  test.each([
    ['Zeppelin with a token and run mode auto', pod({ image: 'docker.io/apache/zeppelin:0.12.1' }, { automountServiceAccountToken: true }), /interpreter pods/],
    ['JUPYTER_TOKEN_FILE', pod({ image: 'quay.io/jupyter/scipy-notebook:2026-07-28', env: [{ name: 'JUPYTER_TOKEN_FILE', value: '/t' }] }), /trailing newline/],
    ['a literal JUPYTER_TOKEN', pod({ image: 'quay.io/jupyter/scipy-notebook:2026-07-28', env: [{ name: 'JUPYTER_TOKEN', value: 'abc' }] }), /from a Secret/],
    ['mc alias set probing the server', pod({ image: 'quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z', command: ['sh', '-c', 'set -eu\nmc alias set lake http://x:9000 a b'] }), /without --api/],
    ['rocker /init', pod({ image: 'docker.io/rocker/rstudio:4.6.1' }), /s6 as root/],
    ['rserver without --auth-none=0', pod({ image: 'docker.io/rocker/rstudio:4.6.1', command: ['/usr/lib/rstudio-server/bin/rserver'], args: [] }), /authentication off/],
  ])('%s', (_name, spec, problem) => {
    expect(imageRuleProblems(spec)).toEqual([expect.stringMatching(problem)]);
  });

  test('the fixed forms pass', () => {
    expect(imageRuleProblems(pod({ image: 'docker.io/apache/zeppelin:0.12.1', env: [{ name: 'ZEPPELIN_RUN_MODE', value: 'local' }] }, { automountServiceAccountToken: true }))).toEqual([]);
    expect(imageRuleProblems(pod({ image: 'quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z', command: ['sh', '-c', 'mc alias set lake http://x:9000 a b --api s3v4 --path on'] }))).toEqual([]);
  });
});
