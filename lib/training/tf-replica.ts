import { ComputeResources } from '../core/k8s/resources';

/**
 * Restart policy of a replica type (training-operator v1.9.0 pkg/apis/kubeflow.org/v1/common_types.go,
 * `RestartPolicy`). On the indexed-Job backend, `EXIT_CODE` becomes a pod failure policy and `ALWAYS` is refused
 * (a Job's pods end).
 */
export enum TfRestartPolicy {
  /** Restart the pod whenever it ends (TFJob only). */
  ALWAYS = 'Always',
  /** Restart the container when it fails. */
  ON_FAILURE = 'OnFailure',
  /** Never restart. */
  NEVER = 'Never',
  /**
   * Exit codes 1-127 are permanent errors (the job fails), 128-255 retryable (e.g. 137 after an eviction or an OOM
   * kill): the pod is recreated, within `backoffLimit`.
   */
  EXIT_CODE = 'ExitCode',
}

/**
 * Which pods the training operator deletes when the job finishes (`runPolicy.cleanPodPolicy`). The operator's own
 * default is `None` (training-operator v1.9.0 tensorflow_defaults.go `SetDefaults_TFJob`), which leaves parameter
 * servers running after success; the library defaults to `RUNNING`.
 */
export enum CleanPodPolicy {
  /** Delete every pod (logs go with them). */
  ALL = 'All',
  /** Delete the pods still running (parameter servers); keep finished ones and their logs. */
  RUNNING = 'Running',
  /** Delete nothing. */
  NONE = 'None',
}

/** One replica type of a distributed TensorFlow job (chief, workers, parameter servers, evaluator). */
export interface TfReplicaOptions {
  /**
   * Number of pods of this type.
   * @default 1 for the chief, the parameter servers and the evaluator; required for workers
   */
  readonly replicas?: number;
  /**
   * CPU and memory of each pod.
   * @default - the job's `resources`
   */
  readonly resources?: ComputeResources;
  /**
   * Restart policy.
   * @default TfRestartPolicy.EXIT_CODE
   */
  readonly restartPolicy?: TfRestartPolicy;
}

/**
 * Gang scheduling through the training operator's `runPolicy.schedulingPolicy`: read only by the gang scheduler the
 * operator was started with (`--gang-scheduler-name`: Volcano or the scheduler-plugins coscheduler). Kueue never
 * reads it: the job's Kueue queue is `DistributedTFJobProps.queue`. TFJob backend only.
 */
export interface GangScheduling {
  /**
   * Pods that must be schedulable together before any starts.
   * @default - every pod of the job (the operator's default)
   */
  readonly minAvailable?: number;
  /**
   * The gang scheduler's own queue (a Volcano Queue), not a Kueue LocalQueue.
   * @default - the gang scheduler's default queue
   */
  readonly queue?: string;
  /**
   * PriorityClass of the pod group.
   * @default - none
   */
  readonly priorityClass?: string;
  /**
   * Seconds the group may wait to be scheduled (scheduler-plugins).
   * @default - the scheduler's default
   */
  readonly scheduleTimeoutSeconds?: number;
}
