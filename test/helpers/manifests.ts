/**
 * Strict validation of synthesized Kubernetes objects, the way `kubeconform -strict` plus an API server would:
 *
 * - core kinds against the vendored Kubernetes 1.28 standalone-strict JSON schemas (test/schemas/k8s-1.28);
 * - custom resources against their CRD's openAPIV3Schema (test/schemas/crds), made strict: unknown fields are
 *   rejected wherever the schema lists properties and does not say `x-kubernetes-preserve-unknown-fields`;
 *   `x-kubernetes-int-or-string` and `nullable` are honoured; metadata is checked as a real ObjectMeta;
 * - a kind with no schema, an API version that is deprecated or not served, a name that is not DNS-1123, a
 *   namespaced object without a namespace (or in `default`), a cluster-scoped one with a namespace: all fail.
 * - house rules: the five `app.kubernetes.io/*` labels on every object.
 *
 * - CRD validation rules (`x-kubernetes-validations`, CEL) after structural defaulting (see ./cel.ts).
 *
 * Not checked: admission webhooks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import { Chart, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { celProblems, withDefaults } from './cel';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [key: string]: any };
type Json = { [key: string]: unknown };

const SCHEMAS = join(__dirname, '..', 'schemas');

/** Core API versions removed or deprecated by Kubernetes 1.28 (a schema may still exist upstream). */
const DEPRECATED_CORE = new Set([
  'extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2', 'policy/v1beta1', 'batch/v1beta1',
  'autoscaling/v2beta1', 'autoscaling/v2beta2', 'networking.k8s.io/v1beta1', 'rbac.authorization.k8s.io/v1beta1',
  'rbac.authorization.k8s.io/v1alpha1', 'storage.k8s.io/v1beta1', 'scheduling.k8s.io/v1beta1', 'node.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta1', 'flowcontrol.apiserver.k8s.io/v1beta2', 'discovery.k8s.io/v1beta1',
]);

/** Core kinds that are cluster-scoped (every other core kind is namespaced). */
const CLUSTER_SCOPED_CORE = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'RuntimeClass', 'PriorityClass', 'StorageClass',
  'PersistentVolume', 'CSIDriver', 'ValidatingAdmissionPolicy', 'CustomResourceDefinition', 'Node',
]);

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
  /** Compiled lazily: the core schemas are large. */
  readonly load: () => Json;
  /** A custom resource's raw openAPIV3Schema, for its CEL rules. */
  readonly openApi?: Json;
}

const ajv = new Ajv({
  strict: false,
  allErrors: true,
  formats: {
    'int32': { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
    'int64': { type: 'number', validate: (n: number) => Number.isInteger(n) },
    'byte': /^[A-Za-z0-9+/]*={0,2}$/,
    'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i,
    'double': true, 'float': true, 'duration': true, 'uri': true, 'url': true, 'hostname': true,
  },
});

let registry: Map<string, KindSchema> | undefined;
let objectMeta: Json | undefined;
const compiled = new Map<string, ValidateFunction>();

function loadRegistry(): Map<string, KindSchema> {
  if (registry) return registry;
  const map = new Map<string, KindSchema>();
  const coreDir = join(SCHEMAS, 'k8s-1.28');
  for (const file of readdirSync(coreDir).filter((f) => f.endsWith('.json'))) {
    const path = join(coreDir, file);
    let cached: Json | undefined;
    const load = () => (cached ??= JSON.parse(readFileSync(path, 'utf8')) as Json);
    // file names follow kubeconform: <kind>-<group>-<version>.json; the GVK is read from the schema itself.
    const gvk = (load()['x-kubernetes-group-version-kind'] as Array<{ group: string; version: string; kind: string }>)[0];
    const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
    map.set(`${apiVersion}/${gvk.kind}`, {
      file, namespaced: !CLUSTER_SCOPED_CORE.has(gvk.kind), deprecated: DEPRECATED_CORE.has(apiVersion), served: true, load,
    });
  }
  const crdDir = join(SCHEMAS, 'crds');
  for (const file of readdirSync(crdDir).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(readFileSync(join(crdDir, file), 'utf8'))) {
      const crd = doc.toJS() as Json | null;
      if (!crd || crd.kind !== 'CustomResourceDefinition') continue;
      const spec = crd.spec as { group: string; scope: string; names: { kind: string }; versions: Json[] };
      for (const version of spec.versions) {
        const schema = (version.schema as { openAPIV3Schema: Json }).openAPIV3Schema;
        map.set(`${spec.group}/${version.name}/${spec.names.kind}`, {
          file,
          namespaced: spec.scope === 'Namespaced',
          deprecated: version.deprecated === true,
          served: version.served !== false,
          load: () => strictCrdSchema(schema),
          openApi: schema,
        });
      }
    }
  }
  registry = map;
  return map;
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
  return { ...root, properties: props, required: ['apiVersion', 'kind', 'metadata', ...((root.required as string[]) ?? [])] };
}

