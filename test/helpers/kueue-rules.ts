/**
 * Kueue's own rules for its objects and the jobs queued in them, which its webhooks and controllers enforce and no
 * schema states (the CRDs' openAPIV3Schema and CEL rules are checked by ./manifests.ts). Read from
 * kubernetes-sigs/kueue at v0.19.2 (the release we target), restated here, not copied:
 *
 * - pkg/webhooks/clusterqueue_webhook.go (ClusterQueue webhook):
 *   - l.187-197 `validateTotalFlavors`: at most 256 flavors over all resource groups;
 *   - l.302-328: no covered resource and no flavor in two resource groups;
 *   - l.340: each flavor's `resources[i].name` must be `coveredResources[i]` ("must match the name in
 *     coveredResources"), so a flavor lists exactly the group's resources, in its order;
 *   - l.359-365: nominalQuota, borrowingLimit and lendingLimit are non-negative;
 *   - l.368-390: borrowingLimit and lendingLimit only in a cohort (`cohortName`); lendingLimit <= nominalQuota.
 * - pkg/cache/scheduler/clusterqueue.go l.257-263, l.437-444 (the ClusterQueue's Active condition; reasons in
 *   apis/kueue/v1beta2/clusterqueue_types.go l.43): a ClusterQueue stays inactive with more than one MultiKueue
 *   AdmissionCheck (`MultipleMultiKueueAdmissionChecks`), with a MultiKueue check applied to some flavors only
 *   (`onFlavors` not listing every flavor: `MultiKueueAdmissionCheckAppliedPerFlavor`), or with a MultiKueue check
 *   and a ProvisioningRequest check together (`MultiKueueWithProvisioningRequest`); it is inactive too while a
 *   flavor or admission check it names does not exist (FlavorNotFound, AdmissionCheckNotFound).
 * - apis/kueue/v1beta2/clusterqueue_types.go `namespaceSelector`: unset (null) selects no namespace, `{}` every one.
 * - pkg/util/admissioncheck/admissioncheck.go l.110-126: a MultiKueue AdmissionCheck's parameters must be group
 *   `kueue.x-k8s.io`, kind `MultiKueueConfig` ("wrong group", "wrong kind"), and the config must exist (the check
 *   stays inactive otherwise); l.228-238 `GetRemoteClusters`: each of the config's clusters is a MultiKueueCluster.
 * - apis/kueue/v1beta2/multikueue_types.go l.37: the MultiKueue controller name `kueue.x-k8s.io/multikueue`.
 * - LocalQueue: it admits nothing while its ClusterQueue is missing, and a ClusterQueue admits workloads only of
 *   the namespaces its namespaceSelector selects.
 * - pkg/controller/constants/constants.go (`QueueLabel`, l.48 `WorkloadPriorityClassLabel`): a job's
 *   `kueue.x-k8s.io/queue-name` names a LocalQueue of its namespace (Kueue holds a job naming a missing queue
 *   forever), and `kueue.x-k8s.io/priority-class` a WorkloadPriorityClass (Kueue refuses to create the workload of
 *   a job naming a missing one).
 *
 * - pkg/scheduler/flavorassigner/flavorassigner.go l.1069-1072 (with pkg/workload/workload.go l.664-700 and
 *   resources.go l.118-124: every request of the pod templates counts, limits standing in for missing requests):
 *   under the default `quotaCheckStrategy: BlockUndeclared`, a job requesting a nonzero amount of a resource its
 *   ClusterQueue covers in no group is never admitted ("resource %s unavailable in ClusterQueue"); checked when the
 *   job's LocalQueue and ClusterQueue are among the objects.
 *
 * The rules are applied to the objects of one cluster, as a whole (like ./knative-rules.ts): a reference to an
 * object that is not among them is a problem, except where {@link KueueContext} says it exists elsewhere.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = { [key: string]: any };
/** A synthesized object (the shape of ./manifests.ts `Manifest`, restated to keep this module standalone). */
type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

const GROUP = 'kueue.x-k8s.io';
const MULTIKUEUE = 'kueue.x-k8s.io/multikueue';
const PROVISIONING_REQUEST = 'kueue.x-k8s.io/provisioning-request';
const QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';
const PRIORITY_LABEL = 'kueue.x-k8s.io/priority-class';
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const MAX_FLAVORS = 256;

