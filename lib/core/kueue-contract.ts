import { IConstruct } from 'constructs';
import { ClusterScope } from './cluster-scope';

/** A LocalQueue of a cluster, as recorded by the construct that made (or declared) it. */
export interface RecordedLocalQueue {
  readonly namespace: string;
  readonly name: string;
  /** True when its ClusterQueue dispatches to worker clusters (a MultiKueue admission check). */
  readonly dispatches: boolean;
  /** The GPU pools its flavors stand for, by name (none when it dispatches, or when unknown). */
  readonly pools: string[];
  /** The id of the GPU type of its GPUs (`h100-80gb`), when known. */
  readonly gpuType?: string;
  /** The most GPUs one pod may ask for: the smallest node of its pools (undefined when unknown). */
  readonly maxGpusPerPod?: number;
  /** The priorities a dispatched job may name: those every worker has (undefined: any of the cluster's). */
  readonly priorities?: string[];
  /** The construct that made it. */
  readonly by: IConstruct;
}

/** What a queue construct records of a LocalQueue. */
export interface LocalQueueInfo {
  readonly dispatches: boolean;
  readonly pools?: string[];
  readonly gpuType?: string;
  readonly maxGpusPerPod?: number;
  readonly priorities?: string[];
}

/** A WorkloadPriorityClass of a cluster. */
export interface RecordedPriority {
  readonly name: string;
  readonly by: IConstruct;
}

/**
 * What Kueue's objects and the jobs queued in them must agree on, in one place (kubernetes-sigs/kueue v0.19.2):
 * the job labels, the MultiKueue controller name, and the LocalQueues each cluster has (recorded by the queue
 * constructs, read at synth by the jobs that name a queue).
 * @internal not part of the public API
 */
export class KueueContract {
  /** The job label naming its LocalQueue (apis/kueue/v1beta2 constants.go `QueueLabel`). */
  public static readonly QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';
  /** The job label naming its WorkloadPriorityClass (constants.go `WorkloadPriorityClassLabel`). */
  public static readonly PRIORITY_LABEL = 'kueue.x-k8s.io/priority-class';
  /**
   * MultiKueue's controller name: an AdmissionCheck's `controllerName`, and a job's `managedBy` on the manager
   * (apis/kueue/v1beta2/multikueue_types.go `MultiKueueControllerName`).
   */
  public static readonly MULTIKUEUE_CONTROLLER = 'kueue.x-k8s.io/multikueue';
  /**
   * The label Kueue puts on the pods of a workload dispatched to a worker (value `true`;
   * apis/kueue/v1beta2/multikueue_types.go `MultiKueueWorkerWorkloadPodLabel`, set in
   * pkg/controller/jobframework/reconciler.go `getPodSetsInfoFromStatus` for workloads with the origin label).
   */
  public static readonly MULTIKUEUE_WORKER_POD_LABEL = 'kueue.x-k8s.io/multikueue-worker-workload-pod';
  /** Kueue's namespace (the chart's default), where MultiKueue reads its kubeconfig Secrets. */
  public static readonly NAMESPACE = 'kueue-system';
  /** The key of a MultiKueue kubeconfig Secret (MultiKueueCluster `kubeConfig.location`). */
  public static readonly KUBECONFIG_KEY = 'kubeconfig';

  /** Records a LocalQueue of the cluster holding `by`. */
  public static recordLocalQueue(by: IConstruct, namespace: string, name: string, info: LocalQueueInfo): void {
    ClusterScope.record<RecordedLocalQueue>(by, LOCAL_QUEUES, { namespace, name, pools: [], ...info, by });
  }

  /** Records a WorkloadPriorityClass of the cluster holding `by`. */
  public static recordPriority(by: IConstruct, name: string): void {
    ClusterScope.record<RecordedPriority>(by, PRIORITIES, { name, by });
  }

  /** The WorkloadPriorityClasses of the cluster holding `scope` (read at synth). */
  public static priorities(scope: IConstruct): RecordedPriority[] {
    return ClusterScope.recorded<RecordedPriority>(scope, PRIORITIES);
  }

  /** The LocalQueues of the cluster holding `scope` (read at synth). */
  public static localQueues(scope: IConstruct): RecordedLocalQueue[] {
    return ClusterScope.recorded<RecordedLocalQueue>(scope, LOCAL_QUEUES);
  }
}

const LOCAL_QUEUES = 'kueue/local-queues';
const PRIORITIES = 'kueue/priorities';
