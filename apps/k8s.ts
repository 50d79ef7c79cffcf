/**
 * The Kubernetes half of the reference platform: one cdk8s App per cluster, writing dist/<cluster>/.
 * `cdk8s synth` runs this file (see cdk8s.yaml); `npm run synth` runs it through apps/main.ts.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { DataAccess, EbsStorageClass, GpuNodePool, ITeamSpace, MinioDataLake, TeamSpace, Workbench } from '../lib';
import { BUCKETS, CLUSTERS, ClusterName, DATA_PLATFORM, GPU_POOLS, TEAMS, WORKBENCHES, WorkbenchDescription } from './platform';

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
  const gpu = new Chart(app, 'gpu');
  // Charts that depend on the teams' namespaces come after them: files are numbered in that order, so that
  // `kubectl apply -f dist/<cluster>/` creates every namespace before what lives in it.
  gpu.addDependency(teams);
  for (const pool of GPU_POOLS[cluster]) new GpuNodePool(gpu, pool.name, { pool });
  let lake: MinioDataLake | undefined;
  if (cluster === 'onprem') {
    const data = new Chart(app, 'data');
    data.addDependency(teams);
    lake = new MinioDataLake(data, 'lake', {
      namespace: new TeamSpace(data, DATA_PLATFORM.name, DATA_PLATFORM),
      buckets: Object.values(BUCKETS),
      rootCredentialsSecret: 'lake-root-credentials',
      storageClass: 'local-nvme',
      tls: { secretName: 'lake-tls' },
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
  return app;
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

/** Synthesizes every cluster; returns the folders written. */
export function synthKubernetes(outdir: string = process.env.CDK8S_OUTDIR ?? 'dist'): string[] {
  return CLUSTERS.map((cluster) => {
    const app = buildCluster(cluster, outdir);
    rmSync(app.outdir, { recursive: true, force: true }); // no stale file from an earlier synth is ever applied
    app.synth();
    return app.outdir;
  });
}

if (require.main === module) {
  for (const dir of synthKubernetes()) console.log(`wrote ${dir}`);
}
