/**
 * Strict validation of synthesized Kubernetes objects, the way `kubeconform -strict` plus an API server would:
 *
 * - core kinds against the vendored standalone-strict JSON schemas of BOTH Kubernetes levels we support
 *   (test/schemas/k8s-1.28 and test/schemas/k8s-1.34): every problem names the level(s) it appears at. A kind that
 *   one level does not serve (ValidatingAdmissionPolicy v1beta1 is gone in 1.34) fails at that level with the
 *   reason; a kind with no schema at a level fails too, so a missing file is never a silent pass;
 * - custom resources against their CRD's openAPIV3Schema (test/schemas/crds), made strict: unknown fields are
 *   rejected wherever the schema lists properties and does not say `x-kubernetes-preserve-unknown-fields`;
 *   `x-kubernetes-int-or-string` and `nullable` are honoured; metadata is checked as a real ObjectMeta;
 * - a kind with no schema, an API version that is deprecated or not served, a name that is not DNS-1123, a
 *   namespaced object without a namespace (or in `default`), a cluster-scoped one with a namespace: all fail.
 * - house rules: the five `app.kubernetes.io/*` labels on every object.
 * - CRD validation rules (`x-kubernetes-validations`, CEL) after structural defaulting (see ./cel.ts).
 * - rules of the container runtime that no schema states: see {@link nestedMountProblems}.
 * - {@link synthValid} also applies the chart's objects, in order, to an empty {@link ClusterModel}.
 * - {@link synthValid} also applies Kueue's webhook and controller rules to the chart's objects (./kueue-rules.ts).
 *
 * Schemas load lazily: a core schema file is read and compiled the first time an object of its kind is checked at
 * that level, a CRD file is parsed the first time an object of its API group is checked; each compiles once per
 * test file (jest module registry).
 *
 * Not checked: admission webhooks.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { celProblems, withDefaults } from './cel';
import { BUILT_IN_GROUPS, CLUSTER_SCOPED_CORE, ClusterModel } from './cluster-model';
import { knativeFlagProblems, knativeServiceProblems } from './knative-rules';
import { kueueProblems } from './kueue-rules';
import { AddonRequirements } from '../../lib/addons/addon-requirements';
import { KueueContract } from '../../lib/core/kueue-contract';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [key: string]: any };
type Json = { [key: string]: unknown };

const SCHEMAS = join(__dirname, '..', 'schemas');

/**
 * The Kubernetes API levels every object is validated at: 1.28 (the oldest we type against, cdk8s-plus-28) and
 * 1.34 (Knative 1.23 needs it; the newest we target). A user's cluster may be either.
 */
export const KUBERNETES_VERSIONS = ['1.28', '1.34'] as const;
export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];

/** Core API versions removed or deprecated by Kubernetes 1.28 (a schema may still exist upstream). */
const DEPRECATED_1_28 = [
  'extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2', 'policy/v1beta1', 'batch/v1beta1',
  'autoscaling/v2beta1', 'autoscaling/v2beta2', 'networking.k8s.io/v1beta1', 'rbac.authorization.k8s.io/v1beta1',
  'rbac.authorization.k8s.io/v1alpha1', 'storage.k8s.io/v1beta1', 'scheduling.k8s.io/v1beta1', 'node.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta1', 'flowcontrol.apiserver.k8s.io/v1beta2', 'discovery.k8s.io/v1beta1',
];
/**
 * Deprecated or removed core API versions per level: an entry is an API version (every kind in it) or an
 * `apiVersion/Kind`. 1.34 adds: flowcontrol v1beta3 (removed in 1.32), admissionregistration v1beta1
 * ValidatingAdmissionPolicy(Binding) (v1 since 1.30; no longer in the 1.34 spec) and v1 Endpoints (deprecated
 * in 1.33 for discovery.k8s.io/v1 EndpointSlice; the 1.34 schema's description says so, and a schema whose
 * description starts a paragraph with "Deprecated:" is treated as deprecated in any case).
 */
const DEPRECATED_CORE: Record<KubernetesVersion, Set<string>> = {
  '1.28': new Set(DEPRECATED_1_28),
  '1.34': new Set([
    ...DEPRECATED_1_28, 'flowcontrol.apiserver.k8s.io/v1beta3', 'v1/Endpoints',
    'admissionregistration.k8s.io/v1beta1/ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/v1beta1/ValidatingAdmissionPolicyBinding',
  ]),
};

