import { ValidationError } from '../core/errors';

/**
 * A Kueue job integration (`integrations.frameworks` of Kueue's manager configuration,
 * kubernetes-sigs/kueue v0.19.2 charts/kueue/values.yaml `managerConfig.controllerManagerConfigYaml`). Kueue
 * manages only the kinds whose integration is on: a TFJob in a queue is ignored unless `kubeflow.org/tfjob` is
 * enabled, which Kueue's default configuration does not do. Constructs declare the integrations they need
 * (`AddonRequirements.require`) and `ClusterAddons` adds them to Kueue's defaults.
 */
export class KueueIntegration {
  public static readonly BATCH_JOB = new KueueIntegration('batch/job', true);
  /** MPIJob of the mpi-operator (`kubeflow.org/v2beta1`), not the training operator's v1 MPIJob. */
  public static readonly MPI_JOB = new KueueIntegration('kubeflow.org/mpijob', true);
  public static readonly RAY_JOB = new KueueIntegration('ray.io/rayjob', true);
  public static readonly RAY_SERVICE = new KueueIntegration('ray.io/rayservice', true);
  public static readonly RAY_CLUSTER = new KueueIntegration('ray.io/raycluster', true);
  public static readonly JOBSET = new KueueIntegration('jobset.x-k8s.io/jobset', true);
  public static readonly PADDLE_JOB = new KueueIntegration('kubeflow.org/paddlejob', false);
  public static readonly PYTORCH_JOB = new KueueIntegration('kubeflow.org/pytorchjob', false);
  /** The training operator's TFJob (`kubeflow.org/v1`): off in Kueue's default configuration. */
  public static readonly TF_JOB = new KueueIntegration('kubeflow.org/tfjob', false);
  public static readonly XGBOOST_JOB = new KueueIntegration('kubeflow.org/xgboostjob', false);
  public static readonly JAX_JOB = new KueueIntegration('kubeflow.org/jaxjob', false);
  public static readonly APPWRAPPER = new KueueIntegration('workload.codeflare.dev/appwrapper', true);
  public static readonly TRAIN_JOB = new KueueIntegration('trainer.kubeflow.org/trainjob', true);
  public static readonly SPARK_APPLICATION = new KueueIntegration('sparkoperator.k8s.io/sparkapplication', false);
  public static readonly POD = new KueueIntegration('pod', true);
  public static readonly DEPLOYMENT = new KueueIntegration('deployment', true);
  public static readonly STATEFULSET = new KueueIntegration('statefulset', true);
  public static readonly LEADER_WORKER_SET = new KueueIntegration('leaderworkerset.x-k8s.io/leaderworkerset', true);

  /** Every integration of Kueue 0.19, in the order of its default configuration. */
  public static all(): KueueIntegration[] {
    return [
      KueueIntegration.BATCH_JOB, KueueIntegration.MPI_JOB, KueueIntegration.RAY_JOB, KueueIntegration.RAY_SERVICE,
      KueueIntegration.RAY_CLUSTER, KueueIntegration.JOBSET, KueueIntegration.PADDLE_JOB, KueueIntegration.PYTORCH_JOB,
      KueueIntegration.TF_JOB, KueueIntegration.XGBOOST_JOB, KueueIntegration.JAX_JOB, KueueIntegration.APPWRAPPER,
      KueueIntegration.TRAIN_JOB, KueueIntegration.SPARK_APPLICATION, KueueIntegration.POD, KueueIntegration.DEPLOYMENT,
      KueueIntegration.STATEFULSET, KueueIntegration.LEADER_WORKER_SET,
    ];
  }

  /** The integrations Kueue 0.19's default configuration enables, in its order. */
  public static defaults(): KueueIntegration[] {
    return KueueIntegration.all().filter((i) => i.enabledByDefault);
  }

  /** The integration named `name` (`kubeflow.org/tfjob`); throws a `ValidationError` naming `field` otherwise. */
  public static fromName(name: string, field: string = 'KueueIntegration.name'): KueueIntegration {
    const found = KueueIntegration.all().find((i) => i.name === name);
    if (!found) throw new ValidationError('', field, name, `expected a Kueue 0.19 integration: ${KueueIntegration.all().map((i) => i.name).join(', ')}`);
    return found;
  }

  /** The framework name in `integrations.frameworks`. */
  public readonly name: string;
  /** True when Kueue's default configuration enables it. */
  public readonly enabledByDefault: boolean;

  private constructor(name: string, enabledByDefault: boolean) {
    this.name = name;
    this.enabledByDefault = enabledByDefault;
  }
}

/**
 * How a MultiKueue manager dispatches a workload to its worker clusters (`multiKueue.dispatcherName`,
 * kubernetes-sigs/kueue v0.19.2 apis/config/v1beta2/configuration_types.go).
 */
export class MultiKueueDispatcher {
  /** Kueue's default: a copy of the workload goes to every worker; the first to admit it runs it. */
  public static readonly ALL_AT_ONCE = new MultiKueueDispatcher('kueue.x-k8s.io/multikueue-dispatcher-all-at-once');
  /**
   * Workers are tried a few at a time (`incrementalDispatcherConfig.stepSize`, default 3), e.g. in order of cost.
   */
  public static readonly INCREMENTAL = new MultiKueueDispatcher('kueue.x-k8s.io/multikueue-dispatcher-incremental');

  /** The `dispatcherName` value. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }
}
