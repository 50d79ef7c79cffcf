import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { Application, ApplicationSpecIgnoreDifferences, ApplicationSpecSource } from '../../imports/argocd-application-argoproj.io';
import { KnativeEventing } from '../../imports/knative-operator-eventings-operator.knative.dev';
import { KnativeServing } from '../../imports/knative-operator-servings-operator.knative.dev';
import { Checks } from '../core/checks';
import { ClusterScope } from '../core/cluster-scope';
import { EksContract } from '../core/eks-contract';
import { ValidationError } from '../core/errors';
import { ObjectOrder } from '../core/k8s/object-order';
import { KubernetesVersions } from '../core/kubernetes-versions';
import { Labels } from '../core/labels';
import { Names } from '../core/names';
import { Regions } from '../core/regions';
import { AddonVersions, Versions } from '../core/versions';
import { EksProvisioning, GpuCloud, GpuPool } from '../gpu/gpu-pool';
import { Addon } from './addon';
import { AddonRequirements } from './addon-requirements';
import { GitOps } from './gitops';
import { KnativeFeature } from './knative-feature';
import { KueueManagerConfig } from './kueue-config';
import { KueueIntegration, MultiKueueDispatcher } from './kueue-integration';

/** MultiKueue settings of the Kueue manager (the bursting cluster's). */
export interface MultiKueueOptions {
  /**
   * How workloads are dispatched to the worker clusters (`multiKueue.dispatcherName`).
   * @default - Kueue's default, MultiKueueDispatcher.ALL_AT_ONCE (not written)
   */
  readonly dispatcher?: MultiKueueDispatcher;
  /**
   * Workers tried at a time by the incremental dispatcher (`multiKueue.incrementalDispatcherConfig.stepSize`), 1 to
   * 100. Only with `MultiKueueDispatcher.INCREMENTAL`.
   * @default - Kueue's default, 3 (not written)
   */
  readonly incrementalStepSize?: number;
}

/** Options of the Kueue add-on. */
export interface KueueAddonOptions {
  /**
   * The whole `integrations.frameworks` list. Every integration a construct of the cluster requires must be in it
   * (else synth fails naming the construct).
   * @default - Kueue 0.19's default list plus every integration required (e.g. `kubeflow.org/tfjob`)
   */
  readonly frameworks?: KueueIntegration[];
  /**
   * MultiKueue dispatcher settings.
   * @default - Kueue's defaults
   */
  readonly multiKueue?: MultiKueueOptions;
}

/**
 * Options of the Strimzi add-on: which namespaces its cluster operator watches for `Kafka` clusters (and the other
 * `kafka.strimzi.io` resources the cluster operator owns). It always watches its own namespace (`strimzi`).
 */
export interface StrimziAddonOptions {
  /**
   * Namespaces to watch besides those constructs require (`AddonRequirement.strimziNamespaces`). Each must exist
   * before the add-ons sync: the chart binds the operator's role in it (a RoleBinding per namespace).
   * @default - only the namespaces constructs require
   */
  readonly watchNamespaces?: string[];
  /**
   * Watch every namespace (the chart's `watchAnyNamespace`: ClusterRoleBindings instead of one RoleBinding per
   * namespace). Not with `watchNamespaces`.
   * @default false (least privilege: only the namespaces needed)
   */
  readonly watchAnyNamespace?: boolean;
}

/** Options of the Knative Serving add-on (the `KnativeServing` custom resource's `spec.config`). */
export interface KnativeServingAddonOptions {
  /**
   * `config-features` entries, over the flags constructs require (which are `enabled`): a key of Knative Serving
   * 1.23's config-features, a value `enabled`, `disabled` or `allowed` (`secure-pod-defaults` also takes
   * `AllowRootBounded`). Setting a required flag to anything but `enabled` fails at synth naming the construct.
   * @default - exactly the flags constructs require, enabled
   */
  readonly features?: { [flag: string]: string };
  /**
   * `config-observability` entries (Knative Serving 1.23 config/core/configmaps/observability.yaml): request logs
   * (`logging.enable-request-log`, `logging.request-log-template`), tracing (`tracing-protocol`, `tracing-endpoint`,
   * `tracing-sampling-rate`), metrics (`metrics-protocol`, `metrics-endpoint`, ...).
   * @default - Knative's defaults (no tracing, no metrics export)
   */
  readonly observability?: { [key: string]: string };
  /**
   * `config-autoscaler` entries (e.g. `scale-to-zero-grace-period`, `stable-window`).
   * @default - Knative's defaults (scale to zero enabled)
   */
  readonly autoscaler?: { [key: string]: string };
  /**
   * Entries of other Serving ConfigMaps, by name without the `config-` prefix (`network`, `deployment`, `defaults`,
   * `domain`, `gc`, ...). `network.ingress-class` defaults to Kourier's, the ingress the add-on installs.
   * @default - Knative's defaults, with Kourier as the ingress
   */
  readonly config?: { [configMap: string]: { [key: string]: string } };
}

/** Options of the Knative Eventing add-on (the `KnativeEventing` custom resource's `spec.config`). */
export interface KnativeEventingAddonOptions {
  /**
   * Entries of Eventing ConfigMaps, by name without the `config-` prefix (`features`, `observability`, `tracing`,
   * `br-defaults`, ...).
   * @default - Knative Eventing's defaults
   */
  readonly config?: { [configMap: string]: { [key: string]: string } };
}

/** Helm values over what the library sets for one add-on. */
export interface AddonValues {
  /**
   * The add-on (a Helm one: not the training operator, which is a kustomize overlay, nor the KafkaSource controller,
   * which the KnativeEventing resource switches on).
   */
  readonly addon: Addon;
  /**
   * Values deep-merged over the library's (objects merge, everything else replaces). For Knative Serving and
   * Eventing: the Knative Operator chart's values (configure Knative itself with `knativeServing` / `knativeEventing`).
   * For Kueue, use `kueue` for the manager configuration (`managerConfig` is refused here); for Strimzi, `strimzi` for
   * the watched namespaces (`watchNamespaces` and `watchAnyNamespace` are refused here).
   */
  readonly values: { [key: string]: any };
}

