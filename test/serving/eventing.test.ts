import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Testing } from 'cdk8s';
import { Addon } from '../../lib/addons/addon';
import { AddonRequirements } from '../../lib/addons/addon-requirements';
import { ClusterAddons } from '../../lib/addons/cluster-addons';
import { DataBucket } from '../../lib/data/data-bucket';
import { BrokerClass, ModelBroker } from '../../lib/serving/eventing-broker';
import { BackoffPolicy } from '../../lib/serving/eventing-delivery';
import { KnativeObservability, ObservabilityProtocol } from '../../lib/serving/eventing-observability';
import { ModelSchedule } from '../../lib/serving/eventing-ping-source';
import { EventSink } from '../../lib/serving/eventing-sink';
import { ModelTrigger } from '../../lib/serving/eventing-trigger';
import { KafkaInitialOffset, ModelEventsBridge } from '../../lib/serving/model-events-bridge';
import { TeamSpace } from '../../lib/teams/team-space';
import { expectValidationError } from '../helpers/errors';
import { manifestProblems, ofKind, synthValid, testChart } from '../helpers/manifests';

const setup = () => {
  const chart = testChart();
  const team = new TeamSpace(chart, 'team', { name: 'ml' });
  return { chart, team };
};
const model = EventSink.knativeService('resnet');

describe('ModelBroker', () => {
  test('writes the class annotation and spec.config explicitly (MTChannelBasedBroker by default), with delivery', () => {
    const { chart, team } = setup();
    const dls = EventSink.kubernetesService('dead-letters');
    new ModelBroker(chart, 'events', { namespace: team, name: 'models', delivery: { retry: 5, backoffPolicy: BackoffPolicy.LINEAR, backoffDelay: 'PT0.5S', deadLetterSink: dls } });
    const [broker] = ofKind(synthValid(chart), 'Broker');
    expect(broker.apiVersion).toBe('eventing.knative.dev/v1');
    expect(broker.metadata).toMatchObject({ name: 'models', namespace: 'ml', annotations: { 'eventing.knative.dev/broker.class': 'MTChannelBasedBroker' } });
    expect(broker.spec).toEqual({
      config: { apiVersion: 'v1', kind: 'ConfigMap', name: 'config-br-default-channel', namespace: 'knative-eventing' },
      delivery: { retry: 5, backoffPolicy: 'linear', backoffDelay: 'PT0.5S', deadLetterSink: { ref: { apiVersion: 'v1', kind: 'Service', name: 'dead-letters' } } },
    });
  });

  test('Kafka classes: the eventing-kafka-broker ConfigMap by default; KafkaNamespaced needs its own, in its namespace', () => {
    const { chart, team } = setup();
    new ModelBroker(chart, 'kafka', { namespace: team, brokerClass: BrokerClass.KAFKA });
    new ModelBroker(chart, 'ns', { namespace: team, brokerClass: BrokerClass.fromName('KafkaNamespaced'), config: { name: 'kafka-config' } });
    const brokers = ofKind(synthValid(chart), 'Broker');
    expect(brokers.map((b) => [b.metadata.annotations!['eventing.knative.dev/broker.class'], b.spec.config.name, b.spec.config.namespace]))
      .toEqual([['Kafka', 'kafka-broker-config', 'knative-eventing'], ['KafkaNamespaced', 'kafka-config', 'ml']]);
    expectValidationError(() => new ModelBroker(chart, 'bad-ns', { namespace: team, brokerClass: BrokerClass.KAFKA_NAMESPACED }), 'ModelBrokerProps.config', 'test/bad-ns');
    expectValidationError(() => new ModelBroker(chart, 'bad-ns2', { namespace: team, brokerClass: BrokerClass.KAFKA_NAMESPACED, config: { name: 'c', namespace: 'other' } }), 'ModelBrokerProps.config.namespace', 'test/bad-ns2');
  });

  test('a broker class that is not a known one is refused, naming the field', () => {
    const { chart, team } = setup();
    expectValidationError(() => BrokerClass.fromName('RabbitMQBroker', 'config.brokerClass'), 'config.brokerClass', '');
    expectValidationError(() => new ModelBroker(chart, 'b', { namespace: team, brokerClass: 'Kafka' as unknown as BrokerClass }), 'ModelBrokerProps.brokerClass', 'test/b');
  });

  test('bad delivery: negative retry, a duration Knative cannot parse, a dead letter sink that is no Service', () => {
    const { chart, team } = setup();
    expectValidationError(() => new ModelBroker(chart, 'a', { namespace: team, delivery: { retry: -1 } }), 'ModelBrokerProps.delivery.retry', 'test/a');
    expectValidationError(() => new ModelBroker(chart, 'b', { namespace: team, delivery: { backoffDelay: '500ms' } }), 'ModelBrokerProps.delivery.backoffDelay', 'test/b');
    expectValidationError(() => new ModelBroker(chart, 'd', { namespace: team, delivery: { deadLetterSink: EventSink.fromRef({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'x' }) } }),
      'ModelBrokerProps.delivery.deadLetterSink.sinkRef', 'test/d');
  });

  test('requires Knative Eventing from the cluster add-ons', () => {
    const { chart, team } = setup();
    new ModelBroker(chart, 'events', { namespace: team });
    const addons = new ClusterAddons(chart, 'addons', { clusterName: 'onprem' });
    expect(addons.installed.map((a) => a.id)).toContain('knative-eventing');
  });
});