/**
 * Core kinds a level does not serve, with the reason: an object of such a kind fails at that level with this
 * reason instead of "no schema". The vendored 1.34 set has no file for these on purpose (test/schemas/SOURCES.md).
 */
const NOT_SERVED_CORE: Record<KubernetesVersion, Record<string, string>> = {
  '1.28': {},
  '1.34': {
    'admissionregistration.k8s.io/v1beta1/ValidatingAdmissionPolicy':
      'admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicy is not in the Kubernetes 1.34 API: use admissionregistration.k8s.io/v1 (served since 1.30)',
    'admissionregistration.k8s.io/v1beta1/ValidatingAdmissionPolicyBinding':
      'admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicyBinding is not in the Kubernetes 1.34 API: use admissionregistration.k8s.io/v1 (served since 1.30)',
  },
};

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

/** Kinds whose names must be DNS-1123 labels (others: DNS-1123 subdomains); Services: DNS-1035 labels. */
const LABEL_NAMED = new Set(['Namespace', 'Service']);
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** The API server's label rules: a qualified name as key (optional DNS subdomain prefix), a short value. */
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
function labelProblems(labels: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const [prefix, name] = key.includes('/') ? key.split('/', 2) : [undefined, key];
    if ((prefix !== undefined && !isDnsSubdomain(prefix)) || name.length > 63 || !LABEL_NAME.test(name)) problems.push(`label key ${JSON.stringify(key)} is not a qualified name`);
    if (typeof value !== 'string' || value.length > 63 || (value !== '' && !LABEL_NAME.test(value))) {
      problems.push(`label ${key}: value ${JSON.stringify(value)} is not a valid label value (at most 63 characters, alphanumeric at both ends)`);
    }
  }
  return problems;
}

const STANDARD_LABELS = ['name', 'instance', 'component', 'part-of', 'managed-by'].map((l) => `app.kubernetes.io/${l}`);

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const isDnsLabel = (v: string) => v.length <= 63 && DNS_LABEL.test(v);
const isDnsSubdomain = (v: string) => v.length <= 253 && v.split('.').every((p) => DNS_LABEL.test(p));

interface KindSchema {
  readonly file: string;
  readonly namespaced: boolean;
  readonly deprecated: boolean;
  readonly served: boolean;
  /** Read lazily: the core schemas are large. */
  readonly load: () => Json;
  /** A custom resource's raw openAPIV3Schema, for its CEL rules. */
  readonly openApi?: Json;
}

