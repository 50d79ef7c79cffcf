/**
 * Property-based test of the public API: random and hostile values go through every public entry point, as a plain
 * JavaScript caller or a config file would pass them (TypeScript's types guard neither). Each call must either
 * throw a ValidationError that names a field, or build output that validates strictly (core kinds at 1.28 and 1.34,
 * CRDs with their CEL rules), meets Pod Security `restricted` and the house rules, and holds no secret. Anything
 * else (a TypeError, cdk8s' or cdktf's own error, an invalid manifest) fails the property, with the input printed.
 *
 * Each case starts from a valid baseline and replaces one or two of its fields (at any depth, the whole props
 * included) by a generated value: hostile constants, random strings and numbers, near-valid names. `npm test`
 * runs a fixed seed and a bounded number of runs; `npm run fuzz` runs more (FUZZ_RUNS, FUZZ_SEED).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chart, Testing as K8sTesting } from 'cdk8s';
import { Testing as TfTesting } from 'cdktf';
import * as k8sImports from 'cdk8s-plus-28/lib/imports/k8s';
import * as fc from 'fast-check';
import {
  AwsPlatformStack, BucketReplica, CapacityType, CloudApp, DataAccess, DataBucket, EksGpuCluster, EksProvisioning, GcpPlatformStack,
  GcsReplicaBucket, GkeGpuCluster, GpuNodePool, GpuPlacement, GpuPool, GpuSharing, GpuType, KarpenterConsolidation, MinioDataLake,
  Cidr, Cron, Images, Labels, Names, ObjectLockMode, Quantities, Regions, Resources, S3ReplicaBucket, Security, TeamSpace,
  Workbench, WorkbenchCulling, WorkbenchFleet, WorkbenchKind, WorkloadPod, DistributedTFJob, TrainingBackend, RetrainingSchedule,
  ClusterAddons, GitOpsRoot, Addon, AddonRequirements, KnativeFeature, KueueIntegration, EbsStorageClass,
  KnativeModel, KnativeModelTraffic, ModelServer, ModelVisibility, ModelBroker, ModelTrigger, ModelSchedule, EventSink, KnativeObservability,
  ObservabilityProtocol, ModelEventsBridge, GpuQueue, WorkloadPriority, BurstCluster, BurstManager, BurstWorker, PriceTable, GpuCloud,
} from '../../lib';
import { ValidationError } from '../../lib/core/errors';
import { manifestProblems, Manifest } from '../helpers/manifests';
import { podProblems } from '../helpers/pod-security';
import { secretProblems } from '../helpers/secrets';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
jest.setTimeout(Math.max(60_000, RUNS * 2_000));

// ---------------------------------------------------------------------------------------------------------------
// generated values

const circular: Record<string, unknown> = { name: 'loop' };
circular.self = circular;
const aConstruct = new Chart(K8sTesting.app(), 'not-what-you-expected');

/** Values that have broken libraries before: wrong kinds, boundaries, injection-looking strings. */
const HOSTILE: unknown[] = [
  undefined, null, NaN, Infinity, -Infinity, -1, 0, 1, 1.5, 2 ** 31, 2 ** 53, true, false, '', ' ', '0', '-1', 'latest',
  '../etc', 'a/b/c', 'a//b', 'Spot', 'SPOT', 'UPPER', '-lead', 'trail-', 'a'.repeat(64), 'x'.repeat(300), '0Gi', '-1Gi', '1e400',
  '*/0 * * * *', '* * * *', '@every', 'aws:tag', '0.0.0.0/0', '10.0.0.1/8', 'http://', 'javascript:alert(1)', '$(rm -rf /)',
  '"; rm -rf / #', 'a\nb', '\u0000', 'ünïcödé', '🚀', [], [1, 2], ['a', 'b'], {}, { a: 1 }, () => 1, circular, aConstruct,
  GpuType.A100_80GB, GpuSharing.exclusive(), new DataBucket({ name: 'stray' }),
];

const nearValidName = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,70}$/);
const generated: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 2, arbitrary: nearValidName },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.integer({ min: -10, max: 100_000 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: false }) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.integer()), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(fc.string({ maxLength: 12 }), fc.integer()), { maxKeys: 3 }) },
);

