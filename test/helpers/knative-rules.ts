/**
 * Knative Serving's own rules for a `serving.knative.dev/v1` Service, which its admission webhook enforces and no
 * schema states (the CRD's openAPIV3Schema preserves unknown fields of the pod spec). Read from knative/serving at
 * knative-v1.23.0 (the release we target), and restated here, not copied:
 *
 * - pkg/apis/serving/k8s_validation.go: `ValidatePodSpec` (volumes mounted and of allowed types, one container
 *   port across all containers, port names `http1` / `h2c` / empty, TCP only, reserved ports 8012, 8013, 8022,
 *   9090, 9091 and the profiling port 8008, the reserved container name `queue-proxy`, reserved env variables,
 *   read-only mounts of configMap / secret / projected volumes, reserved mount paths, probe ports naming the
 *   container port, init-container probes);
 * - pkg/apis/serving/fieldmask.go: the pod, container, security-context and volume fields allowed at all, and the
 *   ones that need a `config-features` flag (`PodSpecMask`, `ContainerMask`, `SecurityContextMask`, ...);
 * - pkg/apis/serving/metadata_validation.go: no `autoscaling.knative.dev/*` annotation on the Service itself;
 * - pkg/apis/autoscaling/annotation_validation.go and register.go: the ranges of the autoscaling annotations;
 * - pkg/apis/serving/v1/revision_validation.go: the revision name (DNS-1035, prefix `<service>-`),
 *   `timeoutSeconds` within `max-revision-timeout-seconds` (600 by default), `progress-deadline`;
 * - pkg/apis/serving/metadata_validation.go `ValidateContainerConcurrency` with config-defaults' limit (1000);
 * - pkg/apis/serving/v1/route_validation.go: traffic percents in 0..100 summing to 100, tags DNS-1035 and unique,
 *   `revisionName` xor `configurationName`, `latestRevision` consistent with `revisionName`.
 *
 * Pod fields that need a flag are not problems here: {@link knativeFlagsNeeded} lists them, and `synthValid`
 * checks them against the flags the chart's constructs declared (`AddonRequirements`), since the flags are
 * cluster-wide. Cluster settings are taken at Knative's defaults (`allow-zero-initial-scale: false`,
 * `max-scale-limit: 0`, `container-concurrency-max-limit: 1000`, `max-revision-timeout-seconds: 600`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = { [key: string]: any };

const AUTOSCALING = 'autoscaling.knative.dev';
const KPA = 'kpa.autoscaling.knative.dev';
const HPA = 'hpa.autoscaling.knative.dev';
const RESERVED_PORTS = new Set([8012, 8013, 8022, 9090, 9091, 8008]);
const RESERVED_ENV = new Set(['PORT', 'K_SERVICE', 'K_CONFIGURATION', 'K_REVISION']);
const RESERVED_PATHS = new Set(['/', '/dev', '/dev/log']);
const PORT_NAMES = new Set(['', 'http1', 'h2c']);
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const isDns1035 = (v: unknown) => typeof v === 'string' && v.length <= 63 && DNS_1035.test(v);
/** Knative Serving 1.23's defaults (config-defaults, config-autoscaler). */
const MAX_REVISION_TIMEOUT_SECONDS = 600;
const CONTAINER_CONCURRENCY_MAX = 1000;
const WINDOW_MIN = 6;
const WINDOW_MAX = 3600;
const TARGET_MIN = 0.01;

