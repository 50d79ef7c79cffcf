/**
 * The reference platform, described once. Both trees are built from this: apps/k8s.ts (one cdk8s App per
 * cluster) and apps/cloud.ts (one cdktf stack per cloud).
 */
import {
  BucketReplica, BurstCluster, BurstEgress, CapacityType, DataBucket, EksProvisioning, GpuPool, GpuSharing, GpuType, MinioDataLake, ObjectLockMode,
  TeamSpaceProps, WorkbenchKind,
} from '../lib';

/**
 * The clusters of the platform; each gets its own folder of manifests under dist/. `manager` is a small cluster
 * without GPUs that runs Kueue's MultiKueue: jobs that burst are submitted there (see BURST).
 */
export const CLUSTERS = ['manager', 'onprem', 'aws', 'gcp'] as const;
export type ClusterName = (typeof CLUSTERS)[number];

/** Teams: each gets a TeamSpace in every cluster, so that its work can burst to any of them. */
export const TEAMS: TeamSpaceProps[] = [
  {
    name: 'vision',
    group: 'vision-engineers',
    quota: { cpu: '64', memory: '256Gi', gpus: 16, storage: '2Ti' },
  },
  {
    name: 'nlp',
    group: 'nlp-engineers',
    quota: { cpu: '32', memory: '128Gi', gpus: 4, storage: '1Ti' },
    containerDefaults: { cpuLimit: '2', memoryLimit: '4Gi' },
  },
];

/** The cloud side. */
export const AWS = { region: 'eu-west-1', tags: { platform: 'reference' } };
export const GCP = { project: 'acme-ai-platform', region: 'europe-west4', labels: { platform: 'reference' } };

/** Cluster names on the cloud side (Terraform) that the Kubernetes side refers to (Karpenter discovery, roles). */
export const EKS_CLUSTER = 'ai-eks';
export const GKE_CLUSTER = 'ai-gke';

/**
 * GPU pools of each cluster, described once: the Kubernetes side (GpuNodePool) and the Terraform side (EKS node
 * groups, GKE node pools) both read them, and workloads ask them where to run.
 */
export const GPU_POOLS: Record<ClusterName, GpuPool[]> = {
  manager: [],
  onprem: [
    // Time-sliced: four notebooks share each A100.
    GpuPool.onPrem({ name: 'a100-shared', gpuType: GpuType.A100_80GB, gpusPerNode: 8, nodes: 2, sharing: GpuSharing.timeSlicing(4) }),
    // NVIDIA's runtime is containerd's default on these nodes (the GPU Operator's default), so their pods name no
    // runtime class: the same job runs here and, dispatched by MultiKueue, in the clouds.
    GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 2, nvidiaDefaultRuntime: true }),
  ],
  aws: [
    GpuPool.eks({ name: 'a10g', gpuType: GpuType.A10G, clusterName: EKS_CLUSTER, instanceType: 'g5.12xlarge', maxNodes: 4 }),
    GpuPool.eks({
      name: 'l4-spot', gpuType: GpuType.L4, clusterName: EKS_CLUSTER, capacityType: CapacityType.SPOT,
      provisioning: EksProvisioning.KARPENTER, maxNodes: 8,
    }),
    // burst capacity, from zero nodes: H100 (p5.48xlarge, 8 GPUs) and A100 40GB (p4d.24xlarge, 8 GPUs)
    GpuPool.eks({ name: 'h100', gpuType: GpuType.H100_80GB, clusterName: EKS_CLUSTER, provisioning: EksProvisioning.KARPENTER, maxNodes: 2 }),
    GpuPool.eks({ name: 'a100', gpuType: GpuType.A100_40GB, clusterName: EKS_CLUSTER, provisioning: EksProvisioning.KARPENTER, maxNodes: 1 }),
  ],
  gcp: [
    GpuPool.gke({ name: 'l4', gpuType: GpuType.L4, spot: true, maxNodes: 4 }),
    // Dedicated to training: only pods that tolerate the extra taint (schedule() gives them) land there.
    GpuPool.gke({
      name: 'a100', gpuType: GpuType.A100_40GB, machineType: 'a2-highgpu-2g', maxNodes: 2,
      taints: [GpuPool.GPU_TAINT, { key: 'ai-platform/workload', value: 'training', effect: 'NoSchedule' }],
    }),
  ],
};

/** The data platform team runs the on-prem data lake in its own namespace. */
export const DATA_PLATFORM: TeamSpaceProps = {
  name: 'data-platform',
  group: 'data-platform-admins',
  // The lake: 4 servers x 4 drives x 1Ti and 4 x 1Gi event queues (16Ti + 4Gi, 20 claims), 4 x 2 CPU / 8Gi for the
  // servers, plus the provisioning job and the two mirror jobs (limits: 10.5 CPU, 33.25Gi in all).
  quota: { cpu: '16', memory: '64Gi', storage: '20Ti', persistentVolumeClaims: 32 },
};

/** The lake's buckets, described once: MinIO creates them on-prem, Terraform creates the cloud replicas. */
export const BUCKETS = {
  // Raw data is write-once: every version is locked for 30 days and kept a year after it is replaced.
  raw: new DataBucket({
    name: 'raw', quota: '8Ti',
    objectLock: { mode: ObjectLockMode.GOVERNANCE, retentionDays: 30 },
    lifecycle: { noncurrentVersionExpirationDays: 365 },
  }),
  // Features follow work that bursts into the clouds.
  features: new DataBucket({
    name: 'features', quota: '4Ti',
    lifecycle: { noncurrentVersionExpirationDays: 180 },
    replicas: [
      BucketReplica.s3({ bucketName: 'acme-ai-platform-features', location: AWS.region, credentialsSecret: 'features-s3-mirror' }),
      BucketReplica.gcs({ bucketName: 'acme-ai-platform-features', location: 'EUROPE-WEST4', credentialsSecret: 'features-gcs-mirror' }),
    ],
  }),
  // Every model version ever trained is kept.
  models: new DataBucket({ name: 'models', quota: '2Ti' }),
};

