/**
 * Pod Security Standard `restricted`, checked on every pod template found in synthesized objects, as the Pod
 * Security admission of BOTH levels we target enforces it (1.28 and 1.34: a pod must pass at each), plus the house
 * rules of DESIGN.md (requests and limits on every container, pinned images). Where the policy differs by version
 * (kubernetes/pod-security-admission policy/check_*.go, `MinimumVersion`), the stricter one applies: safe sysctls
 * are the 1.27 set (1.29 adds the tcp_keepalive ones, which a 1.28 cluster refuses), and probes and lifecycle
 * handlers may not set `host` (a baseline check since 1.34, check_hostProbesAndhostLifecycle.go).
 */
import { Manifest, podSpecs } from './manifests';

export { podSpecs };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type PodSpec = { [key: string]: any };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Container = { [key: string]: any };

const ALLOWED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
/** check_sysctls.go: `sysctlsAllowedV1Dot27` (what 1.28 allows; every later set contains it). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);

function allContainers(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
}

/**
 * The one kind of exception the library makes (a node agent such as the NVIDIA device plugin): root and hostPath
 * volumes, in a namespace labelled PSS `privileged` that says why in an annotation. Everything else stays restricted.
 */
export interface NodeAgentException {
  readonly root: boolean;
  readonly hostPath: boolean;
}
export const EXCEPTION_ANNOTATION = 'ai-platform/pod-security-exception';

/** Violations of PSS `restricted` in one pod spec (minus a documented node-agent exception). */
export function restrictedProblems(spec: PodSpec, exception: NodeAgentException = { root: false, hostPath: false }): string[] {
  const p: string[] = [];
  const psc = spec.securityContext ?? {};
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) p.push('host namespaces (hostNetwork/hostPID/hostIPC) are forbidden');
  for (const v of spec.volumes ?? []) {
    const types = Object.keys(v).filter((k) => k !== 'name');
    for (const t of types) {
      if (!ALLOWED_VOLUME_TYPES.has(t) && !(t === 'hostPath' && exception.hostPath)) p.push(`volume ${v.name}: type ${t} is forbidden`);
    }
  }
  for (const s of psc.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) p.push(`sysctl ${s.name} is not safe`);
  const podSeccomp = psc.seccompProfile?.type;
  if (podSeccomp === 'Unconfined') p.push('pod seccompProfile Unconfined is forbidden');
  if (psc.runAsUser === 0 && !exception.root) p.push('pod runAsUser 0 is forbidden');
  if (psc.seLinuxOptions && (!SELINUX_TYPES.has(psc.seLinuxOptions.type ?? '') || psc.seLinuxOptions.user || psc.seLinuxOptions.role)) {
    p.push('pod seLinuxOptions are restricted');
  }
  for (const c of allContainers(spec)) {
    const sc = c.securityContext ?? {};
    const at = `container ${c.name}`;
    if (sc.privileged) p.push(`${at}: privileged is forbidden`);
    if (sc.allowPrivilegeEscalation !== false) p.push(`${at}: allowPrivilegeEscalation must be false`);
    const runAsNonRoot = sc.runAsNonRoot ?? psc.runAsNonRoot;
    if (runAsNonRoot !== true && !exception.root) p.push(`${at}: runAsNonRoot must be true (pod or container)`);
    if (sc.runAsUser === 0 && !exception.root) p.push(`${at}: runAsUser 0 is forbidden`);
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') p.push(`${at}: seccompProfile must be RuntimeDefault or Localhost`);
    const drop: string[] = sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) p.push(`${at}: capabilities must drop ALL`);
    const add: string[] = sc.capabilities?.add ?? [];
    for (const cap of add) if (cap !== 'NET_BIND_SERVICE') p.push(`${at}: capability ${cap} may not be added`);
    for (const port of c.ports ?? []) if (port.hostPort) p.push(`${at}: hostPort ${port.hostPort} is forbidden`);
    if (sc.procMount && sc.procMount !== 'Default') p.push(`${at}: procMount must be Default`);
    const handlers = { livenessProbe: c.livenessProbe, readinessProbe: c.readinessProbe, startupProbe: c.startupProbe, postStart: c.lifecycle?.postStart, preStop: c.lifecycle?.preStop };
    for (const [where, h] of Object.entries(handlers)) {
      for (const kind of ['httpGet', 'tcpSocket']) {
        if (h?.[kind]?.host) p.push(`${at}: ${where}.${kind}.host ${JSON.stringify(h[kind].host)} is forbidden (Kubernetes 1.34)`);
      }
    }
    if (sc.seLinuxOptions && (!SELINUX_TYPES.has(sc.seLinuxOptions.type ?? '') || sc.seLinuxOptions.user || sc.seLinuxOptions.role)) {
      p.push(`${at}: seLinuxOptions are restricted`);
    }
  }
  return p;
}

