import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Trigger } from '../../imports/knative-trigger-eventing.knative.dev';
import { Addon } from '../addons/addon';
import { AddonRequirements } from '../addons/addon-requirements';
import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';
import { ObjectOrder } from '../core/k8s/object-order';
import { Labels } from '../core/labels';
import { Names } from '../core/names';
import { ModelBroker } from './eventing-broker';
import { EventDeliveries, EventDelivery } from './eventing-delivery';
import { EventSinks, IEventSink } from './eventing-sink';

/** Props of {@link ModelTrigger}. */
export interface ModelTriggerProps {
  /** The Broker whose events are filtered (the Trigger lives in its namespace; immutable once created). */
  readonly broker: ModelBroker;
  /**
   * Who receives the matching events: a Knative Service (a served model, e.g. `EventSink.knativeService("resnet")`)
   * or a Kubernetes Service of the Broker's namespace.
   */
  readonly subscriber: IEventSink;
  /**
   * Exact matches on CloudEvents attributes (`spec.filter.attributes`): attribute name to value, e.g.
   * `{ type: "dev.knative.kafka.event", key: "models/resnet/2/model.onnx" }`. Names are lowercase letters and
   * digits starting with a letter (Knative refuses others; CloudEvents recommends at most 20 characters).
   * @default - every event of the Broker (unless `eventType` or `eventSource`)
   */
  readonly filter?: { [attribute: string]: string };
  /**
   * Only events of this CloudEvents `type` (the same as `filter: { type }`).
   * @default - any type
   */
  readonly eventType?: string;
  /**
   * Only events from this CloudEvents `source` (the same as `filter: { source }`).
   * @default - any source
   */
  readonly eventSource?: string;
  /**
   * Delivery to the subscriber.
   * @default - the Broker's
   */
  readonly delivery?: EventDelivery;
  /**
   * Name of the Trigger.
   * @default - derived from the construct path
   */
  readonly name?: string;
}

const P = 'ModelTriggerProps';
/**
 * Attribute names Knative accepts in a filter (knative/eventing knative-v1.22.2 pkg/apis/eventing/v1/trigger_validation.go,
 * `validAttributeName`: `^[a-z][a-z0-9]*$`): the CloudEvents naming rule (lowercase ASCII letters and digits).
 */
const ATTRIBUTE_NAME = /^[a-z][a-z0-9]*$/;

/**
 * A Knative `Trigger` (`eventing.knative.dev/v1`): the events of a {@link ModelBroker} that match exact attribute
 * filters, delivered to a model's Knative Service (or a Kubernetes Service). Requires Knative Eventing.
 */
export class ModelTrigger extends Construct {
  /** Exact attribute filters as written (empty: every event). */
  public readonly filter: { [attribute: string]: string };
  /** The Trigger's name. */
  public readonly name: string;
  /** The Trigger (escape hatch). */
  public readonly trigger: ApiObject;

  public constructor(scope: Construct, id: string, props: ModelTriggerProps) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    Checks.object(path, P, props, 'ModelTriggerProps ({ broker, subscriber, filter?, eventType?, eventSource?, delivery? })');
    const broker = Checks.instance(path, `${P}.broker`, props.broker, ModelBroker, 'a ModelBroker');
    const subscriber = EventSinks.validate(path, `${P}.subscriber`, props.subscriber, EventSinks.SERVICES);
    this.name = props.name == null ? Names.dnsLabel(this) : Names.validateDnsLabel(path, `${P}.name`, Checks.string(path, `${P}.name`, props.name));
    this.filter = ModelTrigger.filters(path, props);
    const delivery = EventDeliveries.render(path, `${P}.delivery`, props.delivery);

    AddonRequirements.require(this, { addon: Addon.KNATIVE_EVENTING, reason: `the Trigger ${broker.namespaceName}/${this.name}` });
    this.trigger = new Trigger(this, 'trigger', {
      metadata: {
        name: this.name,
        namespace: broker.namespaceName,
        labels: Labels.standard({ name: 'model-trigger', instance: this.name, component: 'eventing' }),
      },
      spec: {
        broker: broker.name,
        ...(Object.keys(this.filter).length ? { filter: { attributes: this.filter } } : {}),
        subscriber: { ref: subscriber },
        ...(delivery ? { delivery } : {}),
      },
    });
    this.trigger.node.addDependency(broker.broker);
  }

  private static filters(path: string, props: ModelTriggerProps): { [attribute: string]: string } {
    const given = props.filter == null ? {} : Checks.stringMap(path, `${P}.filter`, props.filter);
    const out: { [attribute: string]: string } = {};
    for (const [name, value] of Object.entries(given)) {
      if (!ATTRIBUTE_NAME.test(name)) {
        throw new ValidationError(path, `${P}.filter`, name, 'expected CloudEvents attribute names: lowercase letters a-z and digits, starting with a letter (e.g. "type", "source", "subject", "key")');
      }
      // an empty value is Knative's legacy "any": say so with the attribute left out instead
      if (value === '') throw new ValidationError(path, `${P}.filter["${name}"]`, value, 'expected a value to match exactly (leave the attribute out to match any)');
      out[name] = value;
    }
    const single = (attribute: 'type' | 'source', field: 'eventType' | 'eventSource') => {
      const value = props[field];
      if (value == null) return;
      Checks.string(path, `${P}.${field}`, value);
      if (out[attribute] !== undefined && out[attribute] !== value) {
        throw new ValidationError(path, `${P}.${field}`, value, `expected the same ${attribute} as filter["${attribute}"] (${JSON.stringify(out[attribute])}), or only one of them`);
      }
      out[attribute] = value;
    };
    single('type', 'eventType');
    single('source', 'eventSource');
    return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
  }
}