/**
 * A workbench of the reference platform: where, for whom, which kind, and what it uses, by name (the GPU pool of
 * that cluster, buckets of the lake). Culling is on by default (Jupyter: idle for an hour; the others: every
 * evening). The same description builds unchanged in another cluster that has what it names.
 */
export interface WorkbenchDescription {
  readonly cluster: ClusterName;
  readonly team: string;
  readonly owner: string;
  readonly kind: WorkbenchKind;
  readonly gpu?: { readonly pool: string; readonly count: number };
  readonly read?: Array<keyof typeof BUCKETS>;
}

export const WORKBENCHES: WorkbenchDescription[] = [
  // a notebook on a quarter of an A100 (time-sliced), reading the features
  { cluster: 'onprem', team: 'vision', owner: 'alice', kind: WorkbenchKind.JUPYTER, gpu: { pool: 'a100-shared', count: 1 }, read: ['features'] },
  { cluster: 'onprem', team: 'nlp', owner: 'bob', kind: WorkbenchKind.ZEPPELIN },
  { cluster: 'onprem', team: 'nlp', owner: 'carol', kind: WorkbenchKind.RSTUDIO },
];

/**
 * Where Argo CD finds this repository's output: each cluster's root Application syncs `dist/<cluster>` at this
 * revision (ClusterAddons and GitOpsRoot in apps/k8s.ts). Replace with your platform repository.
 */
export const GITOPS = { repoUrl: 'https://git.example.com/platform/ai-platform.git', targetRevision: 'main' };

/**
 * Training on-prem (vision): a 4-worker distributed TensorFlow job on the h100 pool, reading `features` and writing
 * its model to `models/<job>/<version>`, retrained every night on new data; and a small job on the indexed-Job
 * backend (no operator needed). The training image is the team's own, pinned.
 */
export const TRAINING = {
  team: 'vision',
  image: 'registry.example.com/vision/resnet-train:1.4.0',
  nightly: '0 2 * * *',
  // the resnet job's shape, on-prem and bursting: a chief and 4 workers, 2 H100s each
  workers: 4,
  gpusPerWorker: 2,
  resources: { cpu: '4', memory: '32Gi' },
  /**
   * A job that bursts reads its data from whichever cluster runs it: this Secret, created by hand in the team's
   * namespace of every worker (README "Bursting"), holds that cluster's endpoint, bucket URIs and keys.
   */
  burstDataSecret: 'resnet-burst-data',
};

/**
 * Serving on-prem: vision's resnet (TF Serving, the model baked into versioned images) at a 90/10 canary, scaling
 * to zero on CPU; its detector (Triton, loading from the lake) on the time-sliced a100-shared pool; nlp's
 * cluster-local summarizer, invoked through a Broker by a nightly PingSource; traces to an OpenTelemetry collector.
 */
export const SERVING = {
  resnet: { v1: { version: 'v1', image: 'registry.example.com/models/resnet-serving:1.0.0' }, v2: { version: 'v2', image: 'registry.example.com/models/resnet-serving:1.1.0' } },
  summarizer: { image: 'registry.example.com/nlp/summarizer:0.3.2', port: 8080, healthPath: '/healthz' },
  tracingEndpoint: 'http://otel-collector.observability.svc.cluster.local:4318/v1/traces',
};

/**
 * Cloud bursting (Kueue MultiKueue): jobs submitted to the manager's queues run on-prem first, then in the cloud that
 * is cheapest for the class's typical job (the seed price table, PriceTable.seed()). `h100`: on-prem, then AWS
 * (ranked for the resnet job, 5 pods of 2 GPUs); `a100`: AWS or GCP, whichever is cheaper for one GPU. Every
 * cluster's queues come from this one description: the manager's quota is the workers' sum.
 */
/**
 * Where a dispatched job's pods may connect on each worker, besides each other and DNS: their data. On-prem the
 * lake's S3 port in its namespace (the lake admits the granted team namespaces); in the clouds HTTPS to the object
 * storage's public endpoints (S3 and Cloud Storage have no fixed address range a NetworkPolicy could name).
 */
const BURST_EGRESS: Record<'onprem' | 'aws' | 'gcp', BurstEgress[]> = {
  onprem: [{ namespace: DATA_PLATFORM.name, port: MinioDataLake.S3_PORT }],
  aws: [{ cidr: '0.0.0.0/0', port: 443 }],
  gcp: [{ cidr: '0.0.0.0/0', port: 443 }],
};

export const BURST = new BurstCluster({
  manager: 'manager',
  workers: (['onprem', 'aws', 'gcp'] as const).map((name) => ({ name, pools: GPU_POOLS[name], egress: BURST_EGRESS[name] })),
  classes: [
    { name: 'h100', gpuType: GpuType.H100_80GB, reference: { gpusPerPod: 2, pods: 5 } },
    { name: 'a100', gpuType: GpuType.A100_40GB },
  ],
  teams: TEAMS.map((t) => t.name),
  priorities: [
    { name: 'batch', value: 100, description: 'retraining and experiments' },
    { name: 'urgent', value: 1000, description: 'a model fix that must ship today' },
  ],
});
