import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Broker } from '../../imports/knative-broker-eventing.knative.dev';
import { Addon } from '../addons/addon';
import { AddonRequirements } from '../addons/addon-requirements';
import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';
import { ObjectOrder } from '../core/k8s/object-order';
import { Labels } from '../core/labels';
import { Names } from '../core/names';
import { ApiVersions } from '../core/versions';
import { ITeamSpace } from '../teams/team-space';
import { EventDeliveries, EventDelivery } from './eventing-delivery';
import { EventSinkRef, IEventSink } from './eventing-sink';

/**
 * The implementation behind a Broker: the value of its annotation `eventing.knative.dev/broker.class`, which
 * Knative requires (defaulted by the webhook from config-br-defaults when absent) and never lets change (knative/eventing
 * knative-v1.22.2 pkg/apis/eventing/v1/broker_validation.go: `ErrMissingField(BrokerClassAnnotationKey)`,
 * "Immutable annotations changed"). The library always writes it, so that a cluster's defaults never decide it.
 */
export class BrokerClass {
  /** Knative Eventing's own, backed by a channel (`MTChannelBasedBroker`, pkg/apis/eventing/register.go). */
  public static readonly MT_CHANNEL_BASED = new BrokerClass('MTChannelBasedBroker', false);
  /**
   * The Kafka broker of eventing-kafka-broker (`Kafka`, control-plane/pkg/kafka/broker_class.go at knative-v1.22.3):
   * needs that component installed; its `spec.config` is a ConfigMap with the Kafka bootstrap servers.
   */
  public static readonly KAFKA = new BrokerClass('Kafka', true);
  /** The namespaced Kafka broker (`KafkaNamespaced`): its data plane runs in the Broker's namespace, its ConfigMap too. */
  public static readonly KAFKA_NAMESPACED = new BrokerClass('KafkaNamespaced', true);

  /** Every known class. */
  public static all(): BrokerClass[] {
    return [BrokerClass.MT_CHANNEL_BASED, BrokerClass.KAFKA, BrokerClass.KAFKA_NAMESPACED];
  }

  /** The class named `name` (from configuration); a ValidationError naming `field` for any other value. */
  public static fromName(name: string, field: string = 'BrokerClass.name'): BrokerClass {
    const found = BrokerClass.all().find((c) => c.name === name);
    if (!found) throw new ValidationError('', field, name, `expected a broker class: ${BrokerClass.all().map((c) => JSON.stringify(c.name)).join(', ')}`);
    return found;
  }

  /** The annotation value. */
  public readonly name: string;
  /** True for the Kafka broker classes. */
  public readonly kafka: boolean;

  private constructor(name: string, kafka: boolean) {
    this.name = name;
    this.kafka = kafka;
  }
}

/** The ConfigMap a Broker is configured by (`spec.config`). */
export interface BrokerConfigMap {
  /** Its name. */
  readonly name: string;
  /**
   * Its namespace (a `KafkaNamespaced` Broker's must be the Broker's own).
   * @default - the Broker's namespace
   */
  readonly namespace?: string;
}

/** Props of {@link ModelBroker}. */
export interface ModelBrokerProps {
  /** The team namespace the Broker lives in (its Triggers and sources live there too). */
  readonly namespace: ITeamSpace;
  /**
   * Name of the Broker.
   * @default - derived from the construct path
   */
  readonly name?: string;
  /**
   * The broker implementation (annotation `eventing.knative.dev/broker.class`, immutable once created).
   * @default BrokerClass.MT_CHANNEL_BASED
   */
  readonly brokerClass?: BrokerClass;
  /**
   * The Broker's configuration (immutable once created, like all of `spec` but `delivery`).
   * @default - MT_CHANNEL_BASED: `config-br-default-channel` in `knative-eventing` (what the webhook would default);
   * KAFKA: `kafka-broker-config` in `knative-eventing` (shipped by eventing-kafka-broker); KAFKA_NAMESPACED: none,
   * it must be given
   */
  readonly config?: BrokerConfigMap;
  /**
   * Delivery of events to the Broker's subscribers (the only field of `spec` that may change).
   * @default - the cluster's config-br-defaults (Eventing 1.22: 10 retries, exponential, PT0.2S)
   */
  readonly delivery?: EventDelivery;
}

const P = 'ModelBrokerProps';
const KNATIVE_EVENTING_NAMESPACE = 'knative-eventing';

/**
 * A Knative `Broker` (`eventing.knative.dev/v1`) in a team namespace: an event mesh that models subscribe to with
 * {@link ModelTrigger}s and that sources ({@link ModelSchedule}, {@link ModelEventsBridge}) send to.
 *
 * The class annotation is always written (MTChannelBasedBroker by default), and so is `spec.config`: both are
 * immutable, and a value defaulted by the cluster's webhook would make the object depend on the cluster it was
 * first applied to. Requires Knative Eventing (`Addon.KNATIVE_EVENTING`); a Kafka class also needs
 * eventing-kafka-broker's Kafka broker, which `ClusterAddons` does not install.
 */
