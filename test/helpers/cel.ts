/**
 * CRD validation rules (`x-kubernetes-validations`, CEL) evaluated the way the API server does on create: after
 * structural defaulting, each rule with `self` bound to the value at its schema node. Transition rules (those that
 * use `oldSelf`) only apply on update and are skipped. A rule that cannot be evaluated is reported, never skipped.
 */
import { Environment } from '@marcbachmann/cel-js';

type Json = { [key: string]: unknown };
interface Rule { rule: string; message?: string; messageExpression?: string }

const env = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false })
  // Kubernetes' regex library: the first match of `re` in the string, '' when none.
  .registerFunction({
    name: 'find', receiverType: 'string', returnType: 'string', params: [{ name: 're', type: 'string' }],
    handler: (s: string, re: string) => new RegExp(re).exec(s)?.[0] ?? '',
  });

/** A deep copy of `value` with the schema's defaults filled in where fields are missing. */
export function withDefaults(value: unknown, schema: Json | undefined): unknown {
  if (!schema || value === undefined || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => withDefaults(v, schema.items as Json | undefined));
  if (typeof value !== 'object') return value;
  const out: Json = { ...(value as Json) };
  const props = schema.properties as Record<string, Json> | undefined;
  for (const [key, sub] of Object.entries(props ?? {})) {
    if (out[key] === undefined && sub.default !== undefined) out[key] = JSON.parse(JSON.stringify(sub.default)); // not structuredClone: its arrays are of another realm under jest
    if (out[key] !== undefined) out[key] = withDefaults(out[key], sub);
  }
  const additional = schema.additionalProperties;
  if (additional && typeof additional === 'object' && !props) {
    for (const key of Object.keys(out)) out[key] = withDefaults(out[key], additional as Json);
  }
  return out;
}

/** Every rule violation in `value` (already defaulted) against `schema`, with the JSON path of the value. */
export function celProblems(value: unknown, schema: Json | undefined, path = ''): string[] {
  if (!schema || value === undefined || value === null) return [];
  const problems: string[] = [];
  for (const rule of (schema['x-kubernetes-validations'] as Rule[] | undefined) ?? []) {
    if (/\boldSelf\b/.test(rule.rule)) continue;
    let result: unknown;
    try {
      result = env.evaluate(rule.rule, { self: value });
    } catch (e) {
      problems.push(`${path || '/'}: could not evaluate CEL rule ${JSON.stringify(rule.rule)}: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    if (result !== true) problems.push(`${path || '/'}: ${rule.message ?? `failed CEL rule ${JSON.stringify(rule.rule)}`}`);
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => problems.push(...celProblems(v, schema.items as Json | undefined, `${path}/${i}`)));
  } else if (typeof value === 'object') {
    const props = schema.properties as Record<string, Json> | undefined;
    for (const [key, v] of Object.entries(value as Json)) {
      const sub = props?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties as Json : undefined);
      problems.push(...celProblems(v, sub, `${path}/${key}`));
    }
  }
  return problems;
}
