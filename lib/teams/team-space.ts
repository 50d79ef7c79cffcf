import { Lazy } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct, IConstruct } from 'constructs';
import { GitOps } from '../addons/gitops';
import { Checks } from '../core/checks';
import { ClusterScope } from '../core/cluster-scope';
import { ValidationError } from '../core/errors';
import { AdvertisedGpuResource, GpuResources } from '../core/gpu-resources';
import { Labels } from '../core/labels';
import { Names } from '../core/names';
import { Quantities } from '../core/quantity';
import { SystemNamespaces } from '../core/system-namespaces';
import { ObjectOrder } from '../core/k8s/object-order';
import { Versions } from '../core/versions';
import { NamespaceSelectors } from '../core/k8s/namespace-selectors';

/** A namespace that workload constructs can live in: a {@link TeamSpace}, or one imported by name. */
export interface ITeamSpace extends IConstruct {
  /** The Kubernetes namespace. */
  readonly namespaceName: string;
  /** The team's ServiceAccount for workloads that need an identity (its token is not automounted). */
  readonly serviceAccountName: string;
  /**
   * Declares that `by` runs pods and claims needing `resources` in this namespace, keyed like a ResourceQuota
   * (`requests.cpu`, `limits.memory`, `requests.storage`, `persistentvolumeclaims`, `requests.nvidia.com/gpu`, ...)
   * with values in base units (cores, bytes, counts). At synth, a TeamSpace checks that everything declared fits its
   * quota; a namespace imported with `fromNamespace` has no known quota and checks nothing.
   */
  reserve(by: IConstruct, resources: { [quotaKey: string]: number }): void;
}

/** Aggregate limits of a team's namespace (a ResourceQuota). */
export interface TeamQuota {
  /**
   * Total CPU requests (and limits) of all pods.
   * @default "16"
   */
  readonly cpu?: string;
  /**
   * Total memory requests (and limits) of all pods.
   * @default "64Gi"
   */
  readonly memory?: string;
  /**
   * Whole GPUs (`requests.nvidia.com/gpu`). GPUs are granted explicitly.
   * @default 0
   */
  readonly gpus?: number;
  /**
   * Other GPU resources, e.g. MIG slices: `{ 'nvidia.com/mig-1g.10gb': 7 }`. Every MIG resource a GPU pool of the
   * cluster advertises is in the quota anyway, at 0 unless granted here: a ResourceQuota only limits what it lists.
   * Refused on a GKE cluster, which advertises MIG partitions as `nvidia.com/gpu` (grant `gpus` there).
   * @default - none
   */
  readonly gpuResources?: { [resource: string]: number };
  /**
   * Total storage requested by PersistentVolumeClaims.
   * @default "500Gi"
   */
  readonly storage?: string;
  /**
   * Number of PersistentVolumeClaims.
   * @default 20
   */
  readonly persistentVolumeClaims?: number;
}

/** Per-container defaults applied by a LimitRange to containers that set none. */
export interface ContainerDefaults {
  /**
   * Default CPU request.
   * @default "250m"
   */
  readonly cpuRequest?: string;
  /**
   * Default memory request.
   * @default "512Mi"
   */
  readonly memoryRequest?: string;
  /**
   * Default CPU limit.
   * @default "1"
   */
  readonly cpuLimit?: string;
  /**
   * Default memory limit.
   * @default "2Gi"
   */
  readonly memoryLimit?: string;
}

/** Where the cluster DNS runs, for the DNS egress allow. */
export interface DnsEndpoint {
  /**
   * Namespace of the cluster DNS pods.
   * @default "kube-system"
   */
  readonly namespace?: string;
  /**
   * Labels of the cluster DNS pods.
   * @default { "k8s-app": "kube-dns" } (CoreDNS on kubeadm, EKS and GKE)
   */
  readonly podLabels?: { [key: string]: string };
}

/** Props of {@link TeamSpace}. */
export interface TeamSpaceProps {
  /**
   * The team's name, also the name of its namespace: a DNS-1123 label that is not `default`, does not start with
   * `kube-` and is none of the platform's own namespaces ({@link SystemNamespaces}).
   */
  readonly name: string;
  /**
   * The identity-provider group whose members get the team's edit role in the namespace.
   * @default - the team name
   */
  readonly group?: string;
  /**
   * Aggregate quota of the namespace.
   * @default - the defaults of {@link TeamQuota}
   */
  readonly quota?: TeamQuota;
  /**
   * Defaults for containers that declare no resources.
   * @default - the defaults of {@link ContainerDefaults}
   */
  readonly containerDefaults?: ContainerDefaults;
  /**
   * The cluster DNS that the namespace may reach.
   * @default - CoreDNS in kube-system
   */
  readonly dns?: DnsEndpoint;
}