// ---------------------------------------------------------------------------------------------------------------
// mutation of a valid baseline

type Path = Array<string | number>;
const isPlain = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype);

/** Every path of a baseline (the root, objects, arrays, leaves; class instances are leaves), plus `extra` ones. */
function pathsOf(value: unknown, extra: Path[] = []): Path[] {
  const out: Path[] = [[]];
  const walk = (v: unknown, at: Path) => {
    if (!isPlain(v)) return;
    for (const [k, child] of Object.entries(v)) {
      const p = [...at, Array.isArray(v) ? Number(k) : k];
      out.push(p);
      walk(child, p);
    }
  };
  walk(value, []);
  return [...out, ...extra];
}

function setAt(base: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy: Record<string | number, unknown> = Array.isArray(base) ? [...base] as never : isPlain(base) ? { ...base } : {};
  copy[head] = setAt(copy[head], rest, value);
  return copy;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return '<function>';
  if (v === circular) return '<circular object>';
  if (v === aConstruct) return '<construct>';
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x))?.slice(0, 120) ?? String(v);
  } catch {
    return String(v);
  }
}

/** A valid baseline and the cases made from it by one or two replacements. */
interface Cases<T> {
  readonly base: T;
  readonly arbitrary: fc.Arbitrary<{ value: T; label: string }>;
}

/**
 * @param composite the baseline bundles the inputs of several calls (`{ stack, cluster, pool }`): each of those is
 *   replaced whole, the bundle itself is not (that would test the harness, not the library)
 */
function mutations<T>(base: T, extra: Path[] = [], composite: boolean = false): Cases<T> {
  const paths = pathsOf(base, extra).filter((p) => !composite || p.length > 0);
  // besides generated values, the baseline's own valid values in other places (a name where another name goes, a
  // count where a size goes): plausible inputs that reach the output, not only the checks
  const leaves = pathsOf(base).map((p) => p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], base)).filter((v) => !isPlain(v));
  const value = leaves.length ? fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...leaves) }, { weight: 5, arbitrary: generated }) : generated;
  const one = fc.tuple(fc.constantFrom(...paths), value);
  const arbitrary = fc.array(one, { minLength: 1, maxLength: 2 }).map((changes) => {
    let value: unknown = base;
    for (const [path, v] of changes) value = setAt(value, path, v);
    return { value: value as T, label: changes.map(([p, v]) => `${p.join('.') || '(whole)'} = ${describeValue(v)}`).join('; ') };
  });
  return { base, arbitrary };
}

// ---------------------------------------------------------------------------------------------------------------
// what every call must end in

/** Runs `build`; a throw must be a ValidationError naming a field. Returns whether it was accepted. */
function accepted(label: string, build: () => void): boolean {
  try {
    build();
    return true;
  } catch (e) {
    if (!(e instanceof ValidationError)) {
      throw new Error(`input ${label}: threw ${(e as Error)?.constructor?.name}, not a ValidationError: ${(e as Error)?.stack ?? e}`);
    }
    if (!e.field || !e.message.includes(e.field)) throw new Error(`input ${label}: a ValidationError without its field: ${e.message}`);
    return false;
  }
}

/** Strict validation, pod security and the secret scan of synthesized objects. */
function checkObjects(label: string, objects: Manifest[]): void {
  const problems = [...objects.flatMap((o) => manifestProblems(o)), ...podProblems(objects), ...secretProblems(objects)];
  if (problems.length) throw new Error(`input ${label}: accepted, but the output is invalid:\n  ${problems.slice(0, 10).join('\n  ')}`);
}

/** A k8s entry point: build into a fresh chart; if accepted, synthesize (synth-time rules included) and check. */
function k8sProperty<T>(cases: Cases<T>, build: (chart: Chart, value: T) => void): void {
  const run = (value: T, label: string): boolean => {
    const app = K8sTesting.app();
    const chart = new Chart(app, 'fuzz');
    let objects: Manifest[] = [];
    const ok = accepted(label, () => {
      build(chart, value);
      objects = app.charts.flatMap((c) => c.toJson()) as Manifest[];
    });
    if (ok) checkObjects(label, objects);
    return ok;
  };
  // the baseline itself is accepted: a property that rejects everything would prove nothing
  expect(run(cases.base, 'baseline')).toBe(true);
  let acceptedRuns = 0;
  fc.assert(fc.property(cases.arbitrary, ({ value, label }) => { if (run(value, label)) acceptedRuns++; }), { seed: SEED, numRuns: RUNS });
  if (process.env.FUZZ_REPORT) console.log(`${expect.getState().currentTestName}: ${acceptedRuns} of ${RUNS} cases accepted and validated`);
}

