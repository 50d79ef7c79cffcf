import { buildCloud } from '../../apps/cloud';
import { buildCluster } from '../../apps/k8s';
import { CLUSTERS, GPU_POOLS, TEAMS } from '../../apps/platform';
import { EksProvisioning } from '../../lib';
import { Manifest, ofKind, validateManifests } from '../helpers/manifests';
import { readManifests, readStacks, tempDir } from '../helpers/output';
import { podProblems } from '../helpers/pod-security';
import { secretProblems } from '../helpers/secrets';

const out = tempDir('reference-platform');
const clusters: Record<string, Manifest[]> = {};
for (const cluster of CLUSTERS) {
  const app = buildCluster(cluster, out);
  app.synth();
  clusters[cluster] = readManifests(app.outdir);
}
const cloud = buildCloud(tempDir('reference-cloud'));
cloud.synth();
const stacks = readStacks(cloud.outdir);

describe.each(CLUSTERS)('cluster %s', (cluster) => {
  const objects = () => clusters[cluster];

  test('writes manifests', () => {
    expect(objects().length).toBeGreaterThan(0);
  });

  test('every object validates strictly', () => {
    expect(() => validateManifests(objects())).not.toThrow();
  });

  test('every pod meets PSS restricted and the house rules', () => {
    expect(podProblems(objects())).toEqual([]);
  });

  test('no secret material', () => {
    expect(secretProblems(objects())).toEqual([]);
  });

  test('every team has its namespace', () => {
    const namespaces = ofKind(objects(), 'Namespace').map((n) => n.metadata.name);
    expect(namespaces).toEqual(expect.arrayContaining(TEAMS.map((t) => t.name)));
  });

  test('every GPU pool of the cluster is there: device plugins outside GKE, Karpenter pools on EKS', () => {
    const pools = GPU_POOLS[cluster];
    const plugins = ofKind(objects(), 'DaemonSet').map((d) => d.spec.template.spec.nodeSelector['ai-platform/gpu-pool']).sort();
    expect(plugins).toEqual(cluster === 'gcp' ? [] : pools.map((p) => p.name).sort());
    const karpenter = pools.filter((p) => p.provisioning === EksProvisioning.KARPENTER).map((p) => p.name);
    expect(ofKind(objects(), 'NodePool').map((n) => n.metadata.name)).toEqual(karpenter);
  });

  test('nothing lands in the default namespace', () => {
    expect(objects().filter((o) => o.metadata.namespace === 'default')).toEqual([]);
  });
});

describe('cloud stacks', () => {
  test('one stack per cloud', () => {
    expect(Object.keys(stacks).sort()).toEqual(['aws', 'gcp']);
  });

  test('AWS: provider pinned to the mirrored version, region and default tags', () => {
    const aws = stacks.aws;
    expect(aws.terraform.required_providers.aws.version).toBe('5.100.0');
    expect(aws.provider.aws[0]).toMatchObject({ region: 'eu-west-1', default_tags: [{ tags: { 'managed-by': 'cdk8s-ai-platform' } }] });
  });

  test('Google: provider with project, region and default labels', () => {
    const gcp = stacks.gcp;
    expect(gcp.terraform.required_providers.google).toBeDefined();
    expect(gcp.provider.google[0]).toMatchObject({ project: 'acme-ai-platform', region: 'europe-west4', default_labels: { 'managed-by': 'cdk8s-ai-platform' } });
  });

  test('no machine-specific paths in the output', () => {
    expect(JSON.stringify(stacks)).not.toContain(process.cwd());
  });
});
