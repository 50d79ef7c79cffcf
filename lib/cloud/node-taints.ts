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
  public static toCloud(taints: GpuTaint[]): CloudNodeTaint[] {
    return taints.map((t) => {
      const effect = CLOUD_EFFECTS[t.effect];
      if (!effect) throw new Error(`unknown taint effect ${t.effect}: expected one of ${Object.keys(CLOUD_EFFECTS).join(', ')}`);
      return { key: t.key, value: t.value, effect };
    });
  }
}