/** A cdktf entry point: build into a fresh app; if accepted, synthesize every stack with its validations. */
function cloudProperty<T>(cases: Cases<T>, build: (app: CloudApp, value: T) => void): void {
  const run = (value: T, label: string): boolean => accepted(label, () => {
    const app = new CloudApp({ outdir: mkdtempSync(join(tmpdir(), 'fuzz-')) });
    build(app, value);
    for (const stack of app.node.children) TfTesting.synth(stack as never, true);
  });
  expect(run(cases.base, 'baseline')).toBe(true);
  fc.assert(fc.property(cases.arbitrary, ({ value, label }) => { run(value, label); }), { seed: SEED, numRuns: RUNS });
}

// ---------------------------------------------------------------------------------------------------------------
// baselines (valid) and entry points

const teamBase = {
  name: 'vision', group: 'vision-engineers',
  quota: { cpu: '8', memory: '16Gi', gpus: 1, storage: '1Ti', persistentVolumeClaims: 8, gpuResources: { 'nvidia.com/mig-1g.10gb': 2 } },
  containerDefaults: { cpuRequest: '100m', memoryRequest: '128Mi', cpuLimit: '1', memoryLimit: '1Gi' },
  dns: { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } },
};
const onPremBase = { name: 'a100', gpuType: GpuType.A100_80GB, gpusPerNode: 8, nodes: 2, sharing: GpuSharing.timeSlicing(4), taints: [GpuPool.GPU_TAINT] };
const eksBase = {
  name: 'l4', gpuType: GpuType.L4, clusterName: 'ml-eks', instanceType: 'g6.xlarge', capacityType: CapacityType.SPOT,
  provisioning: EksProvisioning.KARPENTER, minNodes: 0, maxNodes: 4, taints: [GpuPool.GPU_TAINT, { key: 'team', value: 'vision', effect: 'NoSchedule' }],
};
const gkeBase = { name: 'l4', gpuType: GpuType.L4, machineType: 'g2-standard-8', spot: true, minNodes: 0, maxNodes: 3, taints: [GpuPool.GPU_TAINT] };
const karpenterBase = { consolidation: KarpenterConsolidation.WHEN_EMPTY, consolidateAfter: '10m', expireAfter: '720h', rootVolumeSize: '200Gi' };
const bucketBase = {
  name: 'features', versioning: true, quota: '1Ti',
  objectLock: { mode: ObjectLockMode.GOVERNANCE, retentionDays: 30 },
  lifecycle: { noncurrentVersionExpirationDays: 90, abortIncompleteUploadDays: 7 },
};
const replicaBase = { bucketName: 'acme-features', location: 'eu-west-1', credentialsSecret: 'features-s3-mirror' };

/** A core helper: called with mutated arguments, it returns or throws a ValidationError naming a field. */
function callProperty<T>(cases: Cases<T>, call: (value: T) => unknown): void {
  expect(accepted('baseline', () => call(cases.base))).toBe(true);
  fc.assert(fc.property(cases.arbitrary, ({ value, label }) => { accepted(label, () => call(value)); }), { seed: SEED, numRuns: RUNS });
}

