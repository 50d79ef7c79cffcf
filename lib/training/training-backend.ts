import { ValidationError } from '../core/errors';

/**
 * How a {@link DistributedTFJob} runs: the seam between one job description and the controller that runs it.
 *
 * - `TFJOB` (the default): a Kubeflow training-operator `kubeflow.org/v1` TFJob (v1.9). The operator creates one pod
 *   and one Service per replica and writes each pod's `TF_CONFIG`. Needs the operator on the cluster, and for a
 *   queue, Kueue's `kubeflow.org/tfjob` integration.
 * - `INDEXED_JOB`: no operator. One Indexed batch Job per role and one headless Service; each pod's `TF_CONFIG` is
 *   built from its completion index. MultiWorkerMirroredStrategy only (parameter servers never exit, so a Job of
 *   them never completes), and not for MultiKueue: dispatching a batch Job needs `spec.managedBy`, which the
 *   Kubernetes 1.28 API we validate against does not have.
 *
 * Kubeflow Trainer v2 (`trainer.kubeflow.org/v1alpha1`) deprioritised TensorFlow (kubeflow/trainer#2699) and Kueue
 * plans to drop its Trainer v1 integrations (kubernetes-sigs/kueue#12620): a third backend goes here.
 */
export class TrainingBackend {
  /** The Kubeflow training operator's TFJob. */
  public static readonly TFJOB = new TrainingBackend('tfjob', 'TFJob (Kubeflow training operator)', true, true);
  /** One Indexed Job per role and a headless Service: no operator. */
  public static readonly INDEXED_JOB = new TrainingBackend('indexed-job', 'Indexed Jobs (no operator)', false, false);

  /** Every backend. */
  public static all(): TrainingBackend[] {
    return [TrainingBackend.TFJOB, TrainingBackend.INDEXED_JOB];
  }

  /** The backend with this id (`tfjob`, `indexed-job`); throws a `ValidationError` naming `field` otherwise. */
  public static fromId(id: string, field: string = 'TrainingBackend.id'): TrainingBackend {
    const found = TrainingBackend.all().find((b) => b.id === id);
    if (!found) throw new ValidationError('', field, id, `expected one of ${TrainingBackend.all().map((b) => JSON.stringify(b.id)).join(', ')}`);
    return found;
  }

  /** Stable id. */
  public readonly id: string;
  /** Human-readable name, for error messages. */
  public readonly displayName: string;
  /** True when the backend can run parameter servers (ParameterServerStrategy). */
  public readonly supportsParameterServers: boolean;
  /** True when a MultiKueue manager can dispatch it to a worker cluster. */
  public readonly supportsMultiKueue: boolean;

  private constructor(id: string, displayName: string, supportsParameterServers: boolean, supportsMultiKueue: boolean) {
    this.id = id;
    this.displayName = displayName;
    this.supportsParameterServers = supportsParameterServers;
    this.supportsMultiKueue = supportsMultiKueue;
  }
}
