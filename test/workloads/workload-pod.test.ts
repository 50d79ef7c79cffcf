import { Chart, Testing } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { DataAccess, DataBucket, GpuPool, GpuSharing, GpuType, MinioDataLake, TeamSpace, WorkloadPod, WorkloadPodProps } from '../../lib';
import { expectValidationError } from '../helpers/errors';
import { Manifest, synthValid } from '../helpers/manifests';
import { podProblems } from '../helpers/pod-security';

const a100 = GpuPool.onPrem({ name: 'a100-shared', gpuType: GpuType.A100_80GB, gpusPerNode: 8, nodes: 2, sharing: GpuSharing.timeSlicing(4) });
const h100 = GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 2 });
const features = new DataBucket({ name: 'features' });
const models = new DataBucket({ name: 'models' });

function setup(quota = { gpus: 8, cpu: '16' }) {
  const app = Testing.app();
  const chart = new Chart(app, 'c');
  const team = new TeamSpace(chart, 'vision', { name: 'vision', quota });
  const data = new TeamSpace(chart, 'data', { name: 'data-platform', quota: { storage: '20Ti', persistentVolumeClaims: 32 } });
  const lake = new MinioDataLake(chart, 'lake', { namespace: data, buckets: [features, models], rootCredentialsSecret: 'root', tls: { secretName: 'lake-tls' } });
  return { app, chart, team, lake };
}

/** A pod built with the builder, wrapped in a Deployment so that the whole chart can be validated. */
function deploy(chart: Chart, id: string, build: (scope: Construct) => ReturnType<typeof WorkloadPod.of>): Manifest {
  const scope = new Construct(chart, id);
  const { podSpec } = build(scope);
  const labels = { 'app.kubernetes.io/name': id, 'app.kubernetes.io/instance': id, 'app.kubernetes.io/component': 'test', 'app.kubernetes.io/part-of': 'ai-platform', 'app.kubernetes.io/managed-by': 'test' };
  new k8s.KubeDeployment(scope, 'deployment', {
    metadata: { name: id, namespace: 'vision', labels },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
  });
  const objects = synthValid(chart);
  expect(podProblems(objects)).toEqual([]);
  return objects.find((o) => o.kind === 'Deployment' && o.metadata.name === id)!;
}

const base = (team: TeamSpace): WorkloadPodProps => ({
  field: 'TestProps', team, containerName: 'main', image: 'quay.io/jupyter/scipy-notebook:2025-10-20', resources: { cpu: '1', memory: '2Gi' },
});

