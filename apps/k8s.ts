/**
 * The Kubernetes half of the reference platform: one cdk8s App per cluster, writing dist/<cluster>/.
 * `cdk8s synth` runs this file (see cdk8s.yaml); `npm run synth` runs it through apps/main.ts.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import {
  BurstManager, BurstWorker, ClusterAddons, DataAccess, DistributedTFJob, EbsStorageClass, EventSink, GitOpsRoot, GpuNodePool, ITeamSpace, KnativeModel, KnativeModelTraffic,
  KnativeObservability, MinioDataLake, ModelBroker, ModelSchedule, ModelServer, ModelTrigger, ModelVisibility, ObservabilityProtocol, RetrainingSchedule,
  ServingProtocol, TeamSpace, TrainingBackend, Workbench,
} from '../lib';
import {
  AWS, BUCKETS, BURST, CLUSTERS, ClusterName, DATA_PLATFORM, EKS_CLUSTER, GITOPS, GPU_POOLS, SERVING, TEAMS, TRAINING, WORKBENCHES, WorkbenchDescription,
} from './platform';

/** Builds the cdk8s App of one cluster (not synthesized). */
export function buildCluster(cluster: ClusterName, outdir: string): App {
  const app = new App({ outdir: join(outdir, cluster) });
  const teams = new Chart(app, 'teams');
  if (cluster === 'aws') {
    // The default StorageClass of the EKS cluster (the EBS CSI driver is an add-on of EksGpuCluster, apps/cloud.ts):
    // without it no PersistentVolumeClaim binds there. Cluster-scoped, it goes with the namespaces, first.
    new EbsStorageClass(teams, 'ebs-gp3');
  }
  const spaces = Object.fromEntries(TEAMS.map((team) => [team.name, new TeamSpace(teams, team.name, team)]));
  if (cluster === BURST.manager) return buildManager(app, teams, spaces);
  const gpu = new Chart(app, 'gpu');
  // Charts that depend on the teams' namespaces come after them: files are numbered in that order, so that
  // `kubectl apply -f dist/<cluster>/` creates every namespace before what lives in it.
  gpu.addDependency(teams);
  for (const pool of GPU_POOLS[cluster]) new GpuNodePool(gpu, pool.name, { pool });
  // the queues of this worker of the burst: the manager's queue names, this cluster's pools' capacity
  const queues = new Chart(app, 'queues');
  queues.addDependency(teams);
  new BurstWorker(queues, 'burst', { burst: BURST, cluster, teams: Object.values(spaces) });
  let lake: MinioDataLake | undefined;
  if (cluster === 'onprem') {
    const data = new Chart(app, 'data');
    data.addDependency(teams);
    lake = new MinioDataLake(data, 'lake', {
      namespace: new TeamSpace(data, DATA_PLATFORM.name, DATA_PLATFORM),
      buckets: Object.values(BUCKETS),
      rootCredentialsSecret: 'lake-root-credentials',
      storageClass: 'local-nvme',
      // the lake's Certificate and CA Bundle from cert-manager and trust-manager (ClusterAddons installs both)
      tls: { secretName: 'lake-tls', issuer: { name: 'platform-ca', caSecret: 'platform-ca' } },
      // MinIO posts its own S3 event JSON: a receiver that takes any JSON POST (Vector's http_server source, see the
      // README's "Lineage"), not an OpenLineage collector; the eventing bridge comes with the serving issue.
      lineage: { endpoint: 'http://minio-events.lineage.svc.cluster.local:8080/minio', namespace: 'lineage' },
    });
    // vision writes its raw images and reads every feature; nlp reads raw data and writes its features and models.
    lake.grantReadWrite(spaces.vision, BUCKETS.raw, 'vision');
    lake.grantRead(spaces.vision, BUCKETS.features);
    lake.grantRead(spaces.nlp, BUCKETS.raw);
    lake.bind(spaces.nlp, BUCKETS.features, DataAccess.READ_WRITE, 'nlp');
    lake.grantReadWrite(spaces.nlp, BUCKETS.models, 'nlp');
  }
  const workbenches = WORKBENCHES.filter((w) => w.cluster === cluster);
  if (workbenches.length > 0) {
    const chart = new Chart(app, 'workbenches');
    chart.addDependency(teams);
    for (const description of workbenches) addWorkbench(chart, description, spaces, lake);
  }
  if (cluster === 'onprem' && lake) {
    const training = new Chart(app, 'training');
    training.addDependency(teams);
    const h100 = GPU_POOLS.onprem.find((p) => p.name === 'h100')!;
    const data = { lake, input: BUCKETS.features, output: BUCKETS.models };
    const team = spaces[TRAINING.team];
    // in the team's h100 queue (this cluster's own, which also takes the work the manager dispatches here)
    const resnet = new DistributedTFJob(training, 'resnet', {
      team, image: TRAINING.image, version: 'v1', queue: BURST.queueName('h100'),
      workers: { replicas: TRAINING.workers }, gpu: { pool: h100, perWorker: TRAINING.gpusPerWorker }, data,
      resources: TRAINING.resources,
    });
    new RetrainingSchedule(training, 'resnet-nightly', { job: resnet, team, schedule: TRAINING.nightly, keepRuns: 7 });
    // a small job that needs no operator: Indexed Jobs, TF_CONFIG from each pod's completion index
    new DistributedTFJob(training, 'probe', {
      team, image: TRAINING.image, backend: TrainingBackend.INDEXED_JOB,
      chief: { replicas: 0 }, workers: { replicas: 2 }, data, resources: { cpu: '1', memory: '4Gi' },
    });
  }
  const serving = cluster === 'onprem' && lake !== undefined;
  if (serving && lake) {
    const chart = new Chart(app, 'serving');
    chart.addDependency(teams);
    const { v1, v2 } = SERVING.resnet;
    new KnativeModel(chart, 'resnet', {
      team: spaces.vision,
      server: ModelServer.tensorflowServing({ modelName: 'resnet' }),
      traffic: KnativeModelTraffic.serve(v1).canary(v2, 10),
      autoscaling: { minScale: 0, maxScale: 4 },
    });
    new KnativeModel(chart, 'detector', {
      team: spaces.vision,
      server: ModelServer.triton({ modelRepository: { lake, bucket: BUCKETS.models, access: DataAccess.READ, prefix: 'triton' } }),
      gpu: { pool: GPU_POOLS.onprem.find((p) => p.name === 'a100-shared')!, count: 1 },
      traffic: KnativeModelTraffic.serve({ version: 'r1' }),
      autoscaling: { minScale: 1, maxScale: 2 },
    });
    const summarizer = new KnativeModel(chart, 'summarizer', {
      team: spaces.nlp,
      server: ModelServer.generic({ port: SERVING.summarizer.port, protocol: ServingProtocol.HTTP1, healthPath: SERVING.summarizer.healthPath }),
      traffic: KnativeModelTraffic.serve({ version: 'v1', image: SERVING.summarizer.image }),
      visibility: ModelVisibility.CLUSTER_LOCAL,
    });
    const broker = new ModelBroker(chart, 'nlp-events', { namespace: spaces.nlp });
    new ModelSchedule(chart, 'nightly-digest', { namespace: spaces.nlp, schedule: '0 6 * * *', data: '{"task":"digest"}', sink: broker });
    new ModelTrigger(chart, 'digest-to-summarizer', {
      broker, subscriber: EventSink.knativeService(summarizer.name), eventType: 'dev.knative.sources.ping',
    });
  }
  // Last, once every construct of the cluster has said what it needs: the add-ons that provide it, and the root
  // Application that delivers dist/<cluster> with Argo CD.
  const gitops = new Chart(app, 'gitops');
  new ClusterAddons(gitops, 'addons', {
    clusterName: cluster,
    gpuPools: GPU_POOLS[cluster],
    ...(cluster === 'aws' ? { eksClusterName: EKS_CLUSTER, awsRegion: AWS.region } : {}),
    // traces of every request of the cluster's models, to the OpenTelemetry collector
    ...(serving ? { knativeServing: { observability: KnativeObservability.tracing({ protocol: ObservabilityProtocol.HTTP_PROTOBUF, endpoint: SERVING.tracingEndpoint, samplingRate: 0.1 }) } } : {}),
  });
  new GitOpsRoot(gitops, 'root', { clusterName: cluster, repoUrl: GITOPS.repoUrl, targetRevision: GITOPS.targetRevision });
  return app;
}

