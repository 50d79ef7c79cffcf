import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { parse, parseAllDocuments } from 'yaml';
import {
  Addon, AddonRequirements, AddonVersions, ClusterAddons, ClusterAddonsProps, EksContract, EksProvisioning, GitOps,
  GpuPool, GpuType, KnativeFeature, KubernetesVersions, KueueIntegration, MultiKueueDispatcher, TeamSpace,
} from '../../lib';
import { expectValidationError } from '../helpers/errors';
import { Manifest, manifestProblems, ofKind, synthValid } from '../helpers/manifests';
import { podProblems } from '../helpers/pod-security';

const ROOT = join(__dirname, '..', '..');
const ADDON_APPS = ['cert-manager', 'trust-manager', 'karpenter-crd', 'karpenter', 'cluster-autoscaler', 'training-operator', 'kueue', 'strimzi', 'knative-operator'];

/** A cluster (one App): a workloads chart where constructs declare what they need, then the add-ons chart. */
function cluster(require: (workloads: Chart) => void = () => undefined, props: Partial<ClusterAddonsProps> = {}) {
  const app = Testing.app();
  const workloads = new Chart(app, 'workloads');
  require(workloads);
  const addonsChart = new Chart(app, 'addons');
  const addons = new ClusterAddons(addonsChart, 'addons', { clusterName: 'onprem', ...props });
  return { app, workloads, addonsChart, addons };
}

/** Synthesizes the add-ons chart (validated strictly, CEL rules included) and checks the pods rule. */
function objectsOf(addonsChart: Chart): Manifest[] {
  const objects = synthValid(addonsChart);
  expect(podProblems(objects)).toEqual([]);
  return objects;
}

const apps = (objects: Manifest[]) => ofKind(objects, 'Application');
const appNamed = (objects: Manifest[], addon: string) => apps(objects).find((a) => a.metadata.name === `onprem-${addon}`)!;
const wave = (o: Manifest) => Number(o.metadata.annotations?.[GitOps.SYNC_WAVE_ANNOTATION] ?? 0);
const needs = (id: string, requirement: Parameters<typeof AddonRequirements.require>[1]) => (c: Chart) => AddonRequirements.require(new Construct(c, id), requirement);

