import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { TfJob, TfJobProps, TfJobSpecTfReplicaSpecs, TfJobSpecTfReplicaSpecsTemplateSpec } from '../../imports/kubeflow-tfjobs-kubeflow.org';
import { Addon } from '../addons/addon';
import { AddonRequirements } from '../addons/addon-requirements';
import { KueueIntegration } from '../addons/kueue-integration';
import { Checks } from '../core/checks';
import { ClusterScope } from '../core/cluster-scope';
import { ValidationError } from '../core/errors';
import { Images } from '../core/images';
import { ObjectOrder } from '../core/k8s/object-order';
import { ComputeResources } from '../core/k8s/resources';
import { KueueContract } from '../core/kueue-contract';
import { TrainingContract } from '../core/training-contract';
import { Labels } from '../core/labels';
import { Names } from '../core/names';
import { ApiVersions } from '../core/versions';
import { DataBucket } from '../data/data-bucket';
import { DataAccess } from '../data/data-lake-policy';
import { DataLakeMount, MinioDataLake } from '../data/minio-data-lake';
import { GpuPool } from '../gpu/gpu-pool';
import { GpuType } from '../gpu/gpu-type';
import { ITeamSpace, TeamSpace } from '../teams/team-space';
import { WorkloadPod } from '../workloads/workload-pod';
import { TensorBoard, TensorBoardOptions } from './tensorboard';
import { CleanPodPolicy, GangScheduling, TfReplicaOptions, TfRestartPolicy } from './tf-replica';
import { TrainingBackend } from './training-backend';

/**
 * GPUs of a training job: how many per worker (the chief and the evaluator get as many), and where: a pool, or a
 * GPU type whose pool Kueue picks (a queued job, the only way for one that bursts to other clusters).
 */
export interface TrainingGpu {
  /**
   * The pool (checked: a node must hold `perWorker`). Not on a queue that dispatches to other clusters: a pool's
   * node selector exists in one cluster only.
   * @default - none: `gpuType` and Kueue place the pods
   */
  readonly pool?: GpuPool;
  /**
   * Whole GPUs of this type, placed by Kueue: the ResourceFlavor of the pool Kueue admits the job on adds the node
   * selector and tolerations. Needs a `queue` whose GPUs are of this type.
   * @default - the pool's
   */
  readonly gpuType?: GpuType;
  /** GPUs per worker pod. */
  readonly perWorker: number;
}

/** Where a training job reads and writes in the data lake. */
export interface TrainingData {
  /** The lake (one lake per job: a pod has one S3 endpoint). */
  readonly lake: MinioDataLake;
  /** Bucket the training data is read from (read-only grant). */
  readonly input: DataBucket;
  /**
   * Key prefix of the training data in that bucket (the grant is scoped to it).
   * @default - the whole bucket
   */
  readonly inputPrefix?: string;
  /**
   * Bucket the job writes to: `checkpoints/<job>/<version>/`, `logs/<job>/<version>/` and the exported model at
   * `models/<job>/<version>/` (read-write grants scoped to those prefixes).
   */
  readonly output: DataBucket;
}

