import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';
import { GpuTaint } from '../gpu/gpu-pool';

/** Kubernetes taint effects and the names EKS node groups and GKE node pools give them. */
const CLOUD_EFFECTS: { [effect: string]: string } = {
  NoSchedule: 'NO_SCHEDULE',
  NoExecute: 'NO_EXECUTE',
  PreferNoSchedule: 'PREFER_NO_SCHEDULE',
};

/** A node taint in the terms of the AWS and Google node APIs. */
export interface CloudNodeTaint {
  readonly key: string;
  readonly value: string;
  /** `NO_SCHEDULE`, `NO_EXECUTE` or `PREFER_NO_SCHEDULE`. */
  readonly effect: string;
}

/** Taints of a pool, written once in Kubernetes terms, in the terms of the cloud node APIs. */
export class NodeTaints {
  /**
   * The taints in the terms of the EKS and GKE node APIs. Throws a {@link ValidationError} naming the taint when one
   * is not a taint with a Kubernetes effect.
   * @param taints the taints, in Kubernetes terms (a pool's `taints`)
   * @param path construct path reported in errors
   * @param field the field reported in errors
   */
  public static toCloud(taints: GpuTaint[], path: string = '', field: string = 'taints'): CloudNodeTaint[] {
    Checks.array(path, field, taints, 'a list of taints');
    return taints.map((t, i) => {
      Checks.object(path, `${field}[${i}]`, t, 'a taint { key, value, effect }');
      const effect = typeof t.effect === 'string' ? CLOUD_EFFECTS[t.effect] : undefined;
      if (!effect || !Object.prototype.hasOwnProperty.call(CLOUD_EFFECTS, t.effect)) {
        throw new ValidationError(path, `${field}[${i}].effect`, t.effect, `expected one of ${Object.keys(CLOUD_EFFECTS).join(', ')}`);
      }
      return { key: Checks.string(path, `${field}[${i}].key`, t.key), value: Checks.string(path, `${field}[${i}].value`, t.value, 'a string', true), effect };
    });
  }
}
