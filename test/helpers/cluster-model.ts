/**
 * An empty Kubernetes cluster, modelled just far enough to say which objects `kubectl apply` would have refused,
 * applying them in the order given. What it models, each from upstream source:
 *
 * - Order. `kubectl apply -f <dir>` reads the directory's .json/.yaml/.yml files in lexical order
 *   (kubernetes/cli-runtime pkg/resource/visitor.go, `ExpandPathsToFileVisitors`: filepath.Walk) and the
 *   documents of a file in document order (`StreamVisitor.Visit`), and applies them in that order without sorting
 *   by kind (kubernetes/kubectl#1356, closed as out of scope for kubectl).
 * - Kinds. kubectl maps every object to a resource before it applies the first one (kubernetes/kubectl
 *   pkg/cmd/apply/apply.go: `Run` calls `GetObjects`, i.e. `Builder...Do().Infos()`, then `applyOneObject` per
 *   object): a custom resource whose CRD is not installed when the command starts is refused with "resource
 *   mapping not found ... ensure CRDs are installed first" (cli-runtime pkg/resource/mapper.go), even when a
 *   CustomResourceDefinition earlier in the same command would create it. A CRD applied here makes its kinds known
 *   to the next {@link ClusterModel.apply} call (the next command), not to this one.
 * - Namespaces. A namespaced object in a namespace that does not exist is refused (`namespaces "x" not found`,
 *   the NamespaceLifecycle admission plugin). kube-system, kube-public, kube-node-lease and default exist from the
 *   start (the API server's system namespaces controller creates them); a Namespace object creates one. A
 *   namespaced object without metadata.namespace goes to the kubeconfig context's namespace, `default` here.
 * - Names. An object without metadata.name is refused (apply needs a name; `generateName` is for create only).
 * - Size. Client-side apply (kubectl's default, and Argo CD's) stores the whole object as JSON in the annotation
 *   `kubectl.kubernetes.io/last-applied-configuration`; the API server refuses an object whose annotations (keys
 *   plus values) exceed 256 KiB (kubernetes/apimachinery pkg/api/validation/objectmeta.go,
 *   `totalAnnotationSizeLimitB`). Large CRDs need server-side apply: pass `serverSide: true` for that.
 * - Quotas. A ResourceQuota applied earlier limits what is created after it in its namespace, at admission
 *   (object counts such as `configmaps`, `services`, `persistentvolumeclaims`, `count/<resource>.<group>`, and the
 *   storage PVCs request: `requests.storage`, `<class>.storageclass.storage.k8s.io/requests.storage`).
 * - Service accounts. A bare Pod naming a ServiceAccount that does not exist is refused (the ServiceAccount
 *   admission plugin); pods of workloads are created later by controllers, which retry, so only Pods are checked.
 * - Duplicates. The same object (group, kind, namespace, name) applied twice with different content is reported:
 *   the later document silently replaces the earlier.
 *
 * Not modelled: webhooks (the operators' admission), what controllers do afterwards, and races the real API
 * server has (a ResourceQuota's status being computed, a namespace's default ServiceAccount being created).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Manifest } from './manifests';

/** Core kinds that are cluster-scoped (every other built-in kind is namespaced). */
export const CLUSTER_SCOPED_CORE = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'RuntimeClass', 'PriorityClass', 'StorageClass',
  'PersistentVolume', 'CSIDriver', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'CustomResourceDefinition', 'Node',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'APIService', 'IngressClass', 'VolumeAttachment',
  'CSINode', 'PriorityLevelConfiguration', 'FlowSchema', 'ClusterTrustBundle', 'DeviceClass',
]);

/**
 * The API groups a Kubernetes API server serves itself (no CRD needed), 1.28 to 1.34. `*.x-k8s.io` groups
 * (Kueue, Cluster API, ...) are CRDs, not built in.
 */