/** Props of {@link DistributedTFJob}. */
export interface DistributedTFJobProps {
  /** The team: the job runs in its namespace, within its quota. */
  readonly team: ITeamSpace;
  /** The training image (pinned): the code reads `TF_CONFIG` and the data environment below. */
  readonly image: string;
  /**
   * Job name: a DNS-1035 label (a letter first) of at most 40 characters; pods are `<name>-<role>-<index>` and
   * retraining runs `<name>-<5 random characters>`.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * The model version this run produces: the model lands at `models/<name>/<version>/` in the output bucket.
   * Retraining runs use their own generated name instead. Lowercase letters, digits, '-' and '.'.
   * @default "v1"
   */
  readonly version?: string;
  /**
   * What runs the job.
   * @default TrainingBackend.TFJOB
   */
  readonly backend?: TrainingBackend;
  /** Entrypoint. @default - the image's */
  readonly command?: string[];
  /** Arguments. @default - the image's */
  readonly args?: string[];
  /** Further plain environment variables (nothing secret). @default - none */
  readonly env?: { [name: string]: string };
  /** Workers: at least one. */
  readonly workers: TfReplicaOptions;
  /**
   * The chief (coordinates, writes checkpoints and the model): 0 or 1. With 0, worker 0 is the chief.
   * @default { replicas: 1 }
   */
  readonly chief?: TfReplicaOptions;
  /**
   * Parameter servers: ParameterServerStrategy (TFJob backend only). Without them, MultiWorkerMirroredStrategy.
   * @default - none
   */
  readonly parameterServers?: TfReplicaOptions;
  /**
   * A side-car evaluator (one pod, outside the cluster spec, reading checkpoints).
   * @default - none
   */
  readonly evaluator?: TfReplicaOptions;
  /**
   * CPU and memory of every pod whose role sets none.
   * @default { cpu: "2", memory: "8Gi" }
   */
  readonly resources?: ComputeResources;
  /**
   * GPUs of the chief, each worker and the evaluator (parameter servers get none).
   * @default - none
   */
  readonly gpu?: TrainingGpu;
  /**
   * The data lake: the input read, checkpoints, logs and the model written. Environment: `TRAINING_DATA_URI`,
   * `CHECKPOINT_DIR`, `LOG_DIR`, `MODEL_DIR` (`s3://` URIs), `MODEL_VERSION`, `JOB_NAME`, and the lake's `AWS_*` /
   * `S3_*` variables (`S3_BUCKET`/`S3_PREFIX` name the input).
   * @default - no lake
   */
  readonly data?: TrainingData;
  /**
   * Kueue LocalQueue of the team namespace (`kueue.x-k8s.io/queue-name`).
   * @default - not queued
   */
  readonly queue?: string;
  /**
   * Kueue priority: the name of a WorkloadPriority of the cluster (`kueue.x-k8s.io/priority-class`). Needs `queue`.
   * @default - Kueue's default priority, 0
   */
  readonly priorityClass?: string;
  /**
   * Environment variables read from Secrets of the team namespace: variable name → `secretName/key`. The way a job
   * that bursts gets its data: each cluster holds a Secret of that name with its own endpoint, bucket and keys.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: string };
  /**
   * The queue's ClusterQueue dispatches to other clusters (MultiKueue): the TFJob carries
   * `runPolicy.managedBy: kueue.x-k8s.io/multikueue`, so the local operator leaves it to MultiKueue. TFJob
   * backend only.
   * @default false
   */
  readonly burst?: boolean;
  /**
   * Gang scheduling by Volcano / the scheduler-plugins coscheduler (`runPolicy.schedulingPolicy`); unrelated to
   * Kueue. TFJob backend only.
   * @default - none
   */
  readonly gangScheduling?: GangScheduling;
  /** Retries of failed pods before the job fails. @default 3 */
  readonly backoffLimit?: number;
  /** Seconds the job may run. @default - no limit */
  readonly activeDeadlineSeconds?: number;
  /** Seconds a finished job is kept (its pods' logs with it). @default 604800 (7 days) */
  readonly ttlSecondsAfterFinished?: number;
  /** Pods deleted when the job ends (TFJob backend). @default CleanPodPolicy.RUNNING */
  readonly cleanPodPolicy?: CleanPodPolicy;
  /** Create the job suspended (no pods until unsuspended). @default false */
  readonly suspend?: boolean;
  /**
   * TensorBoard reading the job's log directory from the lake (needs `data`).
   * @default - none
   */
  readonly tensorBoard?: TensorBoardOptions;
}

/** A role as built. */
interface Role {
  /** TFJob replica type. */
  readonly type: string;
  /** TF_CONFIG task type and name component. */
  readonly id: string;
  readonly replicas: number;
  readonly resources: ComputeResources;
  readonly restartPolicy: TfRestartPolicy;
  readonly gpu: boolean;
  readonly field: string;
}

/** Name and port the training operator expects (training-operator v1.9.0 pkg/apis/kubeflow.org/v1/tensorflow_types.go). */
const CONTAINER = 'tensorflow';
const PORT_NAME = TrainingContract.PORT_NAME;
const PORT = TrainingContract.PORT;
/** The label the operator puts on every pod of a TFJob (v1.9.0 common_types.go `JobNameLabel`). */
const OPERATOR_JOB_LABEL = 'training.kubeflow.org/job-name';
/** The annotation the Job controller puts on each pod of an Indexed Job (Kubernetes batch/v1). */
const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
const QUEUE_LABEL = KueueContract.QUEUE_LABEL;
/** MultiKueue's controller name; the training operator accepts it as `managedBy` (v1.9.0 util/webhooks.go). */
const MULTIKUEUE = KueueContract.MULTIKUEUE_CONTROLLER;
const JOB_LABEL = TrainingContract.JOB_LABEL;
const MAX_NAME = 40;
const VERSION = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const DEFAULT_RESOURCES: ComputeResources = { cpu: '2', memory: '8Gi' };
const P = 'DistributedTFJobProps';

