import { ValidationError } from '../core/errors';

/**
 * A cluster add-on the library can install (as Argo CD Applications, see `ClusterAddons`): an operator some
 * construct of the cluster needs. Look one up from configuration with {@link Addon.fromId}.
 */
export class Addon {
  /** Kueue: job queueing, quotas and MultiKueue bursting (`kueue.x-k8s.io`). */
  public static readonly KUEUE = new Addon('kueue', 'Kueue');
  /** Knative Serving, installed by the Knative Operator (`serving.knative.dev`). */
  public static readonly KNATIVE_SERVING = new Addon('knative-serving', 'Knative Serving');
  /** Knative Eventing, installed by the Knative Operator (`eventing.knative.dev`, `sources.knative.dev`). */
  public static readonly KNATIVE_EVENTING = new Addon('knative-eventing', 'Knative Eventing');
  /**
   * eventing-kafka-broker's KafkaSource controller (`sources.knative.dev` KafkaSource), installed by the Knative
   * Operator with Knative Eventing (`KnativeEventing.spec.source.kafka.enabled`). Needs Knative Eventing.
   */
  public static readonly KNATIVE_KAFKA_SOURCE = new Addon('knative-kafka-source', 'Knative KafkaSource controller');
  /**
   * The Strimzi cluster operator (`kafka.strimzi.io`): it runs the `Kafka` clusters the user declares, and their Topic
   * Operator the `KafkaTopic`s of the cluster's constructs.
   */
  public static readonly STRIMZI = new Addon('strimzi', 'Strimzi Kafka operator');
  /** The Kubeflow training operator (`kubeflow.org/v1` TFJob, PyTorchJob, ...). */
  public static readonly TRAINING_OPERATOR = new Addon('training-operator', 'Kubeflow training operator');
  /** cert-manager (`cert-manager.io`): Certificates, e.g. the data lake's TLS. */
  public static readonly CERT_MANAGER = new Addon('cert-manager', 'cert-manager');
  /** trust-manager (`trust.cert-manager.io` Bundle): distributes a CA bundle into namespaces. Needs cert-manager. */
  public static readonly TRUST_MANAGER = new Addon('trust-manager', 'trust-manager');
  /** Karpenter's controller and CRDs (EKS Karpenter GPU pools). */
  public static readonly KARPENTER = new Addon('karpenter', 'Karpenter');
  /** The Cluster Autoscaler (EKS managed-node-group GPU pools). */
  public static readonly CLUSTER_AUTOSCALER = new Addon('cluster-autoscaler', 'Cluster Autoscaler');

  /** Every add-on, in install order. */
  public static all(): Addon[] {
    return [Addon.CERT_MANAGER, Addon.TRUST_MANAGER, Addon.KARPENTER, Addon.CLUSTER_AUTOSCALER, Addon.TRAINING_OPERATOR,
      Addon.KUEUE, Addon.STRIMZI, Addon.KNATIVE_SERVING, Addon.KNATIVE_EVENTING, Addon.KNATIVE_KAFKA_SOURCE];
  }

  /**
   * The add-on with this id (`kueue`, `knative-serving`, ...); throws a `ValidationError` naming `field` and listing
   * the ids on any other value.
   */
  public static fromId(id: string, field: string = 'Addon.id'): Addon {
    const found = Addon.all().find((a) => a.id === id);
    if (!found) throw new ValidationError('', field, id, `expected one of ${Addon.all().map((a) => JSON.stringify(a.id)).join(', ')}`);
    return found;
  }

  /** Stable id (DNS label), used in Application names and error messages. */
  public readonly id: string;
  /** Human-readable name. */
  public readonly displayName: string;

  private constructor(id: string, displayName: string) {
    this.id = id;
    this.displayName = displayName;
  }
}
