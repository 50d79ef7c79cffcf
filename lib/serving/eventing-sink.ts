import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';
import { Names } from '../core/names';
import { ApiVersions } from '../core/versions';

/**
 * A Knative Eventing destination by reference (duck `KReference`): `apiVersion`, `kind` and `name` of an
 * Addressable in the same namespace as the object that sends to it. The namespace is never written: Eventing 1.22
 * refuses a reference into another namespace unless its alpha flag `cross-namespace-event-links` is enabled
 * (knative/eventing knative-v1.22.2 pkg/apis/eventing/v1/trigger_validation.go, config/core/configmaps/features.yaml).
 */
export interface EventSinkRef {
  /** API version of the destination, e.g. `serving.knative.dev/v1`. */
  readonly apiVersion: string;
  /** Kind of the destination, e.g. `Service`. */
  readonly kind: string;
  /** Name of the destination (a DNS-1123 label). */
  readonly name: string;
}

/**
 * Something events can be sent to: a Knative Service (a served model), a Kubernetes Service, or a Broker. A
 * `KnativeModel` can implement it with the reference to its Knative Service.
 */
export interface IEventSink {
  /** The destination's reference. */
  readonly sinkRef: EventSinkRef;
}

/** The kinds of destinations, for error messages and checks. */
const KNATIVE_SERVICE = { apiVersion: ApiVersions.KNATIVE_SERVICE, kind: 'Service' };
const KUBERNETES_SERVICE = { apiVersion: 'v1', kind: 'Service' };
const BROKER = { apiVersion: ApiVersions.KNATIVE_EVENTING, kind: 'Broker' };

/** Destinations of events by name, for sinks the library does not build itself. */
export class EventSink {
  /** The Knative Service `name` (`serving.knative.dev/v1`), e.g. a served model. */
  public static knativeService(name: string): IEventSink {
    return EventSink.fromRef({ ...KNATIVE_SERVICE, name });
  }

  /** The Kubernetes Service `name` (`v1`): Knative delivers to its port 80 over HTTP. */
  public static kubernetesService(name: string): IEventSink {
    return EventSink.fromRef({ ...KUBERNETES_SERVICE, name });
  }

  /** The Broker `name` (`eventing.knative.dev/v1`) of the same namespace. */
  public static broker(name: string): IEventSink {
    return EventSink.fromRef({ ...BROKER, name });
  }

  /** Any reference; checked where it is used (each use accepts its own kinds). */
  public static fromRef(ref: EventSinkRef): IEventSink {
    return { sinkRef: ref };
  }

  private constructor() {}
}

/**
 * Checks of sink references, shared by the eventing constructs.
 * @internal not part of the public API
 */
export class EventSinks {
  /** A Knative or Kubernetes Service: what a Trigger may subscribe (a Broker there would loop events back). */
  public static readonly SERVICES = [KNATIVE_SERVICE, KUBERNETES_SERVICE];
  /** Services and Brokers: what a source (PingSource, KafkaSource) may send to. */
  public static readonly SERVICES_AND_BROKERS = [KNATIVE_SERVICE, KUBERNETES_SERVICE, BROKER];

  /** The sink's reference, checked: an allowed apiVersion/kind and a DNS-1123 name. */
  public static validate(path: string, field: string, sink: IEventSink, allowed: Array<{ apiVersion: string; kind: string }>): EventSinkRef {
    const kinds = allowed.map((a) => `${a.apiVersion} ${a.kind}`).join(', ');
    const expected = `an IEventSink referencing a ${kinds} (EventSink.knativeService("<model>"), a ModelBroker, ...)`;
    if (sink === null || typeof sink !== 'object') throw new ValidationError(path, field, sink, `expected ${expected}`);
    const ref = sink.sinkRef;
    if (ref === null || typeof ref !== 'object') throw new ValidationError(path, `${field}.sinkRef`, ref, `expected ${expected}`);
    if (!allowed.some((a) => a.apiVersion === ref.apiVersion && a.kind === ref.kind)) {
      throw new ValidationError(path, `${field}.sinkRef`, { apiVersion: ref.apiVersion, kind: ref.kind }, `expected a reference to a ${kinds}`);
    }
    Names.validateDnsLabel(path, `${field}.sinkRef.name`, Checks.string(path, `${field}.sinkRef.name`, ref.name));
    return { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name };
  }
}