function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (!node || typeof node !== 'object') return node;
  const src = node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(src)) {
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, convert(v)]));
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

function compile(key: string, schema: KindSchema): ValidateFunction {
  let fn = compiled.get(key);
  if (!fn) {
    const { $schema: _ignored, ...json } = schema.load();
    fn = ajv.compile(json);
    compiled.set(key, fn);
  }
  return fn;
}

/** Every problem with one object; an empty list when it is valid. */
export function manifestProblems(obj: Manifest): string[] {
  const id = `${obj?.kind ?? '?'} ${obj?.metadata?.namespace ? `${obj.metadata.namespace}/` : ''}${obj?.metadata?.name ?? '?'}`;
  if (!obj || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') return [`${id}: apiVersion and kind are required`];
  const key = `${obj.apiVersion}/${obj.kind}`;
  const schema = loadRegistry().get(key);
  if (!schema) return [`${id}: no schema for ${key}: add the schema under test/schemas (never skip validation)`];
  const problems: string[] = [];
  if (schema.deprecated) problems.push(`${id}: ${obj.apiVersion} is deprecated for ${obj.kind}`);
  if (!schema.served) problems.push(`${id}: ${obj.apiVersion} is not served for ${obj.kind}`);
  const validate = compile(key, schema);
  if (!validate(obj)) {
    for (const e of validate.errors ?? []) {
      const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : '';
      problems.push(`${id}: ${e.instancePath || '/'} ${e.message}${extra}`);
    }
  }
  if (schema.openApi) problems.push(...celProblems(withDefaults(obj, schema.openApi), schema.openApi).map((p) => `${id}: ${p}`));
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
  if (schema.namespaced && (!ns || ns === 'default' || !isDnsLabel(ns))) {
    problems.push(`${id}: a namespaced ${obj.kind} needs metadata.namespace, a DNS-1123 label other than "default" (got ${JSON.stringify(ns)})`);
  }
  if (!schema.namespaced && ns !== undefined) problems.push(`${id}: ${obj.kind} is cluster-scoped: metadata.namespace must not be set`);
  const labels = obj.metadata?.labels ?? {};
  const missing = STANDARD_LABELS.filter((l) => !labels[l]);
  if (missing.length) problems.push(`${id}: missing labels ${missing.join(', ')}`);
  return problems;
}

/** Throws one error listing every problem of every object. */
export function validateManifests(objects: Manifest[]): void {
  const problems = objects.flatMap(manifestProblems);
  if (problems.length) throw new Error(`${problems.length} manifest problem(s):\n  ${problems.join('\n  ')}`);
}

/** Synthesizes a chart, validates every object strictly, returns the objects. */
export function synthValid(chart: Chart): Manifest[] {
  const objects = Testing.synth(chart) as Manifest[];
  validateManifests(objects);
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

/** A few of the API server's rules that no schema states (apps/v1 and core validation). */
function semanticProblems(obj: Manifest): string[] {
  const problems: string[] = [];
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
      for (const port of c.ports ?? []) {
        if (port.name !== undefined && (port.name.length > 15 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(port.name) || !/[a-z]/.test(port.name))) {
          problems.push(`${path}: container ${c.name} port name ${JSON.stringify(port.name)} is not an IANA service name`);
        }
      }
    }
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