describe('WorkloadPod: the one pod builder of every workload', () => {
  test('restricted by default: non-root user and group, no token, read-only root, a writable /tmp, the team service account', () => {
    const { chart, team } = setup();
    const pod = deploy(chart, 'plain', (s) => WorkloadPod.of(s, { ...base(team), runAsUser: 1000, runAsGroup: 100 })).spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 100, fsGroup: 100, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('vision-workloads');
    const [c] = pod.containers;
    expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(c.volumeMounts).toEqual([{ name: 'writable-0', mountPath: '/tmp' }]);
    expect(c.resources).toEqual({ requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } });
  });

  test('podSecurityContext: false (Knative without its pod securityContext flag): the same restricted settings, all at container level', () => {
    const { chart, team } = setup();
    const pod = deploy(chart, 'container-level', (s) => WorkloadPod.of(s, {
      ...base(team), runAsUser: 1000, runAsGroup: 100, podSecurityContext: false,
      init: { name: 'prepare', command: ['true'], volumeMounts: [{ name: 'writable-0', mountPath: '/tmp' }] },
    })).spec.template.spec;
    expect(pod.securityContext).toBeUndefined();
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.securityContext).toMatchObject({
        runAsNonRoot: true, runAsUser: 1000, runAsGroup: 100, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
      });
    }
  });

  test('GPU placement comes from the pool: limits, selector, tolerations, runtime class; the quota is reserved', () => {
    const { chart, team } = setup();
    let quota: Record<string, number> = {};
    const pod = deploy(chart, 'gpu', (s) => {
      const built = WorkloadPod.of(s, { ...base(team), gpu: { pool: h100, count: 2 }, replicas: 2 });
      quota = built.quotaPerPod;
      return built;
    }).spec.template.spec;
    expect(pod.containers[0].resources.limits['nvidia.com/gpu']).toBe(2);
    expect(pod.nodeSelector).toEqual({ 'ai-platform/gpu-pool': 'h100' });
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }]);
    expect(pod.runtimeClassName).toBe('nvidia');
    expect(quota['requests.nvidia.com/gpu']).toBe(2);
  });

  test('two replicas of 2 GPUs do not fit a quota of 3 GPUs: fails at synth', () => {
    const { chart, team } = setup({ gpus: 3, cpu: '16' });
    WorkloadPod.of(new Construct(chart, 'big'), { ...base(team), gpu: { pool: h100, count: 2 }, replicas: 2 });
    expectValidationError(() => synthValid(chart), 'TeamSpace.quota (requests.nvidia.com/gpu)', 'c/vision');
  });

  test('the data lake: S3 environment, keys from the team Secret, the lake CA mounted once for two buckets', () => {
    const { chart, team, lake } = setup();
    const pod = deploy(chart, 'lake-user', (s) => WorkloadPod.of(s, {
      ...base(team),
      dataLake: [{ lake, bucket: features, access: DataAccess.READ }, { lake, bucket: models, access: DataAccess.READ_WRITE, prefix: 'vision' }],
      env: { MODEL_NAME: 'resnet' },
      secretEnv: { JUPYTER_TOKEN: 'vision-jupyter/token' },
    })).spec.template.spec;
    const env = pod.containers[0].env;
    expect(env.find((e: { name: string }) => e.name === 'S3_BUCKET')).toEqual({ name: 'S3_BUCKET', value: 'features' });
    expect(env).toContainEqual({ name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'lake-s3-credentials', key: 'accessKey' } } });
    expect(env).toContainEqual({ name: 'AWS_CA_BUNDLE', value: '/etc/ssl/lake/ca.crt' });
    expect(env).toContainEqual({ name: 'JUPYTER_TOKEN', valueFrom: { secretKeyRef: { name: 'vision-jupyter', key: 'token' } } });
    expect(env.filter((e: { name: string }) => e.name === 'AWS_ENDPOINT_URL')).toHaveLength(1);
    expect(pod.volumes.filter((v: { name: string }) => v.name === 'lake-ca')).toHaveLength(1);
    expect(JSON.stringify(lake.policyFor(team))).toContain('arn:aws:s3:::models/vision/*');
  });

  test('GPUs placed by Kueue: the limit only, no node selector or tolerations; Secret-sourced variables before plain ones', () => {
    const { chart, team } = setup();
    const pod = deploy(chart, 'queued', (s) => WorkloadPod.of(s, {
      ...base(team), queuedGpus: 2, env: { OUTPUT: '$(BUCKET)/out' }, secretEnv: { BUCKET: 'data/bucket' },
    })).spec.template.spec;
    expect(pod.containers[0].resources.limits['nvidia.com/gpu']).toBe(2);
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.tolerations).toBeUndefined();
    const names = pod.containers[0].env.map((e: { name: string }) => e.name);
    // $(BUCKET) expands only when BUCKET is listed first
    expect(names.indexOf('BUCKET')).toBeLessThan(names.indexOf('OUTPUT'));
    expectValidationError(() => WorkloadPod.of(new Construct(chart, 'both'), { ...base(team), queuedGpus: 1, gpu: { pool: h100, count: 1 } }), 'TestProps.queuedGpus', 'c/both');
  });

  test('nested mounts under a writable directory need the directory between them mounted too (runc creates it as root)', () => {
    const { chart, team } = setup();
    expectValidationError(() => WorkloadPod.of(new Construct(chart, 'w'), {
      ...base(team), writableDirectories: [{ path: '/tmp' }], volumes: [{ name: 'ca', secret: { secretName: 'ca' } }],
      volumeMounts: [{ name: 'ca', mountPath: '/tmp/.mc/certs', readOnly: true }],
    }), 'TestProps.writableDirectories', 'c/w');
    expect(() => WorkloadPod.of(new Construct(chart, 'ok'), {
      ...base(team), writableDirectories: [{ path: '/tmp' }, { path: '/tmp/.mc' }], volumes: [{ name: 'ca', secret: { secretName: 'ca' } }],
      volumeMounts: [{ name: 'ca', mountPath: '/tmp/.mc/certs', readOnly: true }],
    })).not.toThrow();
  });

  test('a GPU count the pool cannot hold is refused with the field (named at the pool)', () => {
    const { chart, team } = setup();
    expectValidationError(() => WorkloadPod.of(new Construct(chart, 'g1'), { ...base(team), gpu: { pool: h100, count: 9 } }), 'TestProps.gpu.count', 'gpu-pool/h100');
    expectValidationError(() => WorkloadPod.of(new Construct(chart, 'g2'), { ...base(team), gpu: { pool: a100, count: 2 } }), 'TestProps.gpu.count', 'gpu-pool/a100-shared');
  });

  describe('bad input names the field', () => {
    const { chart, team } = setup();
    let n = 0;
    test.each([
      [{ image: 'jupyter/scipy-notebook' }, 'TestProps.image'],
      [{ image: 'x:latest' }, 'TestProps.image'],
      [{ containerName: 'Main' }, 'TestProps.containerName'],
      [{ command: 'sh -c' }, 'TestProps.command'],
      [{ args: [1] }, 'TestProps.args[0]'],
      [{ resources: undefined }, 'TestProps.resources'],
      [{ resources: { cpu: 'lots', memory: '1Gi' } }, 'TestProps.resources.cpu'],

      [{ gpu: { pool: 'h100', count: 1 } }, 'TestProps.gpu.pool'],
      [{ dataLake: 'features' }, 'TestProps.dataLake'],
      [{ dataLake: [{ lake: {}, bucket: features, access: DataAccess.READ }] }, 'TestProps.dataLake[0].lake'],
      [{ env: { '1BAD': 'x' } }, 'TestProps.env'],
      [{ env: { AWS_ENDPOINT_URL: 'x' }, dataLake: [] }, undefined],
      [{ env: { A: 3 } }, 'TestProps.env["A"]'],
      [{ secretEnv: { TOKEN: 'no-key' } }, 'TestProps.secretEnv["TOKEN"]'],
      [{ queuedGpus: 0 }, 'TestProps.queuedGpus'],
      [{ ports: [{ name: 'http-too-long-name', containerPort: 80 }] }, 'TestProps.ports[0].name'],
      [{ ports: [{ name: 'http', containerPort: 70000 }] }, 'TestProps.ports[0].containerPort'],
      [{ writableDirectories: [{ path: 'tmp' }] }, 'TestProps.writableDirectories[0].path'],
      [{ writableDirectories: [{ path: '/tmp', sizeLimit: '0' }] }, 'TestProps.writableDirectories[0].sizeLimit'],
      [{ writableDirectories: [{ path: '/tmp' }, { path: '/tmp' }] }, 'TestProps.volumeMounts'],
      [{ runAsUser: 0 }, 'TestProps.runAsUser'],
      [{ runAsGroup: 1.5 }, 'TestProps.runAsGroup'],
      [{ apiAccess: 'yes' }, 'TestProps.apiAccess'],
      [{ replicas: -1 }, 'TestProps.replicas'],
      [{ team: {} }, 'TestProps.team'],
    ] as Array<[object, string | undefined]>)('%j', (props, field) => {
      const id = `bad-${n++}`;
      const build = () => WorkloadPod.of(new Construct(chart, id), { ...base(team), ...props } as WorkloadPodProps);
      if (field === undefined) expect(build).not.toThrow();
      else expectValidationError(build, field, `c/${id}`);
    });
  });
});