/** Pod-spec fields Knative always accepts (fieldmask.go `PodSpecMask`, "Allowed fields"). */
const POD_ALLOWED = new Set(['serviceAccountName', 'containers', 'volumes', 'imagePullSecrets', 'enableServiceLinks', 'automountServiceAccountToken']);
/** Pod-spec fields behind a flag (fieldmask.go `PodSpecMask`, "Feature fields"). */
const POD_FLAGS: Record<string, string> = {
  affinity: 'kubernetes.podspec-affinity',
  topologySpreadConstraints: 'kubernetes.podspec-topologyspreadconstraints',
  hostAliases: 'kubernetes.podspec-hostaliases',
  nodeSelector: 'kubernetes.podspec-nodeselector',
  runtimeClassName: 'kubernetes.podspec-runtimeclassname',
  tolerations: 'kubernetes.podspec-tolerations',
  securityContext: 'kubernetes.podspec-securitycontext',
  shareProcessNamespace: 'kubernetes.podspec-shareprocessnamespace',
  priorityClassName: 'kubernetes.podspec-priorityclassname',
  schedulerName: 'kubernetes.podspec-schedulername',
  initContainers: 'kubernetes.podspec-init-containers',
  dnsPolicy: 'kubernetes.podspec-dnspolicy',
  dnsConfig: 'kubernetes.podspec-dnsconfig',
  hostIPC: 'kubernetes.podspec-hostipc',
  hostPID: 'kubernetes.podspec-hostpid',
  hostNetwork: 'kubernetes.podspec-hostnetwork',
};
/** Volume sources and their flag (fieldmask.go `VolumeSourceMask`); emptyDir's is on by default. */
const VOLUME_FLAGS: Record<string, string | undefined> = {
  secret: undefined, configMap: undefined, projected: undefined,
  emptyDir: 'kubernetes.podspec-volumes-emptydir',
  persistentVolumeClaim: 'kubernetes.podspec-persistent-volume-claim',
  hostPath: 'kubernetes.podspec-volumes-hostpath',
  csi: 'kubernetes.podspec-volumes-csi',
  ephemeral: 'kubernetes.podspec-volumes-ephemeral',
  image: 'kubernetes.podspec-volumes-image',
};
/** Flags Knative Serving 1.23 enables by default (features.go `defaultFeaturesConfig`). */
export const KNATIVE_DEFAULT_FLAGS = ['multi-container', 'kubernetes.podspec-volumes-emptydir'];
/** Container fields Knative accepts (fieldmask.go `ContainerMask`). */
const CONTAINER_ALLOWED = new Set([
  'name', 'args', 'command', 'env', 'workingDir', 'envFrom', 'image', 'imagePullPolicy', 'livenessProbe', 'ports',
  'readinessProbe', 'resources', 'securityContext', 'startupProbe', 'terminationMessagePath', 'terminationMessagePolicy', 'volumeMounts',
]);
/** Container securityContext fields Knative accepts (fieldmask.go `SecurityContextMask`; `privileged` only false). */
const SECURITY_CONTEXT_ALLOWED = new Set(['capabilities', 'readOnlyRootFilesystem', 'runAsUser', 'runAsGroup', 'runAsNonRoot', 'allowPrivilegeEscalation', 'seccompProfile', 'privileged']);

/** Whether `obj` is a Knative Serving Service. */
export function isKnativeService(obj: Json): boolean {
  return obj?.apiVersion === 'serving.knative.dev/v1' && obj?.kind === 'Service';
}

/** Go's `time.ParseDuration` for the forms Knative's annotations use ("90s", "5m", "1h30m"), in seconds; NaN otherwise. */
export function parseGoDuration(value: string): number {
  if (typeof value !== 'string' || !/^(\d+(\.\d+)?(h|m|s|ms|us|ns))+$/.test(value)) return NaN;
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9 };
  return [...value.matchAll(/(\d+(?:\.\d+)?)(h|ms|us|ns|m|s)/g)].reduce((sum, [, n, u]) => sum + Number(n) * unit[u], 0);
}

/** The Knative rules a Service breaks; flag-gated pod fields are left to {@link knativeFlagsNeeded}. */
export function knativeServiceProblems(obj: Json): string[] {
  if (!isKnativeService(obj)) return [];
  const p: string[] = [];
  const name: string = obj.metadata?.name ?? '';
  for (const key of Object.keys(obj.metadata?.annotations ?? {})) {
    if (key.startsWith(AUTOSCALING)) p.push(`metadata.annotations: ${key}: autoscaling annotations must be put under spec.template.metadata.annotations`);
  }
  const template: Json = obj.spec?.template ?? {};
  const tmeta: Json = template.metadata ?? {};
  if (tmeta.name !== undefined) {
    if (!isDns1035(tmeta.name)) p.push(`spec.template.metadata.name ${JSON.stringify(tmeta.name)} is not a DNS-1035 label`);
    else if (!tmeta.name.startsWith(`${name}-`)) p.push(`spec.template.metadata.name ${JSON.stringify(tmeta.name)} must have prefix "${name}-"`);
  }
  p.push(...autoscalingProblems(tmeta.annotations ?? {}).map((x) => `spec.template.metadata.annotations: ${x}`));
  const spec: Json = template.spec ?? {};
  if (spec.timeoutSeconds !== undefined && (spec.timeoutSeconds < 0 || spec.timeoutSeconds > MAX_REVISION_TIMEOUT_SECONDS)) {
    p.push(`spec.template.spec.timeoutSeconds ${spec.timeoutSeconds} is outside 0..${MAX_REVISION_TIMEOUT_SECONDS} (max-revision-timeout-seconds)`);
  }
  if (spec.containerConcurrency !== undefined && (spec.containerConcurrency < 0 || spec.containerConcurrency > CONTAINER_CONCURRENCY_MAX)) {
    p.push(`spec.template.spec.containerConcurrency ${spec.containerConcurrency} is outside 0..${CONTAINER_CONCURRENCY_MAX}`);
  }
  p.push(...podProblems(spec).map((x) => `spec.template.spec${x}`));
  p.push(...trafficProblems(name, obj.spec?.traffic).map((x) => `spec.traffic${x}`));
  return p;
}