/**
 * Rules of the team's role: edit rights on the workloads the platform runs, read-only on the guard rails the
 * platform owns (quota, limits, network policies, role bindings), so that a team cannot lift its own limits.
 */
const WRITE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const READ = ['get', 'list', 'watch'];
const TEAM_ROLE_RULES: k8s.PolicyRule[] = [
  { apiGroups: [''], resources: ['pods', 'services', 'configmaps', 'secrets', 'persistentvolumeclaims'], verbs: WRITE },
  { apiGroups: [''], resources: ['pods/log', 'pods/exec', 'pods/portforward'], verbs: ['get', 'create'] },
  { apiGroups: [''], resources: ['events', 'serviceaccounts', 'resourcequotas', 'limitranges', 'endpoints'], verbs: READ },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: WRITE },
  // `kubectl scale` patches the scale subresource, which the objects' own rights do not cover (a workbench resumes so)
  { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['get', 'patch', 'update'] },
  { apiGroups: ['apps'], resources: ['replicasets'], verbs: READ },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: WRITE },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: WRITE },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: WRITE },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: READ },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: READ },
  { apiGroups: ['kubeflow.org'], resources: ['tfjobs'], verbs: WRITE },
  { apiGroups: ['serving.knative.dev'], resources: ['services'], verbs: WRITE },
  { apiGroups: ['serving.knative.dev'], resources: ['routes', 'revisions', 'configurations'], verbs: READ },
  { apiGroups: ['eventing.knative.dev'], resources: ['triggers', 'brokers'], verbs: WRITE },
  { apiGroups: ['sources.knative.dev'], resources: ['pingsources'], verbs: WRITE },
  { apiGroups: ['kueue.x-k8s.io'], resources: ['workloads', 'localqueues'], verbs: READ },
];

const DNS_PORT = 53;
const COMPONENT = 'tenancy';

/**
 * A team's namespace on one cluster, with the guard rails every tenant gets:
 *
 * - Pod Security Standard `restricted` enforced (and audited, warned) at the pinned Kubernetes version;
 * - a ResourceQuota on CPU, memory, GPUs and PVC storage, and a LimitRange for containers that set no resources;
 * - a default-deny NetworkPolicy (ingress and egress) with one allow: DNS to the cluster DNS;
 * - a Role with edit rights on workloads (read-only on quota, limits, network policies, RBAC) bound to the team's
 *   group, and a ServiceAccount without an automounted token.
 *
 * Workload constructs take a {@link ITeamSpace} and live in its namespace.
 */
export class TeamSpace extends Construct implements ITeamSpace {
  /**
   * A namespace that already exists (created out of band), for workload constructs to live in. It must not be
   * `default` or a `kube-` system namespace.
   * @param serviceAccountName the ServiceAccount workloads use
   */
  public static fromNamespace(scope: Construct, id: string, namespaceName: string, serviceAccountName: string = 'default'): ITeamSpace {
    return new ImportedTeamSpace(scope, id, namespaceName, serviceAccountName);
  }

  /**
   * `value` as a team namespace, for constructs that take one: a TeamSpace or `TeamSpace.fromNamespace` (checked by
   * kind at runtime, for plain JavaScript callers), or a {@link ValidationError} naming `field`.
   */
  public static check(path: string, field: string, value: ITeamSpace): ITeamSpace {
    const t = value as Partial<ITeamSpace> | null | undefined;
    if (t === null || typeof t !== 'object' || typeof t.namespaceName !== 'string' || t.namespaceName === ''
      || typeof t.node?.path !== 'string' || typeof t.reserve !== 'function') {
      throw new ValidationError(path, field, value, 'expected a TeamSpace (or TeamSpace.fromNamespace)');
    }
    return value;
  }

