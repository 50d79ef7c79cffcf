import { createHash } from 'node:crypto';
import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { Service as KnativeService } from '../../imports/knative-service-serving.knative.dev';
import { PodMonitor } from '../../imports/prometheus-podmonitors-monitoring.coreos.com';
import { Addon } from '../addons/addon';
import { AddonRequirements } from '../addons/addon-requirements';
import { KnativeFeature } from '../addons/knative-feature';
import { Checks } from '../core/checks';
import { ClusterScope } from '../core/cluster-scope';
import { ValidationError } from '../core/errors';
import { Images } from '../core/images';
import { ObjectOrder } from '../core/k8s/object-order';
import { ComputeResources } from '../core/k8s/resources';
import { Labels } from '../core/labels';
import { Names } from '../core/names';
import { GpuCloud } from '../gpu/gpu-pool';
import { GpuPlacement, GpuRequest } from '../gpu/gpu-placement';
import { ITeamSpace, TeamSpace } from '../teams/team-space';
import { WorkloadPod } from '../workloads/workload-pod';
import { KnativeModelTraffic, ModelVersion } from './knative-model-traffic';
import { ModelLogLevel, ModelServer } from './model-server';
import { NamespaceSelectors } from '../core/k8s/namespace-selectors';

/** The cluster's Knative networking layer. */
export enum NetworkingLayer {
  /** Kourier: what the Knative add-on installs. It has no rate limit of its own. */
  KOURIER = 'kourier',
  /** Istio (net-istio): requests-per-second limits through an EnvoyFilter on the model's sidecars. */
  ISTIO = 'istio',
}

/** Who can reach the model. */
export enum ModelVisibility {
  /** Through the cluster's Knative ingress, from outside. */
  PUBLIC = 'public',
  /** Inside the cluster only (`networking.knative.dev/visibility: cluster-local`). */
  CLUSTER_LOCAL = 'cluster-local',
}

/** What Knative's autoscaler (KPA) scales on. */
export enum AutoscalingMetric {
  /** In-flight requests per replica. */
  CONCURRENCY = 'concurrency',
  /** Requests per second per replica. */
  RPS = 'rps',
}

/** Autoscaling of a model (Knative's KPA, annotations on the revision template). */
export interface ModelAutoscaling {
  /**
   * Fewest replicas; 0 scales to zero when idle.
   * @default 0
   */
  readonly minScale?: number;
  /**
   * Most replicas (the team's quota is reserved for this many).
   * @default 5
   */
  readonly maxScale?: number;
  /**
   * Replicas a new revision starts with (at least 1: a cluster at Knative's default refuses 0).
   * @default 1
   */
  readonly initialScale?: number;
  /** @default AutoscalingMetric.CONCURRENCY */
  readonly metric?: AutoscalingMetric;
  /**
   * Target per replica of the metric (at least 0.01).
   * @default - Knative's: 70 percent of containerConcurrency for concurrency, 200 for rps
   */
  readonly target?: number;
  /**
   * Seconds to wait after load drops before scaling down (0 to 3600).
   * @default - none (Knative's 0)
   */
  readonly scaleDownDelaySeconds?: number;
  /**
   * Stable window in seconds (6 to 3600).
   * @default - Knative's 60
   */
  readonly windowSeconds?: number;
}

/** A requests-per-second limit (Istio only): Envoy's local rate limit, enforced by each replica's sidecar. */
export interface ModelRateLimit {
  /** Requests per second each replica admits; more are answered 429. */
  readonly requestsPerSecondPerReplica: number;
  /**
   * Bucket size: requests admitted at once after a quiet period.
   * @default - requestsPerSecondPerReplica
   */
  readonly burst?: number;
}

/** A Prometheus Operator PodMonitor for the queue-proxy's request metrics. */
export interface ModelMetrics {
  /**
   * Namespace of the Prometheus that scrapes (admitted to port 9091 by the model's NetworkPolicy).
   * @default "monitoring"
   */
  readonly prometheusNamespace?: string;
  /**
   * Scrape interval.
   * @default "30s"
   */
  readonly interval?: string;
}