function autoscalingProblems(a: Record<string, string>): string[] {
  const p: string[] = [];
  const key = (k: string) => `${AUTOSCALING}/${k}`;
  const cls = a[key('class')];
  if (cls !== undefined && cls.endsWith('.knative.dev') && cls !== KPA && cls !== HPA) p.push(`${key('class')} ${JSON.stringify(cls)} is not a Knative autoscaler class`);
  const int = (k: string): number | undefined => {
    const v = a[key(k)];
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) > 2 ** 31 - 1) { p.push(`${key(k)} ${JSON.stringify(v)} is not an integer in 0..2147483647`); return undefined; }
    return Number(v);
  };
  const min = int('min-scale') ?? 0;
  const max = int('max-scale') ?? 0;
  if (max !== 0 && max < min) p.push(`max-scale=${max} is less than min-scale=${min}`);
  const initial = a[key('initial-scale')];
  if (initial !== undefined && (!/^\d+$/.test(initial) || Number(initial) < 1)) p.push(`${key('initial-scale')} ${JSON.stringify(initial)}: 0 is not allowed by a cluster at Knative's default (allow-zero-initial-scale: false); expected an integer >= 1`);
  const target = a[key('target')];
  if (target !== undefined && !(Number(target) >= TARGET_MIN)) p.push(`${key('target')} ${JSON.stringify(target)} should be at least ${TARGET_MIN}`);
  const window = a[key('window')];
  if (window !== undefined) {
    const s = parseGoDuration(window);
    if (!(s >= WINDOW_MIN && s <= WINDOW_MAX) || !Number.isInteger(s)) p.push(`${key('window')} ${JSON.stringify(window)} is outside 6s..1h or not whole seconds`);
  }
  const delay = a[key('scale-down-delay')];
  if (delay !== undefined) {
    const s = parseGoDuration(delay);
    if (!(s >= 0 && s <= WINDOW_MAX) || !Number.isInteger(s)) p.push(`${key('scale-down-delay')} ${JSON.stringify(delay)} is outside 0s..1h or not whole seconds`);
  }
  const metric = a[key('metric')];
  if (metric !== undefined && (cls ?? KPA) === KPA && metric !== 'concurrency' && metric !== 'rps') p.push(`${key('metric')} ${JSON.stringify(metric)} is not valid for the KPA (concurrency or rps)`);
  const deadline = a['serving.knative.dev/progress-deadline'];
  if (deadline !== undefined) {
    const s = parseGoDuration(deadline);
    if (!(s >= 0) || !Number.isInteger(s)) p.push(`serving.knative.dev/progress-deadline ${JSON.stringify(deadline)} is not a whole number of seconds`);
  }
  return p;
}

function podProblems(pod: Json): string[] {
  const p: string[] = [];
  for (const [field, value] of Object.entries(pod)) {
    if (value === undefined || ['timeoutSeconds', 'containerConcurrency', 'idleTimeoutSeconds', 'responseStartTimeoutSeconds'].includes(field)) continue;
    if (!POD_ALLOWED.has(field) && !POD_FLAGS[field]) p.push(`.${field}: not allowed in a Knative revision`);
  }
  if (pod.automountServiceAccountToken === true) p.push('.automountServiceAccountToken: only false may be set');
  const containers: Json[] = pod.containers ?? [];
  const all = [...(pod.initContainers ?? []), ...containers];
  const mounted = new Set(all.flatMap((c) => (c.volumeMounts ?? []).map((m: Json) => m.name)));
  const volumes = new Map<string, Json>();
  (pod.volumes ?? []).forEach((v: Json, i: number) => {
    if (volumes.has(v.name)) p.push(`.volumes[${i}].name: duplicate volume name ${JSON.stringify(v.name)}`);
    if (!mounted.has(v.name)) p.push(`.volumes[${i}]: volume ${JSON.stringify(v.name)} is not mounted`);
    const types = Object.keys(v).filter((k) => k !== 'name');
    for (const t of types) if (!(t in VOLUME_FLAGS)) p.push(`.volumes[${i}]: volume type ${t} is not allowed in a Knative revision`);
    volumes.set(v.name, v);
  });
  // one container port across all containers (validateContainersPorts)
  const portCount = containers.reduce((n, c) => n + (c.ports ?? []).length, 0);
  if (containers.length === 0) p.push('.containers: missing');
  if (portCount > 1) p.push(`.containers[*].ports: more than one container port is set (${portCount}): only a single port is allowed across all containers`);
  if (portCount === 0 && containers.length > 1) p.push('.containers[*].ports: missing (one container of several must name the serving port)');
  const servingPort: Json = containers.flatMap((c) => c.ports ?? [])[0] ?? {};
  const portName = servingPort.name ?? '';
  containers.forEach((c, i) => p.push(...containerProblems(c, volumes, portName, false).map((x) => `.containers[${i}]${x}`)));
  (pod.initContainers ?? []).forEach((c: Json, i: number) => p.push(...containerProblems(c, volumes, portName, true).map((x) => `.initContainers[${i}]${x}`)));
  return p;
}