export const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'policy', 'autoscaling', 'admissionregistration.k8s.io', 'apiextensions.k8s.io',
  'apiregistration.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'certificates.k8s.io',
  'coordination.k8s.io', 'discovery.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io', 'internal.apiserver.k8s.io',
  'networking.k8s.io', 'node.k8s.io', 'rbac.authorization.k8s.io', 'resource.k8s.io', 'scheduling.k8s.io',
  'storage.k8s.io', 'storagemigration.k8s.io',
]);

/** Namespaces every cluster has before anything is applied. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** The client-side apply annotation and the API server's limit on all annotations of an object. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ANNOTATION_LIMIT = 256 * 1024;

/** Scope of a kind the cluster knows. */
export interface KindScope {
  readonly namespaced: boolean;
}
/** Which custom resource kinds are installed: `apiVersion, kind` to scope, or undefined when not installed. */
export type CrdLookup = (apiVersion: string, kind: string) => KindScope | undefined;

export interface ClusterModelOptions {
  /**
   * Custom resource kinds whose CRDs are installed before the first apply (operators are installed out of band):
   * a lookup, or a list of `<group>/<version>/<Kind>` keys (namespaced). `vendoredCustomResource` of ./manifests
   * is every CRD under test/schemas/crds.
   * @default none
   */
  readonly crds?: CrdLookup | readonly string[];
  /** Namespaces that exist already, besides {@link SYSTEM_NAMESPACES}. @default none */
  readonly namespaces?: readonly string[];
  /** Server-side apply (`kubectl apply --server-side`): no last-applied annotation. @default false */
  readonly serverSide?: boolean;
}

