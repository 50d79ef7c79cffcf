/**
 * The Terraform half of the reference platform: one cdktf stack per cloud, writing cdktf.out/stacks/<stack>/.
 * `cdktf synth` runs this file (see cdktf.json); `npm run synth` runs it through apps/main.ts.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  AwsPlatformStack, CloudApp, EksGpuCluster, GcpPlatformStack, GcsReplicaBucket, GkeGpuCluster, ReplicaCloud, S3ReplicaBucket,
} from '../lib';
import { AWS, BUCKETS, EKS_CLUSTER, GCP, GKE_CLUSTER, GPU_POOLS } from './platform';

/**
 * The Kubernetes version each cloud cluster's add-ons need: the Kubernetes side's
 * `ClusterAddons.minimumKubernetesVersion` of that cluster's chart (apps/k8s.ts), checked here against the EKS
 * version and the GKE release channel's floor. Absent: not checked.
 */
export interface CloudMinimumVersions {
  readonly eks?: string;
  readonly gke?: string;
}

/** Builds the cdktf App (not synthesized). */
export function buildCloud(outdir?: string, minimums: CloudMinimumVersions = {}): CloudApp {
  const app = new CloudApp({ outdir });
  const aws = new AwsPlatformStack(app, 'aws', AWS);
  // Karpenter's controller role and interruption queue, and the Cluster Autoscaler's role, come with the pools
  // (names in EksContract, which the Kubernetes side's add-ons read).
  new EksGpuCluster(aws, 'eks', { name: EKS_CLUSTER, gpuPools: GPU_POOLS.aws, minimumKubernetesVersion: minimums.eks });
  const buckets = Object.values(BUCKETS);
  for (const bucket of buckets.filter((b) => b.replicaIn(ReplicaCloud.AWS))) new S3ReplicaBucket(aws, `replica-${bucket.name}`, { bucket });
  const gcp = new GcpPlatformStack(app, 'gcp', GCP);
  new GkeGpuCluster(gcp, 'gke', { name: GKE_CLUSTER, gpuPools: GPU_POOLS.gcp, minimumKubernetesVersion: minimums.gke });
  for (const bucket of buckets.filter((b) => b.replicaIn(ReplicaCloud.GCP))) new GcsReplicaBucket(gcp, `replica-${bucket.name}`, { bucket });
  return app;
}

/** Synthesizes every stack; returns the output folder. */
export function synthCloud(outdir?: string, minimums: CloudMinimumVersions = {}): string {
  const app = buildCloud(outdir, minimums);
  // no stale stack from an earlier synth (cdktf creates stacks/ itself and needs it)
  const stacks = join(app.outdir, 'stacks');
  if (existsSync(stacks)) for (const stack of readdirSync(stacks)) rmSync(join(stacks, stack), { recursive: true, force: true });
  app.synth();
  return app.outdir;
}

if (require.main === module) {
  console.log(`wrote ${synthCloud()}`);
}