/**
 * The MultiKueue manager: the teams' namespaces, the burst's queues, and the resnet job submitted to the h100 burst
 * queue (on-prem first, then AWS). No GPU pool: nothing runs here; Kueue dispatches a copy of each job to a worker.
 */
function buildManager(app: App, teams: Chart, spaces: Record<string, ITeamSpace>): App {
  const queues = new Chart(app, 'queues');
  queues.addDependency(teams);
  new BurstManager(queues, 'burst', { burst: BURST, teams: Object.values(spaces) });
  const training = new Chart(app, 'training');
  training.addDependency(queues);
  const secret = TRAINING.burstDataSecret;
  const version = 'v2';
  // its own name: the copy MultiKueue creates on a worker keeps it, and on-prem already runs a job called resnet
  new DistributedTFJob(training, 'resnet-burst', {
    team: spaces[TRAINING.team], image: TRAINING.image, version, queue: BURST.queueName('h100'), burst: true, priorityClass: 'batch',
    workers: { replicas: TRAINING.workers }, gpu: { gpuType: BURST.gpuTypeOf('h100'), perWorker: TRAINING.gpusPerWorker },
    resources: TRAINING.resources,
    // the data of whichever cluster runs it (a Secret of that name on every worker), and the model written at the
    // same deterministic path as on-prem: <output>/models/<job>/<version>
    secretEnv: Object.fromEntries(['TRAINING_DATA_URI', 'OUTPUT_URI', 'AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].map((k) => [k, `${secret}/${k}`])),
    env: { MODEL_DIR: `$(OUTPUT_URI)/${DistributedTFJob.modelPathOf('resnet', version)}` }, // the resnet model's next version
  });
  const gitops = new Chart(app, 'gitops');
  new ClusterAddons(gitops, 'addons', { clusterName: BURST.manager, gpuPools: GPU_POOLS.manager });
  new GitOpsRoot(gitops, 'root', { clusterName: BURST.manager, repoUrl: GITOPS.repoUrl, targetRevision: GITOPS.targetRevision });
  return app;
}

/** The Kubernetes version the add-ons of a cluster need (ClusterAddons.minimumKubernetesVersion). */
export function minimumKubernetesVersion(app: App): string {
  const addons = app.node.findAll().find((c): c is ClusterAddons => c instanceof ClusterAddons);
  if (!addons) throw new Error(`no ClusterAddons in ${app.outdir}`);
  return addons.minimumKubernetesVersion;
}

/** A workbench from its description, in the chart of its cluster (its pool and buckets looked up by name there). */
export function addWorkbench(chart: Chart, w: WorkbenchDescription, spaces: Record<string, ITeamSpace>, lake?: MinioDataLake): Workbench {
  const pool = w.gpu && GPU_POOLS[w.cluster].find((p) => p.name === w.gpu!.pool);
  if (w.gpu && !pool) throw new Error(`workbench ${w.owner}: no GPU pool ${w.gpu.pool} in cluster ${w.cluster}`);
  if (w.read?.length && !lake) throw new Error(`workbench ${w.owner}: cluster ${w.cluster} has no data lake`);
  return new Workbench(chart, `${w.owner}-${w.kind.id}`, {
    kind: w.kind,
    owner: w.owner,
    team: spaces[w.team],
    gpu: pool ? { pool, count: w.gpu!.count } : undefined,
    dataLake: lake ? (w.read ?? []).map((bucket) => ({ lake: lake!, bucket: BUCKETS[bucket], access: DataAccess.READ })) : undefined,
  });
}

/** What one cluster's synth wrote, and the Kubernetes version its add-ons need. */
export interface SynthesizedCluster {
  readonly cluster: ClusterName;
  readonly dir: string;
  readonly minimumKubernetesVersion: string;
}

/** Synthesizes every cluster; returns the folders written. */
export function synthKubernetes(outdir: string = process.env.CDK8S_OUTDIR ?? 'dist'): SynthesizedCluster[] {
  return CLUSTERS.map((cluster) => {
    const app = buildCluster(cluster, outdir);
    rmSync(app.outdir, { recursive: true, force: true }); // no stale file from an earlier synth is ever applied
    app.synth();
    return { cluster, dir: app.outdir, minimumKubernetesVersion: minimumKubernetesVersion(app) };
  });
}

if (require.main === module) {
  for (const { dir } of synthKubernetes()) console.log(`wrote ${dir}`);
}