function containerProblems(c: Json, volumes: Map<string, Json>, portName: string, init: boolean): string[] {
  const p: string[] = [];
  for (const field of Object.keys(c)) if (!CONTAINER_ALLOWED.has(field) && c[field] !== undefined) p.push(`.${field}: not allowed in a Knative revision`);
  if (c.name === 'queue-proxy') p.push('.name: "queue-proxy" is a reserved container name');
  for (const e of c.env ?? []) if (RESERVED_ENV.has(e.name) && !(init && e.name === 'PORT')) p.push(`.env: ${JSON.stringify(e.name)} is a reserved environment variable`);
  for (const [i, port] of (c.ports ?? []).entries()) {
    if (RESERVED_PORTS.has(port.containerPort)) p.push(`.ports[${i}].containerPort: ${port.containerPort} is a reserved port`);
    if (!init && i === 0) {
      if (port.protocol !== undefined && port.protocol !== 'TCP') p.push(`.ports[${i}].protocol: ${port.protocol} is not allowed (TCP only)`);
      if (!PORT_NAMES.has(port.name ?? '')) p.push(`.ports[${i}].name: ${JSON.stringify(port.name)} is not allowed: empty, "http1" or "h2c"`);
    }
    for (const k of ['hostIP', 'hostPort']) if (port[k] !== undefined) p.push(`.ports[${i}].${k}: not allowed`);
  }
  const sc: Json = c.securityContext ?? {};
  for (const field of Object.keys(sc)) if (!SECURITY_CONTEXT_ALLOWED.has(field)) p.push(`.securityContext.${field}: not allowed in a Knative revision`);
  if (sc.privileged === true) p.push('.securityContext.privileged: only false may be set');
  if ((sc.capabilities?.add ?? []).length) p.push('.securityContext.capabilities.add: needs the flag kubernetes.containerspec-addcapabilities');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const pr: Json | undefined = c[probe];
    if (!pr) continue;
    if (init) { p.push(`.${probe}: not allowed in an init container`); continue; }
    const handlers = ['httpGet', 'tcpSocket', 'exec', 'grpc'].filter((h) => pr[h] !== undefined);
    if (handlers.length !== 1) p.push(`.${probe}: expected exactly one of httpGet, tcpSocket, exec, grpc`);
    for (const h of ['httpGet', 'tcpSocket']) {
      const port = pr[h]?.port;
      if (typeof port === 'string' && port !== (portName || 'http')) p.push(`.${probe}.${h}.port: ${JSON.stringify(port)} must match the container port's name`);
    }
  }
  const seen = new Set<string>();
  for (const [i, m] of (c.volumeMounts ?? []).entries()) {
    const v = volumes.get(m.name);
    const clean = String(m.mountPath ?? '').replace(/\/+$/, '') || '/';
    if (!v) p.push(`.volumeMounts[${i}]: volumeMount has no matching volume`);
    if (RESERVED_PATHS.has(clean)) p.push(`.volumeMounts[${i}].mountPath: ${JSON.stringify(clean)} is a reserved path`);
    if (seen.has(clean)) p.push(`.volumeMounts[${i}].mountPath: ${JSON.stringify(clean)} must be unique`);
    seen.add(clean);
    if (v && v.emptyDir === undefined && v.persistentVolumeClaim === undefined && v.ephemeral === undefined && m.readOnly !== true) {
      p.push(`.volumeMounts[${i}].readOnly: volume mount should be readOnly for this type of volume`);
    }
  }
  return p;
}