/**
 * Distributed TensorFlow training on the cluster's GPUs, queued, reading data from the lake and writing the model
 * back to it at a deterministic path (`models/<job>/<version>/` of the output bucket) that serving loads.
 *
 * - Topology: a chief (default one), N workers, optional parameter servers (ParameterServerStrategy) and an
 *   evaluator; each role with its own resources and restart policy (`ExitCode` by default).
 * - Every pod comes from the shared {@link WorkloadPod} builder: PSS restricted, requests and limits, GPU placement,
 *   the lake's environment; the container is `tensorflow` with port `tfjob-port` 2222, as the operator expects.
 * - Backends ({@link TrainingBackend}): a TFJob (default), or one Indexed Job per role plus a headless Service.
 * - A NetworkPolicy lets the job's pods reach each other on 2222 (the team namespace denies by default).
 * - Declares what it needs of the cluster's add-ons: the training operator, and with a queue Kueue's
 *   `kubeflow.org/tfjob` integration (off by default) or `batch/job`.
 */
export class DistributedTFJob extends Construct {
  /** The job name (TFJob, prefix of every object). */
  public readonly name: string;
  public readonly namespaceName: string;
  public readonly backend: TrainingBackend;
  /** The version this run writes. */
  public readonly version: string;
  /** Key prefix of the exported model in the output bucket: `models/<job>/<version>`. */
  public readonly modelPath: string;
  /** The model's URI (`s3://<output>/models/<job>/<version>`), when the job has `data`. */
  public readonly modelUri?: string;
  /** Pods per role (`chief`, `worker`, `ps`, `evaluator`), as TF_CONFIG names them. */
  public readonly replicaCounts: { [role: string]: number };
  /** The TFJob (TFJob backend; a `TfJob` of imports/kubeflow-tfjobs-kubeflow.org). */
  public readonly tfJob?: ApiObject;
  /** One Indexed Job per role (indexed-Job backend). */
  public readonly jobs: k8s.KubeJob[];
  /** The headless Service of the pods (indexed-Job backend). */
  public readonly service?: k8s.KubeService;
  public readonly networkPolicy: k8s.KubeNetworkPolicy;
  public readonly tensorBoard?: TensorBoard;
  /** The Kueue integration the job needs (declared through `AddonRequirements`), when queued. */
  public readonly kueueIntegration?: KueueIntegration;

  private readonly runSpec?: TfJobProps;
  /** Labels of every object of the job. */
  public readonly labels: { [key: string]: string };

  public constructor(scope: Construct, id: string, props: DistributedTFJobProps) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    Checks.object(path, P, props, 'DistributedTFJobProps ({ team, image, workers, ... })');
    const team = props.team;
    TeamSpace.check(path, `${P}.team`, team);
    this.namespaceName = team.namespaceName;
    const name = props.name ?? id;
    if (typeof name !== 'string' || name.length > MAX_NAME || !Names.isDns1035Label(name)) {
      throw new ValidationError(path, `${P}.name`, name, `expected a DNS-1035 label (a lowercase letter first, then letters, digits or "-") of at most ${MAX_NAME} characters: the operator refuses other TFJob names, and pods and retraining runs add to it`);
    }
    this.name = name;
    ClusterScope.claimUnique(this, 'DistributedTFJob', `${this.namespaceName}/${name}`, `${P}.name`);
    this.version = props.version ?? 'v1';
    if (typeof this.version !== 'string' || this.version.length > 63 || !VERSION.test(this.version)) {
      throw new ValidationError(path, `${P}.version`, this.version, 'expected lowercase letters, digits, "-" and "." (at most 63, alphanumeric at both ends): it names the model\'s path and a label');
    }
    const image = Images.validatePinned(path, `${P}.image`, props.image);
    this.backend = props.backend === undefined ? TrainingBackend.TFJOB
      : Checks.instance(path, `${P}.backend`, props.backend, TrainingBackend, 'TrainingBackend.TFJOB or TrainingBackend.INDEXED_JOB');
    const indexed = this.backend === TrainingBackend.INDEXED_JOB;
    const defaultResources = Checks.optionalObject(path, `${P}.resources`, props.resources, 'ComputeResources ({ cpu, memory })') ?? DEFAULT_RESOURCES;

    // topology
    const roles = this.roles(props, defaultResources);
    this.replicaCounts = Object.fromEntries(roles.map((r) => [r.id, r.replicas]));

    // queue, MultiKueue, gang scheduling
    const queue = props.queue === undefined ? undefined : Names.validateDnsLabel(path, `${P}.queue`, props.queue);
    const burst = Checks.boolean(path, `${P}.burst`, props.burst, false);
    if (burst && queue === undefined) throw new ValidationError(path, `${P}.burst`, true, 'expected a queue: MultiKueue dispatches what a queue admits');
    if (burst && !this.backend.supportsMultiKueue) {
      throw new ValidationError(path, `${P}.burst`, true, `expected a queue that stays on this cluster with ${this.backend.displayName}: MultiKueue dispatches a batch Job only through spec.managedBy, which the Kubernetes 1.28 API does not have; use TrainingBackend.TFJOB to burst`);
    }
    if (props.gangScheduling !== undefined && indexed) {
      throw new ValidationError(path, `${P}.gangScheduling`, props.gangScheduling, 'expected no gang scheduling with TrainingBackend.INDEXED_JOB: runPolicy.schedulingPolicy is the training operator\'s');
    }
    const gang = props.gangScheduling === undefined ? undefined : this.gang(props.gangScheduling);