describe('core helpers: a ValidationError naming a field, or a result', () => {
  const chart = K8sTesting.chart();
  // [name, arguments, indices of the arguments that carry user input (the others are the caller's path and field), call]
  test.each([
    ['Names.validateDnsLabel', ['p', 'F', 'vision'], [2], (a: unknown[]) => Names.validateDnsLabel(...(a as [string, string, string]))],
    ['Quantities.validate', ['p', 'F', '8Gi', false], [2], (a: unknown[]) => Quantities.validate(...(a as [string, string, string, boolean]))],
    ['Quantities.validateLimit', ['p', 'F', '2', '1'], [2, 3], (a: unknown[]) => Quantities.validateLimit(...(a as [string, string, string, string]))],
    ['Quantities.validateRange', ['p', 'F.min', 'F.max', 1, 3, 0], [3, 4], (a: unknown[]) => Quantities.validateRange(...(a as [string, string, string, number, number, number]))],
    ['Images.validatePinned', ['p', 'F', 'quay.io/jupyter/scipy-notebook:2025-10-20'], [2], (a: unknown[]) => Images.validatePinned(...(a as [string, string, string]))],
    ['Cidr.validate', ['p', 'F', '10.0.0.0/16'], [2], (a: unknown[]) => Cidr.validate(...(a as [string, string, string]))],
    ['Regions.validateAws', ['p', 'F', 'eu-west-1'], [2], (a: unknown[]) => Regions.validateAws(...(a as [string, string, string]))],
    ['Regions.validateGcp', ['p', 'F', 'europe-west4'], [2], (a: unknown[]) => Regions.validateGcp(...(a as [string, string, string]))],
    ['Cron.validate', ['p', 'F', '*/15 * * * *'], [2], (a: unknown[]) => Cron.validate(...(a as [string, string, string]))],
    ['Labels.validate', ['p', 'F', { app: 'x' }], [2], (a: unknown[]) => Labels.validate(...(a as [string, string, Record<string, string>]))],
    ['Security.podSecurityContext', [{ runAsUser: 1000, runAsGroup: 100 }], [0], (a: unknown[]) => Security.podSecurityContext(a[0] as never)],
    ['Security.containerSecurityContext', [{ readOnlyRootFilesystem: true }], [0], (a: unknown[]) => Security.containerSecurityContext(a[0] as never)],
    ['Security.writableDirectories', [['/tmp', '/home/user/.cache'], '1Gi'], [0, 1], (a: unknown[]) => Security.writableDirectories(a[0] as never, a[1] as never)],
    ['Resources.requirements', ['F', { cpu: '1', memory: '1Gi', cpuLimit: '2', memoryLimit: '2Gi' }, { 'nvidia.com/gpu': 1 }], [1, 2],
      (a: unknown[]) => Resources.requirements(chart, a[0] as never, a[1] as never, a[2] as never)],
  ] as Array<[string, unknown[], number[], (a: unknown[]) => unknown]>)('%s', (_name, base, userArgs, call) => {
    const cases = mutations(userArgs.map((i) => base[i]), [], true);
    callProperty(cases, (values) => {
      const args = [...base];
      userArgs.forEach((argIndex, i) => { args[argIndex] = (values as unknown[])[i]; });
      return call(args);
    });
  });
});