/** What exists in the cluster beyond the objects checked. */
export interface KueueContext {
  /**
   * Objects of the same cluster made elsewhere (other charts of the App): looked up, never checked themselves.
   * @default - none
   */
  readonly objects?: Obj[];
  /**
   * LocalQueues declared without an object among the output (`GpuQueue.external`, or recorded by constructs of the
   * cluster): a queue-name label naming one of them in its namespace is accepted.
   * @default - none
   */
  readonly localQueues?: Array<{ namespace: string; name: string }>;
}

const isKueue = (o: Obj, kind: string) => o?.kind === kind && typeof o.apiVersion === 'string' && o.apiVersion.startsWith(`${GROUP}/`);
const id = (o: Obj) => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

const SUFFIXES: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};
/** A Kubernetes quantity (a number or `"64Gi"`, `"500m"`, `"1e3"`) as a number; NaN when it is none. */
export function parseQuantity(q: unknown): number {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return NaN;
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(q);
  if (!m) return NaN;
  const value = Number(m[1]);
  return m[2] !== undefined ? value * 10 ** Number(m[2].slice(1)) : value * SUFFIXES[m[3] ?? ''];
}

/** Whether a LabelSelector selects a namespace of `labels` (undefined: it cannot be told from what is known). */
function selects(selector: Json, labels: Record<string, string>, allKnown: boolean): boolean | undefined {
  const known = (key: string) => allKnown || key === NAMESPACE_NAME_LABEL;
  for (const [key, value] of Object.entries((selector.matchLabels ?? {}) as Record<string, string>)) {
    if (!known(key)) return undefined;
    if (labels[key] !== value) return false;
  }
  for (const e of (selector.matchExpressions ?? []) as Array<{ key: string; operator: string; values?: string[] }>) {
    if (!known(e.key)) return undefined;
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const ok = e.operator === 'In' ? has && (e.values ?? []).includes(labels[e.key])
      : e.operator === 'NotIn' ? !has || !(e.values ?? []).includes(labels[e.key])
        : e.operator === 'Exists' ? has
          : e.operator === 'DoesNotExist' ? !has
            : undefined;
    if (ok === undefined) return undefined;
    if (!ok) return false;
  }
  return true;
}

