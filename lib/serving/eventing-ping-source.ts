import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PingSource } from '../../imports/knative-pingsource-sources.knative.dev';
import { Addon } from '../addons/addon';
import { AddonRequirements } from '../addons/addon-requirements';
import { Checks } from '../core/checks';
import { Cron } from '../core/cron';
import { ValidationError } from '../core/errors';
import { ObjectOrder } from '../core/k8s/object-order';
import { Labels } from '../core/labels';
import { Names } from '../core/names';
import { ITeamSpace } from '../teams/team-space';
import { EventSinks, IEventSink } from './eventing-sink';

/** Props of {@link ModelSchedule}. */
export interface ModelScheduleProps {
  /** The team namespace of the PingSource and of its sink. */
  readonly namespace: ITeamSpace;
  /**
   * When to send the event: five cron fields or a descriptor such as `@hourly` (checked as the API server checks a
   * CronJob's schedule; Knative refuses `@every`).
   */
  readonly schedule: string;
  /**
   * IANA time zone of the schedule, e.g. `Europe/Berlin`.
   * @default - the PingSource adapter's (UTC)
   */
  readonly timezone?: string;
  /**
   * The event's data, e.g. `{"model": "resnet", "action": "warm-up"}`.
   * @default - no data
   */
  readonly data?: string;
  /**
   * Media type of `data`. With `application/json`, `data` must be a JSON object (as Knative checks).
   * @default "application/json" when `data` is given
   */
  readonly contentType?: string;
  /** Where the events go: a model's Knative Service, a Kubernetes Service, or a {@link ModelBroker}. */
  readonly sink: IEventSink;
  /**
   * Name of the PingSource.
   * @default - derived from the construct path
   */
  readonly name?: string;
}

const P = 'ModelScheduleProps';
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;.*)?$/i;

/**
 * Scheduled invocations: a Knative `PingSource` (`sources.knative.dev/v1`; v1beta2 is deprecated) that sends a
 * CloudEvent of type `dev.knative.sources.ping` to a model (or a Broker) on a cron schedule. Requires Knative
 * Eventing. Its rules are those of knative/eventing knative-v1.22.2 pkg/apis/sources/v1/ping_validation.go: a
 * schedule robfig/cron parses, no `@every`, a time zone Go knows, JSON data that is an object.
 */
export class ModelSchedule extends Construct {
  /** CloudEvents `type` of the events (knative/eventing knative-v1.22.2 pkg/apis/sources/v1/ping_lifecycle.go `PingSourceEventType`). */
  public static readonly EVENT_TYPE = 'dev.knative.sources.ping';

  /** The PingSource's name. */
  public readonly name: string;
  /** CloudEvents `source` of its events: `/apis/v1/namespaces/<namespace>/pingsources/<name>`. */
  public readonly eventSource: string;
  /** The PingSource (escape hatch). */
  public readonly pingSource: ApiObject;

  public constructor(scope: Construct, id: string, props: ModelScheduleProps) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    Checks.object(path, P, props, 'ModelScheduleProps ({ namespace, schedule, sink, timezone?, data?, contentType? })');
    const team = Checks.object(path, `${P}.namespace`, props.namespace, 'an ITeamSpace (a TeamSpace or TeamSpace.fromNamespace)');
    const namespace = Names.validateDnsLabel(path, `${P}.namespace.namespaceName`, team.namespaceName);
    const schedule = Cron.validate(path, `${P}.schedule`, props.schedule);
    if (schedule.trim().startsWith('@every')) {
      throw new ValidationError(path, `${P}.schedule`, schedule, 'expected five cron fields or @hourly, @daily, ...: Knative\'s PingSource refuses @every');
    }
    const timezone = props.timezone == null ? undefined : ModelSchedule.timezone(path, props.timezone);
    const data = props.data == null ? undefined : Checks.string(path, `${P}.data`, props.data, 'a string');
    const contentType = props.contentType == null ? (data === undefined ? undefined : 'application/json')
      : Checks.string(path, `${P}.contentType`, props.contentType, 'a media type such as "application/json"');
    if (contentType !== undefined && !MEDIA_TYPE.test(contentType)) {
      throw new ValidationError(path, `${P}.contentType`, contentType, 'expected a media type such as "application/json" or "text/plain"');
    }
    if (data !== undefined && contentType === 'application/json') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(data);
      } catch {
        parsed = undefined;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new ValidationError(path, `${P}.data`, data, 'expected a JSON object with contentType application/json (Knative decodes it into a map), or another contentType');
      }
    }
    const sink = EventSinks.validate(path, `${P}.sink`, props.sink, EventSinks.SERVICES_AND_BROKERS);
    this.name = props.name == null ? Names.dnsLabel(this) : Names.validateDnsLabel(path, `${P}.name`, Checks.string(path, `${P}.name`, props.name));
    this.eventSource = `/apis/v1/namespaces/${namespace}/pingsources/${this.name}`;

    AddonRequirements.require(this, { addon: Addon.KNATIVE_EVENTING, reason: `the PingSource ${namespace}/${this.name}` });
    this.pingSource = new PingSource(this, 'ping-source', {
      metadata: {
        name: this.name,
        namespace,
        labels: Labels.standard({ name: 'model-schedule', instance: this.name, component: 'eventing' }),
      },
      spec: {
        schedule,
        ...(timezone ? { timezone } : {}),
        ...(contentType ? { contentType } : {}),
        ...(data !== undefined ? { data } : {}),
        sink: { ref: sink },
      },
    });
  }

  /** An IANA zone name, as Go's time.LoadLocation takes it (Node's Intl knows the same tz database names). */
  private static timezone(path: string, value: string): string {
    Checks.string(path, `${P}.timezone`, value, 'an IANA time zone such as "Europe/Berlin"');
    let known = !/\s/.test(value) && value !== 'Local';
    if (known) {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: value });
      } catch {
        known = false;
      }
    }
    if (!known) throw new ValidationError(path, `${P}.timezone`, value, 'expected an IANA time zone such as "UTC" or "Europe/Berlin"');
    return value;
  }
}