  public readonly namespaceName: string;
  public readonly serviceAccountName: string;
  /** The quota as given, by ResourceQuota key (the cluster's advertised GPU resources are added at synth). */
  private readonly grantedHard: { [quotaKey: string]: k8s.Quantity };
  /** The group bound to the team role. */
  public readonly group: string;
  /** Escape hatches: the objects this construct emits. */
  public readonly namespace: k8s.KubeNamespace;
  public readonly resourceQuota: k8s.KubeResourceQuota;
  public readonly limitRange: k8s.KubeLimitRange;
  public readonly defaultDenyPolicy: k8s.KubeNetworkPolicy;
  public readonly allowDnsPolicy: k8s.KubeNetworkPolicy;
  public readonly role: k8s.KubeRole;
  public readonly roleBinding: k8s.KubeRoleBinding;
  public readonly serviceAccount: k8s.KubeServiceAccount;

  public constructor(scope: Construct, id: string, props: TeamSpaceProps) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    Checks.object(path, 'TeamSpaceProps', props, 'TeamSpaceProps (an object with at least `name`)');
    validateNamespace(this, 'TeamSpace.name', props.name);
    this.namespaceName = props.name;
    this.serviceAccountName = `${props.name}-workloads`;
    this.group = props.group ?? props.name;
    if (typeof this.group !== 'string' || this.group.trim() === '') {
      throw new ValidationError(path, 'TeamSpace.group', props.group, 'expected a non-empty group name');
    }
    Checks.optionalObject(path, 'TeamSpace.quota', props.quota, 'a TeamQuota object');
    Checks.optionalObject(path, 'TeamSpace.containerDefaults', props.containerDefaults, 'a ContainerDefaults object');
    Checks.optionalObject(path, 'TeamSpace.dns', props.dns, 'a DnsEndpoint object');

    const labels = Labels.standard({ name: 'team-space', instance: props.name, component: COMPONENT });
    const meta = (name: string): k8s.ObjectMeta => ({ name, namespace: this.namespaceName, labels });