describe('ModelTrigger', () => {
  test('exact attribute filters (type, source and others) subscribing a model\'s Knative Service', () => {
    const { chart, team } = setup();
    const broker = new ModelBroker(chart, 'events', { namespace: team, name: 'models' });
    new ModelTrigger(chart, 'on-upload', { broker, subscriber: model, eventType: 'dev.knative.kafka.event', filter: { key: 'models/resnet/model.onnx' } });
    new ModelTrigger(chart, 'all', { broker, subscriber: EventSink.kubernetesService('audit') });
    const objects = synthValid(chart);
    const [upload, all] = ofKind(objects, 'Trigger');
    expect(upload.metadata.namespace).toBe('ml');
    expect(upload.spec).toEqual({
      broker: 'models',
      filter: { attributes: { key: 'models/resnet/model.onnx', type: 'dev.knative.kafka.event' } },
      subscriber: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'resnet' } },
    });
    expect(all.spec.filter).toBeUndefined();
    // the Broker is applied before its Triggers
    expect(objects.findIndex((o) => o.kind === 'Broker')).toBeLessThan(objects.findIndex((o) => o.kind === 'Trigger'));
  });

  test('a filter with an invalid attribute name, an empty value, a conflicting type, a subscriber that is no Service', () => {
    const { chart, team } = setup();
    const broker = new ModelBroker(chart, 'events', { namespace: team });
    expectValidationError(() => new ModelTrigger(chart, 'a', { broker, subscriber: model, filter: { 'Event-Type': 'x' } }), 'ModelTriggerProps.filter', 'test/a');
    expectValidationError(() => new ModelTrigger(chart, 'b', { broker, subscriber: model, filter: { '1type': 'x' } }), 'ModelTriggerProps.filter', 'test/b');
    expectValidationError(() => new ModelTrigger(chart, 'c', { broker, subscriber: model, filter: { type: '' } }), 'ModelTriggerProps.filter["type"]', 'test/c');
    expectValidationError(() => new ModelTrigger(chart, 'd', { broker, subscriber: model, filter: { type: 'a' }, eventType: 'b' }), 'ModelTriggerProps.eventType', 'test/d');
    expectValidationError(() => new ModelTrigger(chart, 'e', { broker, subscriber: broker }), 'ModelTriggerProps.subscriber.sinkRef', 'test/e');
    expectValidationError(() => new ModelTrigger(chart, 'f', { broker, subscriber: EventSink.knativeService('Not_A_Name') }), 'ModelTriggerProps.subscriber.sinkRef.name', 'test/f');
    expectValidationError(() => new ModelTrigger(chart, 'g', { broker, subscriber: { sinkRef: undefined } as never }), 'ModelTriggerProps.subscriber.sinkRef', 'test/g');
  });
});

