import { Chart, Testing } from 'cdk8s';
import {
  Addon, AddonRequirements, DataAccess, DataBucket, GpuPool, GpuSharing, GpuType, KnativeModel, KnativeModelProps, KnativeModelTraffic, MinioDataLake,
  ModelLogLevel, ModelServer, ModelVisibility, NetworkingLayer, ServingProtocol, TeamSpace, ClusterAddons
} from '../../lib';
import { expectValidationError } from '../helpers/errors';
import { knativeFlagsNeeded, knativeServiceProblems } from '../helpers/knative-rules';
import { Manifest, ofKind, synthValid } from '../helpers/manifests';
import { podProblems } from '../helpers/pod-security';

const a100 = GpuPool.onPrem({ name: 'a100-shared', gpuType: GpuType.A100_80GB, gpusPerNode: 8, nodes: 2, sharing: GpuSharing.timeSlicing(4) });
const t4 = GpuPool.eks({ name: 't4', gpuType: GpuType.T4, clusterName: 'burst', minNodes: 0, maxNodes: 4 });
const modelsBucket = new DataBucket({ name: 'models' });
const v1 = { version: 'v1', image: 'registry.example.com/models/resnet:v1' };
const v2 = { version: 'v2', image: 'registry.example.com/models/resnet:v2' };
const tf = () => ModelServer.tensorflowServing({ modelName: 'resnet' });

function cluster() {
  const app = Testing.app();
  const chart = new Chart(app, 'c');
  const team = new TeamSpace(chart, 'vision', { name: 'vision', quota: { gpus: 16, cpu: '64', memory: '256Gi' } });
  return { chart, team };
}
function model(props: Partial<KnativeModelProps> = {}, setup = cluster()) {
  const m = new KnativeModel(setup.chart, 'resnet', { team: setup.team, server: tf(), traffic: KnativeModelTraffic.serve(v1), ...props });
  const objects = synthValid(setup.chart);
  expect(podProblems(objects)).toEqual([]);
  const svc = objects.find((o) => o.apiVersion === 'serving.knative.dev/v1')!;
  return { m, objects, svc, tpl: svc.spec.template, main: svc.spec.template.spec.containers[0], chart: setup.chart };
}