    // run policy
    const backoffLimit = Checks.number(path, `${P}.backoffLimit`, props.backoffLimit ?? 3, 0, 2 ** 31 - 1);
    const activeDeadlineSeconds = props.activeDeadlineSeconds === undefined ? undefined : Checks.number(path, `${P}.activeDeadlineSeconds`, props.activeDeadlineSeconds, 1, 2 ** 31 - 1);
    const ttlSecondsAfterFinished = Checks.number(path, `${P}.ttlSecondsAfterFinished`, props.ttlSecondsAfterFinished ?? 7 * 24 * 3600, 0, 2 ** 31 - 1);
    const cleanPodPolicy = Checks.oneOf(path, `${P}.cleanPodPolicy`, props.cleanPodPolicy, Object.values(CleanPodPolicy), CleanPodPolicy.RUNNING);
    const suspend = Checks.boolean(path, `${P}.suspend`, props.suspend, false);

    // GPUs: checked here so that the error names perWorker and this construct
    let gpuCount: number | undefined;
    let gpuPool: GpuPool | undefined;
    let gpuType: GpuType | undefined;
    if (props.gpu !== undefined) {
      const gpu = Checks.object(path, `${P}.gpu`, props.gpu, 'a TrainingGpu ({ pool, perWorker } or { gpuType, perWorker })');
      if ((gpu.pool === undefined) === (gpu.gpuType === undefined)) {
        throw new ValidationError(path, `${P}.gpu`, gpu, 'expected either a pool or a gpuType (placed by Kueue), not both or neither');
      }
      if (gpu.pool !== undefined) {
        gpuPool = Checks.instance(path, `${P}.gpu.pool`, gpu.pool, GpuPool, 'a GpuPool (GpuPool.onPrem(), .eks() or .gke())');
        gpuType = gpuPool.gpuType;
        try {
          gpuPool.schedule(gpu.perWorker, `${P}.gpu.perWorker`);
        } catch (e) {
          if (e instanceof ValidationError) throw new ValidationError(path, e.field, gpu.perWorker, e.expected);
          throw e;
        }
        if (burst) {
          throw new ValidationError(path, `${P}.gpu.pool`, gpuPool.name, 'expected gpuType instead of a pool on a queue that dispatches to other clusters: the pool\'s node selector exists in this cluster only; Kueue places the job on the pool of the cluster that admits it');
        }
      } else {
        gpuType = GpuType.check(path, `${P}.gpu.gpuType`, gpu.gpuType!);
        if (queue === undefined) throw new ValidationError(path, `${P}.gpu.gpuType`, gpuType.id, 'expected a queue: without one, nothing places the pods on a GPU node (Kueue\'s flavor adds the node selector and tolerations)');
      }
      gpuCount = Checks.number(path, `${P}.gpu.perWorker`, gpu.perWorker, 1, 1024);
    }
    const priorityClass = props.priorityClass === undefined ? undefined : Names.validateDnsLabel(path, `${P}.priorityClass`, props.priorityClass);
    if (priorityClass !== undefined && queue === undefined) throw new ValidationError(path, `${P}.priorityClass`, priorityClass, 'expected a queue: Kueue priorities order what a queue admits');