/** Props of {@link KnativeModel}. */
export interface KnativeModelProps {
  /** The team: namespace, service account, quota. */
  readonly team: ITeamSpace;
  /** The server (TF Serving, Triton, generic). */
  readonly server: ModelServer;
  /** Which versions get the traffic (`KnativeModelTraffic.serve(v1)`, `.canary(v2, 10)`, ...). */
  readonly traffic: KnativeModelTraffic;
  /**
   * Service name (a DNS-1035 label).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * CPU and memory of the server container.
   * @default { cpu: "1", memory: "2Gi", cpuLimit: "2", memoryLimit: "4Gi" }
   */
  readonly resources?: ComputeResources;
  /**
   * GPUs per replica.
   * @default - none
   */
  readonly gpu?: GpuRequest;
  /** @default - scale 0..5 on concurrency */
  readonly autoscaling?: ModelAutoscaling;
  /**
   * Hard limit of in-flight requests per replica (Knative queues the rest): 1 to 1000.
   * @default 10
   */
  readonly containerConcurrency?: number;
  /**
   * Request timeout in seconds, at most 600 (Knative's max-revision-timeout-seconds).
   * @default - Knative's 300, or 600 with coldGpuNodes
   */
  readonly timeoutSeconds?: number;
  /**
   * Accept scale to zero on a cloud GPU pool that itself scales to zero nodes: the first request then waits for a
   * node, its driver and the image, longer than Knative's default timeouts (knative/serving#13208). With it, the
   * revision's `timeoutSeconds` is 600 and its `serving.knative.dev/progress-deadline` 1200s.
   * @default false (such a model is refused)
   */
  readonly coldGpuNodes?: boolean;
  /** @default ModelVisibility.PUBLIC */
  readonly visibility?: ModelVisibility;
  /** @default NetworkingLayer.KOURIER (what the Knative add-on installs) */
  readonly networking?: NetworkingLayer;
  /**
   * A requests-per-second limit: only with `NetworkingLayer.ISTIO` (refused otherwise).
   * @default - none (containerConcurrency still caps in-flight requests)
   */
  readonly rateLimit?: ModelRateLimit;
  /**
   * The server's log level (an env variable or flag of the server: Knative has none per model).
   * @default - the server's default
   */
  readonly logLevel?: ModelLogLevel;
  /**
   * A PodMonitor for the queue-proxy's request metrics (port `http-usermetric`, 9091). They are served only when
   * the cluster's Knative `config-observability` has `request-metrics-protocol: prometheus`.
   * @default - none
   */
  readonly metrics?: ModelMetrics;
}

const P = 'KnativeModelProps';
const DEFAULT_RESOURCES: ComputeResources = { cpu: '1', memory: '2Gi', cpuLimit: '2', memoryLimit: '4Gi' };
/** Knative Serving 1.23 defaults: max-revision-timeout-seconds, container-concurrency-max-limit. */
const MAX_TIMEOUT = 600;
const MAX_CONCURRENCY = 1000;
const COLD_PROGRESS_DEADLINE = '1200s';
const KPA = 'kpa.autoscaling.knative.dev';
const A = 'autoscaling.knative.dev';
/** Knative's pod label naming the Service (knative/serving pkg/apis/serving/register.go `ServiceLabelKey`). */
const SERVICE_LABEL = 'serving.knative.dev/service';
/** Namespaces of Knative's data plane with the Knative Operator: activator, autoscaler, Kourier's gateway. */
const KNATIVE_NAMESPACES = ['knative-serving', 'kourier-system'];
/** queue-proxy ports (knative/serving pkg/networking/constants.go): HTTP/1, HTTP/2, admin, autoscaler metrics, user metrics. */
const QUEUE_PORTS = [8012, 8013, 8022, 9090];
const USER_METRICS_PORT = 9091;
const ISTIO_NAMESPACE = 'istio-system';