    const pss = 'pod-security.kubernetes.io';
    this.namespace = new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: this.namespaceName,
        labels: {
          ...labels,
          [`${pss}/enforce`]: 'restricted',
          [`${pss}/enforce-version`]: Versions.POD_SECURITY,
          [`${pss}/audit`]: 'restricted',
          [`${pss}/audit-version`]: Versions.POD_SECURITY,
          [`${pss}/warn`]: 'restricted',
          [`${pss}/warn-version`]: Versions.POD_SECURITY,
        },
      },
    });

    this.grantedHard = this.quotaHard(props.quota ?? {});
    // a GitOps sync never prunes or deletes a team's namespace (and everything in it)
    GitOps.protect(this.namespace);

    this.resourceQuota = new k8s.KubeResourceQuota(this, 'quota', {
      metadata: meta('team-quota'),
      spec: { hard: Lazy.any({ produce: () => ({ ...this.grantedHard, ...this.ungrantedGpuResources() }) }) },
    });

    const d = props.containerDefaults ?? {};
    const q = (field: string, value: string) => k8s.Quantity.fromString(Quantities.validate(this.node.path, `TeamSpace.containerDefaults.${field}`, value));
    const limit = (field: string, value: string, request: string) =>
      k8s.Quantity.fromString(Quantities.validateLimit(this.node.path, `TeamSpace.containerDefaults.${field}`, value, request));
    const cpuRequest = d.cpuRequest ?? '250m';
    const memoryRequest = d.memoryRequest ?? '512Mi';
    const cpuLimit = d.cpuLimit ?? '1';
    const memoryLimit = d.memoryLimit ?? '2Gi';
    this.limitRange = new k8s.KubeLimitRange(this, 'limits', {
      metadata: meta('container-defaults'),
      spec: {
        limits: [{
          type: 'Container',
          defaultRequest: { cpu: q('cpuRequest', cpuRequest), memory: q('memoryRequest', memoryRequest) },
          default: { cpu: limit('cpuLimit', cpuLimit, cpuRequest), memory: limit('memoryLimit', memoryLimit, memoryRequest) },
        }],
      },
    });

    this.defaultDenyPolicy = new k8s.KubeNetworkPolicy(this, 'default-deny', {
      metadata: meta('default-deny'),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });

    const dnsNamespace = props.dns?.namespace ?? 'kube-system';
    Names.validateDnsLabel(this.node.path, 'TeamSpace.dns.namespace', dnsNamespace);
    const dnsLabels = Labels.validate(path, 'TeamSpace.dns.podLabels', props.dns?.podLabels ?? { 'k8s-app': 'kube-dns' });
    if (Object.keys(dnsLabels).length === 0) throw new ValidationError(path, 'TeamSpace.dns.podLabels', dnsLabels, 'expected at least one label of the DNS pods (an empty selector would allow every pod)');
    const dnsPort = k8s.IntOrString.fromNumber(DNS_PORT);
    this.allowDnsPolicy = new k8s.KubeNetworkPolicy(this, 'allow-dns', {
      metadata: meta('allow-dns'),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          to: [{
            namespaceSelector: NamespaceSelectors.named(dnsNamespace),
            podSelector: { matchLabels: dnsLabels },
          }],
          ports: [{ protocol: 'UDP', port: dnsPort }, { protocol: 'TCP', port: dnsPort }],
        }],
      },
    });

    this.role = new k8s.KubeRole(this, 'role', { metadata: meta('team-edit'), rules: TEAM_ROLE_RULES });
    this.roleBinding = new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata: meta('team-edit'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'team-edit' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: this.group }],
    });
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: meta(this.serviceAccountName),
      automountServiceAccountToken: false,
    });

    // Namespaces are cluster-scoped: two TeamSpaces with one name in one cluster (App) would overwrite each other.
    ClusterScope.claimUnique(this, 'TeamSpace', this.namespaceName, 'TeamSpace.name');
    Checks.atSynth(this, () => [...this.gkeMigProblems(), ...this.quotaProblems()]);
  }

  private readonly reservations: Array<{ by: IConstruct; resources: { [quotaKey: string]: number } }> = [];

  /**
   * The quota of the namespace, by ResourceQuota key, in base units (cores, bytes, counts): what was granted, and
   * 0 for every other GPU resource a pool of the cluster advertises. Complete once every pool is built (at synth).
   */
  public get hardLimits(): { [quotaKey: string]: number } {
    const all = { ...this.grantedHard, ...this.ungrantedGpuResources() };
    return Object.fromEntries(Object.entries(all).map(([key, quantity]) => [key, Quantities.parse(String(quantity.value))!]));
  }

  public reserve(by: IConstruct, resources: { [quotaKey: string]: number }): void {
    const path = this.node.path;
    if (typeof by?.node?.path !== 'string') throw new ValidationError(path, 'TeamSpace.reserve.by', by, 'expected the construct that needs the resources');
    Checks.object(path, 'TeamSpace.reserve.resources', resources, 'a map of ResourceQuota keys to amounts in base units');
    for (const [key, amount] of Object.entries(resources)) {
      Checks.number(path, `TeamSpace.reserve.resources["${key}"]`, amount, 0, Number.MAX_SAFE_INTEGER, false);
    }
    this.reservations.push({ by, resources });
  }

  /** The GPU resources of the cluster's pools that this team was not granted: each at 0 in the quota. */
  private ungrantedGpuResources(): { [quotaKey: string]: k8s.Quantity } {
    const zeros: { [quotaKey: string]: k8s.Quantity } = {};
    for (const { resourceName } of ClusterScope.recorded<AdvertisedGpuResource>(this, GpuResources.ADVERTISED)) {
      const key = `requests.${resourceName}`;
      if (!(key in this.grantedHard)) zeros[key] = k8s.Quantity.fromNumber(0);
    }
    return zeros;
  }

  /** GKE advertises MIG partitions as `nvidia.com/gpu`: a `nvidia.com/mig-*` quota there would limit nothing. */
  private gkeMigProblems(): ValidationError[] {
    const gke = ClusterScope.recorded<AdvertisedGpuResource>(this, GpuResources.ADVERTISED).filter((r) => r.gke);
    if (gke.length === 0) return [];
    return Object.keys(this.grantedHard).filter((key) => key.startsWith(`requests.${GpuResources.MIG_PREFIX}`)).map((key) =>
      new ValidationError(this.node.path, `TeamSpace.quota.gpuResources["${key.slice('requests.'.length)}"]`, this.hardLimits[key],
        `expected no MIG resource on a GKE cluster (pool ${gke[0].pool}): GKE advertises MIG partitions as ${GpuResources.NVIDIA_GPU}, so grant them with quota.gpus`));
  }

  /** Every quota key whose declared demand exceeds the quota, with who declared what. */
  private quotaProblems(): ValidationError[] {
    const problems: ValidationError[] = [];
    const hardLimits = this.hardLimits;
    const keys = new Set(this.reservations.flatMap((r) => Object.keys(r.resources)));
    for (const key of keys) {
      const hard = hardLimits[key];
      if (hard === undefined) continue;
      const total = this.reservations.reduce((sum, r) => sum + (r.resources[key] ?? 0), 0);
      if (total > hard) {
        const who = this.reservations.filter((r) => r.resources[key]).map((r) => `${r.by.node.path} ${format(key, r.resources[key])}`).join(', ');
        problems.push(new ValidationError(this.node.path, `TeamSpace.quota (${key})`, format(key, hard),
          `expected at least ${format(key, total)} for namespace "${this.namespaceName}" (${who})`));
      }
    }
    return problems;
  }

  private quotaHard(quota: TeamQuota): { [key: string]: k8s.Quantity } {
    const field = 'TeamSpace.quota';
    const cpu = Quantities.validate(this.node.path, `${field}.cpu`, quota.cpu ?? '16');
    const memory = Quantities.validate(this.node.path, `${field}.memory`, quota.memory ?? '64Gi');
    const storage = Quantities.validate(this.node.path, `${field}.storage`, quota.storage ?? '500Gi', true);
    const pvcs = Quantities.validateCount(this.node.path, `${field}.persistentVolumeClaims`, quota.persistentVolumeClaims ?? 20, 0);
    const gpus: Record<string, number> = { [GpuResources.NVIDIA_GPU]: quota.gpus ?? 0 };
    const known = GpuResources.all();
    Checks.optionalObject(this.node.path, `${field}.gpuResources`, quota.gpuResources, 'a map of GPU resource names to counts');
    for (const [resource, count] of Object.entries(quota.gpuResources ?? {})) {
      if (!known.includes(resource)) {
        throw new ValidationError(this.node.path, `${field}.gpuResources`, resource, `expected one of: ${known.join(', ')}`);
      }
      gpus[resource] = count;
    }
    const hard: { [key: string]: k8s.Quantity } = {
      'requests.cpu': k8s.Quantity.fromString(cpu),
      'limits.cpu': k8s.Quantity.fromString(cpu),
      'requests.memory': k8s.Quantity.fromString(memory),
      'limits.memory': k8s.Quantity.fromString(memory),
      'requests.storage': k8s.Quantity.fromString(storage),
      'persistentvolumeclaims': k8s.Quantity.fromNumber(pvcs),
    };
    for (const [resource, count] of Object.entries(gpus)) {
      const gpuField = resource === GpuResources.NVIDIA_GPU ? `${field}.gpus` : `${field}.gpuResources["${resource}"]`;
      hard[`requests.${resource}`] = k8s.Quantity.fromNumber(Quantities.validateCount(this.node.path, gpuField, count, 0));
    }
    return hard;
  }
}

