import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';
import { EventSinks, IEventSink } from './eventing-sink';

/** How a failed delivery is retried: the wait grows linearly or exponentially with each retry. */
export class BackoffPolicy {
  /** `backoffDelay * 2^n` before retry n. */
  public static readonly EXPONENTIAL = new BackoffPolicy('exponential');
  /** `backoffDelay * n` before retry n. */
  public static readonly LINEAR = new BackoffPolicy('linear');

  /** The value of `delivery.backoffPolicy`. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }
}

/**
 * Delivery of events (Knative's duck `DeliverySpec`), for a Broker, a Trigger or a source: retries, backoff, a
 * dead letter sink for what still fails.
 */
export interface EventDelivery {
  /**
   * Retries after the first attempt (0 or more).
   * @default - Knative's: for a Broker, config-br-defaults' (10, exponential, PT0.2S in Eventing 1.22)
   */
  readonly retry?: number;
  /**
   * How the wait between retries grows.
   * @default - Knative's (BackoffPolicy.EXPONENTIAL)
   */
  readonly backoffPolicy?: BackoffPolicy;
  /**
   * Base wait between retries, an ISO 8601 duration such as `PT0.5S`.
   * @default - Knative's
   */
  readonly backoffDelay?: string;
  /**
   * Where events go when every retry failed (a Service or a Broker of the same namespace).
   * @default - none: the event is dropped
   */
  readonly deadLetterSink?: IEventSink;
}

/** Knative parses durations with rickb777 period.Parse: ISO 8601 `PnYnMnWnDTnHnMnS`, fractions on the last unit. */
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const MAX_RETRY = 2147483647; // int32

/**
 * Checks a delivery and renders it as the CRDs take it (the rules of knative/eventing knative-v1.22.2
 * pkg/apis/duck/v1/delivery_types.go `DeliverySpec.Validate`: retry >= 0, a known backoff policy, durations that
 * parse. `timeout` (beta flag `delivery-timeout`) is not offered: the Broker and Trigger CRDs of Eventing 1.22.2 do not
 * list it, so the API server would prune it; `retryAfterMax` is alpha and disabled by default).
 * @internal not part of the public API
 */
export class EventDeliveries {
  /** Undefined without a delivery. */
  public static render(path: string, field: string, delivery: EventDelivery | undefined): Record<string, unknown> | undefined {
    if (delivery == null) return undefined;
    Checks.object(path, field, delivery, 'an EventDelivery ({ retry, backoffPolicy, backoffDelay, deadLetterSink })');
    const out: Record<string, unknown> = {};
    if (delivery.retry != null) out.retry = Checks.number(path, `${field}.retry`, delivery.retry, 0, MAX_RETRY);
    if (delivery.backoffPolicy != null) {
      out.backoffPolicy = Checks.instance(path, `${field}.backoffPolicy`, delivery.backoffPolicy, BackoffPolicy, 'BackoffPolicy.EXPONENTIAL or BackoffPolicy.LINEAR').name;
    }
    const duration = (name: 'backoffDelay') => {
      const value = delivery[name];
      if (value == null) return;
      if (typeof value !== 'string' || !ISO_DURATION.test(value)) {
        throw new ValidationError(path, `${field}.${name}`, value, 'expected an ISO 8601 duration such as "PT0.5S" or "PT1M"');
      }
      out[name] = value;
    };
    duration('backoffDelay');
    if (delivery.deadLetterSink != null) {
      out.deadLetterSink = { ref: EventSinks.validate(path, `${field}.deadLetterSink`, delivery.deadLetterSink, EventSinks.SERVICES_AND_BROKERS) };
    }
    return out;
  }
}
