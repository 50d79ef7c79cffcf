import { Chart, Testing } from 'cdk8s';
import {
  DataAccess, DataBucket, GpuNodePool, GpuPool, GpuSharing, GpuType, MinioDataLake, TeamSpace, Workbench, WorkbenchCulling, WorkbenchFleet,
  WorkbenchKind, WorkbenchProps,
} from '../../lib';
import { expectValidationError } from '../helpers/errors';
import { Manifest, ofKind, synthValid } from '../helpers/manifests';
import { podProblems } from '../helpers/pod-security';
import { secretProblems } from '../helpers/secrets';

const a100 = GpuPool.onPrem({ name: 'a100-shared', gpuType: GpuType.A100_80GB, gpusPerNode: 8, nodes: 2, sharing: GpuSharing.timeSlicing(4) });
const h100 = GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 2 });
const features = new DataBucket({ name: 'features' });

function cluster() {
  const app = Testing.app();
  const chart = new Chart(app, 'c');
  const team = new TeamSpace(chart, 'vision', { name: 'vision', quota: { gpus: 4, cpu: '32', memory: '128Gi' } });
  return { app, chart, team };
}
function synth(chart: Chart): Manifest[] {
  const objects = synthValid(chart);
  expect(podProblems(objects)).toEqual([]);
  expect(secretProblems(objects)).toEqual([]);
  return objects;
}
function one(kind: WorkbenchKind, props: Partial<WorkbenchProps> = {}) {
  const { chart, team } = cluster();
  const workbench = new Workbench(chart, 'wb', { kind, owner: 'alice', team, ...props });
  const objects = synth(chart);
  const sts = ofKind(objects, 'StatefulSet')[0];
  const pod = sts.spec.template.spec;
  return { workbench, objects, sts, pod, main: pod.containers[0] };
}
const mounts = (c: Manifest) => (c.volumeMounts as Array<{ mountPath: string }>).map((m) => m.mountPath);
const envOf = (c: Manifest) => Object.fromEntries((c.env as Array<{ name: string; value?: string; valueFrom?: unknown }>).map((e) => [e.name, e.value ?? e.valueFrom]));