/** A namespace created out of band (see {@link TeamSpace.fromNamespace}). */
class ImportedTeamSpace extends Construct implements ITeamSpace {
  public constructor(scope: Construct, id: string, public readonly namespaceName: string, public readonly serviceAccountName: string) {
    super(scope, id);
    validateNamespace(this, 'TeamSpace.fromNamespace.namespaceName', namespaceName);
    Names.validateDnsLabel(this.node.path, 'TeamSpace.fromNamespace.serviceAccountName', serviceAccountName);
  }

  /** The quota of an imported namespace is unknown: nothing to check. */
  public reserve(_by: IConstruct, _resources: { [quotaKey: string]: number }): void {
    // intentionally empty
  }
}

/** A quota amount as people read it: bytes in Gi, cores and counts as they are. */
function format(key: string, value: number): string {
  return /memory|storage/.test(key) ? `${+(value / 2 ** 30).toFixed(2)}Gi` : `${+value.toFixed(3)}`;
}

/** A team namespace: a DNS-1123 label, not `default`, not a `kube-` system namespace, none of the platform's own. */
function validateNamespace(scope: IConstruct, field: string, name: string): void {
  Names.validateDnsLabel(scope.node.path, field, name);
  if (SystemNamespaces.isReserved(name)) {
    throw new ValidationError(scope.node.path, field, name,
      `expected a namespace of the team's own: not "default", not a "kube-" system namespace, none of the platform's (${SystemNamespaces.all().join(', ')})`);
  }
}