describe('ModelSchedule', () => {
  test('a PingSource v1 with schedule, timezone, JSON data and a sink', () => {
    const { chart, team } = setup();
    const s = new ModelSchedule(chart, 'warm-up', { namespace: team, schedule: '0 6 * * 1-5', timezone: 'Europe/Berlin', data: '{"action":"warm-up"}', sink: model });
    const broker = new ModelBroker(chart, 'events', { namespace: team, name: 'models' });
    new ModelSchedule(chart, 'hourly', { namespace: team, schedule: '@hourly', data: 'tick', contentType: 'text/plain', sink: broker });
    const [warm, hourly] = ofKind(synthValid(chart), 'PingSource');
    expect(warm.apiVersion).toBe('sources.knative.dev/v1');
    expect(warm.spec).toEqual({
      schedule: '0 6 * * 1-5', timezone: 'Europe/Berlin', contentType: 'application/json', data: '{"action":"warm-up"}',
      sink: { ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'resnet' } },
    });
    expect(s.eventSource).toBe(`/apis/v1/namespaces/ml/pingsources/${warm.metadata.name}`);
    expect(hourly.spec.sink.ref).toEqual({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'models' });
  });

  test('bad cron, @every, unknown time zone, data that is no JSON object, a sink that is no Service or Broker', () => {
    const { chart, team } = setup();
    expectValidationError(() => new ModelSchedule(chart, 'a', { namespace: team, schedule: '61 * * * *', sink: model }), 'ModelScheduleProps.schedule', 'test/a');
    expectValidationError(() => new ModelSchedule(chart, 'b', { namespace: team, schedule: '@every 1h', sink: model }), 'ModelScheduleProps.schedule', 'test/b');
    expectValidationError(() => new ModelSchedule(chart, 'c', { namespace: team, schedule: '@daily', timezone: 'Mars/Olympus', sink: model }), 'ModelScheduleProps.timezone', 'test/c');
    expectValidationError(() => new ModelSchedule(chart, 'd', { namespace: team, schedule: '@daily', data: '[1, 2]', sink: model }), 'ModelScheduleProps.data', 'test/d');
    expectValidationError(() => new ModelSchedule(chart, 'e', { namespace: team, schedule: '@daily', sink: EventSink.fromRef({ apiVersion: 'v1', kind: 'Pod', name: 'p' }) }), 'ModelScheduleProps.sink.sinkRef', 'test/e');
  });
});