const ajv = new Ajv({
  strict: false,
  allErrors: true,
  // Ajv's optimisation pass over the generated code costs more than it saves here: without it the 600 KB workload
  // schemas compile in less than half the time (measured: Deployment ~400 ms -> ~170 ms), and compiling, not
  // validating, is what a test file spends its time on.
  code: { optimize: false },
  formats: {
    'int32': { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
    'int64': { type: 'number', validate: (n: number) => Number.isInteger(n) },
    'byte': /^[A-Za-z0-9+/]*={0,2}$/,
    'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i,
    'double': true, 'float': true, 'duration': true, 'uri': true, 'url': true, 'hostname': true,
  },
});

let objectMeta: Json | undefined;
const compiled = new Map<string, ValidateFunction>();
const coreSchemas = new Map<string, KindSchema | null>();
const crdSchemas = new Map<string, KindSchema>();
const crdGroupsLoaded = new Set<string>();
let crdFileGroups: Array<{ file: string; groups: Set<string> }> | undefined;

/**
 * The core schema of `apiVersion/kind` at one level, or undefined. The file is found by kubeconform's naming
 * (`<kind>-<first label of the group>-<version>.json`, `<kind>-<version>.json` for the core group) and the GVK
 * the file declares is checked, so a custom group that shares a first label (`apps.example.com`) never matches.
 */
function coreSchema(level: KubernetesVersion, apiVersion: string, kind: string): KindSchema | undefined {
  const key = `${level}|${apiVersion}/${kind}`;
  if (coreSchemas.has(key)) return coreSchemas.get(key) ?? undefined;
  const group = groupOf(apiVersion);
  const version = apiVersion.split('/').pop()!;
  const file = `${kind.toLowerCase()}${group ? `-${group.split('.')[0]}` : ''}-${version}.json`;
  const path = join(SCHEMAS, `k8s-${level}`, file);
  let schema: KindSchema | null = null;
  if (BUILT_IN_GROUPS.has(group) && existsSync(path)) {
    let cached: Json | undefined;
    const load = () => (cached ??= JSON.parse(readFileSync(path, 'utf8')) as Json);
    const gvk = (load()['x-kubernetes-group-version-kind'] as Array<{ group: string; version: string; kind: string }>)[0];
    if (gvk.group === group && gvk.version === version && gvk.kind === kind) {
      const deprecated = DEPRECATED_CORE[level].has(apiVersion) || DEPRECATED_CORE[level].has(`${apiVersion}/${kind}`)
        || /(^|\n)Deprecated: /.test(String(load().description ?? ''));
      schema = { file: `k8s-${level}/${file}`, namespaced: !CLUSTER_SCOPED_CORE.has(kind), deprecated, served: true, load };
    }
  }
  coreSchemas.set(key, schema);
  return schema ?? undefined;
}

/** The CRD schema of `apiVersion/kind`, parsing only the vendored CRD files that may define its group. */
function crdSchema(apiVersion: string, kind: string): KindSchema | undefined {
  const group = groupOf(apiVersion);
  if (!crdGroupsLoaded.has(group)) {
    crdGroupsLoaded.add(group);
    // A cheap index: every `group:` value in a file's text (a superset of the CRD's spec.group).
    crdFileGroups ??= readdirSync(join(SCHEMAS, 'crds')).filter((f) => f.endsWith('.yaml')).map((file) => ({
      file, groups: new Set([...readFileSync(join(SCHEMAS, 'crds', file), 'utf8').matchAll(/^\s*group:\s*["']?([a-z0-9.-]+)["']?\s*$/gm)].map((m) => m[1])),
    }));
    for (const { file } of crdFileGroups.filter((f) => f.groups.has(group))) loadCrdFile(file);
  }
  return crdSchemas.get(`${apiVersion}/${kind}`);
}

function loadCrdFile(file: string): void {
  for (const doc of parseAllDocuments(readFileSync(join(SCHEMAS, 'crds', file), 'utf8'))) {
    const crd = doc.toJS() as Json | null;
    if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
    const spec = crd.spec as { group: string; scope: string; names: { kind: string }; versions: Json[] };
    for (const version of spec.versions) {
      const schema = (version.schema as { openAPIV3Schema: Json }).openAPIV3Schema;
      crdSchemas.set(`${spec.group}/${version.name}/${spec.names.kind}`, {
        file: `crds/${file}`,
        namespaced: spec.scope === 'Namespaced',
        deprecated: version.deprecated === true,
        served: version.served !== false,
        load: () => strictCrdSchema(schema),
        openApi: schema,
      });
    }
  }
}

/**
 * Whether `apiVersion/kind` is a custom resource of a vendored CRD (served version), and its scope; undefined
 * otherwise. What a cluster with our CRDs installed knows (see {@link ClusterModel}).
 */
export function vendoredCustomResource(apiVersion: string, kind: string): { namespaced: boolean } | undefined {
  const schema = crdSchema(apiVersion, kind);
  return schema && schema.served ? { namespaced: schema.namespaced } : undefined;
}

/** ObjectMeta, strict, taken from a core schema (identical in every kind). */
function strictObjectMeta(): Json {
  if (!objectMeta) {
    const ns = JSON.parse(readFileSync(join(SCHEMAS, 'k8s-1.28', 'configmap-v1.json'), 'utf8')) as { properties: { metadata: Json } };
    objectMeta = ns.properties.metadata;
  }
  return objectMeta;
}

/**
 * Turns a CRD openAPIV3Schema (a structural schema) into a strict JSON schema as the API server applies it:
 * unknown fields pruned there are errors here.
 */
export function strictCrdSchema(openApi: Json): Json {
  const root = convert(openApi) as Json;
  const props = { ...(root.properties as Json) };
  props.metadata = strictObjectMeta();
  // the API server accepts apiVersion and kind on every object, whether or not a CRD's schema lists them (Knative's do not)
  props.apiVersion ??= { type: 'string' };
  props.kind ??= { type: 'string' };
  // a CRD need not list apiVersion and kind (Istio's EnvoyFilter and Knative's Broker do not): every object has them
  props.apiVersion ??= { type: 'string' };
  props.kind ??= { type: 'string' };
  // a CRD may list metadata (Argo CD's Application does): each name once, as JSON Schema requires
  return { ...root, properties: props, required: [...new Set(['apiVersion', 'kind', 'metadata', ...((root.required as string[]) ?? [])])] };
}

function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (!node || typeof node !== 'object') return node;
  const src = node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(src)) {
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, convert(v)]));
    } else if (key === 'pattern' && typeof value === 'string' && value.includes('(?i)')) {
      // Go's RE2 (the API server's) has inline flags, JavaScript does not: case-insensitive letters by hand
      // (Kueue's AdmissionCheck `parameters.kind`: `^(?i)[a-z]([-a-z0-9]*[a-z0-9])?$`)
      out[key] = value.replace('(?i)', '').replace(/a-z/g, 'a-zA-Z');
    } else if (key === 'description' || key.startsWith('x-kubernetes-') || key === 'nullable' || key === 'default') {
      // documentation, server-side defaults and extensions carry no validation here
    } else {
      out[key] = convert(value);
    }
  }
  if (src['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  const preserve = src['x-kubernetes-preserve-unknown-fields'] === true;
  if (src.type === 'object' && src.properties && !preserve && src.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  if (src.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}

function compile(schema: KindSchema, key: string): ValidateFunction {
  let fn = compiled.get(key);
  if (!fn) {
    const { $schema: _ignored, ...json } = schema.load();
    fn = ajv.compile(json);
    compiled.set(key, fn);
  }
  return fn;
}

function schemaProblems(schema: KindSchema, key: string, obj: Manifest): string[] {
  const problems: string[] = [];
  if (schema.deprecated) problems.push(`${obj.apiVersion} is deprecated for ${obj.kind}`);
  if (!schema.served) problems.push(`${obj.apiVersion} is not served for ${obj.kind}`);
  const validate = compile(schema, key);
  if (!validate(obj)) {
    for (const e of validate.errors ?? []) {
      const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : '';
      problems.push(`${e.instancePath || '/'} ${e.message}${extra}`);
    }
  }
  return problems;
}

/** Options of {@link manifestProblems}, {@link validateManifests} and {@link synthValid}. */
export interface ValidationOptions {
  /**
   * The Kubernetes levels to validate core objects at. Narrow it only for output meant for newer clusters only
   * (e.g. a Job with `spec.managedBy`, which 1.28 does not have), and say why where you do.
   * @default KUBERNETES_VERSIONS (1.28 and 1.34)
   */
  readonly versions?: readonly KubernetesVersion[];
}

/** Every problem with one object; an empty list when it is valid. */
export function manifestProblems(obj: Manifest, options: ValidationOptions = {}): string[] {
  const id = `${obj?.kind ?? '?'} ${obj?.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj?.metadata?.name ?? '?'}`;
  if (!obj || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return [`${id}: apiVersion and kind are required`];
  const key = `${obj.apiVersion}/${obj.kind}`;
  const problems: string[] = [];
  let namespaced: boolean;
  const crd = BUILT_IN_GROUPS.has(groupOf(obj.apiVersion)) ? undefined : crdSchema(obj.apiVersion, obj.kind);
  if (crd) {
    namespaced = crd.namespaced;
    problems.push(...schemaProblems(crd, `crd|${key}`, obj).map((p) => `${id}: ${p}`));
    if (crd.openApi) problems.push(...celProblems(withDefaults(obj, crd.openApi), crd.openApi).map((p) => `${id}: ${p}`));
  } else {
    // A core kind: validated at every level; identical problems are reported once, naming every level they occur at.
    const versions = options.versions ?? KUBERNETES_VERSIONS;
    const atLevels = new Map<string, KubernetesVersion[]>();
    let found = false;
    for (const level of versions) {
      const schema = coreSchema(level, obj.apiVersion, obj.kind);
      const notServed = NOT_SERVED_CORE[level][key];
      const levelProblems = schema ? schemaProblems(schema, `${level}|${key}`, obj)
        : notServed ? [notServed]
          : [`no schema for ${key} at this level: add it under test/schemas/k8s-${level} (never skip validation)`];
      found ||= schema !== undefined;
      for (const p of levelProblems) atLevels.set(p, [...(atLevels.get(p) ?? []), level]);
    }
    if (!found && !versions.some((level) => NOT_SERVED_CORE[level][key])) {
      return [`${id}: no schema for ${key}: add the schema under test/schemas (never skip validation)`];
    }
    for (const [p, levels] of atLevels) problems.push(`${id}: ${p} (Kubernetes ${levels.join(', ')})`);
    namespaced = !CLUSTER_SCOPED_CORE.has(obj.kind);
  }
  const name = obj.metadata?.name;
  if (typeof name !== 'string' || !(LABEL_NAMED.has(obj.kind) ? isDnsLabel(name) : isDnsSubdomain(name))) {
    problems.push(`${id}: metadata.name ${JSON.stringify(name)} is not a DNS-1123 ${LABEL_NAMED.has(obj.kind) ? 'label' : 'subdomain'}`);
  }
  if (obj.kind === 'Service' && typeof name === 'string' && !DNS_1035.test(name)) {
    problems.push(`${id}: a Service name must be a DNS-1035 label (start with a letter)`);
  }
  // labels of the object and of every pod template inside it
  const labelSets = [obj.metadata?.labels ?? {}, ...podTemplateLabels(obj)];
  for (const labels of labelSets) problems.push(...labelProblems(labels).map((p) => `${id}: ${p}`));
  problems.push(...semanticProblems(obj).map((p) => `${id}: ${p}`));
  const ns = obj.metadata?.namespace;
  if (namespaced && (!ns || ns === 'default' || !isDnsLabel(ns))) {
    problems.push(`${id}: a namespaced ${obj.kind} needs metadata.namespace, a DNS-1123 label other than "default" (got ${JSON.stringify(ns)})`);
  }
  if (!namespaced && ns !== undefined) problems.push(`${id}: ${obj.kind} is cluster-scoped: metadata.namespace must not be set`);
  const labels = obj.metadata?.labels ?? {};
  const missing = STANDARD_LABELS.filter((l) => !labels[l]);
  if (missing.length) problems.push(`${id}: missing labels ${missing.join(', ')}`);
  return problems;
}

/** Throws one error listing every problem of every object. */
export function validateManifests(objects: Manifest[], options: ValidationOptions = {}): void {
  const problems = objects.flatMap((obj) => manifestProblems(obj, options));
  if (problems.length) throw new Error(`${problems.length} manifest problem(s):\n  ${problems.join('\n  ')}`);
}

/**
 * Synthesizes a chart, validates every object strictly, returns the objects. The objects are also applied in
 * their synthesized order, as `kubectl apply -f` would, to an empty {@link ClusterModel} with our CRDs installed
 * and every namespace the chart uses but does not create (a test chart's namespaces made elsewhere): so a
 * Namespace the chart creates must come before everything in it, and nothing else an empty cluster refuses passes.
 */
export function synthValid(chart: Chart, options: ValidationOptions = {}): Manifest[] {
  const objects = Testing.synth(chart) as Manifest[];
  validateManifests(objects, options);
  const created = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  const elsewhere = objects.map((o) => o.metadata?.namespace).filter((ns): ns is string => !!ns && !created.has(ns));
  const refusals = new ClusterModel({ namespaces: elsewhere, crds: vendoredCustomResource }).apply(objects, chart.node.path || 'chart');
  if (refusals.length) throw new Error(`${refusals.length} object(s) an empty cluster refuses in this order:\n  ${refusals.join('\n  ')}`);
  // Knative's feature flags are cluster-wide: a Service's gated pod fields need a flag some construct of the
  // cluster declared (./knative-rules.ts)
  const declared = AddonRequirements.of(chart).flatMap((r) => (r.requirement.knativeFeatures ?? []).map((f) => f.name));
  const flagProblems = knativeFlagProblems(objects, declared);
  if (flagProblems.length) throw new Error(`${flagProblems.length} Knative flag problem(s):\n  ${flagProblems.join('\n  ')}`);
  // Kueue's webhook and controller rules (./kueue-rules.ts), over the cluster: the Kueue objects of the App's other
  // charts and the LocalQueues its constructs recorded (GpuQueue.external among them) exist too
  const elsewhereKueue = chart.node.root.node.findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && c.apiVersion.startsWith('kueue.x-k8s.io/') && Chart.of(c) !== chart)
    .map((o) => o.toJson() as Manifest);
  const queueProblems = kueueProblems(objects, { objects: elsewhereKueue, localQueues: KueueContract.localQueues(chart) });
  if (queueProblems.length) throw new Error(`${queueProblems.length} Kueue problem(s):\n  ${queueProblems.join('\n  ')}`);
  return objects;
}

/** A fresh chart in a fresh app (cdk8s `Testing`). */
export function testChart(): Chart {
  return Testing.chart();
}

/** The objects of one kind (and name, if given). */
export function ofKind(objects: Manifest[], kind: string, name?: string): Manifest[] {
  return objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
}

/** Labels of the templates inside an object (pod templates, PVC templates, Karpenter node templates). */
function podTemplateLabels(obj: unknown): Array<Record<string, string>> {
  const found: Array<Record<string, string>> = [];
  const walk = (node: unknown, depth: number) => {
    if (!node || typeof node !== 'object' || depth > 12) return;
    if (Array.isArray(node)) return node.forEach((n) => walk(n, depth + 1));
    for (const [key, value] of Object.entries(node as Json)) {
      if (key === 'metadata' && depth > 0 && value && typeof value === 'object' && (value as Json).labels) found.push((value as Json).labels as Record<string, string>);
      else walk(value, depth + 1);
    }
  };
  walk(obj, 0);
  return found;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/**
 * A few of the API server's rules that no schema states (apps/v1 and core validation), and Knative Serving's
 * webhook rules for its Services (./knative-rules.ts).
 */
function semanticProblems(obj: Manifest): string[] {
  const problems: string[] = [...knativeServiceProblems(obj)];
  const spec = obj.spec ?? {};
  if (WORKLOADS.has(obj.kind)) {
    const selector: Record<string, string> = spec.selector?.matchLabels ?? {};
    const templateLabels: Record<string, string> = spec.template?.metadata?.labels ?? {};
    for (const [k, v] of Object.entries(selector)) {
      if (templateLabels[k] !== v) problems.push(`spec.selector ${k}=${v} does not match the template's labels`);
    }
  }
  if (obj.kind === 'Job' || obj.kind === 'CronJob') {
    const pod = obj.kind === 'Job' ? spec.template?.spec : spec.jobTemplate?.spec?.template?.spec;
    if (!['Never', 'OnFailure'].includes(pod?.restartPolicy)) problems.push('a Job\'s pods need restartPolicy Never or OnFailure');
  }
  const claimNames: string[] = (spec.volumeClaimTemplates ?? []).map((t: Manifest) => t.metadata?.name);
  for (const { path: at, spec: pod } of podSpecs(obj)) {
    const path = at || '/';
    const volumes: string[] = (pod.volumes ?? []).map((v: { name: string }) => v.name);
    const dup = volumes.find((v, i) => volumes.indexOf(v) !== i);
    if (dup) problems.push(`${path}: volume ${dup} is declared twice`);
    const containers = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
    const names: string[] = containers.map((c: { name: string }) => c.name);
    for (const n of names) if (!isDnsLabel(n ?? '')) problems.push(`${path}: container name ${JSON.stringify(n)} is not a DNS-1123 label`);
    if (new Set(names).size !== names.length) problems.push(`${path}: container names are not unique`);
    for (const c of containers) {
      const paths = new Set<string>();
      for (const m of c.volumeMounts ?? []) {
        if (!volumes.includes(m.name) && !claimNames.includes(m.name)) problems.push(`${path}: container ${c.name} mounts ${m.name}, which is no volume of the pod`);
        if (paths.has(m.mountPath)) problems.push(`${path}: container ${c.name} mounts twice at ${m.mountPath}`);
        paths.add(m.mountPath);
      }
      problems.push(...nestedMountProblems(pod, c, claimNames).map((p) => `${path}: ${p}`));
      for (const port of c.ports ?? []) {
        if (port.name !== undefined && (port.name.length > 15 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(port.name) || !/[a-z]/.test(port.name))) {
          problems.push(`${path}: container ${c.name} port name ${JSON.stringify(port.name)} is not an IANA service name`);
        }
      }
    }
  }
  return problems;
}

const WRITABLE_VOLUME_TYPES = ['emptyDir', 'persistentVolumeClaim', 'ephemeral'];
const normalize = (p: string) => (p.length > 1 ? p.replace(/\/+$/, '') : p);

/**
 * The container runtime's rule on nested mounts. Before the container's process starts, runc creates every
 * missing directory of a mount point as root with mode 0755 (opencontainers/runc libcontainer/rootfs_linux.go,
 * `mountEntry.createOpenMountpoint`: `pathrs.MkdirAllInRoot(root, unsafePath, 0o755)` for a mount destination
 * that does not exist; v1.5.1, and `utils.MkdirAllInRoot(rootfs, dest, 0o755)` in v1.2). So for a mount nested
 * two or more directory levels inside a writable volume (emptyDir, PVC, ephemeral, mounted without readOnly),
 * the directories in between are created root-owned inside that volume, and a non-root process cannot write to
 * them: `/tmp` (emptyDir) + `/tmp/.mc/certs/CAs` makes `/tmp/.mc` unwritable. A mount at each intermediate
 * directory (`/tmp/.mc`, then `/tmp/.mc/certs` one level below) avoids it; fsGroup does not help (the kubelet
 * applies it to the volume before runc runs).
 */
export function nestedMountProblems(pod: Manifest['spec'], container: { name?: string; volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }> }, claimNames: string[] = []): string[] {
  const problems: string[] = [];
  const volumes = new Map<string, Json>((pod?.volumes ?? []).map((v: Json) => [v.name as string, v]));
  const writableVolume = (name: string) => claimNames.includes(name) || WRITABLE_VOLUME_TYPES.some((t) => volumes.get(name)?.[t] !== undefined);
  const mounts = (container.volumeMounts ?? []).filter((m) => typeof m?.mountPath === 'string').map((m) => ({ ...m, mountPath: normalize(m.mountPath) }));
  const paths = new Set(mounts.map((m) => m.mountPath));
  for (const m of mounts) {
    // the nearest mount that encloses this one
    const enclosing = mounts
      .filter((e) => e.mountPath !== m.mountPath && (e.mountPath === '/' ? m.mountPath.startsWith('/') : m.mountPath.startsWith(`${e.mountPath}/`)))
      .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
    if (!enclosing || enclosing.readOnly || !writableVolume(enclosing.name)) continue;
    const rest = m.mountPath.slice(enclosing.mountPath === '/' ? 1 : enclosing.mountPath.length + 1).split('/');
    if (rest.length < 2) continue;
    const missing = rest.slice(0, -1).map((_, i) => `${enclosing.mountPath === '/' ? '' : enclosing.mountPath}/${rest.slice(0, i + 1).join('/')}`).filter((d) => !paths.has(d));
    problems.push(`container ${container.name}: mount ${m.mountPath} is nested ${rest.length} levels inside the writable volume ${enclosing.name} at ${enclosing.mountPath}: `
      + `the runtime creates ${missing.join(', ')} as root (0755), unwritable for the container's user; mount a writable volume at ${missing[0]} (and below) instead`);
  }
  return problems;
}

/** Every pod spec inside an object (anything holding a `containers` array), with its JSON path. */
export function podSpecs(obj: unknown): Array<{ path: string; spec: Manifest['spec'] }> {
  const found: Array<{ path: string; spec: Manifest['spec'] }> = [];
  const walk = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}[${i}]`));
    if (Array.isArray((node as Json).containers)) return found.push({ path, spec: node as Manifest['spec'] });
    for (const [k, v] of Object.entries(node as Json)) walk(v, `${path}.${k}`);
  };
  walk(obj, '');
  return found;
}