describe('Workbench: every kind with its own image, user, port, probes and writable paths', () => {
  test('Jupyter: Docker Stacks scipy-notebook, jovyan 1000/100, port 8888, GET /api probes, token from the Secret', () => {
    const { sts, pod, main, workbench } = one(WorkbenchKind.JUPYTER);
    expect(workbench.name).toBe('alice-jupyter');
    expect(main.image).toBe('quay.io/jupyter/scipy-notebook:2026-07-28');
    expect(pod.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 100, fsGroup: 100, runAsNonRoot: true });
    expect(main.ports).toEqual([{ name: 'http', containerPort: 8888 }]);
    for (const probe of [main.readinessProbe, main.livenessProbe, main.startupProbe]) expect(probe.httpGet).toEqual({ path: '/api', port: 'http' });
    expect(envOf(main).JUPYTER_TOKEN).toEqual({ secretKeyRef: { name: 'alice-jupyter-credentials', key: 'token' } });
    expect(Object.keys(envOf(main))).not.toContain('JUPYTER_TOKEN_FILE');
    expect(envOf(main).JUPYTER_RUNTIME_DIR).toBe('/tmp/jupyter-runtime');
    expect(mounts(main)).toEqual(['/tmp', '/home/jovyan']);
    expect(main.securityContext.readOnlyRootFilesystem).toBe(true);
    // the home volume is retained and seeded once from the image (a fresh PVC hides the image's home)
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('20Gi');
    expect(pod.initContainers[0].command[2]).toMatch(/\[ -e \/mnt\/seed\/\.workbench-seeded \] \|\| \{ cp -a \/home\/jovyan\/\. \/mnt\/seed\/ && touch/);
    expect(pod.initContainers[0].volumeMounts).toEqual([{ name: 'home', mountPath: '/mnt/seed' }]);
  });

  test('no replicas in the manifest: the culler and the owner own them, a GitOps sync leaves them alone', () => {
    expect(one(WorkbenchKind.JUPYTER).sts.spec.replicas).toBeUndefined();
  });

  test('Zeppelin: 0.12.1, uid 1000, port 8080, /api/version, local interpreters, every path it writes, shiro.ini from the Secret', () => {
    const { pod, main } = one(WorkbenchKind.ZEPPELIN);
    expect(main.image).toBe('docker.io/apache/zeppelin:0.12.1');
    expect(pod.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
    expect(main.ports).toEqual([{ name: 'http', containerPort: 8080 }]);
    expect(main.readinessProbe.httpGet).toEqual({ path: '/api/version', port: 'http' });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(envOf(main)).toMatchObject({ ZEPPELIN_RUN_MODE: 'local', ZEPPELIN_NOTEBOOK_DIR: '/var/lib/zeppelin/notebook', ZEPPELIN_CONFIG_FS_DIR: '/var/lib/zeppelin/conf' });
    expect(mounts(main)).toEqual(expect.arrayContaining([
      '/opt/zeppelin/conf', '/opt/zeppelin/logs', '/opt/zeppelin/run', '/opt/zeppelin/webapps', '/opt/zeppelin/local-repo', '/tmp',
      '/opt/zeppelin/conf/shiro.ini', '/var/lib/zeppelin',
    ]));
    expect(main.volumeMounts).toContainEqual({ name: 'credentials', mountPath: '/opt/zeppelin/conf/shiro.ini', subPath: 'shiro.ini', readOnly: true });
    expect(pod.initContainers[0].command[2]).toBe('cp -a /opt/zeppelin/conf/. /mnt/seed/ && mkdir -p /mnt/data/notebook /mnt/data/conf /mnt/data/recovery');
    expect(pod.initContainers[0].volumeMounts).toEqual([{ name: 'conf', mountPath: '/mnt/seed' }, { name: 'home', mountPath: '/mnt/data' }]);
  });

  test('RStudio: rserver directly as rstudio (s6 needs root), auth on with rocker\'s pam-helper, tcp probes; the one writable-root exception', () => {
    const { objects, pod, main } = one(WorkbenchKind.RSTUDIO);
    expect(main.image).toBe('docker.io/rocker/rstudio:4.6.1');
    expect(main.command).toEqual(['/usr/lib/rstudio-server/bin/rserver']);
    expect(main.args).toEqual(expect.arrayContaining(['--server-daemonize=0', '--www-port=8787', '--server-user=rstudio', '--auth-none=0', '--auth-pam-helper-path=pam-helper']));
    expect(envOf(main)).toMatchObject({ USER: 'rstudio', PASSWORD: { secretKeyRef: { name: 'alice-rstudio-credentials', key: 'password' } } });
    for (const probe of [main.readinessProbe, main.livenessProbe, main.startupProbe]) expect(probe.tcpSocket).toEqual({ port: 'http' });
    expect(pod.securityContext).toMatchObject({ runAsUser: 1000, runAsNonRoot: true });
    expect(main.securityContext).toMatchObject({ readOnlyRootFilesystem: false, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    const config = ofKind(objects, 'ConfigMap', 'alice-rstudio-rserver')[0];
    expect(config.data['logging.conf']).toContain('logger-type=stderr');
    expect(config.data['database.conf']).toContain('provider=sqlite');
  });

  test('the writable root is RStudio\'s alone', () => {
    for (const kind of [WorkbenchKind.JUPYTER, WorkbenchKind.ZEPPELIN]) {
      const { objects } = one(kind);
      for (const o of objects.filter((x) => x.kind === 'StatefulSet' || x.kind === 'CronJob')) {
        expect(JSON.stringify(o)).not.toContain('"readOnlyRootFilesystem":false');
      }
    }
  });

  test('the image can be replaced, the security context stays', () => {
    const { main, pod } = one(WorkbenchKind.JUPYTER, { image: 'registry.example.com/ml/notebook:1.4.2' });
    expect(main.image).toBe('registry.example.com/ml/notebook:1.4.2');
    expect(pod.securityContext.runAsUser).toBe(1000);
    expect(one(WorkbenchKind.JUPYTER, { flavor: 'datascience-notebook' }).main.image).toBe('quay.io/jupyter/datascience-notebook:2026-07-28');
  });
});

describe('GPUs, the data lake, quota', () => {
  test('a GPU: the CUDA pytorch-notebook, the pool\'s limits, selector, tolerations and runtime class', () => {
    const { pod, main } = one(WorkbenchKind.JUPYTER, { gpu: { pool: a100, count: 1 } });
    expect(main.image).toBe('quay.io/jupyter/pytorch-notebook:cuda12-2026-07-28');
    expect(main.resources.limits['nvidia.com/gpu']).toBe(1);
    expect(pod.nodeSelector).toEqual({ 'ai-platform/gpu-pool': 'a100-shared' });
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }]);
    expect(pod.runtimeClassName).toBe('nvidia');
  });

  test('the data lake: the grant, the S3 environment and the lake\'s CA', () => {
    const { chart, team } = cluster();
    const data = new TeamSpace(chart, 'data', { name: 'data-platform', quota: { storage: '20Ti', persistentVolumeClaims: 32 } });
    const lake = new MinioDataLake(chart, 'lake', { namespace: data, buckets: [features], rootCredentialsSecret: 'root', tls: { secretName: 'lake-tls' } });
    new Workbench(chart, 'wb', { kind: WorkbenchKind.JUPYTER, owner: 'alice', team, dataLake: [{ lake, bucket: features, access: DataAccess.READ }] });
    const main = ofKind(synth(chart), 'StatefulSet', 'alice-jupyter')[0].spec.template.spec.containers[0];
    expect(envOf(main)).toMatchObject({ S3_BUCKET: 'features', AWS_CA_BUNDLE: '/etc/ssl/lake/ca.crt' });
    expect(mounts(main)).toContain('/etc/ssl/lake');
    expect(JSON.stringify(lake.policyFor(team))).not.toMatch(/s3:Put/);
  });

  test('GPUs, CPU, memory and the home volume count against the team quota: too many fails at synth', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const team = new TeamSpace(chart, 'vision', { name: 'vision', quota: { gpus: 1, storage: '30Gi' } });
    new GpuNodePool(chart, 'gpu', { pool: h100 });
    new Workbench(chart, 'a', { kind: WorkbenchKind.JUPYTER, owner: 'alice', team, gpu: { pool: h100, count: 1 } });
    new Workbench(chart, 'b', { kind: WorkbenchKind.JUPYTER, owner: 'bob', team, gpu: { pool: h100, count: 1 } });
    const e = expectValidationError(() => synthValid(chart), 'TeamSpace.quota (requests.nvidia.com/gpu)', 'c/vision');
    expect(e.message).toMatch(/c\/a 1, c\/b 1/);
    expect(e.message).toMatch(/TeamSpace.quota \(requests.storage\)/);
  });
});

