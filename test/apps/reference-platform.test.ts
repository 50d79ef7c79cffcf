import { buildCloud } from '../../apps/cloud';
import { App, Chart, Testing } from 'cdk8s';
import { addWorkbench, buildCluster } from '../../apps/k8s';
import { BUCKETS, BURST, CLUSTERS, GITOPS, GPU_POOLS, TEAMS, TRAINING, WORKBENCHES } from '../../apps/platform';
import { EksProvisioning, TeamSpace } from '../../lib';
import { ClusterModel } from '../helpers/cluster-model';
import { Manifest, ofKind, validateManifests, vendoredCustomResource } from '../helpers/manifests';
import { readManifests, readStacks, tempDir } from '../helpers/output';
import { kueueProblems } from '../helpers/kueue-rules';
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
type CloudTaint = { key: string; value: string; effect: string };

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

  test('Kueue would admit what it is given: queues, flavors, checks and the jobs\' queues and priorities exist', () => {
    expect(kueueProblems(objects())).toEqual([]);
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

  test('the data lake runs on-prem only, and its granted teams may reach it', () => {
    const lake = ofKind(objects(), 'StatefulSet').filter((s) => s.metadata.labels?.['app.kubernetes.io/name'] === 'minio');
    expect(lake).toHaveLength(cluster === 'onprem' ? 1 : 0);
    if (cluster === 'onprem') {
      expect(ofKind(objects(), 'NetworkPolicy', 'lake-s3-egress').map((p) => p.metadata.namespace).sort()).toEqual(['nlp', 'vision']);
    }
  });

  test('kubectl apply -f dist/<cluster>/ on an empty cluster (our CRDs installed) refuses nothing: files in name order, documents in order', () => {
    // the bootstrap the README describes: Argo CD installed (its namespace and CRDs) and the operators' CRDs
    expect(new ClusterModel({ crds: vendoredCustomResource, namespaces: ['argocd'] }).applyDirectory(`${out}/${cluster}`)).toEqual([]);
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

  test('EKS node groups and GKE node pools carry exactly the labels and taint that schedule() selects and tolerates', () => {
    const cloudNodes = [
      ...Object.values(stacks.aws.resource.aws_eks_node_group as Record<string, { node_group_name: string; labels?: Record<string, string>; taint?: CloudTaint[] }>)
        .map((g) => ({ name: g.node_group_name, labels: g.labels ?? {}, taints: g.taint ?? [] })),
      ...Object.values(stacks.gcp.resource.google_container_node_pool as Record<string, { name: string; node_config: { labels?: Record<string, string>; taint?: CloudTaint[] } }>)
        .map((p) => ({ name: p.name, labels: p.node_config.labels ?? {}, taints: p.node_config.taint ?? [] })),
    ];
    const managed = [...GPU_POOLS.aws.filter((p) => p.provisioning === EksProvisioning.MANAGED_NODE_GROUP), ...GPU_POOLS.gcp];
    expect(managed.length).toBeGreaterThan(0);
    for (const pool of managed) {
      const nodes = cloudNodes.find((n) => n.name === pool.name)!;
      const scheduling = pool.schedule(1);
      // every selector the pod uses is a label of the node (GKE adds the partition label itself, for MIG pools only)
      for (const [key, value] of Object.entries(scheduling.nodeSelector)) expect(nodes.labels[key]).toBe(value);
      // every taint of the node is tolerated, and nothing else
      const tolerated = scheduling.tolerations.map((t) => `${t.key}=${t.value}:${t.effect}`);
      const effects: Record<string, string> = { NO_SCHEDULE: 'NoSchedule', NO_EXECUTE: 'NoExecute', PREFER_NO_SCHEDULE: 'PreferNoSchedule' };
      expect(nodes.taints.map((t) => `${t.key}=${t.value}:${effects[t.effect]}`)).toEqual(tolerated);
      expect(nodes.labels).toEqual(pool.nodeLabels);
    }
  });

  test('the AWS stack has no Karpenter node role unless a pool uses Karpenter, and then its name is the one the EC2NodeClass uses', () => {
    const roles = Object.values(stacks.aws.resource.aws_iam_role as Record<string, { name: string }>).map((r) => r.name);
    const nodeClassRoles = clusters.aws.filter((o) => o.kind === 'EC2NodeClass').map((o) => o.spec.role);
    expect(nodeClassRoles.length).toBeGreaterThan(0);
    for (const role of nodeClassRoles) expect(roles).toContain(role);
  });

  test('every lake bucket replica has its cloud bucket, and the on-prem mirror job writes to that very bucket', () => {
    const s3 = Object.values(stacks.aws.resource.aws_s3_bucket as Record<string, { bucket: string }>).map((b) => b.bucket);
    const gcs = Object.values(stacks.gcp.resource.google_storage_bucket as Record<string, { name: string }>).map((b) => b.name);
    const mirrors = clusters.onprem.filter((o) => o.kind === 'CronJob').map((c) => c.spec.jobTemplate.spec.template.spec.containers[0].command[2] as string);
    for (const bucket of Object.values(BUCKETS)) {
      for (const replica of bucket.replicas) {
        expect(replica.cloud === 'aws' ? s3 : gcs).toContain(replica.bucketName);
        expect(mirrors.some((m) => m.includes(`lake/${bucket.name} replica/${replica.bucketName}`) && m.includes(replica.endpoint))).toBe(true);
      }
    }
    expect(s3.length + gcs.length).toBeGreaterThan(0);
  });

  test('no machine-specific paths in the output', () => {
    expect(JSON.stringify(stacks)).not.toContain(process.cwd());
  });
});

describe('workbenches of the reference platform', () => {
  const onprem = () => clusters.onprem;

  test('on-prem: Jupyter on the time-sliced a100-shared pool reading features, Zeppelin and RStudio without GPU, culling on', () => {
    const workbenches = ofKind(onprem(), 'StatefulSet').filter((s) => s.metadata.labels?.['app.kubernetes.io/name'] === 'workbench');
    expect(workbenches.map((w) => `${w.metadata.namespace}/${w.metadata.name}`).sort()).toEqual(['nlp/bob-zeppelin', 'nlp/carol-rstudio', 'vision/alice-jupyter']);
    const jupyter = workbenches.find((w) => w.metadata.name === 'alice-jupyter')!.spec.template.spec;
    expect(jupyter.nodeSelector).toEqual({ 'ai-platform/gpu-pool': 'a100-shared' });
    expect(jupyter.containers[0].resources.limits['nvidia.com/gpu']).toBe(1);
    expect(jupyter.containers[0].env).toContainEqual({ name: 'S3_BUCKET', value: 'features' });
    for (const w of workbenches.filter((x) => x.metadata.name !== 'alice-jupyter')) expect(w.spec.template.spec.nodeSelector).toBeUndefined();
    expect(ofKind(onprem(), 'CronJob').map((c) => c.metadata.name).filter((n) => n.endsWith('-culler')).sort())
      .toEqual(['alice-jupyter-culler', 'bob-zeppelin-culler', 'carol-rstudio-culler']);
  });

  test('the same descriptions build unchanged in a cloud cluster that has what they name', () => {
    const app = new App();
    const chart = new Chart(app, 'c');
    const spaces = Object.fromEntries(TEAMS.map((t) => [t.name, new TeamSpace(chart, t.name, t)]));
    for (const w of WORKBENCHES.filter((x) => !x.gpu && !x.read)) addWorkbench(chart, { ...w, cluster: 'aws' }, spaces);
    const objects = Testing.synth(chart) as Manifest[];
    expect(() => validateManifests(objects)).not.toThrow();
    expect(podProblems(objects)).toEqual([]);
    expect(ofKind(objects, 'StatefulSet').map((s) => s.metadata.name).sort()).toEqual(['bob-zeppelin', 'carol-rstudio']);
  });
});

describe('add-ons and GitOps of the reference platform', () => {
  const apps = (cluster: string) => ofKind(clusters[cluster], 'Application').map((a) => a.metadata.name).sort();

  test('each cluster holds the add-ons its constructs need, and its root Application', () => {
    // on-prem: the lake's TLS (cert-manager, trust-manager), the TFJob (training operator), the models (Knative), the
    // queues (Kueue)
    expect(apps('onprem')).toEqual(['onprem-cert-manager', 'onprem-knative-operator', 'onprem-kueue', 'onprem-root', 'onprem-training-operator', 'onprem-trust-manager']);
    // EKS: Karpenter for the Karpenter pools, the Cluster Autoscaler for the managed node group; every worker of the
    // burst: Kueue and the training operator that runs the dispatched TFJobs
    expect(apps('aws')).toEqual(['aws-cluster-autoscaler', 'aws-karpenter', 'aws-karpenter-crd', 'aws-kueue', 'aws-root', 'aws-training-operator']);
    expect(apps('gcp')).toEqual(['gcp-kueue', 'gcp-root', 'gcp-training-operator']);
    // the manager: Kueue (MultiKueue) and the TFJob kind
    expect(apps('manager')).toEqual(['manager-kueue', 'manager-root', 'manager-training-operator']);
  });

  test('the root Application delivers dist/<cluster> of the platform repository, automated with self-heal', () => {
    for (const cluster of CLUSTERS) {
      const [root] = ofKind(clusters[cluster], 'Application', `${cluster}-root`);
      expect(root.spec.source).toMatchObject({ repoURL: GITOPS.repoUrl, targetRevision: GITOPS.targetRevision, path: `dist/${cluster}` });
      expect(root.spec.syncPolicy.automated).toMatchObject({ selfHeal: true });
    }
  });

  test('add-ons sync before workloads; stateful objects are never pruned or deleted', () => {
    for (const app of ofKind(clusters.onprem, 'Application').filter((a) => !a.metadata.name.endsWith('-root'))) {
      expect(Number(app.metadata.annotations?.['argocd.argoproj.io/sync-wave'])).toBeLessThan(0);
    }
    const protectedObjects = clusters.onprem.filter((o) => o.metadata.annotations?.['argocd.argoproj.io/sync-options'] === 'Prune=false,Delete=false');
    expect(protectedObjects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(expect.arrayContaining([
      'Namespace/vision', 'Namespace/nlp', 'Namespace/data-platform', 'StatefulSet/lake', 'StatefulSet/alice-jupyter',
    ]));
  });

  test('the lake brings its Certificate and CA Bundle', () => {
    expect(ofKind(clusters.onprem, 'Certificate').map((c) => c.metadata.name)).toEqual(['lake-tls']);
    expect(ofKind(clusters.onprem, 'Bundle')[0].spec.target.namespaceSelector.matchExpressions[0].values).toEqual(['nlp', 'vision']);
  });
});

describe('training of the reference platform', () => {
  test('a 4-worker TFJob on h100 reading features, writing models, retrained nightly; a small indexed-Job run', () => {
    const [job] = ofKind(clusters.onprem, 'TFJob');
    expect(job.spec.tfReplicaSpecs.Worker.replicas).toBe(4);
    const worker = job.spec.tfReplicaSpecs.Worker.template.spec;
    expect(worker.nodeSelector).toEqual({ 'ai-platform/gpu-pool': 'h100' });
    expect(worker.containers[0].resources.limits['nvidia.com/gpu']).toBe(2);
    expect(job.spec.runPolicy.cleanPodPolicy).toBe('Running');
    expect(ofKind(clusters.onprem, 'CronJob').map((c) => c.spec.schedule)).toContain(TRAINING.nightly);
    expect(ofKind(clusters.onprem, 'Job').filter((j) => j.spec.completionMode === 'Indexed').length).toBeGreaterThan(0);
  });
});

describe('bursting of the reference platform', () => {
  const workers = ['onprem', 'aws', 'gcp'];
  const gpuQuota = (cq: Manifest) => cq.spec.resourceGroups[0].flavors.reduce((sum: number, f: { resources: Array<{ nominalQuota: number }> }) => sum + Number(f.resources[0].nominalQuota), 0);
  const queue = (cluster: string, name: string) => ofKind(clusters[cluster], 'ClusterQueue', name)[0];

  test('each class dispatches on-prem first, then the clouds cheapest first for its reference job', () => {
    const order = (name: string) => ofKind(clusters.manager, 'MultiKueueConfig', name)[0].spec.clusters;
    // h100: AWS is the only cloud with H100s; a100: one A100 costs $7.35/h on GCP (a2-highgpu-2g) and $21.96/h on AWS
    expect(order('h100')).toEqual(['onprem', 'aws']);
    expect(order('a100')).toEqual(['gcp', 'aws']);
    expect(BURST.estimate('a100', { gpusPerPod: 1, pods: 8 }).map((e) => e.cluster)).toEqual(['aws', 'gcp']);
    expect(ofKind(clusters.manager, 'MultiKueueCluster').map((c) => c.spec.clusterSource.kubeConfig.location).sort()).toEqual(workers.map((w) => `multikueue-${w}`).sort());
  });

  test('worker quotas are their pools\' capacity (the numbers Terraform and Karpenter use); the manager\'s is their sum', () => {
    for (const name of BURST.classNames) {
      const onWorkers = workers.filter((w) => queue(w, name)).map((w) => gpuQuota(queue(w, name)));
      expect(gpuQuota(queue('manager', name))).toBe(onWorkers.reduce((a, b) => a + b, 0));
    }
    expect(gpuQuota(queue('onprem', 'h100'))).toBe(16);
    // the EKS h100 pool: Karpenter's GPU limit and the queue's quota are the same number
    const [nodePool] = ofKind(clusters.aws, 'NodePool', 'h100');
    expect(gpuQuota(queue('aws', 'h100'))).toBe(Number(nodePool.spec.limits['nvidia.com/gpu']));
    expect(ofKind(clusters.manager, 'DaemonSet')).toEqual([]);
  });

  test('every worker mirrors the manager\'s namespaces and LocalQueue names', () => {
    const localQueues = (cluster: string) => ofKind(clusters[cluster], 'LocalQueue').map((q) => `${q.metadata.namespace}/${q.metadata.name}`).sort();
    const managerQueues = localQueues('manager');
    for (const w of workers) {
      const names = BURST.classesOf(w);
      expect(localQueues(w)).toEqual(managerQueues.filter((q) => names.includes(q.split('/')[1])));
      expect(ofKind(clusters[w], 'Secret', 'multikueue-sa')[0].type).toBe('kubernetes.io/service-account-token');
    }
  });

  test('a dispatched job\'s pods reach each other and their data on every worker; no name clashes with a worker\'s own jobs', () => {
    for (const w of workers) {
      const policies = ofKind(clusters[w], 'NetworkPolicy', 'multikueue-dispatched-training');
      expect(policies.map((p) => p.metadata.namespace).sort()).toEqual(TEAMS.map((t) => t.name).sort());
      expect(policies[0].spec.podSelector.matchLabels).toEqual({ 'kueue.x-k8s.io/multikueue-worker-workload-pod': 'true' });
      expect(policies[0].spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 2222 }]);
      expect(policies[0].spec.egress.length).toBe(2);
    }
    // MultiKueue creates the copy under the manager's name: it must not be a job the worker runs itself
    const names = (cluster: string) => ofKind(clusters[cluster], 'TFJob').map((j) => `${j.metadata.namespace}/${j.metadata.name}`);
    for (const w of workers) for (const n of names('manager')) expect(names(w)).not.toContain(n);
  });

  test('the resnet job is submitted to the manager\'s h100 queue, portable: no pool, no lake, managed by MultiKueue', () => {
    const [job] = ofKind(clusters.manager, 'TFJob');
    expect(job.metadata.labels!['kueue.x-k8s.io/queue-name']).toBe('h100');
    expect(job.spec.runPolicy.managedBy).toBe('kueue.x-k8s.io/multikueue');
    const worker = job.spec.tfReplicaSpecs.Worker.template.spec;
    expect(worker.nodeSelector).toBeUndefined();
    expect(worker.runtimeClassName).toBeUndefined();
    expect(worker.containers[0].resources.limits['nvidia.com/gpu']).toBe(TRAINING.gpusPerWorker);
    expect(worker.containers[0].env.find((e: { name: string }) => e.name === 'TRAINING_DATA_URI').valueFrom.secretKeyRef.name).toBe(TRAINING.burstDataSecret);
    // on-prem, the same job in the on-prem h100 queue (a local job of a worker)
    expect(ofKind(clusters.onprem, 'TFJob')[0].metadata.labels!['kueue.x-k8s.io/queue-name']).toBe('h100');
  });
});

describe('serving of the reference platform', () => {
  const models = () => ofKind(clusters.onprem, 'Service').filter((o) => o.apiVersion === 'serving.knative.dev/v1');

  test('resnet at a 90/10 canary with tags, scaling to zero on CPU', () => {
    const resnet = models().find((m) => m.metadata.name === 'resnet')!;
    const traffic = resnet.spec.traffic as Array<{ percent: number; tag?: string; revisionName: string }>;
    expect(traffic.map((t) => t.percent).sort()).toEqual([10, 90]);
    expect(traffic.every((t) => t.tag && t.revisionName.startsWith('resnet-'))).toBe(true);
    expect(resnet.spec.template.metadata.annotations['autoscaling.knative.dev/min-scale']).toBe('0');
    expect(resnet.spec.template.spec.nodeSelector).toBeUndefined();
  });

  test('the Triton detector on the time-sliced a100-shared pool, min scale 1, loading from the lake', () => {
    const detector = models().find((m) => m.metadata.name === 'detector')!;
    const pod = detector.spec.template.spec;
    expect(pod.nodeSelector).toEqual({ 'ai-platform/gpu-pool': 'a100-shared' });
    expect(detector.spec.template.metadata.annotations['autoscaling.knative.dev/min-scale']).toBe('1');
    expect(JSON.stringify(pod.containers[0].args)).toContain('s3://https://lake.data-platform.svc.cluster.local:9000/models/triton');
    // the Knative add-on enables exactly the pod fields the models use
    expect(Object.keys(ofKind(clusters.onprem, 'KnativeServing')[0].spec.config.features).sort()).toEqual([
      'kubernetes.podspec-nodeselector', 'kubernetes.podspec-runtimeclassname', 'kubernetes.podspec-tolerations', 'kubernetes.podspec-volumes-emptydir',
    ]);
  });

  test('a cluster-local summarizer triggered through a Broker by a PingSource; traces to the collector', () => {
    const summarizer = models().find((m) => m.metadata.name === 'summarizer')!;
    expect(summarizer.metadata.labels!['networking.knative.dev/visibility']).toBe('cluster-local');
    expect(ofKind(clusters.onprem, 'Trigger')[0].spec.subscriber.ref).toMatchObject({ kind: 'Service', name: 'summarizer' });
    expect(ofKind(clusters.onprem, 'PingSource')[0].spec.sink.ref).toMatchObject({ kind: 'Broker' });
    expect(ofKind(clusters.onprem, 'KnativeServing')[0].spec.config.observability).toMatchObject({ 'tracing-protocol': 'http/protobuf' });
  });
});