    // data
    const data = props.data === undefined ? undefined : Checks.object(path, `${P}.data`, props.data, 'a TrainingData ({ lake, input, output })');
    if (data && burst) {
      throw new ValidationError(path, `${P}.data`, data, 'expected no lake on a queue that dispatches to other clusters: the lake\'s endpoint, credentials and CA are bound to the cluster it runs in; give the job its data through secretEnv, from a Secret of the same name on every worker');
    }
    if (data) {
      Checks.instance(path, `${P}.data.lake`, data.lake, MinioDataLake, 'a MinioDataLake');
      Checks.instance(path, `${P}.data.input`, data.input, DataBucket, 'a DataBucket of the lake');
      Checks.instance(path, `${P}.data.output`, data.output, DataBucket, 'a DataBucket of the lake');
    }
    this.modelPath = DistributedTFJob.modelPathOf(name, this.version);
    this.modelUri = data ? `s3://${data.output.name}/${this.modelPath}` : undefined;
    const env: { [name: string]: string } = { JOB_NAME: name, MODEL_VERSION: this.version };
    const mounts: DataLakeMount[] = [];
    if (data) {
      const prefix = data.inputPrefix?.replace(/\/+$/, '');
      mounts.push({ lake: data.lake, bucket: data.input, access: DataAccess.READ, prefix });
      for (const dir of ['models', 'checkpoints', 'logs']) mounts.push({ lake: data.lake, bucket: data.output, access: DataAccess.READ_WRITE, prefix: `${dir}/${name}` });
      Object.assign(env, DistributedTFJob.dataEnv(data.input.name, prefix, data.output.name, name, this.version));
    }
    const userEnv = Checks.optionalObject(path, `${P}.env`, props.env, 'a map of variable names to values') ?? {};
    const userSecretEnv = Checks.optionalObject(path, `${P}.secretEnv`, props.secretEnv, 'a map of variable names to "secret/key"') ?? {};
    for (const reserved of [...Object.keys(env), 'TF_CONFIG', 'TASK_INDEX']) {
      if (reserved in userSecretEnv) throw new ValidationError(path, `${P}.secretEnv`, reserved, `expected none of the variables the job sets itself: ${[...Object.keys(env), 'TF_CONFIG', 'TASK_INDEX'].join(', ')}`);
      if (reserved in userEnv) throw new ValidationError(path, `${P}.env`, reserved, `expected none of the variables the job sets itself: ${[...Object.keys(env), 'TF_CONFIG', 'TASK_INDEX'].join(', ')}`);
    }

    this.labels = Labels.standard({ name: 'distributed-tf-job', instance: name, component: 'training' });
    const podLabels = { ...this.labels, [JOB_LABEL]: name };
    const objectLabels = { ...this.labels, ...(queue ? { [QUEUE_LABEL]: queue } : {}), ...(priorityClass ? { [KueueContract.PRIORITY_LABEL]: priorityClass } : {}) };

    // every role's pod, from the one pod builder
    const pods = roles.map((role) => {
      const podRestart = role.restartPolicy === TfRestartPolicy.ON_FAILURE ? 'OnFailure' : role.restartPolicy === TfRestartPolicy.ALWAYS ? 'Always' : 'Never';
      const pod = WorkloadPod.of(this, {
        field: P,
        team,
        containerName: CONTAINER,
        image,
        command: props.command,
        args: props.args,
        env: { HOME: '/tmp', ...userEnv, ...env },
        ports: [{ name: PORT_NAME, containerPort: PORT }],
        resources: role.resources,
        gpu: role.gpu && gpuPool ? { pool: gpuPool, count: gpuCount! } : undefined,
        queuedGpus: role.gpu && !gpuPool ? gpuCount : undefined,
        secretEnv: userSecretEnv,
        dataLake: mounts,
        writableDirectories: [{ path: '/tmp', sizeLimit: '16Gi' }],
        replicas: role.replicas,
        restartPolicy: podRestart,
      });
      return { role, pod };
    });