describe('KnativeModel: TF Serving, Triton and generic servers on Knative', () => {
  test('TF Serving (baked image): REST 8501 as http1, /v1/models/<name> readiness, container-level restricted context, finite concurrency', () => {
    const { svc, tpl, main, m } = model();
    expect(main.image).toBe(v1.image);
    expect(main.command).toEqual(['/usr/bin/tensorflow_model_server']);
    expect(main.args).toEqual(['--port=8500', '--rest_api_port=8501', '--model_name=resnet', '--model_base_path=/models/resnet']);
    expect(main.ports).toEqual([{ name: 'http1', containerPort: 8501 }]);
    expect(main.readinessProbe.httpGet).toEqual({ path: '/v1/models/resnet', port: 8501 });
    expect(tpl.spec.securityContext).toBeUndefined();
    expect(main.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' }, capabilities: { drop: ['ALL'] } });
    expect(tpl.spec.containerConcurrency).toBe(10);
    expect(tpl.metadata.annotations).toEqual({
      'autoscaling.knative.dev/class': 'kpa.autoscaling.knative.dev', 'autoscaling.knative.dev/metric': 'concurrency',
      'autoscaling.knative.dev/min-scale': '0', 'autoscaling.knative.dev/max-scale': '5', 'autoscaling.knative.dev/initial-scale': '1',
    });
    expect(svc.metadata.annotations).toBeUndefined();
    expect(tpl.metadata.name).toMatch(/^resnet-v1-[0-9a-f]{8}$/);
    expect(m.revisionName).toBe(tpl.metadata.name);
    expect(svc.spec.traffic).toEqual([{ revisionName: tpl.metadata.name, percent: 100, tag: 'current', latestRevision: false }]);
    expect(knativeFlagsNeeded(svc).map((n) => n.flag)).toEqual(['kubernetes.podspec-volumes-emptydir']);
  });

  test('TF Serving gRPC: one h2c port 8500, readiness still on the REST port', () => {
    const { main } = model({ server: ModelServer.tensorflowServing({ modelName: 'resnet', grpc: true }) });
    expect(main.ports).toEqual([{ name: 'h2c', containerPort: 8500 }]);
    expect(main.readinessProbe.httpGet.port).toBe(8501);
  });

  test('Triton on the on-prem a100-shared pool, min scale 1, loading from the lake; flags declared match the pod fields used', () => {
    const setup = cluster();
    const data = new TeamSpace(setup.chart, 'data', { name: 'data-platform', quota: { storage: '20Ti', persistentVolumeClaims: 32 } });
    const lake = new MinioDataLake(setup.chart, 'lake', { namespace: data, buckets: [modelsBucket], rootCredentialsSecret: 'root' });
    const server = ModelServer.triton({ modelRepository: { lake, bucket: modelsBucket, access: DataAccess.READ, prefix: 'triton' } });
    const { svc, tpl, main, m, chart } = model({
      server, gpu: { pool: a100, count: 1 }, autoscaling: { minScale: 1, maxScale: 4 }, traffic: KnativeModelTraffic.serve({ version: 'r1' }), logLevel: ModelLogLevel.DEBUG,
    }, setup);
    expect(main.image).toBe('nvcr.io/nvidia/tritonserver:26.07-py3');
    expect(main.args[0]).toMatch(/^--model-repository=s3:\/\/[a-z0-9.-]+:\d+\/models\/triton$/);
    expect(main.args).toContain('--log-verbose=1');
    expect(main.ports).toEqual([{ name: 'http1', containerPort: 8000 }]);
    expect(main.readinessProbe.httpGet.path).toBe('/v2/health/ready');
    const env = Object.fromEntries(main.env.map((e: Manifest) => [e.name, e.value ?? e.valueFrom]));
    expect(env.TRITON_AWS_MOUNT_DIRECTORY).toBe('/var/cache/triton');
    expect(env.AWS_ACCESS_KEY_ID).toHaveProperty('secretKeyRef');
    expect(main.volumeMounts.map((v: Manifest) => v.mountPath)).toContain('/var/cache/triton');
    expect(main.securityContext.runAsUser).toBe(1000);
    expect(tpl.spec.runtimeClassName).toBe('nvidia');
    expect(tpl.metadata.annotations['autoscaling.knative.dev/min-scale']).toBe('1');
    const needed = [...new Set(knativeFlagsNeeded(svc).map((n) => n.flag))].sort();
    const declared = AddonRequirements.of(chart).filter((r) => r.by === m).flatMap((r) => (r.requirement.knativeFeatures ?? []).map((f) => f.name)).sort();
    expect(declared).toEqual(needed);
    expect(needed).toEqual(['kubernetes.podspec-nodeselector', 'kubernetes.podspec-runtimeclassname', 'kubernetes.podspec-tolerations', 'kubernetes.podspec-volumes-emptydir']);
  });

  test('generic server: its port and protocol, an HTTP health path', () => {
    const { main } = model({ server: ModelServer.generic({ port: 9000, protocol: ServingProtocol.H2C, healthPath: '/healthz' }) });
    expect(main.ports).toEqual([{ name: 'h2c', containerPort: 9000 }]);
    expect(main.readinessProbe.httpGet).toEqual({ path: '/healthz', port: 9000 });
  });
});

describe('KnativeModel traffic: canary, blue/green, promote, roll back', () => {
  test('a 90/10 canary: the template is the candidate, both tagged, percents 100', () => {
    const { svc, m } = model({ traffic: KnativeModelTraffic.serve(v1).canary(v2, 10) });
    expect(svc.spec.template.metadata.name).toBe(m.revisionNames.v2);
    expect(svc.spec.template.spec.containers[0].image).toBe(v2.image);
    expect(svc.spec.traffic).toEqual([
      { revisionName: m.revisionNames.v1, percent: 90, tag: 'current', latestRevision: false },
      { revisionName: m.revisionNames.v2, percent: 10, tag: 'candidate', latestRevision: false },
    ]);
  });

  test('revision names are deterministic, name the version, and change with the template', () => {
    const a = model().m.revisionName;
    const b = model().m.revisionName;
    const c = model({ containerConcurrency: 20 }).m.revisionName;
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(c.startsWith('resnet-v1-')).toBe(true);
  });

  test('the stable revision keeps its name through canary, promote and roll back; blue/green switches 100 percent', () => {
    const first = model().m.revisionName;
    const canary = model({ traffic: KnativeModelTraffic.serve(v1).canary(v2, 10) });
    expect(canary.m.revisionNames.v1).toBe(first);
    const promoted = model({ traffic: KnativeModelTraffic.serve(v1).canary(v2, 10).promote() });
    expect(promoted.svc.spec.traffic.map((t: Manifest) => [t.revisionName, t.percent, t.tag])).toEqual([[canary.m.revisionNames.v2, 100, 'current'], [first, 0, 'previous']]);
    const back = model({ traffic: KnativeModelTraffic.serve(v1).canary(v2, 10).promote().rollback() });
    expect(back.m.revisionName).toBe(first);
    expect(back.svc.spec.traffic).toEqual([{ revisionName: first, percent: 100, tag: 'current', latestRevision: false }]);
    const green = model({ traffic: KnativeModelTraffic.serve(v1).blueGreen(v2) });
    expect(green.svc.spec.traffic.map((t: Manifest) => t.percent)).toEqual([100, 0]);
    const switched = model({ traffic: KnativeModelTraffic.serve(v1).blueGreen(v2).promote() });
    expect(switched.svc.spec.traffic.map((t: Manifest) => t.percent)).toEqual([100, 0]);
    expect(switched.svc.spec.traffic[0].revisionName).toBe(green.m.revisionNames.v2);
  });
});

describe('KnativeModel: visibility, rate limits, metrics, cold GPU pools', () => {
  test('cluster-local visibility is a label of the Service', () => {
    const { svc } = model({ visibility: ModelVisibility.CLUSTER_LOCAL });
    expect(svc.metadata.labels!['networking.knative.dev/visibility']).toBe('cluster-local');
  });

  test('with Istio: sidecar injection, an EnvoyFilter local rate limit on the model\'s pods, istiod egress', () => {
    const { objects, tpl } = model({ networking: NetworkingLayer.ISTIO, rateLimit: { requestsPerSecondPerReplica: 50, burst: 100 } });
    expect(tpl.metadata.labels['sidecar.istio.io/inject']).toBe('true');
    const [filter] = ofKind(objects, 'EnvoyFilter');
    expect(filter.spec.workloadSelector.labels).toEqual({ 'serving.knative.dev/service': 'resnet' });
    expect(filter.spec.configPatches[0].patch.value.typed_config.token_bucket).toEqual({ max_tokens: 100, tokens_per_fill: 50, fill_interval: '1s' });
  });

  test('a PodMonitor on queue-proxy\'s http-usermetric port, Prometheus admitted to 9091', () => {
    const { objects } = model({ metrics: {} });
    const [pm] = ofKind(objects, 'PodMonitor');
    expect(pm.spec.podMetricsEndpoints).toEqual([{ port: 'http-usermetric', path: '/metrics', interval: '30s' }]);
    const np = ofKind(objects, 'NetworkPolicy').find((o) => o.metadata.name === 'resnet')!;
    expect(JSON.stringify(np.spec.ingress)).toContain('9091');
  });

  test('scale to zero on a from-zero GPU pool only when opted in, with raised timeout and progress deadline', () => {
    const { tpl } = model({ gpu: { pool: t4, count: 1 }, coldGpuNodes: true, autoscaling: { maxScale: 2 } });
    expect(tpl.spec.timeoutSeconds).toBe(600);
    expect(tpl.metadata.annotations['serving.knative.dev/progress-deadline']).toBe('1200s');
  });
});

describe('KnativeModel: bad input names the field', () => {
  const build = (props: Partial<KnativeModelProps>) => {
    const { chart, team } = cluster();
    return () => new KnativeModel(chart, 'resnet', { team, server: tf(), traffic: KnativeModelTraffic.serve(v1), ...props });
  };
  test('percents not summing to 100', () => {
    expectValidationError(() => KnativeModelTraffic.split([{ version: v1, percent: 80 }, { version: v2, percent: 10 }]), 'KnativeModelTraffic.split.targets', '');
  });
  test('duplicate tags', () => {
    expectValidationError(() => KnativeModelTraffic.split([{ version: v1, percent: 50, tag: 'a' }, { version: v2, percent: 50, tag: 'a' }]), 'KnativeModelTraffic.split.targets[1].tag', '');
  });
  test('min > max scale', () => { expectValidationError(build({ autoscaling: { minScale: 3, maxScale: 2 } }), 'KnativeModelProps.autoscaling.maxScale', 'c/resnet'); });
  test('a window outside 6s..1h', () => { expectValidationError(build({ autoscaling: { windowSeconds: 5 } }), 'KnativeModelProps.autoscaling.windowSeconds', 'c/resnet'); });
  test('a target under 0.01', () => { expectValidationError(build({ autoscaling: { target: 0.001 } }), 'KnativeModelProps.autoscaling.target', 'c/resnet'); });
  test('scale to zero on a from-zero GPU pool', () => { expectValidationError(build({ gpu: { pool: t4, count: 1 }, autoscaling: { maxScale: 2 } }), 'KnativeModelProps.autoscaling.minScale', 'c/resnet'); });
  test('rps limit without Istio', () => { expectValidationError(build({ rateLimit: { requestsPerSecondPerReplica: 10 } }), 'KnativeModelProps.rateLimit', 'c/resnet'); });
  test('a bad image', () => { expectValidationError(build({ traffic: KnativeModelTraffic.serve({ version: 'v1', image: 'resnet:latest' }) }), 'KnativeModelProps.traffic.deployed.image', 'c/resnet'); });
  test('no image for a baked TF Serving model', () => { expectValidationError(build({ traffic: KnativeModelTraffic.serve({ version: 'v1' }) }), 'KnativeModelProps.traffic.deployed.image', 'c/resnet'); });
  test('an unknown server', () => { expectValidationError(build({ server: { kind: 'torchserve' } as unknown as ModelServer }), 'KnativeModelProps.server', 'c/resnet'); });
  test('a reserved port', () => { expectValidationError(() => ModelServer.generic({ port: 8012, protocol: ServingProtocol.HTTP1 }), 'GenericServerProps.port', ''); });
  test('a log level the generic server cannot take', () => { expectValidationError(build({ server: ModelServer.generic({ port: 9000, protocol: ServingProtocol.HTTP1 }), logLevel: ModelLogLevel.DEBUG }), 'KnativeModelProps.logLevel', 'c/resnet'); });
  test('two ports: the rules helper refuses it (KnativeModel never emits it)', () => {
    const svc = model().svc;
    const two = JSON.parse(JSON.stringify(svc));
    two.spec.template.spec.containers[0].ports.push({ name: 'h2c', containerPort: 8500 });
    expect(knativeServiceProblems(two).join('\n')).toContain('more than one container port');
  });
});

test('a GPU request that is not one is refused before anything reads it (found by the property test)', () => {
  const chart = Testing.chart();
  const team = new TeamSpace(chart, 'vision', { name: 'vision' });
  expectValidationError(() => new KnativeModel(chart, 'm', {
    team, server: ModelServer.tensorflowServing({ modelName: 'resnet' }), traffic: KnativeModelTraffic.serve({ version: 'v1', image: 'registry.example.com/m:1.0.0' }),
    gpu: 'resnet' as never,
  }), 'KnativeModelProps.gpu', 'test/m');
});

describe('what a model relies on reaches the Knative add-on, or fails at synth', () => {
  const model = (chart: Chart, team: TeamSpace, props: object) => new KnativeModel(chart, 'm', {
    team, server: ModelServer.tensorflowServing({ modelName: 'resnet' }), traffic: KnativeModelTraffic.serve({ version: 'v1', image: 'registry.example.com/m:1.0.0' }), ...props,
  });
  const cluster = () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    return { app, chart, team: new TeamSpace(chart, 'vision', { name: 'vision' }) };
  };

  test('metrics: the add-on makes queue-proxy serve them (request-metrics-protocol: prometheus)', () => {
    const { chart, team } = cluster();
    model(chart, team, { metrics: {} });
    new ClusterAddons(chart, 'addons', { clusterName: 'onprem' });
    const [serving] = ofKind(synthValid(chart), 'KnativeServing');
    expect(serving.spec.config.observability).toEqual({ 'request-metrics-protocol': 'prometheus' });
  });

  test('metrics, with the user turning request metrics off: fails at synth naming the model', () => {
    const { app, chart, team } = cluster();
    model(chart, team, { metrics: {} });
    new ClusterAddons(chart, 'addons', { clusterName: 'onprem', knativeServing: { observability: { 'request-metrics-protocol': 'none' } } });
    expectValidationError(() => app.synth(), 'AddonRequirement.knativeObservability', 'c/m');
  });

  test('an Istio model in a cluster whose Knative runs Kourier: fails at synth naming the model', () => {
    const { app, chart, team } = cluster();
    model(chart, team, { networking: NetworkingLayer.ISTIO, rateLimit: { requestsPerSecondPerReplica: 50 } });
    new ClusterAddons(chart, 'addons', { clusterName: 'onprem' });
    const e = expectValidationError(() => app.synth(), 'AddonRequirement.knativeIngress', 'c/m');
    expect(e.message).toMatch(/installs Knative with Kourier/);
  });
});

test('AddonRequirement: observability and ingress only with Knative Serving, and checked', () => {
  const chart = Testing.chart();
  expectValidationError(() => AddonRequirements.require(chart, { addon: Addon.KUEUE, knativeIngress: 'istio' }), 'AddonRequirement.knativeIngress', 'test');
  expectValidationError(() => AddonRequirements.require(chart, { addon: Addon.KNATIVE_SERVING, knativeIngress: 'contour' }), 'AddonRequirement.knativeIngress', 'test');
  expectValidationError(() => AddonRequirements.require(chart, { addon: Addon.KNATIVE_SERVING, knativeObservability: { a: 1 as never } }), 'AddonRequirement.knativeObservability["a"]', 'test');
});