describe('access', () => {
  test('port-forward by default: a ClusterIP Service, no Ingress', () => {
    const { objects } = one(WorkbenchKind.JUPYTER, { culling: WorkbenchCulling.disabled() });
    expect(ofKind(objects, 'Service', 'alice-jupyter')[0].spec).toEqual({
      selector: { 'app.kubernetes.io/name': 'workbench', 'app.kubernetes.io/instance': 'alice-jupyter' },
      ports: [{ name: 'http', port: 8888, targetPort: 'http' }],
    });
    expect(ofKind(objects, 'Ingress')).toEqual([]);
    expect(ofKind(objects, 'NetworkPolicy').map((n) => n.metadata.name)).not.toContain('alice-jupyter');
  });

  test('an Ingress with TLS, and a NetworkPolicy that admits only the ingress controller\'s namespace', () => {
    const { objects } = one(WorkbenchKind.RSTUDIO, { ingress: { host: 'alice-rstudio.ml.example.com', ingressClassName: 'internal', controllerNamespace: 'ingress-internal' } });
    const [ingress] = ofKind(objects, 'Ingress');
    expect(ingress.spec).toEqual({
      ingressClassName: 'internal',
      tls: [{ hosts: ['alice-rstudio.ml.example.com'], secretName: 'alice-rstudio-tls' }],
      rules: [{ host: 'alice-rstudio.ml.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'alice-rstudio', port: { name: 'http' } } } }] } }],
    });
    const policy = ofKind(objects, 'NetworkPolicy', 'alice-rstudio')[0];
    expect(policy.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-internal' } } }],
      ports: [{ protocol: 'TCP', port: 8787 }],
    }]);
  });
});

