import { IConstruct } from 'constructs';
import { Checks } from '../core/checks';
import { ClusterScope } from '../core/cluster-scope';
import { ValidationError } from '../core/errors';
import { Names } from '../core/names';
import { Addon } from './addon';
import { KnativeFeature } from './knative-feature';
import { KueueIntegration, MultiKueueDispatcher } from './kueue-integration';

/** What a construct needs from its cluster's add-ons. */
export interface AddonRequirement {
  /** The add-on needed. */
  readonly addon: Addon;
  /**
   * Knative Serving `config-features` flags the construct's Services need enabled (only with
   * `Addon.KNATIVE_SERVING`).
   * @default - none
   */
  readonly knativeFeatures?: KnativeFeature[];
  /**
   * Kueue integrations the construct's jobs need (only with `Addon.KUEUE`), e.g. `KueueIntegration.TF_JOB`.
   * @default - none
   */
  readonly kueueIntegrations?: KueueIntegration[];
  /**
   * The MultiKueue dispatcher the construct relies on (only with `Addon.KUEUE`), e.g. `MultiKueueDispatcher.INCREMENTAL`
   * for workers tried in order of cost: the add-on writes it into Kueue's manager configuration
   * (`multiKueue.dispatcherName`), and a different one set by the user (`ClusterAddonsProps.kueue.multiKueue.dispatcher`)
   * or required by another construct fails at synth.
   * @default - any dispatcher
   */
  readonly multiKueueDispatcher?: MultiKueueDispatcher;
  /**
   * Workers the incremental dispatcher adds per round (`multiKueue.incrementalDispatcherConfig.stepSize`, 1 to 100;
   * only with `multiKueueDispatcher: MultiKueueDispatcher.INCREMENTAL`).
   * @default - any
   */
  readonly multiKueueStepSize?: number;
  /**
   * Namespaces of the Strimzi `Kafka` clusters the construct uses (only with `Addon.STRIMZI`): the cluster operator
   * the add-on installs watches them (the chart's `watchNamespaces`), so that it runs those clusters and their Topic
   * Operator. Each namespace must exist before the add-ons sync: the chart binds the operator's role in it.
   * @default - none
   */
  readonly strimziNamespaces?: string[];
  /**
   * Knative Serving `config-observability` entries the construct relies on (only with `Addon.KNATIVE_SERVING`),
   * e.g. `{ 'request-metrics-protocol': 'prometheus' }` for a PodMonitor of queue-proxy's metrics: the add-on sets
   * them, and a different value set by the user fails at synth.
   * @default - none
   */
  readonly knativeObservability?: { [key: string]: string };
  /**
   * The Knative networking layer the construct's Services need (`kourier` or `istio`; only with
   * `Addon.KNATIVE_SERVING`): the add-on installs Kourier, so `istio` fails at synth there.
   * @default - any
   */
  readonly knativeIngress?: string;
  /**
   * Why, in a few words, for error messages and the README of the output (e.g. "the lake's TLS certificate").
   * @default - the add-on's name
   */
  readonly reason?: string;
}

/** A requirement as recorded: who needs what. */
export interface RecordedAddonRequirement {
  /** The construct that needs it. */
  readonly by: IConstruct;
  /** What it needs. */
  readonly requirement: AddonRequirement;
}

/** ClusterScope keys (per cluster: per construct-tree root). */
const REQUIREMENTS = 'addons/requirements';
const BUILT = 'addons/built';

/**
 * Requirements flow one way (DESIGN.md "Shared mechanisms", the pattern of `TeamSpace.reserve`): a construct
 * declares at construction what it needs from its cluster's add-ons (an operator, Knative feature flags, Kueue
 * integrations), and the cluster's `ClusterAddons`, constructed after every workload of the cluster, installs
 * exactly that, or fails at synth naming the construct whose need it cannot meet (an add-on excluded, a flag
 * disabled, an integration left out).
 *
 * A requirement recorded after the cluster's `ClusterAddons` was constructed would never be installed: it fails at
 * synth naming the late construct. In a cluster without `ClusterAddons`, requirements are recorded and nothing is
 * checked (the operators are installed some other way).
 */