describe('ClusterAddons: each add-on exactly when something needs it', () => {
  test('nothing required, nothing installed', () => {
    const { addonsChart, addons } = cluster();
    expect(objectsOf(addonsChart)).toEqual([]);
    expect(addons.installed).toEqual([]);
    expect(addons.minimumKubernetesVersion).toBe('1.28.0');
  });

  test('a TFJob in a queue: Kueue with kubeflow.org/tfjob added to its default configuration, server-side apply', () => {
    const { addonsChart, addons } = cluster((c) => {
      AddonRequirements.require(new Construct(c, 'job'), { addon: Addon.KUEUE, kueueIntegrations: [KueueIntegration.TF_JOB] });
      AddonRequirements.require(new Construct(c, 'job2'), { addon: Addon.TRAINING_OPERATOR });
    });
    const objects = objectsOf(addonsChart);
    expect(apps(objects).map((a) => a.metadata.name)).toEqual(['onprem-training-operator', 'onprem-kueue']);
    const kueue = appNamed(objects, 'kueue');
    expect(kueue.metadata.namespace).toBe('argocd');
    expect(kueue.spec.source).toMatchObject({ repoURL: 'registry.k8s.io/kueue/charts', chart: 'kueue', targetRevision: '0.19.2', helm: { releaseName: 'kueue' } });
    expect(kueue.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'kueue-system' });
    expect(kueue.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(kueue.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true', 'RespectIgnoreDifferences=true']);
    expect((kueue.metadata as { finalizers?: string[] }).finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    expect(kueue.spec.ignoreDifferences).toEqual(expect.arrayContaining([
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', jqPathExpressions: ['.spec.conversion.webhook.clientConfig.caBundle'] },
    ]));
    // the whole configuration: Kueue's default, with only the frameworks list changed
    const config = parse(kueue.spec.source.helm.valuesObject.managerConfig.controllerManagerConfigYaml);
    const defaults = parse(readFileSync(join(__dirname, 'fixtures', 'kueue-default-manager-config.yaml'), 'utf8'));
    const { integrations, ...rest } = config;
    const { integrations: defaultIntegrations, ...defaultRest } = defaults;
    expect(rest).toEqual(defaultRest);
    expect(integrations.frameworks).toEqual([...defaultIntegrations.frameworks.slice(0, 6), 'kubeflow.org/tfjob', ...defaultIntegrations.frameworks.slice(6)]);
    expect(addons.kueueFrameworks).toContain('kubeflow.org/tfjob');
    const training = appNamed(objects, 'training-operator');
    expect(training.spec.source).toEqual({ repoURL: 'https://github.com/kubeflow/training-operator.git', path: 'manifests/overlays/standalone', targetRevision: 'v1.9.0' });
    expect(training.spec.destination.namespace).toBe('kubeflow');
    expect(training.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    expect(addons.minimumKubernetesVersion).toBe('1.29.0');
  });

  test('the MultiKueue dispatcher is settable (for bursting)', () => {
    const { addonsChart } = cluster(needs('burst', { addon: Addon.KUEUE }), {
      kueue: { multiKueue: { dispatcher: MultiKueueDispatcher.INCREMENTAL, incrementalStepSize: 2 } },
    });
    const config = parse(appNamed(objectsOf(addonsChart), 'kueue').spec.source.helm.valuesObject.managerConfig.controllerManagerConfigYaml);
    expect(config.multiKueue).toEqual({ dispatcherName: 'kueue.x-k8s.io/multikueue-dispatcher-incremental', incrementalDispatcherConfig: { stepSize: 2 } });
    expect(config.integrations.frameworks).not.toContain('kubeflow.org/tfjob');
  });

  test('a dispatcher a construct requires is written when the user sets none; the step size goes with a required incremental one', () => {
    const { addonsChart, addons } = cluster((c) => {
      AddonRequirements.require(new Construct(c, 'burst'), { addon: Addon.KUEUE, multiKueueDispatcher: MultiKueueDispatcher.INCREMENTAL });
      AddonRequirements.require(new Construct(c, 'burst2'), { addon: Addon.KUEUE, multiKueueDispatcher: MultiKueueDispatcher.INCREMENTAL });
      AddonRequirements.require(new Construct(c, 'job'), { addon: Addon.KUEUE });
    }, { kueue: { multiKueue: { incrementalStepSize: 1 } } });
    const config = parse(appNamed(objectsOf(addonsChart), 'kueue').spec.source.helm.valuesObject.managerConfig.controllerManagerConfigYaml);
    expect(config.multiKueue).toEqual({ dispatcherName: MultiKueueDispatcher.INCREMENTAL.name, incrementalDispatcherConfig: { stepSize: 1 } });
    expect(addons.multiKueueDispatcher).toBe(MultiKueueDispatcher.INCREMENTAL);
  });

  test('the user\'s dispatcher, when a construct requires the same one, is written once', () => {
    const { addonsChart, addons } = cluster(needs('burst', { addon: Addon.KUEUE, multiKueueDispatcher: MultiKueueDispatcher.ALL_AT_ONCE }), {
      kueue: { multiKueue: { dispatcher: MultiKueueDispatcher.ALL_AT_ONCE } },
    });
    const config = parse(appNamed(objectsOf(addonsChart), 'kueue').spec.source.helm.valuesObject.managerConfig.controllerManagerConfigYaml);
    expect(config.multiKueue).toEqual({ dispatcherName: MultiKueueDispatcher.ALL_AT_ONCE.name });
    expect(addons.multiKueueDispatcher).toBe(MultiKueueDispatcher.ALL_AT_ONCE);
    // nobody asks: nothing written
    const none = cluster(needs('job', { addon: Addon.KUEUE }));
    expect(parse(appNamed(objectsOf(none.addonsChart), 'kueue').spec.source.helm.valuesObject.managerConfig.controllerManagerConfigYaml).multiKueue).toBeUndefined();
    expect(none.addons.multiKueueDispatcher).toBeUndefined();
  });

  test('a Kafka bridge: the Strimzi cluster operator (OCI chart 1.2.0) watching exactly the namespaces required and the user\'s', () => {
    const { addonsChart, addons } = cluster((c) => {
      AddonRequirements.require(new Construct(c, 'bridge-a'), { addon: Addon.STRIMZI, strimziNamespaces: ['kafka'] });
      AddonRequirements.require(new Construct(c, 'bridge-b'), { addon: Addon.STRIMZI, strimziNamespaces: ['events', 'kafka'] });
    }, { strimzi: { watchNamespaces: ['audit', 'strimzi'] } });
    const objects = objectsOf(addonsChart);
    expect(addons.installed).toEqual([Addon.STRIMZI]);
    const strimzi = appNamed(objects, 'strimzi');
    expect(strimzi.spec.source).toEqual({
      repoURL: 'quay.io/strimzi-helm', chart: 'strimzi-kafka-operator', targetRevision: AddonVersions.STRIMZI,
      helm: { releaseName: 'strimzi', valuesObject: { watchNamespaces: ['audit', 'events', 'kafka'] } },
    });
    expect(strimzi.spec.destination.namespace).toBe('strimzi');
    expect(strimzi.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true']);
    expect(wave(strimzi)).toBe(GitOps.WAVE_ADDONS);
    expect(addons.strimziWatchNamespaces).toEqual(['audit', 'events', 'kafka']);
    expect(addons.minimumKubernetesVersion).toBe(AddonVersions.STRIMZI_MIN_KUBERNETES);
    expect(AddonVersions.STRIMZI_MIN_KUBERNETES).toBe('1.30.0');
  });

  test('Strimzi watching every namespace, or only its own when nothing names one', () => {
    const any = cluster(needs('bridge', { addon: Addon.STRIMZI, strimziNamespaces: ['kafka'] }), { strimzi: { watchAnyNamespace: true } });
    expect(appNamed(objectsOf(any.addonsChart), 'strimzi').spec.source.helm).toEqual({ releaseName: 'strimzi', valuesObject: { watchAnyNamespace: true } });
    expect(any.addons.strimziWatchNamespaces).toEqual([]);
    const own = cluster(undefined, { include: [Addon.STRIMZI] });
    expect(appNamed(objectsOf(own.addonsChart), 'strimzi').spec.source.helm).toEqual({ releaseName: 'strimzi' });
  });

  test('a KafkaSource: the KnativeEventing enables the Kafka source (every source of the CRD listed), Eventing comes with it', () => {
    const { addonsChart, addons } = cluster(needs('bridge', { addon: Addon.KNATIVE_KAFKA_SOURCE, reason: 'the KafkaSource ml/uploads' }));
    const objects = objectsOf(addonsChart);
    expect(addons.installed).toEqual([Addon.KNATIVE_EVENTING, Addon.KNATIVE_KAFKA_SOURCE]);
    expect(apps(objects).map((a) => a.metadata.name)).toEqual(['onprem-knative-operator']);
    const [eventing] = ofKind(objects, 'KnativeEventing');
    expect(eventing.spec).toEqual({
      version: AddonVersions.KNATIVE_EVENTING,
      source: { ceph: { enabled: false }, github: { enabled: false }, gitlab: { enabled: false }, kafka: { enabled: true }, rabbitmq: { enabled: false }, redis: { enabled: false } },
    });
    expect(wave(eventing)).toBeGreaterThan(wave(appNamed(objects, 'knative-operator')));
    const [namespace] = ofKind(objects, 'Namespace', 'knative-eventing');
    expect(namespace.metadata.labels!['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(namespace.metadata.annotations!['ai-platform/pod-security-exception']).toContain('kafka-source-dispatcher');
    expect(addons.applicationsOf(Addon.KNATIVE_KAFKA_SOURCE)).toEqual([]);
    // why every source is listed: the operator's CRD requires them all
    expect(manifestProblems({ ...eventing, spec: { ...eventing.spec, source: { kafka: { enabled: true } } } }).join('\n')).toContain('must have required property \'ceph\'');
    expect(addons.minimumKubernetesVersion).toBe(AddonVersions.KNATIVE_MIN_KUBERNETES);
    // Eventing alone: no source block, no Kafka exception
    const plain = cluster(needs('trigger', { addon: Addon.KNATIVE_EVENTING }));
    const plainObjects = objectsOf(plain.addonsChart);
    expect(ofKind(plainObjects, 'KnativeEventing')[0].spec.source).toBeUndefined();
    expect(ofKind(plainObjects, 'Namespace', 'knative-eventing')[0].metadata.annotations!['ai-platform/pod-security-exception']).not.toContain('kafka');
  });

  test('a model: the Knative Operator, then a KnativeServing enabling exactly the flags required, Kourier, observability', () => {
    const { addonsChart, addons } = cluster((c) => {
      AddonRequirements.require(new Construct(c, 'model-a'), { addon: Addon.KNATIVE_SERVING, knativeFeatures: [KnativeFeature.PODSPEC_NODESELECTOR, KnativeFeature.PODSPEC_TOLERATIONS] });
      AddonRequirements.require(new Construct(c, 'model-b'), { addon: Addon.KNATIVE_SERVING, knativeFeatures: [KnativeFeature.PODSPEC_NODESELECTOR, KnativeFeature.PODSPEC_SECURITY_CONTEXT] });
    }, { knativeServing: { observability: { 'logging.enable-request-log': 'true', 'tracing-protocol': 'grpc', 'tracing-endpoint': 'http://otel-collector.observability:4317' } } });
    const objects = objectsOf(addonsChart);
    const operator = appNamed(objects, 'knative-operator');
    expect(operator.spec.source).toMatchObject({ repoURL: 'https://knative.github.io/operator', chart: 'knative-operator', targetRevision: 'v1.23.0' });
    expect(operator.spec.destination.namespace).toBe('knative-operator');
    expect(operator.spec.syncPolicy.syncOptions).not.toContain('ServerSideApply=true');
    const [serving] = ofKind(objects, 'KnativeServing');
    expect(serving.metadata).toMatchObject({ name: 'knative-serving', namespace: 'knative-serving' });
    expect(serving.spec.version).toBe('1.23.0');
    expect(serving.spec.ingress).toEqual({ kourier: { enabled: true } });
    expect(serving.spec.config.features).toEqual({
      'kubernetes.podspec-nodeselector': 'enabled', 'kubernetes.podspec-securitycontext': 'enabled', 'kubernetes.podspec-tolerations': 'enabled',
    });
    expect(serving.spec.config.network).toEqual({ 'ingress-class': 'kourier.ingress.networking.knative.dev' });
    expect(serving.spec.config.observability).toEqual({ 'logging.enable-request-log': 'true', 'tracing-protocol': 'grpc', 'tracing-endpoint': 'http://otel-collector.observability:4317' });
    expect(ofKind(objects, 'Namespace', 'knative-serving')).toHaveLength(1);
    expect(ofKind(objects, 'KnativeEventing')).toEqual([]);
    // the CR after the operator that installs its CRD
    expect(wave(serving)).toBeGreaterThan(wave(operator));
    expect(addons.minimumKubernetesVersion).toBe('1.34.0');
    expect(addons.knativeServing).toBeDefined();
  });

  test('eventing: a KnativeEventing at the pinned Eventing release, with the same operator Application', () => {
    const { addonsChart } = cluster((c) => {
      AddonRequirements.require(new Construct(c, 'trigger'), { addon: Addon.KNATIVE_EVENTING });
      AddonRequirements.require(new Construct(c, 'model'), { addon: Addon.KNATIVE_SERVING });
    }, { knativeEventing: { config: { features: { 'new-trigger-filters': 'enabled' } } } });
    const objects = objectsOf(addonsChart);
    expect(apps(objects).map((a) => a.metadata.name)).toEqual(['onprem-knative-operator']);
    const [eventing] = ofKind(objects, 'KnativeEventing');
    expect(eventing.spec).toEqual({ version: '1.22.2', config: { features: { 'new-trigger-filters': 'enabled' } } });
    // no flag required: no features entry at all (Knative's defaults)
    expect(ofKind(objects, 'KnativeServing')[0].spec.config.features).toBeUndefined();
  });

  test('lake TLS: trust-manager brings cert-manager (CRDs enabled), in a later wave', () => {
    const { addonsChart, addons } = cluster(needs('lake', { addon: Addon.TRUST_MANAGER, reason: 'the lake\'s CA bundle' }));
    const objects = objectsOf(addonsChart);
    expect(addons.installed).toEqual([Addon.CERT_MANAGER, Addon.TRUST_MANAGER]);
    const certManager = appNamed(objects, 'cert-manager');
    expect(certManager.spec.source).toMatchObject({ repoURL: 'quay.io/jetstack/charts', chart: 'cert-manager', targetRevision: 'v1.21.1', helm: { valuesObject: { crds: { enabled: true, keep: true } } } });
    expect(certManager.spec.destination.namespace).toBe('cert-manager');
    const trustManager = appNamed(objects, 'trust-manager');
    expect(trustManager.spec.source).toMatchObject({ chart: 'trust-manager', targetRevision: 'v0.24.0' });
    expect(trustManager.spec.destination.namespace).toBe('cert-manager');
    expect(wave(trustManager)).toBeGreaterThan(wave(certManager));
    expect(addons.minimumKubernetesVersion).toBe('1.33.0');
  });

  test('EKS: a Karpenter pool brings Karpenter (CRD chart first), a managed node group the Cluster Autoscaler, named as Terraform\'s Pod Identity associations', () => {
    const pools = [
      GpuPool.eks({ name: 'a10g', gpuType: GpuType.A10G, clusterName: 'ml-eks', maxNodes: 2 }),
      GpuPool.eks({ name: 'l4', gpuType: GpuType.L4, clusterName: 'ml-eks', provisioning: EksProvisioning.KARPENTER }),
    ];
    const { addonsChart, addons } = cluster(undefined, { gpuPools: pools, awsRegion: 'eu-west-1' });
    const objects = objectsOf(addonsChart);
    expect(addons.installed).toEqual([Addon.KARPENTER, Addon.CLUSTER_AUTOSCALER]);
    const crds = appNamed(objects, 'karpenter-crd');
    const karpenter = appNamed(objects, 'karpenter');
    expect(crds.spec.source).toMatchObject({ repoURL: 'public.ecr.aws/karpenter', chart: 'karpenter-crd', targetRevision: '1.14.1' });
    expect(karpenter.spec.source).toMatchObject({
      repoURL: 'public.ecr.aws/karpenter', chart: 'karpenter', targetRevision: '1.14.1',
      helm: { skipCrds: true, valuesObject: { serviceAccount: { name: EksContract.KARPENTER_SERVICE_ACCOUNT }, settings: { clusterName: 'ml-eks', interruptionQueue: EksContract.interruptionQueueName('ml-eks') } } },
    });
    expect(karpenter.spec.destination.namespace).toBe(EksContract.KARPENTER_NAMESPACE);
    expect(wave(crds)).toBeLessThan(wave(karpenter));
    const ca = appNamed(objects, 'cluster-autoscaler');
    expect(ca.spec.source).toMatchObject({
      repoURL: 'https://kubernetes.github.io/autoscaler', chart: 'cluster-autoscaler', targetRevision: '9.53.0',
      helm: { valuesObject: { cloudProvider: 'aws', awsRegion: 'eu-west-1', autoDiscovery: { clusterName: 'ml-eks' }, rbac: { serviceAccount: { name: EksContract.CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } } } },
    });
    expect(ca.spec.destination.namespace).toBe(EksContract.CLUSTER_AUTOSCALER_NAMESPACE);
    expect(addons.applicationsOf(Addon.KARPENTER)).toHaveLength(2);
    expect(addons.minimumKubernetesVersion).toBe('1.34.0');
  });

  test('on-prem and GKE pools need neither Karpenter nor the Cluster Autoscaler', () => {
    const pools = [
      GpuPool.onPrem({ name: 'a100', gpuType: GpuType.A100_80GB, gpusPerNode: 8, nodes: 2 }),
      GpuPool.gke({ name: 'l4', gpuType: GpuType.L4 }),
    ];
    expect(cluster(undefined, { gpuPools: pools }).addons.installed).toEqual([]);
  });

  test('include adds an add-on nobody requires; values deep-merge over the library\'s', () => {
    const { addonsChart } = cluster(undefined, {
      include: [Addon.CERT_MANAGER],
      values: [{ addon: Addon.CERT_MANAGER, values: { crds: { keep: false }, replicaCount: 2 } }],
    });
    const certManager = appNamed(objectsOf(addonsChart), 'cert-manager');
    expect(certManager.spec.source.helm.valuesObject).toEqual({ crds: { enabled: true, keep: false }, replicaCount: 2 });
  });

  test('another Argo CD namespace, project and destination', () => {
    const { addonsChart } = cluster(needs('x', { addon: Addon.CERT_MANAGER }), { argoCdNamespace: 'gitops', project: 'platform', destinationServer: 'https://10.0.0.1:6443' });
    const [app] = apps(objectsOf(addonsChart));
    expect(app.metadata.namespace).toBe('gitops');
    expect(app.spec.project).toBe('platform');
    expect(app.spec.destination.server).toBe('https://10.0.0.1:6443');
  });
});

describe('ClusterAddons: what it cannot meet fails at synth, naming the construct and the missing piece', () => {
  test('a required add-on that is excluded', () => {
    const { addonsChart } = cluster(needs('job', { addon: Addon.KUEUE }), { exclude: [Addon.KUEUE] });
    const e = expectValidationError(() => synthValid(addonsChart), 'AddonRequirement.addon', 'workloads/job');
    expect(e.message).toContain('excludes Kueue');
  });

  test('trust-manager required while cert-manager is excluded', () => {
    const { addonsChart } = cluster(needs('lake', { addon: Addon.TRUST_MANAGER, reason: 'the lake\'s CA bundle' }), { exclude: [Addon.CERT_MANAGER] });
    const e = expectValidationError(() => synthValid(addonsChart), 'AddonRequirement.addon', 'workloads/lake');
    expect(e.message).toContain('cert-manager');
  });

  test('a Knative flag the user disabled', () => {
    const { addonsChart } = cluster(needs('model', { addon: Addon.KNATIVE_SERVING, knativeFeatures: [KnativeFeature.PODSPEC_NODESELECTOR] }), {
      knativeServing: { features: { 'kubernetes.podspec-nodeselector': 'disabled' } },
    });
    const e = expectValidationError(() => synthValid(addonsChart), 'AddonRequirement.knativeFeatures', 'workloads/model');
    expect(e.message).toContain('"kubernetes.podspec-nodeselector"');
  });

  test('a Kueue integration left out of an explicit frameworks list', () => {
    const { addonsChart } = cluster(needs('job', { addon: Addon.KUEUE, kueueIntegrations: [KueueIntegration.TF_JOB] }), {
      kueue: { frameworks: [KueueIntegration.BATCH_JOB] },
    });
    const e = expectValidationError(() => synthValid(addonsChart), 'AddonRequirement.kueueIntegrations', 'workloads/job');
    expect(e.message).toContain('"kubeflow.org/tfjob"');
  });

  test('the KafkaSource controller while Knative Eventing is excluded, or excluded itself', () => {
    const noEventing = cluster(needs('bridge', { addon: Addon.KNATIVE_KAFKA_SOURCE, reason: 'the KafkaSource ml/uploads' }), { exclude: [Addon.KNATIVE_EVENTING] });
    const e = expectValidationError(() => synthValid(noEventing.addonsChart), 'AddonRequirement.addon', 'workloads/bridge');
    expect(e.message).toContain('excludes Knative Eventing');
    expect(e.message).toContain('the KafkaSource ml/uploads');
    const noSource = cluster(needs('bridge', { addon: Addon.KNATIVE_KAFKA_SOURCE }), { exclude: [Addon.KNATIVE_KAFKA_SOURCE] });
    expect(expectValidationError(() => synthValid(noSource.addonsChart), 'AddonRequirement.addon', 'workloads/bridge').message).toContain('excludes Knative KafkaSource controller');
  });

  test('Strimzi required while excluded', () => {
    const { addonsChart } = cluster(needs('bridge', { addon: Addon.STRIMZI, strimziNamespaces: ['kafka'] }), { exclude: [Addon.STRIMZI] });
    expect(expectValidationError(() => synthValid(addonsChart), 'AddonRequirement.addon', 'workloads/bridge').message).toContain('excludes Strimzi');
  });

  test('a MultiKueue dispatcher the user set differently', () => {
    const { addonsChart } = cluster(needs('burst', { addon: Addon.KUEUE, multiKueueDispatcher: MultiKueueDispatcher.INCREMENTAL, reason: 'the bursting queue' }), {
      kueue: { multiKueue: { dispatcher: MultiKueueDispatcher.ALL_AT_ONCE } },
    });
    const e = expectValidationError(() => synthValid(addonsChart), 'AddonRequirement.multiKueueDispatcher', 'workloads/burst');
    expect(e.message).toContain(MultiKueueDispatcher.ALL_AT_ONCE.name);
    expect(e.message).toContain('the bursting queue');
  });

  test('two constructs requiring different MultiKueue dispatchers', () => {
    const { addonsChart } = cluster((c) => {
      AddonRequirements.require(new Construct(c, 'burst-a'), { addon: Addon.KUEUE, multiKueueDispatcher: MultiKueueDispatcher.INCREMENTAL });
      AddonRequirements.require(new Construct(c, 'burst-b'), { addon: Addon.KUEUE, multiKueueDispatcher: MultiKueueDispatcher.ALL_AT_ONCE });
    });
    const e = expectValidationError(() => synthValid(addonsChart), 'AddonRequirement.multiKueueDispatcher', 'workloads/burst-b');
    expect(e.message).toContain('workloads/burst-a');
  });

  test('a required step size is written with the required incremental dispatcher', () => {
    const { addonsChart } = cluster(needs('burst', { addon: Addon.KUEUE, multiKueueDispatcher: MultiKueueDispatcher.INCREMENTAL, multiKueueStepSize: 1 }));
    const config = parse(appNamed(objectsOf(addonsChart), 'kueue').spec.source.helm.valuesObject.managerConfig.controllerManagerConfigYaml);
    expect(config.multiKueue).toEqual({ dispatcherName: MultiKueueDispatcher.INCREMENTAL.name, incrementalDispatcherConfig: { stepSize: 1 } });
  });

  test('a step size the user set differently, and two constructs requiring different step sizes', () => {
    const want = (stepSize: number) => ({ addon: Addon.KUEUE, multiKueueDispatcher: MultiKueueDispatcher.INCREMENTAL, multiKueueStepSize: stepSize, reason: 'the bursting queue' });
    const user = cluster(needs('burst', want(1)), { kueue: { multiKueue: { incrementalStepSize: 3 } } });
    expect(expectValidationError(() => synthValid(user.addonsChart), 'AddonRequirement.multiKueueStepSize', 'workloads/burst').message).toContain('it sets 3');
    const two = cluster((c) => {
      AddonRequirements.require(new Construct(c, 'burst-a'), want(1));
      AddonRequirements.require(new Construct(c, 'burst-b'), want(2));
    });
    expect(expectValidationError(() => synthValid(two.addonsChart), 'AddonRequirement.multiKueueStepSize', 'workloads/burst-b').message).toContain('workloads/burst-a');
  });

  test('a step size without the incremental dispatcher, or out of range; a dispatcher with another add-on', () => {
    const c = new Chart(Testing.app(), 'c');
    expectValidationError(() => AddonRequirements.require(c, { addon: Addon.KUEUE, multiKueueStepSize: 2 }), 'AddonRequirement.multiKueueStepSize', 'c');
    expectValidationError(() => AddonRequirements.require(c, { addon: Addon.KUEUE, multiKueueDispatcher: MultiKueueDispatcher.INCREMENTAL, multiKueueStepSize: 0 }), 'AddonRequirement.multiKueueStepSize', 'c');
    expectValidationError(() => AddonRequirements.require(c, { addon: Addon.KNATIVE_SERVING, multiKueueDispatcher: MultiKueueDispatcher.INCREMENTAL }), 'AddonRequirement.multiKueueDispatcher', 'c');
  });

  test('a requirement recorded after ClusterAddons was built', () => {
    const { app, addonsChart } = cluster();
    const late = new Chart(app, 'late');
    AddonRequirements.require(new Construct(late, 'model'), { addon: Addon.KNATIVE_SERVING });
    const e = expectValidationError(() => synthValid(addonsChart), 'AddonRequirement.addon', 'late/model');
    expect(e.message).toContain('construct ClusterAddons after every workload');
  });

  test('user feature flags that constructs do not require are written as given', () => {
    const { addons } = cluster(needs('model', { addon: Addon.KNATIVE_SERVING }), { knativeServing: { features: { 'kubernetes.podspec-affinity': 'enabled', 'secure-pod-defaults': 'AllowRootBounded' } } });
    expect(addons.knativeFeatures).toEqual({ 'kubernetes.podspec-affinity': 'enabled', 'secure-pod-defaults': 'AllowRootBounded' });
  });

  test('a second ClusterAddons in one cluster', () => {
    const { addonsChart } = cluster();
    new ClusterAddons(addonsChart, 'again', { clusterName: 'onprem' });
    expectValidationError(() => synthValid(addonsChart), 'ClusterAddons', 'addons/addons');
  });
});

describe('GitOps ordering and pinning', () => {
  test('add-ons sync before workloads, CRDs before their custom resources', () => {
    const pools = [GpuPool.eks({ name: 'l4', gpuType: GpuType.L4, clusterName: 'ml-eks', provisioning: EksProvisioning.KARPENTER })];
    const { workloads, addonsChart } = cluster((c) => {
      new TeamSpace(c, 'vision', { name: 'vision' });
      for (const addon of Addon.all()) AddonRequirements.require(new Construct(c, `needs-${addon.id}`), { addon });
    }, { gpuPools: pools, awsRegion: 'eu-west-1' });
    const objects = objectsOf(addonsChart);
    expect(apps(objects).map((a) => a.metadata.name.replace('onprem-', ''))).toEqual(ADDON_APPS);
    const workloadWaves = Testing.synth(workloads).map((o) => wave(o as Manifest));
    expect(Math.min(...workloadWaves)).toBe(GitOps.WAVE_WORKLOADS);
    for (const o of objects) expect(`${o.kind}/${o.metadata.name}: ${wave(o) < GitOps.WAVE_WORKLOADS}`).toBe(`${o.kind}/${o.metadata.name}: true`);
    const waveOf = (name: string) => wave(appNamed(objects, name));
    expect(waveOf('karpenter-crd')).toBeLessThan(waveOf('karpenter'));
    expect(waveOf('cert-manager')).toBeLessThan(waveOf('trust-manager'));
    for (const cr of [...ofKind(objects, 'KnativeServing'), ...ofKind(objects, 'KnativeEventing')]) expect(wave(cr)).toBeGreaterThan(waveOf('knative-operator'));
  });

  test('no HEAD, latest or floating version anywhere in an Application spec', () => {
    const { addonsChart } = cluster((c) => {
      for (const addon of Addon.all()) AddonRequirements.require(new Construct(c, `needs-${addon.id}`), { addon });
    }, { eksClusterName: 'ml-eks', awsRegion: 'eu-west-1' });
    const specs = apps(objectsOf(addonsChart));
    expect(specs).toHaveLength(ADDON_APPS.length);
    for (const app of specs) {
      // versions are what the spec holds outside Kueue's configuration text (checked on its own: no image in it)
      const spec = JSON.parse(JSON.stringify(app.spec));
      const config: string | undefined = spec.source.helm?.valuesObject?.managerConfig?.controllerManagerConfigYaml;
      if (config) delete spec.source.helm.valuesObject.managerConfig;
      expect(`${app.metadata.name}: ${/\bHEAD\b|latest|[*^~]|\.x\b/i.test(JSON.stringify(spec))}`).toBe(`${app.metadata.name}: false`);
      if (config) expect(config).not.toMatch(/latest|image/i);
      expect(`${app.metadata.name}: ${app.spec.source.targetRevision}`).toMatch(/: v?\d+\.\d+\.\d+$/);
      for (const value of Object.values((app.spec.source.helm?.valuesObject ?? {}) as object)) expect(JSON.stringify(value)).not.toMatch(/:latest"/);
    }
  });

  test('AddonVersions are the releases whose CRDs are vendored and imported (cdk8s.yaml, test/schemas/crds)', () => {
    const imports = (parse(readFileSync(join(ROOT, 'cdk8s.yaml'), 'utf8')) as { imports: string[] }).imports;
    const tagOf = (repo: string) => {
      const tags = [...new Set(imports.map((e) => new RegExp(`raw\\.githubusercontent\\.com/${repo}/([^/]+)/`).exec(e)?.[1]).filter(Boolean))];
      expect(`${repo}: ${tags.length}`).toBe(`${repo}: 1`);
      return tags[0]!;
    };
    const strip = (tag: string) => tag.replace(/^knative-/, '').replace(/^v/, '');
    expect(strip(tagOf('kubernetes-sigs/kueue'))).toBe(AddonVersions.KUEUE);
    expect(tagOf('knative/operator')).toBe(`knative-${AddonVersions.KNATIVE_OPERATOR}`);
    expect(strip(tagOf('knative/serving'))).toBe(AddonVersions.KNATIVE_SERVING);
    expect(strip(tagOf('knative/eventing'))).toBe(AddonVersions.KNATIVE_EVENTING);
    expect(tagOf('kubeflow/training-operator')).toBe(AddonVersions.TRAINING_OPERATOR);
    expect(tagOf('cert-manager/cert-manager')).toBe(AddonVersions.CERT_MANAGER);
    expect(tagOf('cert-manager/trust-manager')).toBe(AddonVersions.TRUST_MANAGER);
    expect(strip(tagOf('aws/karpenter-provider-aws'))).toBe(AddonVersions.KARPENTER);
    expect(tagOf('knative-extensions/eventing-kafka-broker')).toBe(`knative-v${AddonVersions.KNATIVE_KAFKA_SOURCE}`);
    expect(tagOf('strimzi/strimzi-kafka-operator')).toBe(AddonVersions.STRIMZI);
    // the operator installs the KafkaSource controller of the Eventing minor it runs (eventing-source/<minor>/kafka)
    expect(AddonVersions.KNATIVE_KAFKA_SOURCE.split('.').slice(0, 2)).toEqual(AddonVersions.KNATIVE_EVENTING.split('.').slice(0, 2));
    // the vendored CRD files say the same where upstream labels them with their release
    const crd = (file: string) => parseAllDocuments(readFileSync(join(ROOT, 'test', 'schemas', 'crds', file), 'utf8')).map((d) => d.toJS()).find((d) => d?.kind === 'CustomResourceDefinition');
    for (const file of ['cert-manager.io_certificates.yaml', 'cert-manager.io_clusterissuers.yaml', 'trust.cert-manager.io_bundles.yaml']) {
      const version = crd(file).metadata.labels?.['app.kubernetes.io/version'];
      if (version !== undefined) expect(`${file}: ${version}`).toBe(`${file}: ${file.startsWith('trust') ? AddonVersions.TRUST_MANAGER : AddonVersions.CERT_MANAGER}`);
    }
    expect(crd('operator.knative.dev_knativeservings.yaml').spec.versions.map((v: { name: string }) => v.name)).toEqual(['v1beta1']);
    expect(crd('kueue.x-k8s.io_clusterqueues.yaml').metadata.annotations['controller-gen.kubebuilder.io/version']).toBeDefined();
  });
});

describe('ClusterAddons: bad input names the field', () => {
  test.each([
    [{ clusterName: 'On Prem' }, 'ClusterAddonsProps.clusterName'],
    [{ include: ['kueu'] }, 'ClusterAddonsProps.include[0]'],
    [{ include: 'kueue' }, 'ClusterAddonsProps.include'],
    [{ include: [Addon.KUEUE], exclude: [Addon.KUEUE] }, 'ClusterAddonsProps.exclude'],
    [{ include: [Addon.KNATIVE_SERVING], knativeServing: { features: { 'kubernetes.podspec-nodeselectr': 'enabled' } } }, 'ClusterAddonsProps.knativeServing.features["kubernetes.podspec-nodeselectr"]'],
    [{ include: [Addon.KNATIVE_SERVING], knativeServing: { features: { 'kubernetes.podspec-nodeselector': 'on' } } }, 'ClusterAddonsProps.knativeServing.features["kubernetes.podspec-nodeselector"]'],
    [{ include: [Addon.KNATIVE_SERVING], knativeServing: { observability: { 'tracing-protocl': 'grpc' } } }, 'ClusterAddonsProps.knativeServing.observability["tracing-protocl"]'],
    [{ include: [Addon.KNATIVE_SERVING], knativeServing: { observability: { 'metrics-protocol': 'statsd' } } }, 'ClusterAddonsProps.knativeServing.observability["metrics-protocol"]'],
    [{ include: [Addon.KNATIVE_SERVING], knativeServing: { config: { features: { a: 'b' } } } }, 'ClusterAddonsProps.knativeServing.config["features"]'],
    [{ include: [Addon.KUEUE], kueue: { multiKueue: { incrementalStepSize: 2 } } }, 'ClusterAddonsProps.kueue.multiKueue.incrementalStepSize'],
    [{ include: [Addon.KUEUE], kueue: { multiKueue: { dispatcher: 'kueue.x-k8s.io/multikueue-dispatcher-incremental' } } }, 'ClusterAddonsProps.kueue.multiKueue.dispatcher'],
    [{ include: [Addon.STRIMZI], strimzi: { watchNamespaces: ['Kafka'] } }, 'ClusterAddonsProps.strimzi.watchNamespaces[0]'],
    [{ include: [Addon.STRIMZI], strimzi: { watchNamespaces: 'kafka' } }, 'ClusterAddonsProps.strimzi.watchNamespaces'],
    [{ include: [Addon.STRIMZI], strimzi: { watchAnyNamespace: 'yes' } }, 'ClusterAddonsProps.strimzi.watchAnyNamespace'],
    [{ include: [Addon.STRIMZI], strimzi: { watchAnyNamespace: true, watchNamespaces: ['kafka'] } }, 'ClusterAddonsProps.strimzi.watchNamespaces'],
    [{ include: [Addon.STRIMZI], strimzi: 'kafka' }, 'ClusterAddonsProps.strimzi'],
    [{ include: [Addon.STRIMZI], values: [{ addon: Addon.STRIMZI, values: { watchNamespaces: ['kafka'] } }] }, 'ClusterAddonsProps.values[0].values.watchNamespaces'],
    [{ include: [Addon.STRIMZI], values: [{ addon: Addon.STRIMZI, values: { watchAnyNamespace: true } }] }, 'ClusterAddonsProps.values[0].values.watchAnyNamespace'],
    [{ include: [Addon.KNATIVE_KAFKA_SOURCE], values: [{ addon: Addon.KNATIVE_KAFKA_SOURCE, values: {} }] }, 'ClusterAddonsProps.values[0].addon'],
    [{ include: [Addon.KUEUE], kueue: { frameworks: ['kubeflow.org/tfjob'] } }, 'ClusterAddonsProps.kueue.frameworks[0]'],
    [{ include: [Addon.KUEUE], values: [{ addon: Addon.KUEUE, values: { managerConfig: {} } }] }, 'ClusterAddonsProps.values[0].values.managerConfig'],
    [{ values: [{ addon: Addon.KUEUE, values: {} }] }, 'ClusterAddonsProps.values[0].addon'],
    [{ include: [Addon.TRAINING_OPERATOR], values: [{ addon: Addon.TRAINING_OPERATOR, values: {} }] }, 'ClusterAddonsProps.values[0].addon'],
    [{ include: [Addon.CLUSTER_AUTOSCALER], eksClusterName: 'ml-eks' }, 'ClusterAddonsProps.awsRegion'],
    [{ include: [Addon.KARPENTER] }, 'ClusterAddonsProps.eksClusterName'],
    [{ gpuPools: [{ name: 'fake' }] }, 'ClusterAddonsProps.gpuPools[0]'],
    [{ destinationServer: 'http://kubernetes.default.svc' }, 'ClusterAddonsProps.destinationServer'],
  ])('%j', (props, field) => {
    expectValidationError(() => new ClusterAddons(Testing.chart(), 'addons', { clusterName: 'onprem', ...props } as never), field, 'test/addons');
  });

  test('props that are not an object', () => {
    expectValidationError(() => new ClusterAddons(Testing.chart(), 'addons', 'onprem' as never), 'ClusterAddonsProps', 'test/addons');
  });

  test('EKS pools of two clusters', () => {
    const pools = ['a', 'b'].map((c) => GpuPool.eks({ name: `p-${c}`, gpuType: GpuType.L4, clusterName: `eks-${c}` }));
    expectValidationError(() => new ClusterAddons(Testing.chart(), 'addons', { clusterName: 'aws', gpuPools: pools, awsRegion: 'eu-west-1' }), 'ClusterAddonsProps.gpuPools', 'test/addons');
  });
});

describe('AddonRequirements and the catalogs: bad input names the field', () => {
  const c = () => new Construct(Testing.chart(), 'model');
  test.each([
    [{ addon: 'kueue' }, 'AddonRequirement.addon'],
    [{ addon: Addon.KNATIVE_SERVING, knativeFeatures: ['kubernetes.podspec-nodeselector'] }, 'AddonRequirement.knativeFeatures[0]'],
    [{ addon: Addon.KUEUE, knativeFeatures: [KnativeFeature.PODSPEC_NODESELECTOR] }, 'AddonRequirement.knativeFeatures'],
    [{ addon: Addon.KNATIVE_SERVING, kueueIntegrations: [KueueIntegration.TF_JOB] }, 'AddonRequirement.kueueIntegrations'],
    [{ addon: Addon.KUEUE, kueueIntegrations: 'kubeflow.org/tfjob' }, 'AddonRequirement.kueueIntegrations'],
    [{ addon: Addon.KUEUE, reason: '' }, 'AddonRequirement.reason'],
    [{ addon: Addon.KNATIVE_SERVING, multiKueueDispatcher: MultiKueueDispatcher.INCREMENTAL }, 'AddonRequirement.multiKueueDispatcher'],
    [{ addon: Addon.KUEUE, multiKueueDispatcher: 'kueue.x-k8s.io/multikueue-dispatcher-incremental' }, 'AddonRequirement.multiKueueDispatcher'],
    [{ addon: Addon.KUEUE, strimziNamespaces: ['kafka'] }, 'AddonRequirement.strimziNamespaces'],
    [{ addon: Addon.STRIMZI, strimziNamespaces: 'kafka' }, 'AddonRequirement.strimziNamespaces'],
    [{ addon: Addon.STRIMZI, strimziNamespaces: ['kafka', 'Events'] }, 'AddonRequirement.strimziNamespaces[1]'],
    ['kueue', 'AddonRequirement'],
  ])('%j', (requirement, field) => {
    expectValidationError(() => AddonRequirements.require(c(), requirement as never), field, 'test/model');
  });

  test('not a construct', () => {
    expectValidationError(() => AddonRequirements.require({} as never, { addon: Addon.KUEUE }), 'AddonRequirements.require.scope', '');
  });

  test('ids and names from configuration', () => {
    expect(Addon.fromId('knative-serving')).toBe(Addon.KNATIVE_SERVING);
    expect(Addon.fromId('strimzi')).toBe(Addon.STRIMZI);
    expect(Addon.fromId('knative-kafka-source')).toBe(Addon.KNATIVE_KAFKA_SOURCE);
    expect(KnativeFeature.fromName('kubernetes.podspec-nodeselector')).toBe(KnativeFeature.PODSPEC_NODESELECTOR);
    expect(KueueIntegration.fromName('kubeflow.org/tfjob')).toBe(KueueIntegration.TF_JOB);
    expectValidationError(() => Addon.fromId('knative'), 'Addon.id', '');
    expectValidationError(() => KnativeFeature.fromName('kubernetes.podspec-hostnetwork'), 'KnativeFeature.name', '');
    expectValidationError(() => KueueIntegration.fromName('kubeflow.org/tfjobs'), 'KueueIntegration.name', '');
    expect(KueueIntegration.defaults().map((k) => k.name)).not.toContain('kubeflow.org/tfjob');
  });

  test('Kueue defaults are the chart\'s', () => {
    const defaults = parse(readFileSync(join(__dirname, 'fixtures', 'kueue-default-manager-config.yaml'), 'utf8'));
    expect(KueueIntegration.defaults().map((k) => k.name)).toEqual(defaults.integrations.frameworks);
  });
});

describe('KubernetesVersions', () => {
  test('compares versions as EKS and GKE write them', () => {
    expect(KubernetesVersions.atLeast('1.34', '1.34.0')).toBe(true);
    expect(KubernetesVersions.atLeast('v1.35.7-gke.1222000', '1.34.0')).toBe(true);
    expect(KubernetesVersions.atLeast('1.33.9', '1.34.0')).toBe(false);
    expect(KubernetesVersions.atLeast('1.100', '1.34')).toBe(true);
    expect(KubernetesVersions.newest(['1.29.0', '1.34.0', '1.33.0'], '1.28.0')).toBe('1.34.0');
    expect(KubernetesVersions.newest([], '1.28.0')).toBe('1.28.0');
  });

  test('validateAtLeast names the field and who needs the minimum', () => {
    const e = expectValidationError(() => KubernetesVersions.validateAtLeast('aws/eks', 'EksGpuClusterProps.kubernetesVersion', '1.33', '1.34.0', 'Knative Serving 1.23'), 'EksGpuClusterProps.kubernetesVersion', 'aws/eks');
    expect(e.message).toContain('Knative Serving 1.23');
    expectValidationError(() => KubernetesVersions.validateAtLeast('aws/eks', 'x', 'latest', '1.34.0', 'y'), 'x', 'aws/eks');
    expectValidationError(() => KubernetesVersions.compare('one', '1.34'), 'KubernetesVersions.version', '');
  });
});