describe('idle culling', () => {
  test('Jupyter: a CronJob every 10 minutes, allowed only to get and patch the scale of its own StatefulSet, never delete', () => {
    const { objects, workbench } = one(WorkbenchKind.JUPYTER);
    const [role] = ofKind(objects, 'Role', 'alice-jupyter-culler');
    expect(role.rules).toEqual([{ apiGroups: ['apps'], resources: ['statefulsets/scale'], resourceNames: ['alice-jupyter'], verbs: ['get', 'patch'] }]);
    const [binding] = ofKind(objects, 'RoleBinding', 'alice-jupyter-culler');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'alice-jupyter-culler', namespace: 'vision' }]);
    const [cron] = ofKind(objects, 'CronJob', 'alice-jupyter-culler');
    expect(cron.spec.schedule).toBe('*/10 * * * *');
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.containers[0].image).toBe('docker.io/library/python:3.13.15-slim-trixie');
    const config = JSON.parse(envOf(pod.containers[0]).CULLER_CONFIG as string);
    expect(config).toEqual({ namespace: 'vision', workbenches: [{ statefulSet: 'alice-jupyter', kind: 'jupyter', url: workbench.url, idleSeconds: 3600, tokenEnv: 'WORKBENCH_TOKEN' }] });
    expect(envOf(pod.containers[0]).WORKBENCH_TOKEN).toEqual({ secretKeyRef: { name: 'alice-jupyter-credentials', key: 'token' } });
    // the culler reaches the server: the workbench admits its culler pods on its port
    expect(ofKind(objects, 'NetworkPolicy', 'alice-jupyter')[0].spec.ingress[0].from).toContainEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'workbench-culler', 'app.kubernetes.io/instance': 'alice-jupyter' } },
    });
    expect(ofKind(objects, 'ConfigMap', 'workbench-culler')[0].data['cull.py']).toMatch(/statefulsets\/%s\/scale/);
    expect(JSON.stringify(objects.filter((o) => o.kind === 'Role' && o.metadata.name.endsWith('-culler')))).not.toMatch(/delete/);
  });

  test('Zeppelin and RStudio: stopped on a schedule (default every day at 20:00 UTC), which can be changed', () => {
    const { objects } = one(WorkbenchKind.ZEPPELIN);
    expect(ofKind(objects, 'CronJob', 'alice-zeppelin-culler')[0].spec).toMatchObject({ schedule: '0 20 * * *', timeZone: 'Etc/UTC' });
    const other = one(WorkbenchKind.RSTUDIO, { culling: WorkbenchCulling.onSchedule('30 19 * * 1-5', 'Europe/Paris') }).objects;
    expect(ofKind(other, 'CronJob', 'alice-rstudio-culler')[0].spec).toMatchObject({ schedule: '30 19 * * 1-5', timeZone: 'Europe/Paris' });
    expect(JSON.parse(envOf(ofKind(other, 'CronJob')[0].spec.jobTemplate.spec.template.spec.containers[0]).CULLER_CONFIG as string).workbenches)
      .toEqual([{ statefulSet: 'alice-rstudio', kind: 'schedule' }]);
  });

  test('the team may resume a workbench: its role can scale StatefulSets', () => {
    const { objects } = one(WorkbenchKind.JUPYTER);
    expect(ofKind(objects, 'Role', 'team-edit')[0].rules).toContainEqual({ apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['get', 'patch', 'update'] });
  });

  test('culling can be turned off', () => {
    const { objects } = one(WorkbenchKind.JUPYTER, { culling: WorkbenchCulling.disabled() });
    expect(ofKind(objects, 'CronJob')).toEqual([]);
  });
});

describe('WorkbenchFleet: one workbench per user, with the team\'s defaults', () => {
  test('defaults, per-user kinds and overrides', () => {
    const { chart, team } = cluster();
    const fleet = new WorkbenchFleet(chart, 'fleet', {
      team, kind: WorkbenchKind.JUPYTER,
      defaults: { homeSize: '50Gi', culling: WorkbenchCulling.idleFor(120) },
      users: [{ owner: 'alice' }, { owner: 'bob', options: { homeSize: '100Gi' } }, { owner: 'carol', kind: WorkbenchKind.RSTUDIO, options: { culling: WorkbenchCulling.onSchedule('0 22 * * *') } }],
    });
    const objects = synth(chart);
    expect(Object.keys(fleet.workbenches)).toEqual(['alice', 'bob', 'carol']);
    const size = (name: string) => ofKind(objects, 'StatefulSet', name)[0].spec.volumeClaimTemplates[0].spec.resources.requests.storage;
    expect([size('alice-jupyter'), size('bob-jupyter'), size('carol-rstudio')]).toEqual(['50Gi', '100Gi', '50Gi']);
    expect(ofKind(objects, 'CronJob', 'carol-rstudio-culler')[0].spec.schedule).toBe('0 22 * * *');
  });

  test('bad input names the field', () => {
    const { chart, team } = cluster();
    expectValidationError(() => new WorkbenchFleet(chart, 'f1', { team, kind: WorkbenchKind.JUPYTER, users: [] }), 'WorkbenchFleetProps.users', 'c/f1');
    expectValidationError(() => new WorkbenchFleet(chart, 'f2', { team, kind: WorkbenchKind.JUPYTER, users: 'alice' as never }), 'WorkbenchFleetProps.users', 'c/f2');
    expectValidationError(() => new WorkbenchFleet(chart, 'f3', { team, kind: WorkbenchKind.JUPYTER, users: [{ owner: 3 as never }] }), 'WorkbenchFleetProps.users[0].owner', 'c/f3');
  });
});