export class AddonRequirements {
  /** Declares that `scope` needs `requirement` from the add-ons of its cluster. */
  public static require(scope: IConstruct, requirement: AddonRequirement): void {
    if (typeof scope?.node?.path !== 'string') throw new ValidationError('', 'AddonRequirements.require.scope', scope, 'expected the construct that needs the add-on');
    const path = scope.node.path;
    Checks.object(path, 'AddonRequirement', requirement);
    const addon = Checks.instance(path, 'AddonRequirement.addon', requirement.addon, Addon, `an Addon (${Addon.all().map((a) => `Addon.${a.id.toUpperCase().replace(/-/g, '_')}`).join(', ')})`);
    const features = Checks.optionalArray(path, 'AddonRequirement.knativeFeatures', requirement.knativeFeatures, []);
    features.forEach((f, i) => Checks.instance(path, `AddonRequirement.knativeFeatures[${i}]`, f, KnativeFeature, 'a KnativeFeature such as KnativeFeature.PODSPEC_NODESELECTOR (KnativeFeature.fromName("kubernetes.podspec-nodeselector"))'));
    const integrations = Checks.optionalArray(path, 'AddonRequirement.kueueIntegrations', requirement.kueueIntegrations, []);
    integrations.forEach((k, i) => Checks.instance(path, `AddonRequirement.kueueIntegrations[${i}]`, k, KueueIntegration, 'a KueueIntegration such as KueueIntegration.TF_JOB (KueueIntegration.fromName("kubeflow.org/tfjob"))'));
    if (features.length && addon !== Addon.KNATIVE_SERVING) {
      throw new ValidationError(path, 'AddonRequirement.knativeFeatures', features.map((f) => f.name), 'expected Knative feature flags only with addon Addon.KNATIVE_SERVING');
    }
    const observability = requirement.knativeObservability === undefined ? {}
      : Checks.stringMap(path, 'AddonRequirement.knativeObservability', requirement.knativeObservability);
    if (requirement.knativeIngress !== undefined) Checks.oneOf(path, 'AddonRequirement.knativeIngress', requirement.knativeIngress, ['kourier', 'istio']);
    if ((Object.keys(observability).length || requirement.knativeIngress !== undefined) && addon !== Addon.KNATIVE_SERVING) {
      throw new ValidationError(path, requirement.knativeIngress !== undefined ? 'AddonRequirement.knativeIngress' : 'AddonRequirement.knativeObservability',
        requirement.knativeIngress ?? observability, 'expected Knative observability and ingress only with addon Addon.KNATIVE_SERVING');
    }
    if (integrations.length && addon !== Addon.KUEUE) {
      throw new ValidationError(path, 'AddonRequirement.kueueIntegrations', integrations.map((k) => k.name), 'expected Kueue integrations only with addon Addon.KUEUE');
    }
    if (requirement.multiKueueDispatcher !== undefined) {
      const dispatcher = Checks.instance(path, 'AddonRequirement.multiKueueDispatcher', requirement.multiKueueDispatcher, MultiKueueDispatcher, 'MultiKueueDispatcher.ALL_AT_ONCE or MultiKueueDispatcher.INCREMENTAL');
      if (addon !== Addon.KUEUE) throw new ValidationError(path, 'AddonRequirement.multiKueueDispatcher', dispatcher.name, 'expected a MultiKueue dispatcher only with addon Addon.KUEUE');
    }
    if (requirement.multiKueueStepSize !== undefined) {
      Checks.number(path, 'AddonRequirement.multiKueueStepSize', requirement.multiKueueStepSize, 1, 100);
      if (requirement.multiKueueDispatcher !== MultiKueueDispatcher.INCREMENTAL) {
        throw new ValidationError(path, 'AddonRequirement.multiKueueStepSize', requirement.multiKueueStepSize, 'expected only with multiKueueDispatcher: MultiKueueDispatcher.INCREMENTAL (Kueue ignores it otherwise)');
      }
    }
    const namespaces = Checks.optionalArray(path, 'AddonRequirement.strimziNamespaces', requirement.strimziNamespaces, []);
    namespaces.forEach((ns, i) => Names.validateDnsLabel(path, `AddonRequirement.strimziNamespaces[${i}]`, ns));
    if (namespaces.length && addon !== Addon.STRIMZI) {
      throw new ValidationError(path, 'AddonRequirement.strimziNamespaces', namespaces, 'expected Strimzi namespaces only with addon Addon.STRIMZI');
    }
    if (requirement.reason !== undefined) Checks.string(path, 'AddonRequirement.reason', requirement.reason);
    ClusterScope.record<RecordedAddonRequirement>(scope, REQUIREMENTS, { by: scope, requirement });
    const [built] = ClusterScope.recorded<IConstruct>(scope, BUILT);
    if (built) {
      Checks.atSynth(scope, () => [new ValidationError(path, 'AddonRequirement.addon', addon.id,
        `expected to be required before the cluster's ClusterAddons (${built.node.path}) is constructed: it installs what was required when it was built, so ${addon.displayName} would be missing for ${path}; construct ClusterAddons after every workload of the cluster`)]);
    }
  }

  /** Everything required so far in the cluster holding `scope`, in order. */
  public static of(scope: IConstruct): RecordedAddonRequirement[] {
    return [...ClusterScope.recorded<RecordedAddonRequirement>(scope, REQUIREMENTS)];
  }

  /**
   * Marks the add-ons of the cluster holding `addons` as built: every later requirement fails at synth.
   * Called by `ClusterAddons`; returns false when the cluster already had one.
   */
  public static markBuilt(addons: IConstruct): boolean {
    const first = ClusterScope.recorded<IConstruct>(addons, BUILT).length === 0;
    ClusterScope.record(addons, BUILT, addons);
    return first;
  }
}