describe('every public entry point: a ValidationError naming a field, or valid output', () => {
  test('TeamSpace', () => {
    k8sProperty(mutations(teamBase), (chart, props) => { new TeamSpace(chart, 'team', props as never); });
  });

  test('TeamSpace.fromNamespace and reserve()', () => {
    k8sProperty(mutations({ ns: 'shared', sa: 'runner', reserve: { 'requests.cpu': 2 } }, [], true), (chart, v) => {
      TeamSpace.fromNamespace(chart, 'imported', v.ns as never, v.sa as never);
      new TeamSpace(chart, 'team', { name: 'vision', quota: { cpu: '4' } }).reserve(chart, v.reserve as never);
    });
  });

  test('GpuPool.onPrem + GpuNodePool', () => {
    k8sProperty(mutations(onPremBase), (chart, props) => { new GpuNodePool(chart, 'pool', { pool: GpuPool.onPrem(props as never) }); });
  });

  test('GpuPool.eks + GpuNodePool (Karpenter)', () => {
    k8sProperty(mutations({ pool: eksBase, karpenter: karpenterBase }, [], true), (chart, v) => {
      new GpuNodePool(chart, 'pool', { pool: GpuPool.eks(v.pool as never), karpenter: v.karpenter as never });
    });
  });

  test('GpuPool.gke + GpuNodePool', () => {
    k8sProperty(mutations(gkeBase, [['gpusPerNode'], ['zones']]), (chart, props) => { new GpuNodePool(chart, 'pool', { pool: GpuPool.gke(props as never) }); });
  });

  test('GpuSharing and GpuPlacement', () => {
    k8sProperty(mutations({ replicas: 4, profile: '1g.10gb', request: { count: 1 } }, [], true), (_chart, v) => {
      GpuSharing.timeSlicing(v.replicas as never);
      GpuSharing.mig(v.profile as never);
      const pool = GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 1 });
      GpuPlacement.of('workload', 'WorkloadProps.gpu', (isPlain(v.request) ? { pool, ...v.request } : v.request) as never);
    });
  });

  test('GpuNodePool props', () => {
    k8sProperty(mutations({ pool: GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 1 }), devicePluginImage: 'nvcr.io/nvidia/k8s-device-plugin:v0.19.0' }), (chart, props) => {
      new GpuNodePool(chart, 'pool', props as never);
    });
  });

  test('DataBucket, BucketReplica and MinioDataLake', () => {
    k8sProperty(mutations({ bucket: bucketBase, replica: replicaBase, lake: { rootCredentialsSecret: 'lake-root', servers: 4, volumesPerServer: 2, volumeSize: '100Gi', mirrorSchedule: '*/15 * * * *', region: 'us-east-1' } }, [], true), (chart, v) => {
      const bucket = new DataBucket({ ...(v.bucket as object), replicas: [BucketReplica.s3(v.replica as never)] } as never);
      const data = new TeamSpace(chart, 'data', { name: 'data-platform', quota: { storage: '100Ti', persistentVolumeClaims: 64, cpu: '64', memory: '256Gi' } });
      new MinioDataLake(chart, 'lake', { namespace: data, buckets: [bucket], ...(v.lake as object) } as never);
    });
  });

  test('MinioDataLake grants', () => {
    k8sProperty(mutations({ access: DataAccess.READ_WRITE, prefix: 'vision/images', bucket: 0 }, [], true), (chart, v) => {
      const data = new TeamSpace(chart, 'data', { name: 'data-platform', quota: { storage: '100Ti', persistentVolumeClaims: 64 } });
      const vision = new TeamSpace(chart, 'vision', { name: 'vision' });
      const buckets = [new DataBucket({ name: 'raw' })];
      const lake = new MinioDataLake(chart, 'lake', { namespace: data, buckets, rootCredentialsSecret: 'lake-root' });
      const bucket = typeof v.bucket === 'number' ? buckets[v.bucket] : v.bucket;
      lake.bind(vision, bucket as never, v.access as never, v.prefix as never);
      MinioDataLake.connect(vision, { lake, bucket: bucket as never, access: v.access as never });
    });
  });

  test('WorkloadPod', () => {
    k8sProperty(mutations({
      field: 'TestProps', containerName: 'main', image: 'quay.io/jupyter/scipy-notebook:2026-07-28', command: ['python3', '-m', 'http.server'],
      env: { MODE: 'test' }, secretEnv: { TOKEN: 'creds/token' }, ports: [{ name: 'http', containerPort: 8080 }],
      resources: { cpu: '1', memory: '1Gi' }, writableDirectories: [{ path: '/tmp', sizeLimit: '1Gi' }], runAsUser: 1000, runAsGroup: 100,
      replicas: 1, apiAccess: false,
    }), (chart, props) => {
      const team = new TeamSpace(chart, 'vision', { name: 'vision' });
      const { podSpec } = WorkloadPod.of(chart, { ...(isPlain(props) ? props : {}), team } as never);
      const labels = { 'app.kubernetes.io/name': 'w', 'app.kubernetes.io/instance': 'w', 'app.kubernetes.io/component': 'w', 'app.kubernetes.io/part-of': 'ai-platform', 'app.kubernetes.io/managed-by': 'test' };
      new k8sImports.KubeDeployment(chart, 'deployment', { metadata: { name: 'w', namespace: 'vision', labels }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } } });
      if (!isPlain(props)) WorkloadPod.of(chart, props as never);
    });
  });

  test('Workbench and WorkbenchFleet', () => {
    const pool = GpuPool.onPrem({ name: 'a100-shared', gpuType: GpuType.A100_80GB, gpusPerNode: 8, nodes: 2, sharing: GpuSharing.timeSlicing(4) });
    k8sProperty(mutations({
      workbench: { kind: WorkbenchKind.JUPYTER, owner: 'alice', flavor: 'pytorch-notebook', gpu: { pool, count: 1 }, homeSize: '20Gi', storageClass: 'fast',
        credentialsSecret: 'alice-token', ingress: { host: 'alice.ml.example.com', tlsSecret: 'alice-tls', ingressClassName: 'nginx', controllerNamespace: 'ingress-nginx' },
        culling: WorkbenchCulling.idleFor(60), resources: { cpu: '1', memory: '4Gi' } },
      fleet: { kind: WorkbenchKind.RSTUDIO, users: [{ owner: 'bob' }, { owner: 'carol', kind: WorkbenchKind.ZEPPELIN }], defaults: { homeSize: '10Gi' } },
    }, [], true), (chart, v) => {
      const team = new TeamSpace(chart, 'vision', { name: 'vision', quota: { gpus: 2 } });
      new Workbench(chart, 'wb', (isPlain(v.workbench) ? { ...v.workbench, team } : v.workbench) as never);
      new WorkbenchFleet(chart, 'fleet', (isPlain(v.fleet) ? { ...v.fleet, team } : v.fleet) as never);
    });
  });

  test('DistributedTFJob (both backends) and RetrainingSchedule', () => {
    const h100 = GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 4 });
    k8sProperty(mutations({
      job: {
        image: 'registry.example.com/train:1.0.0', name: 'resnet', version: 'v2', workers: { replicas: 2, resources: { cpu: '2', memory: '8Gi' } },
        chief: { replicas: 1 }, gpu: { pool: h100, perWorker: 2 }, queue: 'training', backoffLimit: 2, activeDeadlineSeconds: 3600,
        ttlSecondsAfterFinished: 600, suspend: false, env: { EPOCHS: '10' }, command: ['python', 'train.py'], resources: { cpu: '1', memory: '4Gi' },
      },
      backend: 0,
      retraining: { schedule: '0 2 * * *', keepRuns: 3, timeZone: 'Etc/UTC' },
    }, [], true), (chart, v) => {
      const team = new TeamSpace(chart, 'vision', { name: 'vision', quota: { gpus: 64, cpu: '128', memory: '512Gi' } });
      const backend = typeof v.backend === 'number' ? [TrainingBackend.TFJOB, TrainingBackend.INDEXED_JOB][v.backend] ?? v.backend : v.backend;
      GpuQueue.external(chart, team, 'training');
      const job = new DistributedTFJob(chart, 'job', (isPlain(v.job) ? { ...v.job, team, backend: backend === TrainingBackend.TFJOB ? undefined : backend } : v.job) as never);
      new RetrainingSchedule(chart, 'nightly', (isPlain(v.retraining) ? { ...v.retraining, job, team } : v.retraining) as never);
    });
  });

  test('ClusterAddons, AddonRequirements, GitOpsRoot and EbsStorageClass', () => {
    const pools = [GpuPool.eks({ name: 'l4', gpuType: GpuType.L4, clusterName: 'ml-eks', provisioning: EksProvisioning.KARPENTER })];
    k8sProperty(mutations({
      requirement: { addon: Addon.KNATIVE_SERVING, knativeFeatures: [KnativeFeature.PODSPEC_NODESELECTOR] },
      kueue: { addon: Addon.KUEUE, kueueIntegrations: [KueueIntegration.TF_JOB] },
      addons: { clusterName: 'ml-eks', gpuPools: pools, eksClusterName: 'ml-eks', awsRegion: 'eu-west-1', include: [Addon.CERT_MANAGER], exclude: [] },
      root: { clusterName: 'ml-eks', repoUrl: 'https://git.example.com/platform.git', targetRevision: 'v1.2.0', path: 'dist/aws' },
      storage: { name: 'gp3', defaultClass: true },
    }, [], true), (chart, v) => {
      AddonRequirements.require(chart, v.requirement as never);
      AddonRequirements.require(chart, v.kueue as never);
      new EbsStorageClass(chart, 'gp3', v.storage as never);
      new ClusterAddons(chart, 'addons', v.addons as never);
      new GitOpsRoot(chart, 'root', v.root as never);
    });
  });

  test('KnativeModel, its servers and traffic', () => {
    const a100 = GpuPool.onPrem({ name: 'a100-shared', gpuType: GpuType.A100_80GB, gpusPerNode: 8, nodes: 2, sharing: GpuSharing.timeSlicing(4) });
    k8sProperty(mutations({
      server: { modelName: 'resnet', grpc: false },
      v1: { version: 'v1', image: 'registry.example.com/models/resnet:1.0.0' },
      v2: { version: 'v2', image: 'registry.example.com/models/resnet:1.1.0' },
      percent: 10,
      model: { autoscaling: { minScale: 1, maxScale: 4, target: 10, windowSeconds: 60 }, containerConcurrency: 20, visibility: ModelVisibility.CLUSTER_LOCAL, gpu: { pool: a100, count: 1 }, timeoutSeconds: 120 },
    }, [], true), (chart, v) => {
      const team = new TeamSpace(chart, 'vision', { name: 'vision', quota: { gpus: 8, cpu: '64', memory: '256Gi' } });
      const traffic = KnativeModelTraffic.serve(v.v1 as never).canary(v.v2 as never, v.percent as never);
      new KnativeModel(chart, 'resnet', { ...(isPlain(v.model) ? v.model : {}), team, server: ModelServer.tensorflowServing(v.server as never), traffic } as never);
    });
  });

  test('eventing: ModelBroker, ModelTrigger, ModelSchedule, ModelEventsBridge, KnativeObservability', () => {
    k8sProperty(mutations({
      broker: { name: 'events' },
      trigger: { eventType: 'dev.knative.sources.ping', filter: { source: 'nightly' } },
      schedule: { schedule: '0 6 * * *', timezone: 'Europe/Paris', data: '{"task":"digest"}' },
      bridge: { kafka: { name: 'events', namespace: 'kafka', port: 9092 }, prefix: 'resnet/', topic: 'model-uploads', partitions: 3, replicas: 3 },
      tracing: { protocol: ObservabilityProtocol.HTTP_PROTOBUF, endpoint: 'http://otel.observability.svc:4318/v1/traces', samplingRate: 0.2 },
    }, [], true), (chart, v) => {
      const team = new TeamSpace(chart, 'ml', { name: 'ml' });
      const broker = new ModelBroker(chart, 'broker', { ...(isPlain(v.broker) ? v.broker : {}), namespace: team } as never);
      const sink = EventSink.knativeService('summarizer');
      new ModelTrigger(chart, 'trigger', { ...(isPlain(v.trigger) ? v.trigger : {}), broker, subscriber: sink } as never);
      new ModelSchedule(chart, 'schedule', { ...(isPlain(v.schedule) ? v.schedule : {}), namespace: team, sink: broker } as never);
      new ModelEventsBridge(chart, 'bridge', { ...(isPlain(v.bridge) ? v.bridge : {}), namespace: team, bucket: new DataBucket({ name: 'models' }), sink: broker } as never);
      KnativeObservability.tracing(v.tracing as never);
    });
  });

  test('GpuQueue and WorkloadPriority', () => {
    const h100 = GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 4 });
    k8sProperty(mutations({
      queue: { name: 'gpus', gpus: { h100: 16 }, cpuPerGpu: '4', memoryPerGpu: '32Gi', cohort: 'onprem', borrowingLimit: 8, lendingLimit: 4 },
      priority: { name: 'batch', value: 100, description: 'retraining' },
    }, [], true), (chart, v) => {
      new GpuNodePool(chart, 'pool', { pool: h100 });
      const team = new TeamSpace(chart, 'vision', { name: 'vision', quota: { gpus: 8 } });
      new GpuQueue(chart, 'queue', (isPlain(v.queue) ? { ...v.queue, pools: [h100], teams: [team] } : v.queue) as never);
      new WorkloadPriority(chart, 'priority', v.priority as never);
    });
  });

  test('BurstCluster, PriceTable, BurstManager and BurstWorker', () => {
    const onprem = [GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 2, nvidiaDefaultRuntime: true })];
    const aws = [GpuPool.eks({ name: 'h100', gpuType: GpuType.H100_80GB, clusterName: 'ml-eks', provisioning: EksProvisioning.KARPENTER, maxNodes: 2 })];
    k8sProperty(mutations({
      burst: {
        manager: 'manager', teams: ['vision'], stepSize: 1, priorities: [{ name: 'batch', value: 100 }],
        classes: [{ name: 'h100', gpuType: GpuType.H100_80GB, reference: { gpusPerPod: 8, pods: 2 }, cpuPerGpu: '8', memoryPerGpu: '64Gi' }],
      },
      price: { cloud: GpuCloud.AWS, machineType: 'p5.48xlarge', capacityType: CapacityType.ON_DEMAND, dollarsPerHour: 41.2, region: 'eu-west-1', date: '2026-11-01', source: 'our agreement' },
      request: { gpusPerPod: 4, pods: 3 },
    }, [], true), (chart, v) => {
      const workers = [{ name: 'onprem', pools: onprem }, { name: 'aws', pools: aws }];
      const prices = PriceTable.seed().with([v.price as never]);
      const burst = new BurstCluster((isPlain(v.burst) ? { ...v.burst, workers, prices } : v.burst) as never);
      burst.estimate('h100', v.request as never);
      new BurstManager(chart, 'manager', { burst, teams: [new TeamSpace(chart, 'vision', { name: 'vision' })] });
      // a worker is another cluster: its own app, validated like the manager's
      const worker = new Chart(K8sTesting.app(), 'worker');
      new GpuNodePool(worker, 'pool', { pool: aws[0] });
      new BurstWorker(worker, 'burst', { burst, cluster: 'aws', teams: [new TeamSpace(worker, 'vision', { name: 'vision', quota: { gpus: 8 } })] });
      checkObjects('worker', worker.toJson() as Manifest[]);
    });
  });

  test('AwsPlatformStack, EksGpuCluster and S3ReplicaBucket', () => {
    cloudProperty(mutations({
      stack: { region: 'eu-west-1', tags: { platform: 'reference' } },
      cluster: { name: 'ml-eks', vpcCidr: '10.0.0.0/16', availabilityZones: 3, endpointPublicAccessCidrs: ['203.0.113.0/24'], systemNodes: { instanceType: 'm6i.large', minNodes: 2, maxNodes: 4 }, logRetentionDays: 90 },
      pool: { name: 'a10g', gpuType: GpuType.A10G, clusterName: 'ml-eks', instanceType: 'g5.12xlarge', maxNodes: 2 },
    }, [], true), (app, v) => {
      const stack = new AwsPlatformStack(app, 'aws', v.stack as never);
      new EksGpuCluster(stack, 'eks', { ...(v.cluster as object), gpuPools: [GpuPool.eks(v.pool as never)] } as never);
      new S3ReplicaBucket(stack, 'replica', { bucket: new DataBucket({ name: 'features', replicas: [BucketReplica.s3(replicaBase)] }) });
    });
  });

  test('GcpPlatformStack, GkeGpuCluster and GcsReplicaBucket', () => {
    cloudProperty(mutations({
      stack: { project: 'acme-ai', region: 'europe-west4', labels: { platform: 'reference' } },
      cluster: { name: 'ml-gke', releaseChannel: 'REGULAR', masterAuthorizedNetworks: [{ cidr: '203.0.113.0/24', name: 'office' }], systemNodes: { machineType: 'e2-standard-4', minNodes: 1, maxNodes: 3 } },
      pool: gkeBase,
      replica: { bucketName: 'acme-features', location: 'EUROPE-WEST4', credentialsSecret: 'features-gcs-mirror' },
    }, [], true), (app, v) => {
      const stack = new GcpPlatformStack(app, 'gcp', v.stack as never);
      new GkeGpuCluster(stack, 'gke', { ...(v.cluster as object), gpuPools: [GpuPool.gke(v.pool as never)] } as never);
      new GcsReplicaBucket(stack, 'replica', { bucket: new DataBucket({ name: 'features', replicas: [BucketReplica.gcs(v.replica as never)] }) });
    });
  });
});