function clusterQueueProblems(cq: Obj, has: (kind: string, name: string) => Obj | undefined): string[] {
  const at = id(cq);
  const problems: string[] = [];
  const spec: Json = cq.spec ?? {};
  const groups: Json[] = spec.resourceGroups ?? [];
  const cohort = typeof spec.cohortName === 'string' && spec.cohortName !== '';
  const resourceGroup = new Map<string, number>();
  const flavorGroup = new Map<string, number>();
  const allFlavors: string[] = [];
  groups.forEach((group, g) => {
    const covered: string[] = group.coveredResources ?? [];
    for (const r of covered) {
      if (resourceGroup.has(r)) problems.push(`${at}: resource ${r} is covered by resourceGroups[${resourceGroup.get(r)}] and resourceGroups[${g}]: each resource in one group only (Kueue webhook)`);
      else resourceGroup.set(r, g);
    }
    ((group.flavors ?? []) as Json[]).forEach((flavor, f) => {
      const where = `resourceGroups[${g}].flavors[${f}]`;
      if (flavorGroup.has(flavor.name)) problems.push(`${at}: flavor ${flavor.name} is in resourceGroups[${flavorGroup.get(flavor.name)}] and resourceGroups[${g}]: each flavor in one group only (Kueue webhook)`);
      else flavorGroup.set(flavor.name, g);
      allFlavors.push(flavor.name);
      if (!has('ResourceFlavor', flavor.name)) problems.push(`${at}: ${where} names ResourceFlavor ${flavor.name}, which does not exist: the ClusterQueue stays inactive`);
      const resources: Json[] = flavor.resources ?? [];
      const names = resources.map((r) => r.name);
      if (names.length !== covered.length || names.some((n, i) => n !== covered[i])) {
        problems.push(`${at}: ${where}.resources are ${JSON.stringify(names)}, must be the group's coveredResources in order, ${JSON.stringify(covered)} (Kueue webhook: must match the name in coveredResources)`);
      }
      resources.forEach((r, k) => {
        const field = `${where}.resources[${k}]`;
        const nominal = parseQuantity(r.nominalQuota);
        for (const q of ['nominalQuota', 'borrowingLimit', 'lendingLimit']) {
          if (r[q] === undefined) continue;
          const v = parseQuantity(r[q]);
          if (Number.isNaN(v)) problems.push(`${at}: ${field}.${q} ${JSON.stringify(r[q])} is not a quantity`);
          else if (v < 0) problems.push(`${at}: ${field}.${q} ${JSON.stringify(r[q])} must be non-negative (Kueue webhook)`);
        }
        for (const q of ['borrowingLimit', 'lendingLimit']) {
          if (r[q] !== undefined && !cohort) problems.push(`${at}: ${field}.${q} is set without spec.cohortName: only a ClusterQueue of a cohort borrows or lends (Kueue webhook)`);
        }
        if (r.lendingLimit !== undefined && parseQuantity(r.lendingLimit) > nominal) {
          problems.push(`${at}: ${field}.lendingLimit ${JSON.stringify(r.lendingLimit)} exceeds nominalQuota ${JSON.stringify(r.nominalQuota)} (Kueue webhook)`);
        }
      });
    });
  });
  if (allFlavors.length > MAX_FLAVORS) problems.push(`${at}: ${allFlavors.length} flavors in all, at most ${MAX_FLAVORS} (Kueue webhook)`);
  if (spec.namespaceSelector === undefined || spec.namespaceSelector === null) {
    problems.push(`${at}: spec.namespaceSelector is unset: Kueue's default (null) admits no namespace; name the namespaces, or {} for all`);
  }
  const checks: Json[] = spec.admissionChecksStrategy?.admissionChecks ?? [];
  const multiKueue: Json[] = [];
  let provisioning = false;
  for (const check of checks) {
    const ac = has('AdmissionCheck', check.name);
    if (!ac) {
      problems.push(`${at}: admission check ${check.name} does not exist as an AdmissionCheck: the ClusterQueue stays inactive`);
      continue;
    }
    const controller = ac.spec?.controllerName;
    if (controller === MULTIKUEUE) multiKueue.push(check);
    if (controller === PROVISIONING_REQUEST) provisioning = true;
  }
  if (multiKueue.length > 1) {
    problems.push(`${at}: ${multiKueue.length} MultiKueue admission checks (${multiKueue.map((c) => c.name).join(', ')}): Kueue keeps the ClusterQueue inactive (MultipleMultiKueueAdmissionChecks)`);
  }
  for (const check of multiKueue) {
    const on: string[] = check.onFlavors ?? [];
    if (on.length > 0 && !allFlavors.every((f) => on.includes(f))) {
      problems.push(`${at}: MultiKueue admission check ${check.name} applies to flavors ${on.join(', ')} only, not to every flavor (${allFlavors.join(', ')}): Kueue keeps the ClusterQueue inactive (MultiKueueAdmissionCheckAppliedPerFlavor)`);
    }
  }
  if (multiKueue.length > 0 && provisioning) {
    problems.push(`${at}: a MultiKueue and a ProvisioningRequest admission check together: Kueue keeps the ClusterQueue inactive (MultiKueueWithProvisioningRequest)`);
  }
  return problems;
}

function admissionCheckProblems(ac: Obj, has: (kind: string, name: string) => Obj | undefined): string[] {
  if (ac.spec?.controllerName !== MULTIKUEUE) return [];
  const at = id(ac);
  const p: Json = ac.spec.parameters;
  if (!p) return [`${at}: a MultiKueue admission check needs spec.parameters naming its MultiKueueConfig`];
  const problems: string[] = [];
  if (p.apiGroup !== GROUP) problems.push(`${at}: spec.parameters.apiGroup ${JSON.stringify(p.apiGroup)}: MultiKueue expects ${GROUP}`);
  if (p.kind !== 'MultiKueueConfig') problems.push(`${at}: spec.parameters.kind ${JSON.stringify(p.kind)}: MultiKueue expects MultiKueueConfig`);
  if (p.apiGroup === GROUP && p.kind === 'MultiKueueConfig' && !has('MultiKueueConfig', p.name)) {
    problems.push(`${at}: MultiKueueConfig ${p.name} does not exist: the admission check stays inactive`);
  }
  return problems;
}

/** The jobs' queue and priority labels: the object's own, and a CronJob's job template's. */
function jobLabels(o: Obj): Array<{ where: string; labels: Record<string, string> }> {
  const found = [{ where: id(o), labels: o.metadata?.labels ?? {} }];
  if (o.kind === 'CronJob' && o.apiVersion === 'batch/v1') found.push({ where: `${id(o)} spec.jobTemplate`, labels: o.spec?.jobTemplate?.metadata?.labels ?? {} });
  return found;
}