/**
 * A model served by Knative Serving (`serving.knative.dev/v1` Service):
 *
 * - the server's container from the shared {@link WorkloadPod} builder, with every restricted setting at container
 *   level: Knative's webhook refuses a pod securityContext unless `kubernetes.podspec-securitycontext` is on, a flag
 *   its own docs say cannot safely be turned off again, so the library never needs it;
 * - exactly one container port, `http1` (REST) or `h2c` (gRPC), and the server's readiness probe;
 * - autoscaling annotations on the revision template, checked against Knative's ranges at construction;
 *   `containerConcurrency` as the hard per-replica limit (10 by default);
 * - revision names `<service>-<version>-<hash of the template>`, and traffic from {@link KnativeModelTraffic}
 *   (canary, blue/green, promote, roll back);
 * - GPU placement: the nodeSelector and tolerations (and on-prem the runtime class) a GPU pool needs are pod fields
 *   Knative gates behind flags; the model requires them from the Knative add-on (`AddonRequirements`);
 * - a NetworkPolicy admitting Knative's data plane (and Istio's, and Prometheus when asked) to the model's pods;
 * - with Istio, an EnvoyFilter that limits requests per second on each replica's sidecar; a PodMonitor when asked.
 */
export class KnativeModel extends Construct {
  /** The Knative Service's name. */
  public readonly name: string;
  public readonly namespaceName: string;
  /** The revision the template describes. */
  public readonly revisionName: string;
  /** Revision name of each version routed to. */
  public readonly revisionNames: { [version: string]: string };
  /** The cluster-local URL (`http://<name>.<namespace>.svc.cluster.local`). */
  public readonly clusterUrl: string;
  /** The Knative feature flags this model requires. */
  public readonly knativeFeatures: KnativeFeature[];
  /** Escape hatches. */
  public readonly service: ApiObject;
  public readonly networkPolicy: k8s.KubeNetworkPolicy;
  public readonly envoyFilter?: ApiObject;
  public readonly podMonitor?: ApiObject;

  public constructor(scope: Construct, id: string, props: KnativeModelProps) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    Checks.object(path, P, props, 'KnativeModelProps ({ team, server, traffic, ... })');
    const team = props.team;
    TeamSpace.check(path, `${P}.team`, team);
    const server = Checks.instance(path, `${P}.server`, props.server, ModelServer, 'a ModelServer: ModelServer.tensorflowServing(...), .triton(...) or .generic(...)');
    const traffic = Checks.instance(path, `${P}.traffic`, props.traffic, KnativeModelTraffic, 'a KnativeModelTraffic: KnativeModelTraffic.serve(version), then .canary(...), .promote(), ...');
    this.name = props.name ?? id;
    if (typeof this.name !== 'string' || this.name.length > 40 || !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(this.name)) {
      throw new ValidationError(path, `${P}.name`, this.name, 'expected a DNS-1035 label of at most 40 characters (it prefixes revision names and tagged hosts)');
    }
    this.namespaceName = team.namespaceName;
    ClusterScope.claimUnique(this, 'KnativeModel', `${this.namespaceName}/${this.name}`, `${P}.name`);
    this.clusterUrl = `http://${this.name}.${this.namespaceName}.svc.cluster.local`;
    const networking = Checks.oneOf(path, `${P}.networking`, props.networking, [NetworkingLayer.KOURIER, NetworkingLayer.ISTIO], NetworkingLayer.KOURIER);
    const visibility = Checks.oneOf(path, `${P}.visibility`, props.visibility, [ModelVisibility.PUBLIC, ModelVisibility.CLUSTER_LOCAL], ModelVisibility.PUBLIC);
    if (props.logLevel !== undefined) Checks.oneOf(path, `${P}.logLevel`, props.logLevel, [ModelLogLevel.ERROR, ModelLogLevel.WARNING, ModelLogLevel.INFO, ModelLogLevel.DEBUG]);
    const containerConcurrency = Checks.number(path, `${P}.containerConcurrency`, props.containerConcurrency ?? 10, 1, MAX_CONCURRENCY);

