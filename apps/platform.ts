/**
 * The reference platform, described once. Both trees are built from this: apps/k8s.ts (one cdk8s App per
 * cluster) and apps/cloud.ts (one cdktf stack per cloud).
 */
import { TeamSpaceProps } from '../lib';

/** The clusters of the platform; each gets its own folder of manifests under dist/. */
export const CLUSTERS = ['onprem', 'aws', 'gcp'] as const;
export type ClusterName = (typeof CLUSTERS)[number];

/** Teams: each gets a TeamSpace in every cluster, so that its work can burst to any of them. */
export const TEAMS: TeamSpaceProps[] = [
  {
    name: 'vision',
    group: 'vision-engineers',
    quota: { cpu: '64', memory: '256Gi', gpus: 8, storage: '2Ti' },
  },
  {
    name: 'nlp',
    group: 'nlp-engineers',
    quota: { cpu: '32', memory: '128Gi', gpus: 4, storage: '1Ti', gpuResources: { 'nvidia.com/mig-1g.10gb': 7 } },
    containerDefaults: { cpuLimit: '2', memoryLimit: '4Gi' },
  },
];

/** The cloud side. */
export const AWS = { region: 'eu-west-1', tags: { platform: 'reference' } };
export const GCP = { project: 'acme-ai-platform', region: 'europe-west4', labels: { platform: 'reference' } };
