import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';

/** An OTLP export protocol of Knative's `config-observability` (`tracing-protocol`, `metrics-protocol`). */
export class ObservabilityProtocol {
  /** OTLP over gRPC. */
  public static readonly GRPC = new ObservabilityProtocol('grpc');
  /** OTLP over HTTP with protobuf bodies. */
  public static readonly HTTP_PROTOBUF = new ObservabilityProtocol('http/protobuf');
  /** Metrics only: a Prometheus endpoint on each component (`metrics-endpoint` may set `host:port`). */
  public static readonly PROMETHEUS = new ObservabilityProtocol('prometheus');
  /** Traces only, for debugging: printed to stdout, every trace sampled. */
  public static readonly STDOUT = new ObservabilityProtocol('stdout');
  /** Nothing exported (Knative's default). */
  public static readonly NONE = new ObservabilityProtocol('none');

  /** The value written. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }
}

/** OpenTelemetry tracing of Knative's components and queue-proxies. */
export interface KnativeTracingOptions {
  /** GRPC, HTTP_PROTOBUF, STDOUT or NONE. */
  readonly protocol: ObservabilityProtocol;
  /**
   * The collector's URL, required with GRPC and HTTP_PROTOBUF, refused otherwise, e.g.
   * `http://otel-collector.observability:4318/v1/traces`.
   * @default - none
   */
  readonly endpoint?: string;
  /**
   * Share of traces exported, from 0 (none) to 1 (all).
   * @default - Knative's (0; STDOUT samples every trace)
   */
  readonly samplingRate?: number;
}

/** Metrics export of Knative's components (`metrics-*`) or of the queue-proxies (`request-metrics-*`). */
export interface KnativeMetricsOptions {
  /** GRPC, HTTP_PROTOBUF, PROMETHEUS or NONE. */
  readonly protocol: ObservabilityProtocol;
  /**
   * With GRPC or HTTP_PROTOBUF the collector's URL (required); with PROMETHEUS an optional `host:port` to listen on.
   * @default - none
   */
  readonly endpoint?: string;
  /**
   * Export interval, a Go duration such as `30s`.
   * @default - Knative's (60s)
   */
  readonly exportInterval?: string;
}

/** Request logs written by each queue-proxy to stdout. */
export interface KnativeRequestLogOptions {
  /**
   * A one-line Go text/template (`.Request`, `.Response`, `.Revision`, `.TraceID`); a line break would split each
   * record in most log collectors.
   * @default - Knative's template
   */
  readonly template?: string;
  /**
   * Log probe requests too.
   * @default false
   */
  readonly probes?: boolean;
}

const HTTP_URL = /^https?:\/\/[^\s/?#]+(\/[^\s]*)?$/;
const HOST_PORT = /^[a-zA-Z0-9.-]*:\d{1,5}$/;
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/**
 * Typed entries of Knative's `config-observability` ConfigMap, checked as Knative checks them (knative/serving
 * knative-v1.23.0 config/core/configmaps/observability.yaml; knative.dev/pkg observability/tracing/config.go and
 * observability/metrics/config.go as vendored there: an endpoint must be set for grpc and http/protobuf and must not
 * be for none; a sampling rate from 0 to 1). Each method returns the `{ key: value }` map that
 * `ClusterAddonsProps.knativeServing.observability` takes; Eventing 1.22's `config-observability` has the same
 * tracing and metrics keys (`knativeEventing.config.observability`). Combine several with {@link combine}.
 */
export class KnativeObservability {
  /** `tracing-protocol`, `tracing-endpoint`, `tracing-sampling-rate`. */
  public static tracing(options: KnativeTracingOptions): { [key: string]: string } {
    const field = 'KnativeTracingOptions';
    Checks.object('', field, options, 'KnativeTracingOptions ({ protocol, endpoint?, samplingRate? })');
    const protocol = KnativeObservability.protocol(`${field}.protocol`, options.protocol,
      [ObservabilityProtocol.GRPC, ObservabilityProtocol.HTTP_PROTOBUF, ObservabilityProtocol.STDOUT, ObservabilityProtocol.NONE]);
    const out: { [key: string]: string } = { 'tracing-protocol': protocol.name };
    const endpoint = KnativeObservability.endpoint(`${field}.endpoint`, protocol, options.endpoint);
    if (endpoint) out['tracing-endpoint'] = endpoint;
    if (options.samplingRate != null) {
      out['tracing-sampling-rate'] = String(Checks.number('', `${field}.samplingRate`, options.samplingRate, 0, 1, false));
    }
    return out;
  }

  /** `metrics-protocol`, `metrics-endpoint`, `metrics-export-interval` (`request-` prefixed with `queueProxy`). */
  public static metrics(options: KnativeMetricsOptions, queueProxy: boolean = false): { [key: string]: string } {
    const field = 'KnativeMetricsOptions';
    Checks.object('', field, options, 'KnativeMetricsOptions ({ protocol, endpoint?, exportInterval? })');
    const protocol = KnativeObservability.protocol(`${field}.protocol`, options.protocol,
      [ObservabilityProtocol.GRPC, ObservabilityProtocol.HTTP_PROTOBUF, ObservabilityProtocol.PROMETHEUS, ObservabilityProtocol.NONE]);
    const prefix = queueProxy ? 'request-metrics' : 'metrics';
    const out: { [key: string]: string } = { [`${prefix}-protocol`]: protocol.name };
    const endpoint = KnativeObservability.endpoint(`${field}.endpoint`, protocol, options.endpoint);
    if (endpoint) out[`${prefix}-endpoint`] = endpoint;
    if (options.exportInterval != null) {
      const interval = Checks.string('', `${field}.exportInterval`, options.exportInterval);
      if (!GO_DURATION.test(interval)) throw new ValidationError('', `${field}.exportInterval`, interval, 'expected a Go duration such as "30s" or "1m"');
      out[`${prefix}-export-interval`] = interval;
    }
    return out;
  }

  /** `logging.enable-request-log` (and the template, probe logging). */
  public static requestLogs(options: KnativeRequestLogOptions = {}): { [key: string]: string } {
    const field = 'KnativeRequestLogOptions';
    Checks.object('', field, options);
    const out: { [key: string]: string } = { 'logging.enable-request-log': 'true' };
    if (options.template != null) {
      const template = Checks.string('', `${field}.template`, options.template);
      const opens = (template.match(/\{\{/g) ?? []).length;
      const closes = (template.match(/\}\}/g) ?? []).length;
      if (/[\r\n]/.test(template) || opens !== closes || opens === 0) {
        throw new ValidationError('', `${field}.template`, template, 'expected a one-line Go template with balanced {{ }} actions, e.g. {"status": {{.Response.Code}}, "traceId": "{{.TraceID}}"}');
      }
      out['logging.request-log-template'] = template;
    }
    if (Checks.boolean('', `${field}.probes`, options.probes, false)) out['logging.enable-probe-request-log'] = 'true';
    return out;
  }

  /** The maps merged; a key set twice to different values is refused. */
  public static combine(maps: Array<{ [key: string]: string }>): { [key: string]: string } {
    const out: { [key: string]: string } = {};
    Checks.array('', 'KnativeObservability.combine.maps', maps).forEach((map, i) => {
      for (const [key, value] of Object.entries(Checks.stringMap('', `KnativeObservability.combine.maps[${i}]`, map))) {
        if (out[key] !== undefined && out[key] !== value) {
          throw new ValidationError('', `KnativeObservability.combine.maps[${i}]["${key}"]`, value, `expected the same value as before (${JSON.stringify(out[key])}) or the key once`);
        }
        out[key] = value;
      }
    });
    return out;
  }

  private static protocol(field: string, value: ObservabilityProtocol, allowed: ObservabilityProtocol[]): ObservabilityProtocol {
    const names = allowed.map((p) => `ObservabilityProtocol.${p.name === 'http/protobuf' ? 'HTTP_PROTOBUF' : p.name.toUpperCase()}`).join(', ');
    Checks.instance('', field, value, ObservabilityProtocol, names);
    if (!allowed.includes(value)) throw new ValidationError('', field, value.name, `expected ${names}`);
    return value;
  }

  private static endpoint(field: string, protocol: ObservabilityProtocol, value: string | undefined): string | undefined {
    const otlp = protocol === ObservabilityProtocol.GRPC || protocol === ObservabilityProtocol.HTTP_PROTOBUF;
    if (value == null) {
      if (otlp) throw new ValidationError('', field, value, `expected the collector's URL: Knative requires an endpoint with protocol ${protocol.name}`);
      return undefined;
    }
    Checks.string('', field, value);
    if (otlp && !HTTP_URL.test(value)) {
      throw new ValidationError('', field, value, 'expected an http(s) URL such as "http://otel-collector.observability:4318/v1/traces"');
    }
    if (protocol === ObservabilityProtocol.PROMETHEUS && !HOST_PORT.test(value)) {
      throw new ValidationError('', field, value, 'expected host:port (or :port) for the Prometheus endpoint');
    }
    if (!otlp && protocol !== ObservabilityProtocol.PROMETHEUS) {
      throw new ValidationError('', field, value, `expected no endpoint with protocol ${protocol.name} (Knative refuses one)`);
    }
    return value;
  }
}