    this.jobs = [];
    if (indexed) {
      this.service = new k8s.KubeService(this, 'service', {
        metadata: { name, namespace: this.namespaceName, labels: this.labels },
        spec: {
          clusterIp: 'None',
          // peers must resolve each other before they are ready: TF dials all of them at start
          publishNotReadyAddresses: true,
          selector: { [JOB_LABEL]: name },
          ports: [{ name: PORT_NAME, port: PORT, targetPort: k8s.IntOrString.fromString(PORT_NAME) }],
        },
      });
      const cluster = DistributedTFJob.indexedClusterSpec(name, name, roles);
      for (const { role, pod } of pods) {
        const env: k8s.EnvVar[] = [
          // before TF_CONFIG: $(VAR) only expands variables defined earlier in the list
          { name: 'TASK_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } },
          ...(pod.container.env ?? []),
          { name: 'TF_CONFIG', value: `{"cluster":${JSON.stringify(cluster)},"task":{"type":"${role.id}","index":$(TASK_INDEX)}}` },
        ];
        const exitCode = role.restartPolicy === TfRestartPolicy.EXIT_CODE;
        this.jobs.push(new k8s.KubeJob(this, `job-${role.id}`, {
          metadata: { name: `${name}-${role.id}`, namespace: this.namespaceName, labels: objectLabels },
          spec: {
            completionMode: 'Indexed',
            completions: role.replicas,
            parallelism: role.replicas,
            backoffLimit,
            activeDeadlineSeconds,
            ttlSecondsAfterFinished,
            suspend,
            // ExitCode as the operator means it: 1-127 fail the job at once; other codes (signals) are retried;
            // a disruption (preemption, drain) does not count
            podFailurePolicy: exitCode ? {
              rules: [
                // onPodConditions is required (possibly empty) in the 1.28 API
                { action: 'FailJob', onExitCodes: { containerName: CONTAINER, operator: 'In', values: Array.from({ length: 127 }, (_, i) => i + 1) }, onPodConditions: [] },
                { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
              ],
            } : undefined,
            template: {
              metadata: { labels: { ...podLabels, 'ai-platform/training-role': role.id } },
              spec: { ...pod.podSpec, subdomain: name, containers: [{ ...pod.container, env }] },
            },
          },
        }));
      }
    } else {
      const replicaSpecs = (transformEnv: (env: k8s.EnvVar[]) => k8s.EnvVar[]) => Object.fromEntries(pods.map(({ role, pod }) => {
        const spec = { ...pod.podSpec, containers: [{ ...pod.container, env: transformEnv(pod.container.env ?? []) }] };
        const replica: TfJobSpecTfReplicaSpecs = {
          replicas: role.replicas,
          restartPolicy: role.restartPolicy,
          template: {
            metadata: { labels: { ...podLabels, 'ai-platform/training-role': role.id } },
            // the same Kubernetes PodSpec: the generated TFJob types mirror it field for field
            spec: spec as unknown as TfJobSpecTfReplicaSpecsTemplateSpec,
          },
        };
        return [role.type, replica];
      }));
      const runPolicy = {
        cleanPodPolicy,
        backoffLimit,
        activeDeadlineSeconds,
        ttlSecondsAfterFinished,
        suspend,
        // the mirror on the worker cluster has no managedBy; here the local operator must leave it alone. Kueue's
        // webhook would default it (jobframework ApplyDefaultForManagedBy) but the field is immutable, so writing it
        // keeps a GitOps sync from fighting it
        managedBy: burst ? MULTIKUEUE : undefined,
        schedulingPolicy: gang,
      };
      this.tfJob = new TfJob(this, 'tfjob', {
        metadata: { name, namespace: this.namespaceName, labels: objectLabels },
        spec: { runPolicy, tfReplicaSpecs: replicaSpecs((e) => e) },
      });
      // a retraining run: its version is its own generated name (the label the operator puts on its pods)
      const versionVar = (e: k8s.EnvVar[]) => e.map((v): k8s.EnvVar => {
        if (v.name === 'MODEL_VERSION') return { name: v.name, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${OPERATOR_JOB_LABEL}']` } } };
        if (['CHECKPOINT_DIR', 'LOG_DIR', 'MODEL_DIR'].includes(v.name) && v.value !== undefined) return { name: v.name, value: v.value!.replace(new RegExp(`/${this.version.replace(/\./g, '\\.')}$`), '/$(MODEL_VERSION)') };
        return v;
      });
      this.runSpec = {
        metadata: { generateName: `${name}-`, namespace: this.namespaceName, labels: { ...objectLabels, 'ai-platform/run-of': name } },
        spec: { runPolicy: { ...runPolicy, suspend: false }, tfReplicaSpecs: replicaSpecs(versionVar) },
      };
    }

    // the job's pods talk to each other on 2222; the team namespace denies everything else by default
    const peers = [{ podSelector: { matchLabels: { [JOB_LABEL]: name } } }];
    const ports = [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(PORT) }];
    this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'network-policy', {
      metadata: { name: `${name}-peers`, namespace: this.namespaceName, labels: this.labels },
      spec: {
        podSelector: { matchLabels: { [JOB_LABEL]: name } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: peers, ports }],
        egress: [{ to: peers, ports }],
      },
    });

    if (props.tensorBoard !== undefined) {
      if (!data) throw new ValidationError(path, `${P}.tensorBoard`, props.tensorBoard, 'expected data: TensorBoard reads the job\'s logs from the lake');
      this.tensorBoard = new TensorBoard(this, 'tensorboard', {
        ...Checks.object(path, `${P}.tensorBoard`, props.tensorBoard, 'TensorBoardOptions'),
        team, lake: data.lake, bucket: data.output, logPrefix: `logs/${name}`, name: `${name}-tensorboard`,
      });
    }