describe('ModelEventsBridge', () => {
  const kafka = { name: 'events', namespace: 'kafka' };
  const models = new DataBucket({ name: 'models' });

  test('a KafkaTopic on the Strimzi cluster and a KafkaSource v1 into the Broker; the Trigger filter matches its events', () => {
    const { chart, team } = setup();
    const broker = new ModelBroker(chart, 'events', { namespace: team, name: 'models' });
    const bridge = new ModelEventsBridge(chart, 'uploads', { namespace: team, kafka, bucket: models, prefix: 'resnet/', suffix: '.onnx', sink: broker, partitions: 3, replicas: 3 });
    new ModelTrigger(chart, 'on-upload', { broker, subscriber: model, filter: bridge.triggerFilter });
    const objects = synthValid(chart);
    const [topic] = ofKind(objects, 'KafkaTopic');
    const [source] = ofKind(objects, 'KafkaSource');
    expect(topic.apiVersion).toBe('kafka.strimzi.io/v1');
    expect(topic.metadata).toMatchObject({ name: bridge.topicName, namespace: 'kafka', labels: { 'strimzi.io/cluster': 'events' } });
    expect(topic.metadata.annotations!['argocd.argoproj.io/sync-options']).toContain('Prune=false');
    expect(topic.spec).toEqual({ partitions: 3, replicas: 3 });
    expect(source.apiVersion).toBe('sources.knative.dev/v1');
    expect(source.metadata.namespace).toBe('ml');
    expect(source.spec).toEqual({
      bootstrapServers: ['events-kafka-bootstrap.kafka.svc:9092'], topics: [bridge.topicName],
      consumerGroup: `knative-ml-${bridge.name}`, initialOffset: 'earliest', consumers: 1, ordering: 'ordered',
      sink: { ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'models' } },
    });
    expect(bridge.triggerFilter).toEqual({ type: 'dev.knative.kafka.event', source: `/apis/v1/namespaces/ml/kafkasources/${bridge.name}#${bridge.topicName}` });
    expect(ofKind(objects, 'Trigger')[0].spec.filter.attributes).toEqual(bridge.triggerFilter);
  });

  test('what the lake needs: MinIO Kafka target env, egress to the broker pods, an idempotent put-only subscription', () => {
    const { chart, team } = setup();
    const bridge = new ModelEventsBridge(chart, 'model-uploads', { namespace: team, kafka: { ...kafka, port: 9094 }, bucket: models, prefix: 'resnet/', sink: model, topic: 'Model_Uploads', initialOffset: KafkaInitialOffset.LATEST });
    const t = bridge.lakeTarget;
    expect(t.targetId).toBe('MODELUPLOADS');
    expect(t.serverEnv('/var/lib/minio-events')).toEqual([
      { name: 'MINIO_NOTIFY_KAFKA_ENABLE_MODELUPLOADS', value: 'on' },
      { name: 'MINIO_NOTIFY_KAFKA_BROKERS_MODELUPLOADS', value: 'events-kafka-bootstrap.kafka.svc:9094' },
      { name: 'MINIO_NOTIFY_KAFKA_TOPIC_MODELUPLOADS', value: 'Model_Uploads' },
      { name: 'MINIO_NOTIFY_KAFKA_QUEUE_DIR_MODELUPLOADS', value: '/var/lib/minio-events' },
    ]);
    expect(t.egressRule()).toEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kafka' } }, podSelector: { matchLabels: { 'strimzi.io/cluster': 'events', 'strimzi.io/kind': 'Kafka', 'strimzi.io/broker-role': 'true' } } }],
      ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(9094) }],
    });
    expect(t.subscribeCommand('lake', 'us-east-1')).toBe(`case "$(mc event ls lake/models arn:minio:sqs:us-east-1:MODELUPLOADS:kafka --json)" in *'"arn": "arn:minio:sqs:us-east-1:MODELUPLOADS:kafka"'*) ;; *) mc event add lake/models arn:minio:sqs:us-east-1:MODELUPLOADS:kafka --event put --prefix 'resnet/' --ignore-existing ;; esac`);
    expect(t.events).toEqual(['put']); // never delete: nothing here moves or deletes objects
    expectValidationError(() => t.serverEnv('relative'), 'LakeKafkaTarget.serverEnv.queueDir', '');
    // a topic name that is not a DNS name goes into spec.topicName
    const objects = synthValid(chart);
    const [topic] = ofKind(objects, 'KafkaTopic');
    expect(topic.spec.topicName).toBe('Model_Uploads');
    expect(topic.metadata.name).not.toBe('Model_Uploads');
    expect(ofKind(objects, 'KafkaSource')[0].spec.initialOffset).toBe('latest');
  });

  test('a topic name Kafka refuses, a bad target id, a sink that is not a Service ref, a quote in a key filter', () => {
    const { chart, team } = setup();
    const base = { namespace: team, kafka, bucket: models, sink: model };
    for (const [i, topic] of ['..', 'model uploads', 'x'.repeat(250), '__consumer_offsets', 'models/uploads'].entries()) {
      expectValidationError(() => new ModelEventsBridge(chart, `t${i}`, { ...base, topic }), 'ModelEventsBridgeProps.topic', `test/t${i}`);
    }
    expectValidationError(() => new ModelEventsBridge(chart, 'id', { ...base, targetId: 'lower' }), 'ModelEventsBridgeProps.targetId', 'test/id');
    expectValidationError(() => new ModelEventsBridge(chart, 'sink', { ...base, sink: EventSink.fromRef({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'resnet' }) }), 'ModelEventsBridgeProps.sink.sinkRef', 'test/sink');
    expectValidationError(() => new ModelEventsBridge(chart, 'q', { ...base, prefix: "it's" }), 'ModelEventsBridgeProps.prefix', 'test/q');
    expectValidationError(() => new ModelEventsBridge(chart, 'p', { ...base, kafka: { ...kafka, port: 0 } }), 'ModelEventsBridgeProps.kafka.port', 'test/p');
  });

  test('declares what it needs: Knative Eventing, the KafkaSource controller and Strimzi watching the Kafka cluster\'s namespace; ClusterAddons installs them', () => {
    const { chart, team } = setup();
    const bridge = new ModelEventsBridge(chart, 'uploads', { namespace: team, kafka, bucket: models, sink: model });
    const declared = AddonRequirements.of(chart).filter((r) => r.by === bridge).map((r) => r.requirement);
    expect(declared.map((r) => r.addon)).toEqual([Addon.KNATIVE_EVENTING, Addon.KNATIVE_KAFKA_SOURCE, Addon.STRIMZI]);
    expect(declared[2].strimziNamespaces).toEqual(['kafka']);
    expect(declared[2].reason).toContain('kafka/events');
    const addons = new ClusterAddons(chart, 'addons', { clusterName: 'onprem' });
    expect(addons.installed).toEqual([Addon.STRIMZI, Addon.KNATIVE_EVENTING, Addon.KNATIVE_KAFKA_SOURCE]);
    expect(addons.strimziWatchNamespaces).toEqual(['kafka']);
    const objects = synthValid(chart);
    expect(ofKind(objects, 'Application').map((a) => a.metadata.name)).toEqual(['onprem-strimzi', 'onprem-knative-operator']);
    expect(ofKind(objects, 'KnativeEventing')[0].spec.source.kafka).toEqual({ enabled: true });
    // the user's Kafka cluster stays theirs: no Kafka resource is emitted
    expect(ofKind(objects, 'Kafka')).toEqual([]);
  });

  test('a Strimzi operator the cluster does not install fails at synth, naming the bridge', () => {
    const { chart, team } = setup();
    new ModelEventsBridge(chart, 'uploads', { namespace: team, kafka, bucket: models, sink: model });
    new ClusterAddons(chart, 'addons', { clusterName: 'onprem', exclude: [Addon.STRIMZI] });
    const e = expectValidationError(() => synthValid(chart), 'AddonRequirement.addon', 'test/uploads');
    expect(e.message).toContain('the KafkaTopic kafka/');
  });

  test('the CRD schemas refuse what the webhooks refuse: an unknown field is caught', () => {
    const { chart, team } = setup();
    const bridge = new ModelEventsBridge(chart, 'uploads', { namespace: team, kafka, bucket: models, sink: model });
    const [source] = ofKind(Testing.synth(chart) as never, 'KafkaSource');
    expect(manifestProblems({ ...source, spec: { ...source.spec, topic: bridge.topicName } }).join('\n')).toContain('must NOT have additional properties (topic)');
  });
});