/** Props of {@link ClusterAddons}. */
export interface ClusterAddonsProps {
  /**
   * Name of the cluster in the platform (its output is `dist/<clusterName>`): the prefix of every Application name,
   * so that one Argo CD can deliver several clusters.
   */
  readonly clusterName: string;
  /**
   * The GPU pools of the cluster: a Karpenter pool needs Karpenter, an EKS managed-node-group pool the Cluster
   * Autoscaler.
   * @default - none
   */
  readonly gpuPools?: GpuPool[];
  /**
   * Name of the EKS cluster (Karpenter's `settings.clusterName`, the Cluster Autoscaler's auto-discovery).
   * @default - the `clusterName` of the EKS pools in `gpuPools`
   */
  readonly eksClusterName?: string;
  /**
   * AWS region of the EKS cluster: required when the Cluster Autoscaler is installed (its `awsRegion`).
   * @default - none
   */
  readonly awsRegion?: string;
  /**
   * Add-ons to install even though no construct requires them.
   * @default - none
   */
  readonly include?: Addon[];
  /**
   * Add-ons never to install (installed some other way). A construct that requires one fails at synth, naming it.
   * @default - none
   */
  readonly exclude?: Addon[];
  /**
   * Helm values over the library's, per add-on.
   * @default - none
   */
  readonly values?: AddonValues[];
  /**
   * Kueue's manager configuration.
   * @default - Kueue's defaults plus the integrations required
   */
  readonly kueue?: KueueAddonOptions;
  /**
   * The Strimzi cluster operator's watched namespaces.
   * @default - the namespaces constructs require
   */
  readonly strimzi?: StrimziAddonOptions;
  /**
   * Knative Serving's configuration.
   * @default - the feature flags required, Kourier ingress, Knative's defaults otherwise
   */
  readonly knativeServing?: KnativeServingAddonOptions;
  /**
   * Knative Eventing's configuration.
   * @default - Knative's defaults
   */
  readonly knativeEventing?: KnativeEventingAddonOptions;
  /**
   * Namespace of Argo CD (where the Applications go).
   * @default "argocd"
   */
  readonly argoCdNamespace?: string;
  /**
   * Argo CD project of the Applications. The project must allow the add-ons' destinations (their namespaces, and
   * cluster-scoped resources: CRDs, webhooks, ClusterRoles; Kueue also binds a Role in kube-system).
   * @default "default"
   */
  readonly project?: string;
  /**
   * API server of the cluster, as Argo CD knows it (`spec.destination.server`).
   * @default "https://kubernetes.default.svc" (the cluster Argo CD runs in)
   */
  readonly destinationServer?: string;
}

/** What an Application of an add-on is made of. */
interface AppDefinition {
  readonly addon: Addon;
  /** Application name suffix, Helm release name, `app.kubernetes.io/name`. */
  readonly name: string;
  readonly namespace: string;
  readonly wave: number;
  readonly source: ApplicationSpecSource;
  readonly serverSideApply: boolean;
  readonly ignoreDifferences: ApplicationSpecIgnoreDifferences[];
}

/** Who needs an add-on, for error messages. */
interface Need {
  readonly by: string;
  readonly field: string;
  readonly reason: string;
  readonly features: KnativeFeature[];
  readonly integrations: KueueIntegration[];
  readonly observability?: { [key: string]: string };
  readonly ingress?: string;
  readonly dispatcher?: MultiKueueDispatcher;
  readonly stepSize?: number;
  readonly strimziNamespaces?: string[];
}

/** `.webhooks[]?.clientConfig.caBundle` of webhook configurations, filled at run time by a cert rotator or cainjector. */
const webhookCaBundles = (...kinds: string[]): ApplicationSpecIgnoreDifferences[] =>
  kinds.map((kind) => ({ group: 'admissionregistration.k8s.io', kind, jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] }));
/** The caBundle of CRD conversion webhooks, filled at run time. */
const CRD_CA_BUNDLE: ApplicationSpecIgnoreDifferences = {
  group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', jqPathExpressions: ['.spec.conversion.webhook.clientConfig.caBundle'],
};

const FLAG_VALUES = ['enabled', 'disabled', 'allowed'];
/** config-observability keys of Knative Serving 1.23 (config/core/configmaps/observability.yaml). */
const OBSERVABILITY_KEYS = [
  'logging.enable-probe-request-log', 'logging.enable-request-log', 'logging.enable-var-log-collection',
  'logging.request-log-template', 'logging.revision-url-template', 'metrics-endpoint', 'metrics-export-interval',
  'metrics-protocol', 'request-metrics-endpoint', 'request-metrics-export-interval', 'request-metrics-protocol',
  'runtime-profiling', 'tracing-endpoint', 'tracing-protocol', 'tracing-sampling-rate',
];
const PROTOCOLS: { [key: string]: string[] } = {
  'tracing-protocol': ['none', 'grpc', 'http/protobuf', 'stdout'],
  'metrics-protocol': ['none', 'prometheus', 'grpc', 'http/protobuf'],
  'request-metrics-protocol': ['none', 'prometheus', 'grpc', 'http/protobuf'],
};
/** The ingress class of Kourier, which the KnativeServing asks the operator to install. */
const KOURIER_INGRESS_CLASS = 'kourier.ingress.networking.knative.dev';
/** Namespace of the Strimzi cluster operator (its Helm release namespace, always watched). */
const STRIMZI_NAMESPACE = 'strimzi';
/** Helm values of the Strimzi chart that ClusterAddonsProps.strimzi sets. */
const STRIMZI_WATCH_VALUES = ['watchNamespaces', 'watchAnyNamespace'];
/** Annotation documenting why a namespace does not enforce the restricted Pod Security level (as GpuNodePool's). */
const POD_SECURITY_EXCEPTION = 'ai-platform/pod-security-exception';
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const HTTPS_URL = /^https:\/\/[a-z0-9.-]+(:\d+)?(\/[^\s]*)?$/i;

/**
 * The operators one cluster needs, as Argo CD Applications (`argoproj.io/v1alpha1`) of pinned upstream charts and
 * manifests ({@link AddonVersions}), configured by what the cluster's constructs declared
 * (`AddonRequirements.require`) and by its GPU pools: Kueue with the integrations its jobs need, the Knative
 * Operator with a `KnativeServing` whose `config-features` enables exactly the flags its models need (and a
 * `KnativeEventing`, with eventing-kafka-broker's KafkaSource controller when a construct needs it), the Strimzi
 * cluster operator watching the namespaces of the Kafka clusters constructs use, the training operator, cert-manager
 * and trust-manager, and on EKS Karpenter and the Cluster Autoscaler.
 *
 * Build it once per cluster, **after every workload of the cluster**: it installs what was required when it is
 * constructed, and a requirement recorded later fails at synth naming the late construct. A requirement it cannot
 * meet (an add-on in `exclude`, a Knative flag set to `disabled`, an integration left out of `kueue.frameworks`)
 * fails at synth naming the construct that needs it and what is missing.
 *
 * Every Application syncs automatically (prune, self-heal), creates its namespace, carries the resources finalizer
 * (deleting it deletes the add-on), ignores the webhook `caBundle` fields the operators rotate, and applies server
 * side where a CRD exceeds the 256 KiB last-applied annotation (Kueue, the training operator). Sync waves order them
 * before the workloads ({@link GitOps}).
 */