    // what the cluster's add-ons must provide
    if (!indexed) AddonRequirements.require(this, { addon: Addon.TRAINING_OPERATOR, reason: `TFJob ${name}` });
    if (queue) {
      Checks.atSynth(this, () => this.queueProblems(queue, burst, gpuPool, gpuType, gpuCount, priorityClass));
      this.kueueIntegration = indexed ? KueueIntegration.BATCH_JOB : KueueIntegration.TF_JOB;
      AddonRequirements.require(this, { addon: Addon.KUEUE, kueueIntegrations: [this.kueueIntegration], reason: `queue ${queue} of ${name}` });
    }
  }

  /**
   * A new run of this job as a manifest (TFJob backend): `generateName: <job>-`, not suspended, its model version
   * its generated name (`MODEL_DIR` = `.../models/<job>/<run name>`). What {@link RetrainingSchedule} creates.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  public runManifest(): any {
    if (!this.runSpec) {
      throw new ValidationError(this.node.path, `${P}.backend`, this.backend.id, 'expected TrainingBackend.TFJOB for new runs: the indexed backend\'s roles address each other by Job name, which a generated name makes unknown to the other roles');
    }
    return { ...TfJob.manifest(this.runSpec), apiVersion: ApiVersions.TFJOB };
  }

  /**
   * The key prefix a job's model is exported to in its output bucket, `models/<job>/<version>`: where serving loads
   * it from (and, for a job that gets its output bucket from a Secret, the path to put after it).
   */
  public static modelPathOf(jobName: string, version: string): string {
    return `models/${jobName}/${version}`;
  }

  /**
   * What Kueue will do with the job's queue, checked once the cluster is built: a LocalQueue of that name in the
   * namespace (a job naming a missing one waits forever), that dispatches exactly when the job bursts, with the
   * job's pool among its flavors (no other flavor matches the pool's node selector, so the job would never be
   * admitted), GPUs of the job's type, nodes that hold a worker's GPUs, and the priority class defined.
   */
  private queueProblems(queue: string, burst: boolean, pool: GpuPool | undefined, gpuType: GpuType | undefined, perWorker: number | undefined, priorityClass: string | undefined): ValidationError[] {
    const path = this.node.path;
    const found = KueueContract.localQueues(this).find((q) => q.namespace === this.namespaceName && q.name === queue);
    if (!found) {
      return [new ValidationError(path, `${P}.queue`, queue, `expected a LocalQueue of this cluster in namespace ${this.namespaceName} (a GpuQueue, BurstManager or BurstWorker, or GpuQueue.external for one made elsewhere): Kueue holds a job naming a missing queue forever`)];
    }
    const problems: ValidationError[] = [];
    if (found.dispatches !== burst) {
      problems.push(new ValidationError(path, `${P}.burst`, burst, found.dispatches
        ? `expected true: queue ${queue} dispatches to other clusters (MultiKueue), so the job must carry runPolicy.managedBy`
        : `expected false: queue ${queue} does not dispatch to other clusters`));
    }
    if (pool && found.pools.length > 0 && !found.pools.includes(pool.name)) {
      problems.push(new ValidationError(path, `${P}.gpu.pool`, pool.name, `expected a pool of queue ${queue}: ${found.pools.join(', ')} (Kueue admits the job only on a flavor its node selector matches)`));
    }
    if (gpuType && found.gpuType !== undefined && found.gpuType !== gpuType.id) {
      problems.push(new ValidationError(path, `${P}.gpu.gpuType`, gpuType.id, `expected the GPU type of queue ${queue}: ${found.gpuType}`));
    }
    if (perWorker !== undefined && found.maxGpusPerPod !== undefined && perWorker > found.maxGpusPerPod) {
      problems.push(new ValidationError(path, `${P}.gpu.perWorker`, perWorker, `expected at most ${found.maxGpusPerPod}: the smallest node of queue ${queue}'s pools holds ${found.maxGpusPerPod} (Kueue counts quota, not nodes, so a larger pod would wait on such a node forever)`));
    }
    if (priorityClass && found.priorities !== undefined && !found.priorities.includes(priorityClass)) {
      problems.push(new ValidationError(path, `${P}.priorityClass`, priorityClass, `expected a priority of the burst (BurstClusterProps.priorities: ${found.priorities.join(', ') || 'none'}): only those exist on every worker, and a worker's Kueue refuses a workload naming a missing one`));
    } else if (priorityClass && !KueueContract.priorities(this).some((p) => p.name === priorityClass)) {
      problems.push(new ValidationError(path, `${P}.priorityClass`, priorityClass, 'expected a WorkloadPriority of this cluster: Kueue refuses to create the workload of a job naming a missing priority class'));
    }
    return problems;
  }

  /** The data environment of a run (all `s3://` URIs). */
  private static dataEnv(input: string, prefix: string | undefined, output: string, job: string, version: string): { [name: string]: string } {
    return {
      TRAINING_DATA_URI: `s3://${input}${prefix ? `/${prefix}` : ''}`,
      CHECKPOINT_DIR: `s3://${output}/checkpoints/${job}/${version}`,
      LOG_DIR: `s3://${output}/logs/${job}/${version}`,
      MODEL_DIR: `s3://${output}/models/${job}/${version}`,
    };
  }

  /**
   * The cluster of `TF_CONFIG` on the indexed backend: each role's pods by host name. An Indexed Job's pod is
   * `<job>-<index>` and, with `subdomain`, resolves as `<host>.<service>` in the namespace. The evaluator is not
   * part of the cluster (TensorFlow's convention, as the operator's).
   */
  private static indexedClusterSpec(name: string, service: string, roles: Role[]): { [role: string]: string[] } {
    return Object.fromEntries(roles.filter((r) => r.id !== 'evaluator').map((r) =>
      [r.id, Array.from({ length: r.replicas }, (_, i) => `${name}-${r.id}-${i}.${service}:${PORT}`)]));
  }

  private roles(props: DistributedTFJobProps, resources: ComputeResources): Role[] {
    const path = this.node.path;
    const indexed = this.backend === TrainingBackend.INDEXED_JOB;
    const role = (key: 'chief' | 'workers' | 'parameterServers' | 'evaluator', type: string, id: string, options: TfReplicaOptions, defaultReplicas: number, min: number, max: number, gpu: boolean): Role => {
      const field = `${P}.${key}`;
      Checks.object(path, field, options, 'TfReplicaOptions ({ replicas, resources?, restartPolicy? })');
      const replicas = options.replicas ?? defaultReplicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < min || replicas > max) {
        const why = key === 'chief' ? 'expected 0 or 1: TensorFlow has one chief (the training operator refuses more)'
          : key === 'evaluator' ? 'expected 1: TensorFlow runs one evaluator'
            : key === 'workers' ? `expected at least 1 worker (at most ${max})` : `expected from ${min} to ${max}`;
        throw new ValidationError(path, `${field}.replicas`, replicas, why);
      }
      const restartPolicy = Checks.oneOf(path, `${field}.restartPolicy`, options.restartPolicy, Object.values(TfRestartPolicy), TfRestartPolicy.EXIT_CODE);
      if (indexed && restartPolicy === TfRestartPolicy.ALWAYS) {
        throw new ValidationError(path, `${field}.restartPolicy`, restartPolicy, 'expected ExitCode, OnFailure or Never with TrainingBackend.INDEXED_JOB: a Job\'s pods end');
      }
      return {
        type, id, replicas, restartPolicy, gpu, field,
        resources: Checks.optionalObject(path, `${field}.resources`, options.resources, 'ComputeResources ({ cpu, memory })') ?? resources,
      };
    };
    if (props.parameterServers !== undefined) {
      if (indexed) {
        throw new ValidationError(path, `${P}.parameterServers`, props.parameterServers, 'expected no parameter servers with TrainingBackend.INDEXED_JOB: parameter servers never exit, so their Job never completes; use MultiWorkerMirroredStrategy (workers only) or TrainingBackend.TFJOB');
      }
      if (props.workers === undefined || props.workers === null || !((props.workers.replicas ?? 0) >= 1)) {
        throw new ValidationError(path, `${P}.workers.replicas`, props.workers?.replicas, 'expected at least 1 worker with parameter servers: ParameterServerStrategy trains on workers');
      }
    }
    if (props.workers === undefined) throw new ValidationError(path, `${P}.workers`, undefined, 'expected TfReplicaOptions with at least 1 worker ({ replicas: N })');
    const roles: Role[] = [];
    const chief = role('chief', 'Chief', 'chief', props.chief ?? {}, 1, 0, 1, true);
    if (chief.replicas > 0) roles.push(chief);
    roles.push(role('workers', 'Worker', 'worker', props.workers, 0, 1, 1000, true));
    if (props.parameterServers !== undefined) roles.push(role('parameterServers', 'PS', 'ps', props.parameterServers, 1, 1, 100, false));
    if (props.evaluator !== undefined) roles.push(role('evaluator', 'Evaluator', 'evaluator', props.evaluator, 1, 1, 1, true));
    return roles;
  }

  private gang(g: GangScheduling) {
    const path = this.node.path;
    const f = `${P}.gangScheduling`;
    Checks.object(path, f, g, 'GangScheduling');
    return {
      minAvailable: g.minAvailable === undefined ? undefined : Checks.number(path, `${f}.minAvailable`, g.minAvailable, 1, 2 ** 31 - 1),
      queue: g.queue === undefined ? undefined : Checks.string(path, `${f}.queue`, g.queue),
      priorityClass: g.priorityClass === undefined ? undefined : Names.validateDnsLabel(path, `${f}.priorityClass`, g.priorityClass),
      scheduleTimeoutSeconds: g.scheduleTimeoutSeconds === undefined ? undefined : Checks.number(path, `${f}.scheduleTimeoutSeconds`, g.scheduleTimeoutSeconds, 1, 2 ** 31 - 1),
    };
  }
}