export class ModelBroker extends Construct implements IEventSink {
  /** The Broker's name. */
  public readonly name: string;
  /** Its namespace. */
  public readonly namespaceName: string;
  /** Its class. */
  public readonly brokerClass: BrokerClass;
  /** The reference that sources and dead letter sinks send to. */
  public readonly sinkRef: EventSinkRef;
  /** The Broker (escape hatch). */
  public readonly broker: ApiObject;

  public constructor(scope: Construct, id: string, props: ModelBrokerProps) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    Checks.object(path, P, props, 'ModelBrokerProps ({ namespace, brokerClass?, config?, delivery? })');
    const team = Checks.object(path, `${P}.namespace`, props.namespace, 'an ITeamSpace (a TeamSpace or TeamSpace.fromNamespace)');
    this.namespaceName = Names.validateDnsLabel(path, `${P}.namespace.namespaceName`, team.namespaceName);
    this.name = props.name == null ? Names.dnsLabel(this) : Names.validateDnsLabel(path, `${P}.name`, Checks.string(path, `${P}.name`, props.name));
    if (props.brokerClass != null && typeof props.brokerClass === 'string') {
      // from configuration: a known name is looked up, anything else is refused naming the field
      throw new ValidationError(path, `${P}.brokerClass`, props.brokerClass,
        `expected a BrokerClass (BrokerClass.MT_CHANNEL_BASED, BrokerClass.KAFKA, BrokerClass.KAFKA_NAMESPACED; from configuration BrokerClass.fromName(...)); known classes: ${BrokerClass.all().map((c) => c.name).join(', ')}`);
    }
    this.brokerClass = props.brokerClass == null ? BrokerClass.MT_CHANNEL_BASED
      : Checks.instance(path, `${P}.brokerClass`, props.brokerClass, BrokerClass, 'a BrokerClass (BrokerClass.MT_CHANNEL_BASED, BrokerClass.KAFKA, BrokerClass.KAFKA_NAMESPACED)');
    const config = this.config(props.config);
    const delivery = EventDeliveries.render(path, `${P}.delivery`, props.delivery);
    this.sinkRef = { apiVersion: ApiVersions.KNATIVE_EVENTING, kind: 'Broker', name: this.name };

    AddonRequirements.require(this, { addon: Addon.KNATIVE_EVENTING, reason: `the Broker ${this.namespaceName}/${this.name}` });
    this.broker = new Broker(this, 'broker', {
      metadata: {
        name: this.name,
        namespace: this.namespaceName,
        labels: Labels.standard({ name: 'model-broker', instance: this.name, component: 'eventing' }),
        annotations: { 'eventing.knative.dev/broker.class': this.brokerClass.name },
      },
      spec: {
        config: { apiVersion: 'v1', kind: 'ConfigMap', name: config.name, namespace: config.namespace },
        ...(delivery ? { delivery } : {}),
      },
    });
  }

  private config(given: BrokerConfigMap | undefined): { name: string; namespace: string } {
    const path = this.node.path;
    const field = `${P}.config`;
    if (given == null) {
      if (this.brokerClass === BrokerClass.KAFKA_NAMESPACED) {
        throw new ValidationError(path, field, given, 'expected the ConfigMap (in the Broker\'s namespace) with the Kafka settings of a KafkaNamespaced Broker');
      }
      const name = this.brokerClass.kafka ? 'kafka-broker-config' : 'config-br-default-channel';
      return { name, namespace: KNATIVE_EVENTING_NAMESPACE };
    }
    Checks.object(path, field, given, 'a BrokerConfigMap ({ name, namespace? })');
    const name = Names.validateDnsLabel(path, `${field}.name`, Checks.string(path, `${field}.name`, given.name));
    const namespace = given.namespace == null ? this.namespaceName : Names.validateDnsLabel(path, `${field}.namespace`, Checks.string(path, `${field}.namespace`, given.namespace));
    // eventing-kafka-broker control-plane/pkg/apis/eventing/v1/broker_validation.go: "Expected ConfigMap in same
    // namespace with broker resource" for KafkaNamespaced
    if (this.brokerClass === BrokerClass.KAFKA_NAMESPACED && namespace !== this.namespaceName) {
      throw new ValidationError(path, `${field}.namespace`, namespace, `expected the Broker's namespace ${this.namespaceName}: a KafkaNamespaced Broker reads its ConfigMap there`);
    }
    return { name, namespace };
  }
}