/** The resources the pod templates inside a job request (requests, and limits where a request is missing), nonzero. */
function requestedResources(job: Obj): Set<string> {
  const found = new Set<string>();
  const walk = (node: unknown, depth: number) => {
    if (!node || typeof node !== 'object' || depth > 12) return;
    if (Array.isArray(node)) return node.forEach((n) => walk(n, depth + 1));
    const n = node as Json;
    if (Array.isArray(n.containers)) {
      for (const c of [...n.containers, ...(n.initContainers ?? [])] as Json[]) {
        const amounts = { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) };
        for (const [r, q] of Object.entries(amounts)) if (parseQuantity(q) !== 0) found.add(r);
      }
      for (const r of Object.keys(n.overhead ?? {})) found.add(r);
      return;
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'metadata') walk(v, depth + 1);
  };
  walk(job.spec, 0);
  return found;
}

/**
 * Every problem Kueue would find with a cluster's objects (see the rules above); an empty list when there is none.
 * Only `objects` are checked; `context` says what else exists in the cluster.
 */
export function kueueProblems(objects: Obj[], context: KueueContext = {}): string[] {
  const all = [...objects, ...(context.objects ?? [])];
  const index = new Map<string, Obj>();
  for (const o of all) {
    if (o && typeof o.apiVersion === 'string' && o.apiVersion.startsWith(`${GROUP}/`)) {
      index.set(`${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`, o);
    }
  }
  const has = (kind: string, name: string, namespace = '') => index.get(`${kind}/${namespace}/${name}`);
  const namespaces = new Map<string, Obj>(all.filter((o) => o?.kind === 'Namespace' && o.apiVersion === 'v1').map((o) => [o.metadata.name, o]));
  const declared = new Set((context.localQueues ?? []).map((q) => `${q.namespace}/${q.name}`));
  const problems: string[] = [];
  for (const o of objects) {
    if (!o || typeof o !== 'object') continue;
    if (isKueue(o, 'ClusterQueue')) problems.push(...clusterQueueProblems(o, has));
    if (isKueue(o, 'AdmissionCheck')) problems.push(...admissionCheckProblems(o, has));
    if (isKueue(o, 'MultiKueueConfig')) {
      for (const cluster of (o.spec?.clusters ?? []) as string[]) {
        if (!has('MultiKueueCluster', cluster)) problems.push(`${id(o)}: cluster ${cluster} does not exist as a MultiKueueCluster`);
      }
    }
    if (isKueue(o, 'LocalQueue')) {
      const cqName = o.spec?.clusterQueue;
      const cq = has('ClusterQueue', cqName);
      if (!cq) {
        problems.push(`${id(o)}: ClusterQueue ${cqName} does not exist: the LocalQueue admits nothing`);
      } else {
        const ns = o.metadata.namespace ?? '';
        const nsObject = namespaces.get(ns);
        const labels = { ...(nsObject?.metadata?.labels ?? {}), [NAMESPACE_NAME_LABEL]: ns };
        const selector = cq.spec?.namespaceSelector;
        // an unset selector is reported on the ClusterQueue (if it is among the objects checked)
        if (selector && selects(selector, labels, nsObject !== undefined) === false) {
          problems.push(`${id(o)}: ClusterQueue ${cqName}'s namespaceSelector does not select namespace ${ns}: Kueue admits no workload of this LocalQueue`);
        }
      }
    }
    for (const { where, labels } of jobLabels(o)) {
      const ns = o.metadata?.namespace ?? '';
      const queue = labels[QUEUE_LABEL];
      const lq = queue === undefined ? undefined : has('LocalQueue', queue, ns);
      if (queue !== undefined && !lq && !declared.has(`${ns}/${queue}`)) {
        problems.push(`${where}: label ${QUEUE_LABEL}=${queue} names no LocalQueue of namespace ${ns || '(none)'}: Kueue holds the job forever`);
      }
      const cq = lq ? has('ClusterQueue', lq.spec?.clusterQueue) : undefined;
      if (cq && where === id(o)) {
        const covered = new Set(((cq.spec?.resourceGroups ?? []) as Json[]).flatMap((g) => (g.coveredResources ?? []) as string[]));
        const missing = [...requestedResources(o)].filter((r) => !covered.has(r));
        if (missing.length) {
          problems.push(`${where}: requests ${missing.join(', ')}, which ClusterQueue ${cq.metadata.name} does not cover: Kueue never admits it ("resource ... unavailable in ClusterQueue")`);
        }
      }
      const priority = labels[PRIORITY_LABEL];
      if (priority !== undefined && !has('WorkloadPriorityClass', priority)) {
        problems.push(`${where}: label ${PRIORITY_LABEL}=${priority} names no WorkloadPriorityClass: Kueue refuses to create its workload`);
      }
    }
  }
  return problems;
}
