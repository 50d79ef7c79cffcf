/** No secret material in synthesized output: Secrets are referenced by name, never written. */
import { podSpecs } from './pod-security';
import { Manifest } from './manifests';

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|ACCESS_KEY|PRIVATE_KEY|CREDENTIAL)/i;
const SECRET_VALUE = /(AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|"type":\s*"service_account")/;

/** Problems: a Secret with data, a secret-looking env var set by value, or a key-looking string anywhere. */
export function secretProblems(objects: Manifest[]): string[] {
  const problems: string[] = [];
  for (const obj of objects) {
    const id = `${obj.kind} ${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`;
    if (obj.kind === 'Secret' && (obj.data || obj.stringData)) problems.push(`${id}: a Secret with data is synthesized`);
    for (const { spec } of podSpecs(obj)) {
      for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
        for (const env of c.env ?? []) {
          if (SECRET_NAME.test(env.name) && env.value !== undefined) problems.push(`${id}: env ${env.name} of ${c.name} is set by value`);
        }
      }
    }
    if (SECRET_VALUE.test(JSON.stringify(obj))) problems.push(`${id}: contains what looks like a key`);
  }
  return problems;
}