export class ClusterAddons extends Construct {
  /** The add-ons installed, in install order. */
  public readonly installed: Addon[];
  /** Every Application (escape hatch), in install order. */
  public readonly applications: ApiObject[];
  /** The KnativeServing custom resource, when Knative Serving is installed (escape hatch). */
  public readonly knativeServing?: ApiObject;
  /** The KnativeEventing custom resource, when Knative Eventing is installed (escape hatch). */
  public readonly knativeEventing?: ApiObject;
  /** Knative Serving's `config-features` as written (empty without Knative Serving). */
  public readonly knativeFeatures: { [flag: string]: string };
  /** Kueue's `integrations.frameworks` as written (empty without Kueue). */
  public readonly kueueFrameworks: string[];
  /**
   * Kueue's MultiKueue dispatcher as written (`multiKueue.dispatcherName`): the user's or the one constructs require.
   * Undefined without Kueue or when neither sets one (Kueue's default, MultiKueueDispatcher.ALL_AT_ONCE).
   */
  public readonly multiKueueDispatcher?: MultiKueueDispatcher;
  /**
   * Namespaces the Strimzi cluster operator watches besides its own, sorted (empty without Strimzi, and with
   * `ClusterAddonsProps.strimzi.watchAnyNamespace`, which watches all).
   */
  public readonly strimziWatchNamespaces: string[];
  /**
   * The oldest Kubernetes version every installed add-on runs on (e.g. "1.34.0" with Knative 1.23, which exits on
   * an older API server; "1.29.0" with Kueue 0.19 alone). Check the cluster's version against it with
   * `KubernetesVersions.validateAtLeast`.
   */
  public readonly minimumKubernetesVersion: string;

  private readonly appsByAddon = new Map<Addon, ApiObject[]>();

  public constructor(scope: Construct, id: string, props: ClusterAddonsProps) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    Checks.object(path, 'ClusterAddonsProps', props);
    const clusterName = Names.validateDnsLabel(path, 'ClusterAddonsProps.clusterName', props.clusterName);
    const argoCdNamespace = props.argoCdNamespace === undefined ? 'argocd' : Names.validateDnsLabel(path, 'ClusterAddonsProps.argoCdNamespace', props.argoCdNamespace);
    const project = props.project === undefined ? 'default' : Names.validateDnsLabel(path, 'ClusterAddonsProps.project', props.project);
    const server = props.destinationServer ?? 'https://kubernetes.default.svc';
    if (typeof server !== 'string' || !HTTPS_URL.test(server)) {
      throw new ValidationError(path, 'ClusterAddonsProps.destinationServer', server, 'expected the https URL of the cluster\'s API server, e.g. "https://kubernetes.default.svc"');
    }
    const include = ClusterAddons.addonList(path, 'ClusterAddonsProps.include', props.include);
    const exclude = ClusterAddons.addonList(path, 'ClusterAddonsProps.exclude', props.exclude);
    const both = include.find((a) => exclude.includes(a));
    if (both) throw new ValidationError(path, 'ClusterAddonsProps.exclude', both.id, 'expected an add-on not also in ClusterAddonsProps.include');
    const pools = Checks.optionalArray(path, 'ClusterAddonsProps.gpuPools', props.gpuPools, []);
    pools.forEach((p, i) => Checks.instance(path, `ClusterAddonsProps.gpuPools[${i}]`, p, GpuPool, 'a GpuPool (GpuPool.onPrem(), GpuPool.eks(), GpuPool.gke())'));

    ClusterScope.claimUnique(this, 'ClusterAddons', 'cluster', 'ClusterAddons');
    AddonRequirements.markBuilt(this);

    // Who needs what: the constructs' requirements, the GPU pools, the user's include list, and what add-ons need.
    const needs = new Map<Addon, Need[]>();
    const add = (addon: Addon, need: Need) => needs.set(addon, [...(needs.get(addon) ?? []), need]);
    for (const { by, requirement } of AddonRequirements.of(this)) {
      add(requirement.addon, {
        by: by.node.path, field: 'AddonRequirement.addon', reason: requirement.reason ?? requirement.addon.displayName,
        features: requirement.knativeFeatures ?? [], integrations: requirement.kueueIntegrations ?? [],
        observability: requirement.knativeObservability, ingress: requirement.knativeIngress,
        dispatcher: requirement.multiKueueDispatcher, stepSize: requirement.multiKueueStepSize, strimziNamespaces: requirement.strimziNamespaces,
      });
    }
    const eksPools: string[] = [];
    pools.forEach((pool, i) => {
      if (pool.cloud !== GpuCloud.AWS) return;
      eksPools.push(pool.clusterName!);
      const karpenter = pool.provisioning === EksProvisioning.KARPENTER;
      add(karpenter ? Addon.KARPENTER : Addon.CLUSTER_AUTOSCALER, {
        by: path, field: `ClusterAddonsProps.gpuPools[${i}]`, features: [], integrations: [],
        reason: `GPU pool "${pool.name}" (${karpenter ? 'Karpenter' : 'EKS managed node group'})`,
      });
    });
    for (const addon of include) add(addon, { by: path, field: 'ClusterAddonsProps.include', reason: 'ClusterAddonsProps.include', features: [], integrations: [] });
    for (const need of needs.get(Addon.TRUST_MANAGER) ?? []) {
      add(Addon.CERT_MANAGER, { ...need, reason: `trust-manager (for ${need.reason}), whose webhook certificate cert-manager issues`, features: [], integrations: [] });
    }
    for (const need of needs.get(Addon.KNATIVE_KAFKA_SOURCE) ?? []) {
      add(Addon.KNATIVE_EVENTING, {
        by: need.by, field: need.field, features: [], integrations: [],
        reason: `the KafkaSource controller (for ${need.reason}), which the Knative Operator installs with Knative Eventing`,
      });
    }

    const problems: ValidationError[] = [];
    for (const addon of exclude) {
      for (const need of needs.get(addon) ?? []) {
        problems.push(new ValidationError(need.by, need.field, addon.id,
          `expected an add-on the cluster installs: ClusterAddons ${path} excludes ${addon.displayName} (ClusterAddonsProps.exclude), which ${need.reason} needs`));
      }
    }
    this.installed = Addon.all().filter((a) => needs.has(a) && !exclude.includes(a));
    const installs = (a: Addon) => this.installed.includes(a);

    this.kueueFrameworks = installs(Addon.KUEUE) ? this.frameworks(path, props.kueue, needs.get(Addon.KUEUE) ?? [], problems) : [];
    const multiKueue = installs(Addon.KUEUE) ? this.multiKueue(path, props.kueue, needs.get(Addon.KUEUE) ?? [], problems) : {};
    this.multiKueueDispatcher = multiKueue.dispatcher;
    const strimzi = installs(Addon.STRIMZI) ? ClusterAddons.strimziWatch(path, props.strimzi, needs.get(Addon.STRIMZI) ?? []) : { namespaces: [], any: false };
    this.strimziWatchNamespaces = strimzi.namespaces;
    this.knativeFeatures = installs(Addon.KNATIVE_SERVING) ? this.features(path, props.knativeServing, needs.get(Addon.KNATIVE_SERVING) ?? [], problems) : {};
    Checks.atSynth(this, () => problems);