describe('bad input names the field', () => {
  const { chart, team } = cluster();
  let n = 0;
  test.each([
    [{ kind: 'jupyter' }, 'WorkbenchProps.kind'],
    [{ kind: undefined }, 'WorkbenchProps.kind'],
    [{ owner: 'Alice' }, 'WorkbenchProps.owner'],
    [{ owner: '1alice' }, 'WorkbenchProps.owner'],
    [{ owner: 'a'.repeat(40) }, 'WorkbenchProps.owner'],
    [{ team: {} }, 'WorkbenchProps.team'],
    [{ gpu: { pool: h100, count: 9 } }, 'WorkbenchProps.gpu.count'],
    [{ gpu: { pool: a100, count: 2 } }, 'WorkbenchProps.gpu.count'],
    [{ homeSize: 'big' }, 'WorkbenchProps.homeSize'],
    [{ homeSize: '0Gi' }, 'WorkbenchProps.homeSize'],
    [{ storageClass: 'Fast SSD' }, 'WorkbenchProps.storageClass'],
    [{ image: 'quay.io/jupyter/scipy-notebook:latest' }, 'WorkbenchProps.image'],
    [{ flavor: 'tensorflow-gpu' }, 'WorkbenchProps.flavor'],
    [{ flavor: 'scipy-notebook', gpu: { pool: a100, count: 1 } }, 'WorkbenchProps.flavor'],
    [{ kind: WorkbenchKind.ZEPPELIN, flavor: 'scipy-notebook' }, 'WorkbenchProps.flavor'],
    [{ kind: WorkbenchKind.ZEPPELIN, culling: WorkbenchCulling.idleFor(30) }, 'WorkbenchProps.culling'],
    [{ culling: { mode: 'idle' } }, 'WorkbenchProps.culling'],
    [{ credentialsSecret: 'Alice Token' }, 'WorkbenchProps.credentialsSecret'],
    [{ ingress: { host: 'http://alice.example.com' } }, 'WorkbenchProps.ingress.host'],
    [{ ingress: { host: '*.example.com' } }, 'WorkbenchProps.ingress.host'],
    [{ ingress: { host: 'alice' } }, 'WorkbenchProps.ingress.host'],
    [{ ingress: { host: 'alice.example.com', controllerNamespace: 'Ingress' } }, 'WorkbenchProps.ingress.controllerNamespace'],
    [{ ingress: 'alice.example.com' }, 'WorkbenchProps.ingress'],
    [{ resources: { cpu: 'x', memory: '1Gi' } }, 'WorkbenchProps.resources.cpu'],
  ] as Array<[object, string]>)('%j', (props, field) => {
    const id = `wb-${n++}`;
    expectValidationError(() => new Workbench(chart, id, { kind: WorkbenchKind.JUPYTER, owner: 'alice', team, ...props } as WorkbenchProps),
      field, field.endsWith('gpu.count') ? `gpu-pool/${(props as { gpu: { pool: GpuPool } }).gpu.pool.name}` : `c/${id}`);
  });

  test.each([
    [() => WorkbenchCulling.idleFor(0), 'WorkbenchCulling.idleFor.minutes'],
    [() => WorkbenchCulling.idleFor(-5), 'WorkbenchCulling.idleFor.minutes'],
    [() => WorkbenchCulling.idleFor(30, 45), 'WorkbenchCulling.idleFor.checkEveryMinutes'],
    [() => WorkbenchCulling.onSchedule('every evening'), 'WorkbenchCulling.onSchedule.schedule'],
    [() => WorkbenchCulling.onSchedule('0 20 * * *', 'Paris time'), 'WorkbenchCulling.onSchedule.timeZone'],
  ] as Array<[() => unknown, string]>)('%s', (fn, field) => {
    expectValidationError(fn, field, '');
  });

  test('one workbench per owner and kind in a namespace (checked at synth)', () => {
    const c = cluster();
    new Workbench(c.chart, 'a', { kind: WorkbenchKind.JUPYTER, owner: 'alice', team: c.team });
    new Workbench(c.chart, 'b', { kind: WorkbenchKind.JUPYTER, owner: 'alice', team: c.team });
    expectValidationError(() => c.app.synth(), 'WorkbenchProps.owner', 'c/a');
  });

  test('a team of another cluster is refused', () => {
    const other = cluster();
    expectValidationError(() => new Workbench(chart, 'x', { kind: WorkbenchKind.JUPYTER, owner: 'alice', team: other.team }), 'WorkbenchProps.team', 'c/x');
  });
});
