/**
 * The Kubernetes half of the reference platform: one cdk8s App per cluster, writing dist/<cluster>/.
 * `cdk8s synth` runs this file (see cdk8s.yaml); `npm run synth` runs it through apps/main.ts.
 */
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import { GpuNodePool, TeamSpace } from '../lib';
import { CLUSTERS, ClusterName, GPU_POOLS, TEAMS } from './platform';

/** Builds the cdk8s App of one cluster (not synthesized). */
export function buildCluster(cluster: ClusterName, outdir: string): App {
  const app = new App({ outdir: join(outdir, cluster) });
  const teams = new Chart(app, 'teams');
  for (const team of TEAMS) new TeamSpace(teams, team.name, team);
  const gpu = new Chart(app, 'gpu');
  for (const pool of GPU_POOLS[cluster]) new GpuNodePool(gpu, pool.name, { pool });
  return app;
}

/** Synthesizes every cluster; returns the folders written. */
export function synthKubernetes(outdir: string = process.env.CDK8S_OUTDIR ?? 'dist'): string[] {
  return CLUSTERS.map((cluster) => {
    const app = buildCluster(cluster, outdir);
    app.synth();
    return app.outdir;
  });
}

if (require.main === module) {
  for (const dir of synthKubernetes()) console.log(`wrote ${dir}`);
}