function trafficProblems(service: string, traffic: Json[] | undefined): string[] {
  if (traffic === undefined) return [];
  const p: string[] = [];
  const tags = new Map<string, number>();
  let sum = 0;
  traffic.forEach((t, i) => {
    const percent = t.percent ?? 0;
    if (percent < 0 || percent > 100 || !Number.isInteger(percent)) p.push(`[${i}].percent: ${percent} is outside 0..100`);
    sum += percent;
    if (t.revisionName !== undefined && t.configurationName !== undefined) p.push(`[${i}]: expected one of revisionName, configurationName`);
    if (t.configurationName !== undefined) p.push(`[${i}].configurationName: not allowed in a Service`);
    if (t.latestRevision !== undefined && (t.revisionName !== undefined) === t.latestRevision) {
      p.push(`[${i}].latestRevision: may not set revisionName ${JSON.stringify(t.revisionName ?? '')} when latestRevision is ${t.latestRevision}`);
    }
    if (t.revisionName !== undefined && !String(t.revisionName).startsWith(`${service}-`)) p.push(`[${i}].revisionName ${JSON.stringify(t.revisionName)} is no revision of ${service}`);
    if (t.url !== undefined) p.push(`[${i}].url: not allowed in spec`);
    if (t.tag !== undefined) {
      if (!isDns1035(t.tag)) p.push(`[${i}].tag ${JSON.stringify(t.tag)} is not a DNS-1035 label`);
      // the tag's host is <tag>-<service> (config-network tag-template "{{.Tag}}-{{.Name}}"): one DNS label
      else if (`${t.tag}-${service}`.length > 63) p.push(`[${i}].tag: the tagged host label "${t.tag}-${service}" is longer than 63 characters`);
      if (tags.has(t.tag)) p.push(`[${i}].tag: multiple definitions for ${JSON.stringify(t.tag)} (also [${tags.get(t.tag)}])`);
      else tags.set(t.tag, i);
    }
  });
  if (sum !== 100) p.push(`: traffic targets sum to ${sum}, want 100`);
  return p;
}

/**
 * The `config-features` flags a Service's pod spec needs (beyond what is always allowed): one entry per pod field,
 * volume type, extra container or env source that a flag gates, as `flag (field)`. Knative's default-on flags
 * (multi-container, emptyDir volumes) are included: a construct declares them too.
 */
export function knativeFlagsNeeded(obj: Json): Array<{ flag: string; field: string }> {
  if (!isKnativeService(obj)) return [];
  const pod: Json = obj.spec?.template?.spec ?? {};
  const needed: Array<{ flag: string; field: string }> = [];
  for (const [field, flag] of Object.entries(POD_FLAGS)) if (pod[field] !== undefined) needed.push({ flag, field: `spec.template.spec.${field}` });
  (pod.volumes ?? []).forEach((v: Json, i: number) => {
    for (const [type, flag] of Object.entries(VOLUME_FLAGS)) {
      if (v[type] !== undefined && flag) needed.push({ flag, field: `spec.template.spec.volumes[${i}].${type}` });
    }
    if (v.persistentVolumeClaim && !v.persistentVolumeClaim.readOnly) needed.push({ flag: 'kubernetes.podspec-persistent-volume-write', field: `spec.template.spec.volumes[${i}].persistentVolumeClaim` });
  });
  if ((pod.containers ?? []).length > 1) needed.push({ flag: 'multi-container', field: 'spec.template.spec.containers' });
  [...(pod.initContainers ?? []), ...(pod.containers ?? [])].forEach((c: Json) => {
    for (const e of c.env ?? []) {
      if (e.valueFrom?.fieldRef || e.valueFrom?.resourceFieldRef) needed.push({ flag: 'kubernetes.podspec-fieldref', field: `container ${c.name} env ${e.name}` });
    }
    for (const m of c.volumeMounts ?? []) {
      if (m.mountPropagation !== undefined) needed.push({ flag: 'kubernetes.podspec-volumes-mount-propagation', field: `container ${c.name} mount ${m.mountPath}` });
    }
  });
  return needed;
}

/**
 * Problems of the Knative Services among `objects` whose pod fields need a flag that is neither declared (`declared`:
 * the flags the cluster's constructs required through AddonRequirements) nor on by Knative's default.
 */
export function knativeFlagProblems(objects: Json[], declared: string[]): string[] {
  const enabled = new Set([...declared, ...KNATIVE_DEFAULT_FLAGS]);
  return objects.filter(isKnativeService).flatMap((obj) => knativeFlagsNeeded(obj)
    .filter((n) => !enabled.has(n.flag))
    .map((n) => `Service ${obj.metadata?.namespace}/${obj.metadata?.name}: ${n.field} needs the Knative config-features flag ${n.flag}, which no construct of the cluster declared (AddonRequirements.require with knativeFeatures): Knative's webhook refuses it`));
}