    // autoscaling, with Knative's own ranges (knative/serving knative-v1.23.0 pkg/apis/autoscaling/register.go and
    // annotation_validation.go)
    const as = Checks.optionalObject(path, `${P}.autoscaling`, props.autoscaling, 'ModelAutoscaling') ?? {};
    const minScale = Checks.number(path, `${P}.autoscaling.minScale`, as.minScale ?? 0, 0, 2 ** 31 - 1);
    const maxScale = Checks.number(path, `${P}.autoscaling.maxScale`, as.maxScale ?? 5, 1, 2 ** 31 - 1);
    if (maxScale < minScale) throw new ValidationError(path, `${P}.autoscaling.maxScale`, maxScale, `expected maxScale >= minScale (${minScale})`);
    const initialScale = Checks.number(path, `${P}.autoscaling.initialScale`, as.initialScale ?? Math.max(1, minScale), 1, maxScale);
    const metric = Checks.oneOf(path, `${P}.autoscaling.metric`, as.metric, [AutoscalingMetric.CONCURRENCY, AutoscalingMetric.RPS], AutoscalingMetric.CONCURRENCY);
    const target = as.target === undefined ? undefined : Checks.number(path, `${P}.autoscaling.target`, as.target, 0.01, Number.MAX_SAFE_INTEGER, false);
    const delay = as.scaleDownDelaySeconds === undefined ? undefined : Checks.number(path, `${P}.autoscaling.scaleDownDelaySeconds`, as.scaleDownDelaySeconds, 0, 3600);
    const window = as.windowSeconds === undefined ? undefined : Checks.number(path, `${P}.autoscaling.windowSeconds`, as.windowSeconds, 6, 3600);

    // scale to zero on a pool that scales to zero nodes (knative/serving#13208)
    const coldGpuNodes = Checks.boolean(path, `${P}.coldGpuNodes`, props.coldGpuNodes, false);
    // the GPU request checked first (object, pool, count per replica), before anything reads it
    if (props.gpu !== undefined) GpuPlacement.of(path, `${P}.gpu`, props.gpu);
    const pool = props.gpu?.pool;
    const coldPool = pool !== undefined && pool.cloud !== GpuCloud.ON_PREM && pool.minNodes === 0;
    if (coldPool && minScale === 0 && !coldGpuNodes) {
      throw new ValidationError(path, `${P}.autoscaling.minScale`, 0, `expected minScale >= 1 on GPU pool ${pool!.name}, which scales to zero nodes: the first request would wait for a new node longer than Knative's activator waits (knative/serving#13208); or set coldGpuNodes: true to accept it (raises the revision timeout and progress deadline)`);
    }
    if (coldGpuNodes && !(coldPool && minScale === 0)) {
      throw new ValidationError(path, `${P}.coldGpuNodes`, true, 'expected coldGpuNodes only with minScale 0 on a cloud GPU pool with minNodes 0 (it would change nothing else)');
    }
    const timeoutSeconds = props.timeoutSeconds === undefined ? (coldGpuNodes ? MAX_TIMEOUT : undefined)
      : Checks.number(path, `${P}.timeoutSeconds`, props.timeoutSeconds, 1, MAX_TIMEOUT);
    if (props.gpu && maxScale * props.gpu.count > props.gpu.pool.maxGpus) {
      throw new ValidationError(path, `${P}.autoscaling.maxScale`, maxScale, `expected at most ${Math.floor(props.gpu.pool.maxGpus / props.gpu.count)} replicas of ${props.gpu.count} GPU(s): pool ${props.gpu.pool.name} has ${props.gpu.pool.maxGpus}`);
    }