describe('KnativeObservability', () => {
  test('typed config-observability entries that ClusterAddons takes', () => {
    const observability = KnativeObservability.combine([
      KnativeObservability.tracing({ protocol: ObservabilityProtocol.HTTP_PROTOBUF, endpoint: 'http://otel-collector.observability:4318/v1/traces', samplingRate: 0.1 }),
      KnativeObservability.requestLogs({ template: '{"status": {{.Response.Code}}, "traceId": "{{.TraceID}}"}' }),
      KnativeObservability.metrics({ protocol: ObservabilityProtocol.PROMETHEUS }, true),
    ]);
    expect(observability).toEqual({
      'tracing-protocol': 'http/protobuf', 'tracing-endpoint': 'http://otel-collector.observability:4318/v1/traces', 'tracing-sampling-rate': '0.1',
      'logging.enable-request-log': 'true', 'logging.request-log-template': '{"status": {{.Response.Code}}, "traceId": "{{.TraceID}}"}',
      'request-metrics-protocol': 'prometheus',
    });
    const chart = testChart();
    const addons = new ClusterAddons(chart, 'addons', { clusterName: 'onprem', include: [], knativeServing: { observability } });
    expect(addons).toBeDefined();
    expect(KnativeObservability.tracing({ protocol: ObservabilityProtocol.STDOUT })).toEqual({ 'tracing-protocol': 'stdout' });
    expect(KnativeObservability.metrics({ protocol: ObservabilityProtocol.GRPC, endpoint: 'https://collector:4317', exportInterval: '30s' }))
      .toEqual({ 'metrics-protocol': 'grpc', 'metrics-endpoint': 'https://collector:4317', 'metrics-export-interval': '30s' });
  });

  test('range and consistency checks, naming the field', () => {
    expectValidationError(() => KnativeObservability.tracing({ protocol: ObservabilityProtocol.GRPC, endpoint: 'http://c:4317', samplingRate: 1.5 }), 'KnativeTracingOptions.samplingRate', '');
    expectValidationError(() => KnativeObservability.tracing({ protocol: ObservabilityProtocol.GRPC }), 'KnativeTracingOptions.endpoint', '');
    expectValidationError(() => KnativeObservability.tracing({ protocol: ObservabilityProtocol.HTTP_PROTOBUF, endpoint: 'collector:4318' }), 'KnativeTracingOptions.endpoint', '');
    expectValidationError(() => KnativeObservability.tracing({ protocol: ObservabilityProtocol.NONE, endpoint: 'http://c:4318' }), 'KnativeTracingOptions.endpoint', '');
    expectValidationError(() => KnativeObservability.tracing({ protocol: ObservabilityProtocol.PROMETHEUS }), 'KnativeTracingOptions.protocol', '');
    expectValidationError(() => KnativeObservability.metrics({ protocol: ObservabilityProtocol.STDOUT }), 'KnativeMetricsOptions.protocol', '');
    expectValidationError(() => KnativeObservability.metrics({ protocol: ObservabilityProtocol.HTTP_PROTOBUF, endpoint: 'http://c', exportInterval: '1 minute' }), 'KnativeMetricsOptions.exportInterval', '');
    expectValidationError(() => KnativeObservability.requestLogs({ template: '{{.Request.Method}}\n{{.Response.Code}}' }), 'KnativeRequestLogOptions.template', '');
    expectValidationError(() => KnativeObservability.combine([{ 'tracing-protocol': 'grpc' }, { 'tracing-protocol': 'none' }]), 'KnativeObservability.combine.maps[1]["tracing-protocol"]', '');
  });
});