/** House rules on every container: requests and limits for cpu and memory, an image pinned by tag or digest. */
export function houseRuleProblems(spec: PodSpec): string[] {
  const p: string[] = [];
  for (const c of allContainers(spec)) {
    const at = `container ${c.name}`;
    for (const kind of ['requests', 'limits']) {
      for (const res of ['cpu', 'memory']) if (c.resources?.[kind]?.[res] === undefined) p.push(`${at}: resources.${kind}.${res} is not set`);
    }
    const image: string = c.image ?? '';
    const pinned = /@sha256:[a-f0-9]{64}$/.test(image) || (/:[\w][\w.-]*$/.test(image.split('/').pop() ?? '') && !image.endsWith(':latest'));
    if (!pinned) p.push(`${at}: image ${JSON.stringify(image)} is not pinned`);
  }
  return p;
}

/**
 * What the binaries inside known images do with a pod spec that validates (read upstream, cited in lib/):
 * - Zeppelin switches to its Kubernetes interpreter launcher whenever a service-account token is mounted
 *   (ZeppelinConfiguration.getRunMode): no token, or ZEPPELIN_RUN_MODE=local;
 * - Jupyter keeps a trailing newline of JUPYTER_TOKEN_FILE in the token (jupyter_server IdentityProvider): never
 *   that variable, and JUPYTER_TOKEN only from a Secret;
 * - `mc alias set` without `--api` probes the server, fatal under `set -e` while the lake starts (mc alias-set.go);
 * - Rocker's RStudio `/init` runs s6 as root and fails as non-root; rserver as non-root turns authentication off
 *   unless `--auth-none=0` (rstudio ServerOptions).
 */
export function imageRuleProblems(spec: PodSpec): string[] {
  const p: string[] = [];
  for (const c of allContainers(spec)) {
    const at = `container ${c.name}`;
    const image: string = c.image ?? '';
    const env: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: unknown } }> = c.env ?? [];
    const text = [...(c.command ?? []), ...(c.args ?? [])].join(' ');
    if (/(^|\/)apache\/zeppelin[:@]/.test(image) && spec.automountServiceAccountToken !== false
      && !env.some((e) => e.name === 'ZEPPELIN_RUN_MODE' && e.value === 'local')) {
      p.push(`${at}: Zeppelin with a service-account token and no ZEPPELIN_RUN_MODE=local starts interpreter pods`);
    }
    if (env.some((e) => e.name === 'JUPYTER_TOKEN_FILE')) p.push(`${at}: JUPYTER_TOKEN_FILE keeps a trailing newline in the token: use JUPYTER_TOKEN from a Secret`);
    const token = env.find((e) => e.name === 'JUPYTER_TOKEN');
    if (token && !token.valueFrom?.secretKeyRef) p.push(`${at}: JUPYTER_TOKEN must come from a Secret (secretKeyRef), never a literal`);
    for (const line of text.split('\n').filter((l) => /\bmc alias set\b/.test(l))) {
      if (!/--api\b/.test(line)) p.push(`${at}: "mc alias set" without --api probes the server and fails under set -e while it starts`);
    }
    if (/(^|\/)rocker\/rstudio[:@]/.test(image)) {
      if ((c.command ?? []).length === 0 || (c.command ?? [])[0] === '/init') p.push(`${at}: rocker's /init runs s6 as root: run rserver directly`);
      else if (/rserver$/.test((c.command ?? [])[0]) && !(c.args ?? []).includes('--auth-none=0')) p.push(`${at}: rserver as non-root turns authentication off unless --auth-none=0`);
    }
  }
  return p;
}

/**
 * All PSS-restricted and house-rule problems of all pod specs in the objects, each prefixed by the object. A pod
 * in a namespace (among `objects`) labelled `enforce: privileged` with an {@link EXCEPTION_ANNOTATION} is held to
 * restricted minus the node-agent exception; a namespace labelled `enforce: baseline` with the annotation (an
 * upstream component that is not restricted) holds our pods to restricted still; without the annotation, a
 * privileged or baseline namespace is itself a problem.
 */
export function podProblems(objects: Manifest[]): string[] {
  const exempt = new Set<string>();
  const problems: string[] = [];
  for (const ns of objects.filter((o) => o.kind === 'Namespace')) {
    const level = ns.metadata.labels?.['pod-security.kubernetes.io/enforce'];
    if (level === 'restricted') continue;
    const documented = (ns.metadata as { annotations?: Record<string, string> }).annotations?.[EXCEPTION_ANNOTATION];
    if (level === 'privileged' && documented) {
      exempt.add(ns.metadata.name);
    } else if (level === 'baseline' && documented) {
      // an upstream component's namespace (Knative Eventing's request-reply is baseline, not restricted): our own
      // pods there are still held to restricted
    } else {
      problems.push(`Namespace ${ns.metadata.name}: enforces ${level ?? 'no'} pod security level without a documented exception`);
    }
  }
  return [...problems, ...objects.flatMap((obj) => podSpecs(obj).flatMap(({ path, spec }) => {
    const exception = exempt.has(obj.metadata.namespace ?? '') ? { root: true, hostPath: true } : undefined;
    return [...restrictedProblems(spec, exception), ...houseRuleProblems(spec), ...imageRuleProblems(spec)]
      .map((m) => `${obj.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name}${path}: ${m}`);
  }))];
}