    // rate limit: only where the networking layer enforces it
    let rateLimit: { rps: number; burst: number } | undefined;
    if (props.rateLimit !== undefined) {
      const rl = Checks.object(path, `${P}.rateLimit`, props.rateLimit, 'ModelRateLimit ({ requestsPerSecondPerReplica, burst? })');
      if (networking !== NetworkingLayer.ISTIO) {
        throw new ValidationError(path, `${P}.rateLimit`, rl.requestsPerSecondPerReplica, `expected networking: NetworkingLayer.ISTIO for a requests-per-second limit: ${networking} has no rate limit Knative can configure (an EnvoyFilter on Istio's sidecars enforces it); containerConcurrency (${containerConcurrency}) still caps in-flight requests per replica`);
      }
      const rps = Checks.number(path, `${P}.rateLimit.requestsPerSecondPerReplica`, rl.requestsPerSecondPerReplica, 1, 1_000_000);
      rateLimit = { rps, burst: Checks.number(path, `${P}.rateLimit.burst`, rl.burst ?? rps, 1, 10_000_000) };
    }

    const labels = Labels.standard({ name: 'knative-model', instance: this.name, component: server.kind });
    const meta = (name: string): k8s.ObjectMeta => ({ name, namespace: this.namespaceName, labels });

    // one pod per version: the same props, the version's image
    if (props.logLevel !== undefined && server.kind === 'generic') {
      throw new ValidationError(path, `${P}.logLevel`, props.logLevel, 'expected no logLevel with ModelServer.generic: set the server\'s own log flag or variable in its args or env (Knative has no per-model log level)');
    }
    const settings = server.containerSettings(props.logLevel);
    const resources = Checks.optionalObject(path, `${P}.resources`, props.resources, 'ComputeResources ({ cpu, memory })') ?? DEFAULT_RESOURCES;
    const imageOf = (v: ModelVersion, field: string) => {
      const image = v.image ?? server.defaultImage;
      if (image === undefined) throw new ValidationError(path, `${field}.image`, v.version, `expected the image of version ${v.version}: a ${server.kind} model is baked into a versioned image`);
      return Images.validatePinned(path, `${field}.image`, image);
    };
    const templateOf = (v: ModelVersion, field: string, primary: boolean) => {
      const pod = WorkloadPod.of(primary ? this : new Construct(this, `version-${v.version}`), {
        field: P,
        team,
        containerName: 'server',
        image: imageOf(v, field),
        command: settings.command,
        args: settings.args,
        env: settings.env,
        ports: [{ name: server.protocol, containerPort: server.port }],
        resources,
        gpu: props.gpu,
        dataLake: server.dataLake ? [server.dataLake] : undefined,
        writableDirectories: server.writableDirectories,
        runAsUser: server.runAsUser,
        readinessProbe: server.readinessProbe,
        livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(server.port) }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 6 },
        // a model may take minutes to load: liveness starts after the port opens (up to 10 minutes)
        startupProbe: { tcpSocket: { port: k8s.IntOrString.fromNumber(server.port) }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 60 },
        podSecurityContext: false,
        replicas: primary ? maxScale : 0,
      });
      const annotations: { [key: string]: string } = {
        [`${A}/class`]: KPA,
        [`${A}/metric`]: metric,
        [`${A}/min-scale`]: String(minScale),
        [`${A}/max-scale`]: String(maxScale),
        [`${A}/initial-scale`]: String(initialScale),
        ...(target !== undefined ? { [`${A}/target`]: String(target) } : {}),
        ...(delay !== undefined ? { [`${A}/scale-down-delay`]: `${delay}s` } : {}),
        ...(window !== undefined ? { [`${A}/window`]: `${window}s` } : {}),
        // serving.knative.dev/progress-deadline (knative/serving pkg/apis/serving/register.go ProgressDeadlineAnnotationKey)
        ...(coldGpuNodes ? { 'serving.knative.dev/progress-deadline': COLD_PROGRESS_DEADLINE } : {}),
      };
      const templateLabels: { [key: string]: string } = {
        ...labels,
        ...(networking === NetworkingLayer.ISTIO ? { 'sidecar.istio.io/inject': 'true' } : {}),
      };
      // plain JSON (IntOrString and Quantity resolved), as the API server will store it
      const spec = { ...k8s.toJson_PodSpec(pod.podSpec), containerConcurrency, timeoutSeconds };
      const body = { metadata: { labels: templateLabels, annotations }, spec };
      // the hash covers the whole template but its name: a changed template gets a new name, as Knative requires
      const hash = createHash('sha256').update(stableJson(body)).digest('hex').slice(0, 8);
      const name = `${this.name}-${v.version}-${hash}`;
      if (name.length > 63) throw new ValidationError(path, `${field}.version`, v.version, `expected a shorter version or model name: the revision name "${name}" exceeds 63 characters`);
      return { name, body, podSpec: pod.podSpec };
    };

    const deployed = traffic.deployed;
    const primary = templateOf(deployed, `${P}.traffic.deployed`, true);
    this.revisionName = primary.name;
    const names: { [version: string]: string } = { [deployed.version]: primary.name };
    for (const v of traffic.versions) {
      if (names[v.version] === undefined) names[v.version] = templateOf(v, `${P}.traffic.versions["${v.version}"]`, false).name;
    }
    this.revisionNames = names;

    // the pod fields Knative gates behind flags (knative/serving pkg/apis/serving/fieldmask.go PodSpecMask)
    const features: KnativeFeature[] = [KnativeFeature.PODSPEC_VOLUMES_EMPTYDIR];
    if (primary.podSpec.nodeSelector) features.push(KnativeFeature.PODSPEC_NODESELECTOR);
    if (primary.podSpec.tolerations) features.push(KnativeFeature.PODSPEC_TOLERATIONS);
    if (primary.podSpec.runtimeClassName) features.push(KnativeFeature.PODSPEC_RUNTIME_CLASS_NAME);
    this.knativeFeatures = features;
    AddonRequirements.require(this, {
      addon: Addon.KNATIVE_SERVING, knativeFeatures: features, reason: `model ${this.namespaceName}/${this.name}`,
      knativeIngress: networking === NetworkingLayer.ISTIO ? 'istio' : undefined,
      // queue-proxy serves the request metrics the PodMonitor scrapes only with this (Knative Serving 1.23
      // config-observability: request-metrics-protocol, default none)
      knativeObservability: props.metrics !== undefined ? { 'request-metrics-protocol': 'prometheus' } : undefined,
    });

    const serviceLabels = {
      ...labels,
      ...(visibility === ModelVisibility.CLUSTER_LOCAL ? { 'networking.knative.dev/visibility': 'cluster-local' } : {}),
    };
    // a plain ApiObject of the generated kind: the generated class's toJson keeps only the fields it models, and a
    // revision template must reach the API server exactly as hashed
    this.service = new ApiObject(this, 'service', {
      ...KnativeService.GVK,
      metadata: { name: this.name, namespace: this.namespaceName, labels: serviceLabels },
      spec: {
        template: { metadata: { name: primary.name, ...primary.body.metadata }, spec: primary.body.spec },
        traffic: traffic.targets.map((t) => ({ revisionName: names[t.version.version], percent: t.percent, ...(t.tag ? { tag: t.tag } : {}), latestRevision: false })),
      },
    });

    // Knative's data plane reaches the pods (the team's default-deny admits nothing)
    const podSelector = { matchLabels: { [SERVICE_LABEL]: this.name } };
    const ns = (name: string): k8s.NetworkPolicyPeer => ({ namespaceSelector: NamespaceSelectors.named(name) });
    const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });
    const ingress: k8s.NetworkPolicyIngressRule[] = [{ from: [...KNATIVE_NAMESPACES, ...(networking === NetworkingLayer.ISTIO ? [ISTIO_NAMESPACE] : [])].map(ns), ports: QUEUE_PORTS.map(tcp) }];
    let metrics: ModelMetrics | undefined;
    if (props.metrics !== undefined) {
      metrics = Checks.object(path, `${P}.metrics`, props.metrics, 'ModelMetrics ({ prometheusNamespace?, interval? })');
      if (metrics.prometheusNamespace !== undefined) Names.validateDnsLabel(path, `${P}.metrics.prometheusNamespace`, metrics.prometheusNamespace);
      if (metrics.interval !== undefined && !/^\d+(ms|s|m|h)$/.test(metrics.interval)) throw new ValidationError(path, `${P}.metrics.interval`, metrics.interval, 'expected a Prometheus duration such as "30s"');
      ingress.push({ from: [ns(metrics.prometheusNamespace ?? 'monitoring')], ports: [tcp(USER_METRICS_PORT)] });
    }
    this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'network-policy', {
      metadata: meta(this.name),
      spec: {
        podSelector,
        policyTypes: networking === NetworkingLayer.ISTIO ? ['Ingress', 'Egress'] : ['Ingress'],
        ingress,
        // the sidecar's xDS and certificates come from istiod (port 15012)
        ...(networking === NetworkingLayer.ISTIO ? { egress: [{ to: [ns(ISTIO_NAMESPACE)], ports: [tcp(15012)] }] } : {}),
      },
    });

    if (rateLimit) {
      // Envoy's local rate limit filter on the inbound side of each replica's sidecar (istio.io docs, "Enabling Rate
      // Limits using Envoy", local rate limit; envoy extensions.filters.http.local_ratelimit.v3.LocalRateLimit)
      this.envoyFilter = new ApiObject(this, 'rate-limit', {
        apiVersion: 'networking.istio.io/v1alpha3',
        kind: 'EnvoyFilter',
        metadata: meta(`${this.name}-rate-limit`),
        spec: {
          workloadSelector: { labels: { [SERVICE_LABEL]: this.name } },
          configPatches: [{
            applyTo: 'HTTP_FILTER',
            match: { context: 'SIDECAR_INBOUND', listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } } },
            patch: {
              operation: 'INSERT_BEFORE',
              value: {
                name: 'envoy.filters.http.local_ratelimit',
                typed_config: {
                  '@type': 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
                  stat_prefix: 'http_local_rate_limiter',
                  token_bucket: { max_tokens: rateLimit.burst, tokens_per_fill: rateLimit.rps, fill_interval: '1s' },
                  filter_enabled: { runtime_key: 'local_rate_limit_enabled', default_value: { numerator: 100, denominator: 'HUNDRED' } },
                  filter_enforced: { runtime_key: 'local_rate_limit_enforced', default_value: { numerator: 100, denominator: 'HUNDRED' } },
                },
              },
            },
          }],
        },
      });
    }

    if (metrics) {
      // queue-proxy's user metrics: port `http-usermetric` 9091 (knative/serving pkg/apis/serving/v1/revision_helpers.go
      // UserQueueMetricsPortName; pkg/queue/sharedmain/otel.go serves them there with request-metrics-protocol prometheus)
      this.podMonitor = new PodMonitor(this, 'pod-monitor', {
        metadata: meta(this.name),
        spec: {
          selector: { matchLabels: { [SERVICE_LABEL]: this.name } },
          podMetricsEndpoints: [{ port: 'http-usermetric', path: '/metrics', interval: metrics.interval ?? '30s' }],
        },
      });
    }
  }
}

/** JSON with sorted keys, for a hash that does not depend on property order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') return stableJson((obj as { toJSON: () => unknown }).toJSON());
    return `{${Object.keys(obj).filter((k) => obj[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${stableJson(obj[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