    const eksClusterName = props.eksClusterName === undefined ? undefined : Names.validateDnsLabel(path, 'ClusterAddonsProps.eksClusterName', props.eksClusterName);
    const eksNames = [...new Set([...(eksClusterName ? [eksClusterName] : []), ...eksPools])];
    if (eksNames.length > 1) {
      throw new ValidationError(path, 'ClusterAddonsProps.gpuPools', eksNames, 'expected EKS pools of one cluster (and eksClusterName, when given, naming that cluster)');
    }
    const eks = eksNames[0];
    if ((installs(Addon.KARPENTER) || installs(Addon.CLUSTER_AUTOSCALER)) && !eks) {
      throw new ValidationError(path, 'ClusterAddonsProps.eksClusterName', undefined, 'expected the EKS cluster name: Karpenter and the Cluster Autoscaler need it (or give the EKS gpuPools)');
    }
    const region = installs(Addon.CLUSTER_AUTOSCALER)
      ? Regions.validateAws(path, 'ClusterAddonsProps.awsRegion', props.awsRegion as string)
      : (props.awsRegion === undefined ? undefined : Regions.validateAws(path, 'ClusterAddonsProps.awsRegion', props.awsRegion));

    const overrides = new Map<Addon, { [key: string]: any }>();
    Checks.optionalArray(path, 'ClusterAddonsProps.values', props.values, []).forEach((v, i) => {
      const field = `ClusterAddonsProps.values[${i}]`;
      Checks.object(path, field, v);
      const addon = Checks.instance(path, `${field}.addon`, v.addon, Addon, 'an Addon such as Addon.KUEUE');
      const values = Checks.object(path, `${field}.values`, v.values, 'a map of Helm values');
      if (!installs(addon)) throw new ValidationError(path, `${field}.addon`, addon.id, `expected an installed add-on (${this.installed.map((a) => a.id).join(', ') || 'none'}): add it to ClusterAddonsProps.include`);
      if (addon === Addon.TRAINING_OPERATOR) throw new ValidationError(path, `${field}.addon`, addon.id, 'expected a Helm add-on: the training operator is a kustomize overlay and takes no values');
      if (addon === Addon.KNATIVE_KAFKA_SOURCE) throw new ValidationError(path, `${field}.addon`, addon.id, 'expected a Helm add-on: the KafkaSource controller is switched on in the KnativeEventing resource (spec.source.kafka) and takes no values');
      const watch = addon === Addon.STRIMZI ? STRIMZI_WATCH_VALUES.find((k) => k in values) : undefined;
      if (watch) throw new ValidationError(path, `${field}.values.${watch}`, values[watch], 'expected no watched namespaces here: set them with ClusterAddonsProps.strimzi (the namespaces constructs require are added to it)');
      if (addon === Addon.KUEUE && 'managerConfig' in values) throw new ValidationError(path, `${field}.values.managerConfig`, values.managerConfig, 'expected no managerConfig: set Kueue\'s manager configuration with ClusterAddonsProps.kueue');
      const key = addon === Addon.KNATIVE_EVENTING ? Addon.KNATIVE_SERVING : addon; // one Knative Operator chart
      overrides.set(key, ClusterAddons.merge(overrides.get(key) ?? {}, values));
    });

    const definitions = this.definitions({ multiKueue, strimzi, eks, region, overrides, path });
    this.applications = [];
    for (const def of definitions) {
      const app = this.newApplication(def, clusterName, argoCdNamespace, project, server);
      this.applications.push(app);
      this.appsByAddon.set(def.addon, [...(this.appsByAddon.get(def.addon) ?? []), app]);
    }
    if (installs(Addon.KNATIVE_SERVING)) this.knativeServing = this.serving(props.knativeServing, needs.get(Addon.KNATIVE_SERVING) ?? [], problems);
    if (installs(Addon.KNATIVE_EVENTING)) this.knativeEventing = this.eventing(path, props.knativeEventing, installs(Addon.KNATIVE_KAFKA_SOURCE));