interface Source {
  readonly object: Manifest;
  readonly source: string;
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
const idOf = (o: Manifest) => `${o?.kind ?? '?'} ${o?.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o?.metadata?.name ?? '?'}`;

/** A quantity (`10Gi`, `500M`, `1.5`) as a number of units. */
export function parseQuantity(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = /^([+-]?[0-9.]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/.exec(String(value).trim());
  if (!m) throw new Error(`not a quantity: ${JSON.stringify(value)}`);
  const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
  const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
  const suffix = m[2] ?? '';
  const factor = binary[suffix] ?? decimal[suffix] ?? (suffix ? 10 ** Number(suffix.slice(1)) : 1);
  return Number(m[1]) * factor;
}

/** The resource name a ResourceQuota's `count/` key uses for a kind (`deployments.apps`, `configmaps`). */
function resourceOf(o: Manifest): string {
  const lower = o.kind.toLowerCase();
  const plural = /(s|x|ch|sh)$/.test(lower) ? `${lower}es` : lower.endsWith('y') && !/[aeiou]y$/.test(lower) ? `${lower.slice(0, -1)}ies` : `${lower}s`;
  const group = groupOf(o.apiVersion);
  return group ? `${plural}.${group}` : plural;
}

/** What a ResourceQuota counts for one object, by quota key. */
function usageOf(o: Manifest): Record<string, number> {
  const resource = resourceOf(o);
  const usage: Record<string, number> = { [`count/${resource}`]: 1 };
  if (['configmaps', 'secrets', 'services', 'persistentvolumeclaims', 'replicationcontrollers', 'resourcequotas', 'pods'].includes(resource)) usage[resource] = 1;
  if (o.kind === 'Service' && o.spec?.type === 'LoadBalancer') usage['services.loadbalancers'] = 1;
  if (o.kind === 'Service' && (o.spec?.type === 'NodePort' || o.spec?.type === 'LoadBalancer')) usage['services.nodeports'] = (o.spec?.ports ?? []).length;
  if (o.kind === 'PersistentVolumeClaim') {
    const storage = parseQuantity(o.spec?.resources?.requests?.storage ?? 0);
    usage['requests.storage'] = storage;
    const sc = o.spec?.storageClassName;
    if (sc) {
      usage[`${sc}.storageclass.storage.k8s.io/requests.storage`] = storage;
      usage[`${sc}.storageclass.storage.k8s.io/persistentvolumeclaims`] = 1;
    }
  }
  return usage;
}

/**
 * An empty cluster. Each {@link apply} is one `kubectl apply` command; the model keeps what earlier commands
 * created. Every method returns the refusals (one line each: source, object, reason); an empty list is success.
 */
export class ClusterModel {
  private readonly namespaces = new Set<string>(SYSTEM_NAMESPACES);
  private readonly installed = new Map<string, KindScope>();
  private readonly lookup: CrdLookup;
  private readonly applied = new Map<string, { json: string; source: string; object: Manifest; ns?: string }>();
  private readonly quotas = new Map<string, Array<{ name: string; hard: Record<string, number>; used: Record<string, number> }>>();
  private readonly serviceAccounts = new Set<string>();

  public constructor(private readonly options: ClusterModelOptions = {}) {
    for (const ns of options.namespaces ?? []) this.namespaces.add(ns);
    const crds = options.crds ?? [];
    if (typeof crds === 'function') {
      this.lookup = crds;
    } else {
      const keys = new Set(crds);
      this.lookup = (apiVersion, kind) => (keys.has(`${apiVersion}/${kind}`) ? { namespaced: true } : undefined);
    }
  }

  /** Whether a namespace exists now. */
  public hasNamespace(name: string): boolean {
    return this.namespaces.has(name);
  }

  /** One `kubectl apply` of these objects, in this order. */
  public apply(objects: readonly Manifest[], source = '(stdin)'): string[] {
    return this.run(objects.map((object) => ({ object, source })));
  }

  /** `kubectl apply -f file -f file ...`: the files in the order given, each file's documents in order. */
  public applyFiles(files: readonly string[]): string[] {
    return this.run(files.flatMap((file) => parseAllDocuments(readFileSync(file, 'utf8'))
      .map((d) => d.toJS() as Manifest)
      .filter((object) => object !== null && object !== undefined)
      .map((object) => ({ object, source: file }))));
  }

  /** `kubectl apply -f <dir>` (not recursive): the directory's .json, .yaml and .yml files in lexical order. */
  public applyDirectory(dir: string): string[] {
    const files = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && /\.(json|ya?ml)$/.test(e.name))
      .map((e) => e.name)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)); // byte order, as Go's filepath.Walk
    return this.applyFiles(files.map((f) => join(dir, f)));
  }

  private scopeOf(o: Manifest): KindScope | undefined {
    if (BUILT_IN_GROUPS.has(groupOf(o.apiVersion))) return { namespaced: !CLUSTER_SCOPED_CORE.has(o.kind) };
    return this.installed.get(`${o.apiVersion}/${o.kind}`) ?? this.lookup(o.apiVersion, o.kind);
  }

  private run(docs: readonly Source[]): string[] {
    const refusals: string[] = [];
    const refuse = (d: Source, reason: string) => refusals.push(`${d.source}: ${idOf(d.object)}: ${reason}`);
    // 1. kubectl maps every object before it applies any: the kinds known now are all this command can use.
    const mapped: Array<Source & { scope: KindScope }> = [];
    for (const d of docs) {
      const o = d.object;
      if (typeof o?.apiVersion !== 'string' || typeof o?.kind !== 'string') {
        refuse(d, 'apiVersion and kind are required');
        continue;
      }
      const scope = this.scopeOf(o);
      if (!scope) {
        refuse(d, `resource mapping not found for kind ${o.kind} in ${o.apiVersion}: ensure CRDs are installed first (a CRD in the same command does not count)`);
        continue;
      }
      mapped.push({ ...d, scope });
    }
    // 2. then applies them one by one, in order.
    for (const d of mapped) {
      const o = d.object;
      const name = o.metadata?.name;
      if (typeof name !== 'string' || name === '') {
        refuse(d, 'metadata.name is required (apply does not support generateName)');
        continue;
      }
      const ns = d.scope.namespaced ? (o.metadata.namespace ?? 'default') : undefined;
      if (ns !== undefined && !this.namespaces.has(ns)) {
        refuse(d, `namespaces "${ns}" not found (its Namespace must be applied first)`);
        continue;
      }
      const json = JSON.stringify(o);
      const annotations = Object.entries(o.metadata.annotations ?? {}).filter(([k]) => k !== LAST_APPLIED);
      const annotationBytes = annotations.reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0)
        + (this.options.serverSide ? 0 : Buffer.byteLength(LAST_APPLIED) + Buffer.byteLength(json) + 1);
      if (annotationBytes > ANNOTATION_LIMIT) {
        refuse(d, `metadata.annotations: Too long: must have at most ${ANNOTATION_LIMIT} bytes (${annotationBytes} with the client-side apply annotation; use server-side apply)`);
        continue;
      }
      const key = `${groupOf(o.apiVersion)}/${o.kind}/${ns ?? ''}/${name}`;
      const earlier = this.applied.get(key);
      if (!earlier && ns !== undefined) {
        const exceeded = this.admitQuota(ns, o);
        if (exceeded) {
          refuse(d, exceeded);
          continue;
        }
      }
      if (o.kind === 'Pod' && o.apiVersion === 'v1') {
        const sa = o.spec?.serviceAccountName ?? 'default';
        if (sa !== 'default' && !this.serviceAccounts.has(`${ns}/${sa}`)) {
          refuse(d, `error looking up service account ${ns}/${sa}: serviceaccount "${sa}" not found`);
          continue;
        }
      }
      if (earlier && earlier.json !== json) refuse(d, `also applied by ${earlier.source} with other content: the later document silently replaces the earlier`);
      this.applied.set(key, { json, source: d.source, object: o, ns });
      this.created(o, ns);
    }
    return refusals;
  }

  /** The ResourceQuota admission: the quota keys an object would take past a hard limit, or undefined. */
  private admitQuota(ns: string, o: Manifest): string | undefined {
    const usage = usageOf(o);
    for (const quota of this.quotas.get(ns) ?? []) {
      for (const [res, amount] of Object.entries(usage)) {
        const hard = quota.hard[res];
        if (hard !== undefined && (quota.used[res] ?? 0) + amount > hard) {
          return `exceeded quota: ${quota.name}, requested: ${res}=${amount}, used: ${res}=${quota.used[res] ?? 0}, limited: ${res}=${hard}`;
        }
      }
    }
    for (const quota of this.quotas.get(ns) ?? []) {
      for (const [res, amount] of Object.entries(usage)) if (quota.hard[res] !== undefined) quota.used[res] = (quota.used[res] ?? 0) + amount;
    }
    return undefined;
  }

  private created(o: Manifest, ns: string | undefined): void {
    if (o.kind === 'Namespace' && o.apiVersion === 'v1') this.namespaces.add(o.metadata.name);
    if (o.kind === 'ServiceAccount' && o.apiVersion === 'v1') this.serviceAccounts.add(`${ns}/${o.metadata.name}`);
    if (o.kind === 'ResourceQuota' && o.apiVersion === 'v1' && ns) {
      const hard = Object.fromEntries(Object.entries((o.spec?.hard ?? {}) as Record<string, string>).map(([k, v]) => [k, parseQuantity(v)]));
      const list = (this.quotas.get(ns) ?? []).filter((q) => q.name !== o.metadata.name);
      // the quota controller counts what the namespace holds already; admission counts what comes after
      const used: Record<string, number> = {};
      for (const e of this.applied.values()) {
        if (e.ns !== ns || e.object === o) continue;
        for (const [res, amount] of Object.entries(usageOf(e.object))) if (hard[res] !== undefined) used[res] = (used[res] ?? 0) + amount;
      }
      list.push({ name: o.metadata.name, hard, used });
      this.quotas.set(ns, list);
    }
    if (o.kind === 'CustomResourceDefinition' && o.apiVersion === 'apiextensions.k8s.io/v1') {
      const spec = o.spec as { group: string; scope: string; names: { kind: string }; versions: Array<{ name: string; served?: boolean }> };
      for (const v of spec.versions ?? []) {
        if (v.served !== false) this.installed.set(`${spec.group}/${v.name}/${spec.names.kind}`, { namespaced: spec.scope === 'Namespaced' });
      }
    }
  }
}