    const minimums: { [addon: string]: string } = {
      [Addon.KUEUE.id]: AddonVersions.KUEUE_MIN_KUBERNETES,
      [Addon.KNATIVE_SERVING.id]: AddonVersions.KNATIVE_MIN_KUBERNETES,
      [Addon.KNATIVE_EVENTING.id]: AddonVersions.KNATIVE_MIN_KUBERNETES,
      [Addon.KNATIVE_KAFKA_SOURCE.id]: AddonVersions.KNATIVE_MIN_KUBERNETES,
      [Addon.STRIMZI.id]: AddonVersions.STRIMZI_MIN_KUBERNETES,
      [Addon.TRAINING_OPERATOR.id]: AddonVersions.TRAINING_OPERATOR_MIN_KUBERNETES,
      [Addon.CERT_MANAGER.id]: AddonVersions.CERT_MANAGER_MIN_KUBERNETES,
      [Addon.TRUST_MANAGER.id]: AddonVersions.TRUST_MANAGER_MIN_KUBERNETES,
      [Addon.KARPENTER.id]: AddonVersions.KARPENTER_MIN_KUBERNETES,
      [Addon.CLUSTER_AUTOSCALER.id]: AddonVersions.CLUSTER_AUTOSCALER_MIN_KUBERNETES,
    };
    this.minimumKubernetesVersion = KubernetesVersions.newest(this.installed.map((a) => minimums[a.id]), `${Versions.KUBERNETES}.0`);
  }

  /** The Applications of one add-on (Karpenter has two: its CRD chart and its controller); empty when not installed. */
  public applicationsOf(addon: Addon): ApiObject[] {
    return [...(this.appsByAddon.get(addon) ?? [])];
  }

  /** True when the add-on is installed. */
  public installs(addon: Addon): boolean {
    return this.installed.includes(addon);
  }

  /** Kueue's `integrations.frameworks`: the user's list, or the defaults plus what is required. */
  private frameworks(path: string, options: KueueAddonOptions | undefined, needs: Need[], problems: ValidationError[]): string[] {
    const opts = Checks.optionalObject(path, 'ClusterAddonsProps.kueue', options) ?? {};
    let list: KueueIntegration[];
    if (opts.frameworks !== undefined) {
      list = Checks.array(path, 'ClusterAddonsProps.kueue.frameworks', opts.frameworks);
      list.forEach((k, i) => Checks.instance(path, `ClusterAddonsProps.kueue.frameworks[${i}]`, k, KueueIntegration, 'a KueueIntegration such as KueueIntegration.TF_JOB'));
      for (const need of needs) {
        for (const k of need.integrations.filter((x) => !list.includes(x))) {
          problems.push(new ValidationError(need.by, 'AddonRequirement.kueueIntegrations', k.name,
            `expected a Kueue integration the cluster enables: ClusterAddonsProps.kueue.frameworks of ${path} leaves it out (add KueueIntegration.fromName(${JSON.stringify(k.name)}))`));
        }
      }
    } else {
      const required = new Set(needs.flatMap((n) => n.integrations));
      list = KueueIntegration.all().filter((k) => k.enabledByDefault || required.has(k));
    }
    return [...new Set(list.map((k) => k.name))];
  }

  /**
   * Kueue's `multiKueue` settings: the user's dispatcher, else the one constructs require. A requirement that the
   * user's dispatcher, or another construct's, contradicts is a problem naming the construct.
   */
  private multiKueue(path: string, options: KueueAddonOptions | undefined, needs: Need[], problems: ValidationError[]): { dispatcher?: MultiKueueDispatcher; stepSize?: number } {
    const opts = Checks.optionalObject(path, 'ClusterAddonsProps.kueue', options) ?? {};
    const multi = Checks.optionalObject(path, 'ClusterAddonsProps.kueue.multiKueue', opts.multiKueue) ?? {};
    const given = multi.dispatcher === undefined ? undefined
      : Checks.instance(path, 'ClusterAddonsProps.kueue.multiKueue.dispatcher', multi.dispatcher, MultiKueueDispatcher, 'MultiKueueDispatcher.ALL_AT_ONCE or MultiKueueDispatcher.INCREMENTAL');
    let dispatcher = given;
    let first: Need | undefined;
    for (const need of needs.filter((n) => n.dispatcher !== undefined)) {
      const wanted = need.dispatcher!;
      if (given !== undefined && wanted !== given) {
        problems.push(new ValidationError(need.by, 'AddonRequirement.multiKueueDispatcher', wanted.name,
          `expected ClusterAddonsProps.kueue.multiKueue.dispatcher of ${path} to leave the dispatcher to "${wanted.name}" (it sets "${given.name}"), which ${need.reason} relies on`));
      } else if (first !== undefined && wanted !== first.dispatcher) {
        problems.push(new ValidationError(need.by, 'AddonRequirement.multiKueueDispatcher', wanted.name,
          `expected the dispatcher ${first.by} requires ("${first.dispatcher!.name}"): a Kueue manager has one MultiKueue dispatcher, and ${need.reason} asks for another`));
      } else if (first === undefined) {
        first = need;
        dispatcher ??= wanted;
      }
    }
    let stepSize: number | undefined;
    if (multi.incrementalStepSize !== undefined) {
      stepSize = Checks.number(path, 'ClusterAddonsProps.kueue.multiKueue.incrementalStepSize', multi.incrementalStepSize, 1, 100);
      if (dispatcher !== MultiKueueDispatcher.INCREMENTAL) {
        throw new ValidationError(path, 'ClusterAddonsProps.kueue.multiKueue.incrementalStepSize', stepSize, 'expected only with dispatcher MultiKueueDispatcher.INCREMENTAL (Kueue ignores it otherwise)');
      }
    }
    // the step size a construct relies on (the order of a burst's workers): the user's must agree, and one per manager
    const userStep = stepSize;
    let stepBy: Need | undefined;
    for (const need of needs.filter((n) => n.stepSize !== undefined)) {
      if (userStep !== undefined && need.stepSize !== userStep) {
        problems.push(new ValidationError(need.by, 'AddonRequirement.multiKueueStepSize', need.stepSize,
          `expected ClusterAddonsProps.kueue.multiKueue.incrementalStepSize of ${path} to leave the step size to ${need.stepSize} (it sets ${userStep}), which ${need.reason} relies on`));
      } else if (stepBy !== undefined && need.stepSize !== stepBy.stepSize) {
        problems.push(new ValidationError(need.by, 'AddonRequirement.multiKueueStepSize', need.stepSize,
          `expected the step size ${stepBy.by} requires (${stepBy.stepSize}): a Kueue manager has one incremental dispatcher`));
      } else if (stepBy === undefined) {
        stepBy = need;
        stepSize ??= need.stepSize;
      }
    }
    return { dispatcher, stepSize };
  }

  /** The namespaces the Strimzi cluster operator watches: the user's and the required ones, or all of them. */
  private static strimziWatch(path: string, options: StrimziAddonOptions | undefined, needs: Need[]): { namespaces: string[]; any: boolean } {
    const opts = Checks.optionalObject(path, 'ClusterAddonsProps.strimzi', options) ?? {};
    const any = Checks.boolean(path, 'ClusterAddonsProps.strimzi.watchAnyNamespace', opts.watchAnyNamespace, false);
    const given = Checks.optionalArray(path, 'ClusterAddonsProps.strimzi.watchNamespaces', opts.watchNamespaces, []);
    given.forEach((ns, i) => Names.validateDnsLabel(path, `ClusterAddonsProps.strimzi.watchNamespaces[${i}]`, ns));
    if (any && given.length) {
      // the chart would render one ClusterRoleBinding per listed namespace, all with the same name
      throw new ValidationError(path, 'ClusterAddonsProps.strimzi.watchNamespaces', given, 'expected no namespaces with watchAnyNamespace: true (it watches all of them)');
    }
    if (any) return { namespaces: [], any };
    const all = new Set([...given, ...needs.flatMap((n) => n.strimziNamespaces ?? [])]);
    all.delete(STRIMZI_NAMESPACE);
    return { namespaces: [...all].sort(), any };
  }

  /** Knative Serving's `config-features`: the required flags enabled, then the user's entries. */
  private features(path: string, options: KnativeServingAddonOptions | undefined, needs: Need[], problems: ValidationError[]): { [flag: string]: string } {
    const opts = Checks.optionalObject(path, 'ClusterAddonsProps.knativeServing', options) ?? {};
    const user = opts.features === undefined ? {} : Checks.stringMap(path, 'ClusterAddonsProps.knativeServing.features', opts.features);
    const keys = KnativeFeature.allKeys();
    for (const [key, value] of Object.entries(user)) {
      const field = `ClusterAddonsProps.knativeServing.features["${key}"]`;
      if (!keys.includes(key)) throw new ValidationError(path, field, key, `expected a Knative Serving 1.23 config-features key: ${keys.join(', ')}`);
      const allowed = key === 'secure-pod-defaults' ? [...FLAG_VALUES, 'AllowRootBounded'] : FLAG_VALUES;
      Checks.oneOf(path, field, value, allowed);
    }
    const features: { [flag: string]: string } = {};
    const required = [...new Set(needs.flatMap((n) => n.features.map((f) => f.name)))].sort();
    for (const flag of required) features[flag] = 'enabled';
    for (const [key, value] of Object.entries(user)) {
      features[key] = value;
      if (value === 'enabled') continue;
      for (const need of needs.filter((n) => n.features.some((f) => f.name === key))) {
        problems.push(new ValidationError(need.by, 'AddonRequirement.knativeFeatures', key,
          `expected the Knative feature flag enabled: ClusterAddonsProps.knativeServing.features of ${path} sets it to ${JSON.stringify(value)}, and Knative's webhook would refuse the Service`));
      }
    }
    return features;
  }

  /** The Applications of the installed add-ons, in install order (upstream sources: see AddonVersions). */
  private definitions(ctx: {
    multiKueue: { dispatcher?: MultiKueueDispatcher; stepSize?: number };
    strimzi: { namespaces: string[]; any: boolean };
    eks?: string; region?: string; overrides: Map<Addon, { [key: string]: any }>; path: string;
  }): AppDefinition[] {
    const defs: AppDefinition[] = [];
    const values = (addon: Addon, base: { [key: string]: any }) => ClusterAddons.merge(base, ctx.overrides.get(addon) ?? {});
    const helm = (addon: Addon, name: string, repoURL: string, chart: string, version: string, base: { [key: string]: any }, extra: object = {}): ApplicationSpecSource => {
      const merged = values(addon, base);
      return {
        repoUrl: repoURL, chart, targetRevision: version,
        helm: { releaseName: name, ...(Object.keys(merged).length ? { valuesObject: merged } : {}), ...extra },
      };
    };
    const installs = (a: Addon) => this.installed.includes(a);
    if (installs(Addon.CERT_MANAGER)) {
      // OCI chart quay.io/jetstack/charts/cert-manager (cert-manager website, installation/helm.md: "The OCI Helm charts
      // are the source of truth"); Argo CD takes an OCI Helm repository without the oci:// scheme (docs/user-guide/helm.md).
      defs.push({
        addon: Addon.CERT_MANAGER, name: 'cert-manager', namespace: 'cert-manager', wave: GitOps.WAVE_ADDONS,
        // crds.enabled installs the CRDs with the chart; crds.keep (the default) keeps them when the release goes.
        source: helm(Addon.CERT_MANAGER, 'cert-manager', 'quay.io/jetstack/charts', 'cert-manager', AddonVersions.CERT_MANAGER, { crds: { enabled: true, keep: true } }),
        serverSideApply: false,
        // cainjector fills the webhook configurations' caBundle
        ignoreDifferences: webhookCaBundles('MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'),
      });
    }
    if (installs(Addon.TRUST_MANAGER)) {
      defs.push({
        addon: Addon.TRUST_MANAGER, name: 'trust-manager', namespace: 'cert-manager', wave: GitOps.WAVE_ADDON_EXTENSIONS,
        // app.trust.namespace defaults to cert-manager: Bundle sources are read from there. The webhook certificate is
        // a cert-manager Certificate (app.webhook.tls.helmCert.enabled stays false: a Helm-generated CA would change on
        // every render, and the Application would never be in sync).
        source: helm(Addon.TRUST_MANAGER, 'trust-manager', 'quay.io/jetstack/charts', 'trust-manager', AddonVersions.TRUST_MANAGER, { crds: { enabled: true, keep: true } }),
        serverSideApply: false,
        ignoreDifferences: webhookCaBundles('ValidatingWebhookConfiguration'),
      });
    }
    if (installs(Addon.KARPENTER)) {
      // OCI charts public.ecr.aws/karpenter/karpenter-crd and karpenter (aws/karpenter-provider-aws, website v1.14
      // upgrading/upgrade-guide.md: the CRD chart manages the CRDs; the controller chart then skips its crds/).
      defs.push({
        addon: Addon.KARPENTER, name: 'karpenter-crd', namespace: EksContract.KARPENTER_NAMESPACE, wave: GitOps.WAVE_ADDON_CRDS,
        source: helm(Addon.KARPENTER, 'karpenter-crd', 'public.ecr.aws/karpenter', 'karpenter-crd', AddonVersions.KARPENTER, {}),
        serverSideApply: false, ignoreDifferences: [],
      });
      defs.push({
        addon: Addon.KARPENTER, name: 'karpenter', namespace: EksContract.KARPENTER_NAMESPACE, wave: GitOps.WAVE_ADDONS,
        source: helm(Addon.KARPENTER, 'karpenter', 'public.ecr.aws/karpenter', 'karpenter', AddonVersions.KARPENTER, {
          // EKS Pod Identity: the association Terraform creates (EksGpuCluster) names this namespace and service account
          serviceAccount: { name: EksContract.KARPENTER_SERVICE_ACCOUNT },
          settings: { clusterName: ctx.eks, interruptionQueue: EksContract.interruptionQueueName(ctx.eks!) },
        }, { skipCrds: true }),
        serverSideApply: false, ignoreDifferences: [],
      });
    }
    if (installs(Addon.CLUSTER_AUTOSCALER)) {
      // https://kubernetes.github.io/autoscaler, chart cluster-autoscaler (kubernetes/autoscaler
      // cluster-autoscaler/charts/cluster-autoscaler values.yaml at chart 9.53.0). The service account is named
      // explicitly: the chart's default, <release>-aws-cluster-autoscaler, would not match the Pod Identity association.
      defs.push({
        addon: Addon.CLUSTER_AUTOSCALER, name: 'cluster-autoscaler', namespace: EksContract.CLUSTER_AUTOSCALER_NAMESPACE, wave: GitOps.WAVE_ADDONS,
        source: helm(Addon.CLUSTER_AUTOSCALER, 'cluster-autoscaler', 'https://kubernetes.github.io/autoscaler', 'cluster-autoscaler', AddonVersions.CLUSTER_AUTOSCALER, {
          cloudProvider: 'aws',
          awsRegion: ctx.region,
          autoDiscovery: { clusterName: ctx.eks },
          rbac: { serviceAccount: { create: true, name: EksContract.CLUSTER_AUTOSCALER_SERVICE_ACCOUNT } },
        }),
        serverSideApply: false, ignoreDifferences: [],
      });
    }
    if (installs(Addon.TRAINING_OPERATOR)) {
      // No chart: the kustomize overlay upstream installs with `kubectl apply --server-side -k` (kubeflow/training-operator
      // README at v1.9.0; the repository now redirects to kubeflow/trainer). Its CRDs exceed the last-applied
      // annotation (PyTorchJob 276 KB; TFJob 3 KB under the limit before Argo CD's own annotations), hence server side.
      defs.push({
        addon: Addon.TRAINING_OPERATOR, name: 'training-operator', namespace: 'kubeflow', wave: GitOps.WAVE_ADDONS,
        source: { repoUrl: 'https://github.com/kubeflow/training-operator.git', path: 'manifests/overlays/standalone', targetRevision: AddonVersions.TRAINING_OPERATOR },
        serverSideApply: true,
        // the operator's cert rotator fills validator.training-operator.kubeflow.org's caBundle
        ignoreDifferences: webhookCaBundles('ValidatingWebhookConfiguration'),
      });
    }
    if (installs(Addon.KUEUE)) {
      const { dispatcher, stepSize } = ctx.multiKueue;
      // OCI chart registry.k8s.io/kueue/charts/kueue (charts/kueue/README.md at v0.19.2). Its workloads CRD is 673 KB
      // as JSON: server-side apply. The internal cert rotator fills the webhooks' and the conversion webhooks' caBundle.
      defs.push({
        addon: Addon.KUEUE, name: 'kueue', namespace: 'kueue-system', wave: GitOps.WAVE_ADDONS,
        source: helm(Addon.KUEUE, 'kueue', 'registry.k8s.io/kueue/charts', 'kueue', AddonVersions.KUEUE, {
          managerConfig: { controllerManagerConfigYaml: KueueManagerConfig.render({ frameworks: this.kueueFrameworks, dispatcherName: dispatcher?.name, incrementalStepSize: stepSize }) },
        }),
        serverSideApply: true,
        ignoreDifferences: [...webhookCaBundles('MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'), CRD_CA_BUNDLE],
      });
    }
    if (installs(Addon.STRIMZI)) {
      // OCI chart quay.io/strimzi-helm/strimzi-kafka-operator (strimzi/strimzi-kafka-operator 1.2.0,
      // helm-charts/helm3/strimzi-kafka-operator/README.md "Installing the Chart"; values.yaml `watchNamespaces`,
      // `watchAnyNamespace`; templates/020-RoleBinding-strimzi-cluster-operator.yaml binds the operator in every watched
      // namespace, templates/_helpers.tpl `strimzi.watchNamespacesList` adds the release namespace). Its container
      // security context meets restricted by default since 1.2.0 (values.yaml `securityContext`). Its largest CRD (Kafka,
      // 155 KB as JSON) fits the last-applied annotation; it has no webhooks and its CRDs convert with `strategy: None`.
      defs.push({
        addon: Addon.STRIMZI, name: 'strimzi', namespace: STRIMZI_NAMESPACE, wave: GitOps.WAVE_ADDONS,
        source: helm(Addon.STRIMZI, 'strimzi', 'quay.io/strimzi-helm', 'strimzi-kafka-operator', AddonVersions.STRIMZI,
          ctx.strimzi.any ? { watchAnyNamespace: true } : (ctx.strimzi.namespaces.length ? { watchNamespaces: ctx.strimzi.namespaces } : {})),
        serverSideApply: false, ignoreDifferences: [],
      });
    }
    if (installs(Addon.KNATIVE_SERVING) || installs(Addon.KNATIVE_EVENTING)) {
      // https://knative.github.io/operator, chart knative-operator (knative/operator hack/gh-pages.tmpl; index.yaml
      // version "v1.23.0"). Its CRDs (KnativeServing 144 KB as JSON) fit the annotation; their conversion webhook's
      // caBundle is filled by the operator's webhook.
      defs.push({
        addon: installs(Addon.KNATIVE_SERVING) ? Addon.KNATIVE_SERVING : Addon.KNATIVE_EVENTING,
        name: 'knative-operator', namespace: 'knative-operator', wave: GitOps.WAVE_ADDONS,
        source: helm(Addon.KNATIVE_SERVING, 'knative-operator', 'https://knative.github.io/operator', 'knative-operator', AddonVersions.KNATIVE_OPERATOR, {}),
        serverSideApply: false,
        ignoreDifferences: [CRD_CA_BUNDLE],
      });
    }
    return defs;
  }

  private newApplication(def: AppDefinition, clusterName: string, argoCdNamespace: string, project: string, server: string): ApiObject {
    const name = Names.fit(clusterName, `-${def.name}`, Names.MAX_LABEL_LENGTH);
    const syncOptions = ['CreateNamespace=true'];
    if (def.serverSideApply) syncOptions.push('ServerSideApply=true');
    if (def.ignoreDifferences.length) syncOptions.push('RespectIgnoreDifferences=true');
    return new Application(this, def.name, {
      metadata: {
        name,
        namespace: argoCdNamespace,
        labels: Labels.standard({ name: def.name, instance: name, component: 'addon' }),
        annotations: { [GitOps.SYNC_WAVE_ANNOTATION]: String(def.wave) },
        // on a child Application: deleting it deletes the add-on's resources (Argo CD user-guide/app_deletion.md)
        finalizers: [GitOps.RESOURCES_FINALIZER],
      },
      spec: {
        project,
        source: def.source,
        destination: { server, namespace: def.namespace },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions,
          // a wave may start before the webhooks of the previous one serve: retry instead of failing the sync
          retry: { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
        },
        ...(def.ignoreDifferences.length ? { ignoreDifferences: def.ignoreDifferences } : {}),
      },
    });
  }

  /**
   * The namespace of a Knative component's custom resource (the operator does not create it), where the operator
   * installs the component. `baselineBecause`: why the component cannot run under the restricted level.
   */
  private knativeNamespace(name: string, baselineBecause?: string): void {
    const pss = 'pod-security.kubernetes.io';
    const level = baselineBecause ? 'baseline' : 'restricted';
    new k8s.KubeNamespace(this, `${name}-namespace`, {
      metadata: {
        name,
        labels: {
          ...Labels.standard({ name, instance: name, component: 'namespace' }),
          [`${pss}/enforce`]: level,
          [`${pss}/enforce-version`]: Versions.POD_SECURITY,
          [`${pss}/audit`]: 'restricted',
          [`${pss}/audit-version`]: Versions.POD_SECURITY,
          [`${pss}/warn`]: 'restricted',
          [`${pss}/warn-version`]: Versions.POD_SECURITY,
        },
        annotations: {
          [GitOps.SYNC_WAVE_ANNOTATION]: String(GitOps.WAVE_ADDON_CONFIGURATION),
          ...(baselineBecause ? { [POD_SECURITY_EXCEPTION]: baselineBecause } : {}),
        },
      },
    });
  }

  private serving(options: KnativeServingAddonOptions | undefined, needs: Need[], problems: ValidationError[]): ApiObject {
    const path = this.node.path;
    const opts = options ?? {};
    const given = opts.observability === undefined ? undefined : Checks.stringMap(path, 'ClusterAddonsProps.knativeServing.observability', opts.observability);
    // what the constructs rely on: observability entries set for them (a different value of the user's fails), and
    // the networking layer (this add-on installs Kourier: a construct needing Istio cannot be served here)
    const observability: { [key: string]: string } | undefined = given === undefined ? undefined : { ...given };
    const required: { [key: string]: string } = {};
    for (const need of needs) {
      for (const [key, value] of Object.entries(need.observability ?? {})) {
        const set = given?.[key];
        if (set !== undefined && set !== value) {
          problems.push(new ValidationError(need.by, 'AddonRequirement.knativeObservability', `${key}: ${value}`,
            `expected ClusterAddonsProps.knativeServing.observability of ${path} to leave "${key}" to "${value}" (it sets "${set}"), which ${need.reason} relies on`));
        }
        required[key] = value;
      }
      if (need.ingress === 'istio') {
        problems.push(new ValidationError(need.by, 'AddonRequirement.knativeIngress', 'istio',
          `expected Kourier: ClusterAddons ${path} installs Knative with Kourier, so ${need.reason} (networking: NetworkingLayer.ISTIO) would have no Istio sidecar to enforce it; exclude Addon.KNATIVE_SERVING and install Knative with net-istio yourself`));
      }
    }
    for (const [key, value] of Object.entries(observability ?? {})) {
      const field = `ClusterAddonsProps.knativeServing.observability["${key}"]`;
      if (!OBSERVABILITY_KEYS.includes(key)) throw new ValidationError(path, field, key, `expected a Knative Serving 1.23 config-observability key: ${OBSERVABILITY_KEYS.join(', ')}`);
      if (PROTOCOLS[key]) Checks.oneOf(path, field, value, PROTOCOLS[key]);
    }
    const autoscaler = opts.autoscaler === undefined ? undefined : Checks.stringMap(path, 'ClusterAddonsProps.knativeServing.autoscaler', opts.autoscaler);
    const others = ClusterAddons.configMaps(path, 'ClusterAddonsProps.knativeServing.config', opts.config);
    for (const reserved of ['features', 'observability', 'autoscaler']) {
      if (others[reserved] || others[`config-${reserved}`]) {
        throw new ValidationError(path, `ClusterAddonsProps.knativeServing.config["${others[reserved] ? reserved : `config-${reserved}`}"]`, others[reserved] ?? others[`config-${reserved}`], `expected ${reserved} in ClusterAddonsProps.knativeServing.${reserved}`);
      }
    }
    const config: { [configMap: string]: { [key: string]: string } } = {
      ...others,
      network: { 'ingress-class': KOURIER_INGRESS_CLASS, ...(others.network ?? {}) },
    };
    if (Object.keys(this.knativeFeatures).length) config.features = this.knativeFeatures;
    const merged = { ...required, ...(observability ?? {}) };
    if (Object.keys(merged).length) config.observability = merged;
    if (autoscaler && Object.keys(autoscaler).length) config.autoscaler = autoscaler;
    // every Serving 1.23 and Kourier workload the operator installs here meets restricted (kodata knative-serving/1.23.0,
    // ingress/1.23/kourier: runAsNonRoot, no privilege escalation, ALL capabilities dropped, RuntimeDefault seccomp)
    this.knativeNamespace('knative-serving');
    return new KnativeServing(this, 'knative-serving', {
      metadata: {
        name: 'knative-serving',
        namespace: 'knative-serving',
        labels: Labels.standard({ name: 'knative-serving', instance: 'knative-serving', component: 'configuration' }),
        // after the Knative Operator (its CRD), before every Knative Service
        annotations: { [GitOps.SYNC_WAVE_ANNOTATION]: String(GitOps.WAVE_ADDON_CONFIGURATION) },
      },
      spec: {
        version: AddonVersions.KNATIVE_SERVING,
        // Kourier: the operator installs it (knative/operator pkg/reconciler/knativeserving/ingress); without
        // spec.ingress it would install net-istio, which needs an Istio the platform does not run. The operator does not
        // switch ingress-class itself, hence config.network above.
        ingress: { kourier: { enabled: true } },
        config: ClusterAddons.sorted(config),
      },
    });
  }

  private eventing(path: string, options: KnativeEventingAddonOptions | undefined, kafkaSource: boolean): ApiObject {
    const config = ClusterAddons.configMaps(path, 'ClusterAddonsProps.knativeEventing.config', (options ?? {}).config);
    // Eventing 1.22.2's request-reply StatefulSet sets no securityContext (knative/operator knative-v1.23.0,
    // cmd/operator/kodata/knative-eventing/1.22.2/2-eventing-core.yaml): restricted would refuse its pods. The Kafka
    // source's dispatcher StatefulSet sets runAsUser 1001 but not runAsNonRoot (kodata/eventing-source/1.22/kafka/
    // eventing-kafka-source.yaml), which restricted requires too; its controller, webhook and jobs meet restricted.
    const kafkaException = kafkaSource ? ' The KafkaSource dispatcher of eventing-kafka-broker 1.22 (kafka-source-dispatcher) sets runAsUser 1001 without runAsNonRoot: baseline, not restricted.' : '';
    this.knativeNamespace('knative-eventing', `Knative Eventing 1.22 runs its request-reply StatefulSet without a securityContext (no runAsNonRoot, seccomp or dropped capabilities): it meets baseline, not restricted.${kafkaException} Every other Eventing component, and everything the library emits, meets restricted (audit and warn stay restricted).`);
    return new KnativeEventing(this, 'knative-eventing', {
      metadata: {
        name: 'knative-eventing',
        namespace: 'knative-eventing',
        labels: Labels.standard({ name: 'knative-eventing', instance: 'knative-eventing', component: 'configuration' }),
        annotations: { [GitOps.SYNC_WAVE_ANNOTATION]: String(GitOps.WAVE_ADDON_CONFIGURATION) },
      },
      spec: {
        version: AddonVersions.KNATIVE_EVENTING,
        ...(Object.keys(config).length ? { config: ClusterAddons.sorted(config) } : {}),
        // the operator installs eventing-kafka-broker's KafkaSource controller and dispatcher from its kodata when
        // source.kafka is enabled (knative/operator knative-v1.23.0 pkg/reconciler/knativeeventing/source/source.go);
        // the CRD requires every source of `SourceConfigs` (pkg/apis/operator/v1beta1/knativeeventing_types.go), each
        // with `enabled`: the imported type lists them all
        ...(kafkaSource ? { source: { ceph: { enabled: false }, github: { enabled: false }, gitlab: { enabled: false }, kafka: { enabled: true }, rabbitmq: { enabled: false }, redis: { enabled: false } } } : {}),
      },
    });
  }

  /** `{ configMap: { key: value } }`, every value a string (the operator's ConfigMapData). */
  private static configMaps(path: string, field: string, value: { [configMap: string]: { [key: string]: string } } | undefined): { [configMap: string]: { [key: string]: string } } {
    if (value === undefined) return {};
    Checks.object(path, field, value, 'a map of ConfigMap names to maps of strings');
    for (const [name, data] of Object.entries(value)) {
      if (!Names.isDnsSubdomain(name)) throw new ValidationError(path, field, name, 'expected ConfigMap names such as "network" or "config-network"');
      Checks.stringMap(path, `${field}["${name}"]`, data);
      for (const key of Object.keys(data)) {
        if (!CONFIG_MAP_KEY.test(key)) throw new ValidationError(path, `${field}["${name}"]`, key, 'expected ConfigMap keys of letters, digits, "-", "_" and "."');
      }
    }
    return value;
  }

  private static sorted(config: { [configMap: string]: { [key: string]: string } }): { [configMap: string]: { [key: string]: string } } {
    return Object.fromEntries(Object.keys(config).sort().map((k) => [k, config[k]]));
  }

  private static addonList(path: string, field: string, value: Addon[] | undefined): Addon[] {
    const list = Checks.optionalArray(path, field, value, []);
    list.forEach((a, i) => {
      const known = Addon.all().map((x) => x.id);
      if (typeof a === 'string' && !known.includes(a)) {
        throw new ValidationError(path, `${field}[${i}]`, a, `expected an Addon; add-on ids are ${known.map((x) => JSON.stringify(x)).join(', ')}`);
      }
      Checks.instance(path, `${field}[${i}]`, a, Addon, 'an Addon such as Addon.KUEUE (from configuration: Addon.fromId("kueue"))');
    });
    return list;
  }

  /** `over` deep-merged onto `base`: objects merge, everything else (lists too) replaces. */
  private static merge(base: { [key: string]: any }, over: { [key: string]: any }): { [key: string]: any } {
    const out: { [key: string]: any } = { ...base };
    for (const [key, value] of Object.entries(over)) {
      const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
      out[key] = isObject(value) && isObject(out[key]) ? ClusterAddons.merge(out[key], value) : value;
    }
    return out;
  }
}
