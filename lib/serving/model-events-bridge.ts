import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { KafkaSourceV1 } from '../../imports/knative-kafkasource-sources.knative.dev';
import { KafkaTopic } from '../../imports/strimzi-kafkatopics-kafka.strimzi.io';
import { Addon } from '../addons/addon';
import { AddonRequirements } from '../addons/addon-requirements';
import { GitOps } from '../addons/gitops';
import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';
import { ObjectOrder } from '../core/k8s/object-order';
import { Labels } from '../core/labels';
import { Names } from '../core/names';
import { DataBucket } from '../data/data-bucket';
import { ITeamSpace } from '../teams/team-space';
import { EventDeliveries, EventDelivery } from './eventing-delivery';
import { EventSinks, IEventSink } from './eventing-sink';
import { NamespaceSelectors } from '../core/k8s/namespace-selectors';

/**
 * A Strimzi `Kafka` cluster, by reference: the user declares and runs it (its `Kafka` and `KafkaNodePool` resources,
 * sizing, storage and listeners are theirs); the library neither creates nor changes it. Where `ClusterAddons`
 * installs the Strimzi cluster operator, the operator watches this cluster's namespace.
 */
export interface KafkaClusterRef {
  /** Name of the `Kafka` resource (`strimzi.io/cluster` of its pods and topics). */
  readonly name: string;
  /** Its namespace: the Topic Operator watches it, so the bridge's KafkaTopic goes there. */
  readonly namespace: string;
  /**
   * Port of its plain (non-TLS, no authentication) internal listener, on `<name>-kafka-bootstrap` and every broker.
   * @default 9092 (Strimzi's `KafkaResources.plainBootstrapAddress`)
   */
  readonly port?: number;
}

/** Where the Kafka source starts reading when its consumer group has no committed offset yet. */
export class KafkaInitialOffset {
  /** From the oldest record the topic keeps: events the lake wrote before the source was ready are delivered too. */
  public static readonly EARLIEST = new KafkaInitialOffset('earliest');
  /** Only records written after the source started (Knative's default). */
  public static readonly LATEST = new KafkaInitialOffset('latest');

  /** The value of `spec.initialOffset`. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }
}

/** Props of {@link ModelEventsBridge}. */
export interface ModelEventsBridgeProps {
  /** The team namespace of the KafkaSource (and of its sink). */
  readonly namespace: ITeamSpace;
  /** The Strimzi Kafka cluster the lake writes to and the source reads from. */
  readonly kafka: KafkaClusterRef;
  /** The lake bucket whose new objects become events (e.g. the models bucket). */
  readonly bucket: DataBucket;
  /**
   * Only objects under this key prefix (MinIO's notification filter), e.g. `resnet/`.
   * @default - the whole bucket
   */
  readonly prefix?: string;
  /**
   * Only objects with this key suffix, e.g. `.onnx` or `saved_model.pb`.
   * @default - any key
   */
  readonly suffix?: string;
  /** Where the CloudEvents go: a {@link ModelBroker} (then filter with Triggers) or a model's Knative Service. */
  readonly sink: IEventSink;
  /**
   * Name of the Kafka topic (Kafka's rules: at most 249 of `a-zA-Z0-9._-`, not `.` or `..`).
   * @default - derived from the construct path (a DNS-1123 label)
   */
  readonly topic?: string;
  /**
   * Partitions of the topic (events of one object key stay in order within a partition).
   * @default - the Kafka cluster's `num.partitions`
   */
  readonly partitions?: number;
  /**
   * Replicas of each partition.
   * @default - the Kafka cluster's `default.replication.factor`
   */
  readonly replicas?: number;
  /**
   * Consumer group of the KafkaSource (immutable once created: Knative refuses a change).
   * @default - `knative-<namespace>-<source name>`, fixed (Knative's own default is a random UUID per creation)
   */
  readonly consumerGroup?: string;
  /**
   * Where a new consumer group starts.
   * @default KafkaInitialOffset.EARLIEST
   */
  readonly initialOffset?: KafkaInitialOffset;
  /**
   * Consumers in the group (at most the topic's partitions do work).
   * @default 1
   */
  readonly consumers?: number;
  /**
   * Delivery of the events to the sink.
   * @default - Knative's
   */
  readonly delivery?: EventDelivery;
  /**
   * MinIO's id of the lake's Kafka notification target (`MINIO_NOTIFY_KAFKA_*_<ID>`, ARN
   * `arn:minio:sqs:<region>:<ID>:kafka`): uppercase letters and digits, unique per lake.
   * @default - the construct id, uppercased, without other characters (e.g. "MODELUPLOADS")
   */
  readonly targetId?: string;
}

const P = 'ModelEventsBridgeProps';
const TOPIC_CHARS = /^[a-zA-Z0-9._-]+$/;
const MAX_TOPIC = 249;
const TARGET_ID = /^[A-Z0-9]{1,32}$/;
const DEFAULT_PORT = 9092;

/**
 * What a `MinioDataLake` needs to publish a bucket's events into the bridge's Kafka topic, built by
 * {@link ModelEventsBridge} and handed to the lake (`MinioDataLakeProps.kafkaNotifications`): the servers'
 * environment (MinIO's Kafka notification target), their egress to the Kafka brokers, and the bucket notification
 * the provisioning Job adds.
 *
 * MinIO's Kafka target (minio/minio internal/event/target/kafka.go and internal/config/notify/parse.go at
 * RELEASE.2025-09-07T16-13-09Z): `MINIO_NOTIFY_KAFKA_ENABLE_<ID>`, `_BROKERS_<ID>` (comma-separated host:port),
 * `_TOPIC_<ID>`, `_QUEUE_DIR_<ID>` (absolute; the store goes in `<dir>/minio-kafka-<ID>`, so it may share the
 * lineage webhook's queue volume). Each record's key is `<bucket>/<object>` and its value MinIO's event JSON
 * (`{"EventName", "Key", "Records"}`).
 */
export class LakeKafkaTarget {
  /** MinIO's target id. */
  public readonly targetId: string;
  /** Bootstrap `host:port` of the Kafka cluster. */
  public readonly brokers: string[];
  /** The topic. */
  public readonly topic: string;
  /** The bucket whose events go to the topic. */
  public readonly bucket: DataBucket;
  /** MinIO event names of the notification (`mc event add --event`): only `put`, new objects and new versions. */
  public readonly events: string[];
  /** Key prefix filter (undefined: none). */
  public readonly prefix?: string;
  /** Key suffix filter (undefined: none). */
  public readonly suffix?: string;
  private readonly kafka: { name: string; namespace: string; port: number };

  /** Built by {@link ModelEventsBridge}: use its `lakeTarget`. */
  public constructor(targetId: string, topic: string, bucket: DataBucket, kafka: KafkaClusterRef, prefix?: string, suffix?: string) {
    this.targetId = targetId;
    this.topic = topic;
    this.bucket = bucket;
    this.kafka = { name: kafka.name, namespace: kafka.namespace, port: kafka.port ?? DEFAULT_PORT };
    this.brokers = [`${this.kafka.name}-kafka-bootstrap.${this.kafka.namespace}.svc:${this.kafka.port}`];
    this.events = ['put'];
    this.prefix = prefix;
    this.suffix = suffix;
  }

  /**
   * The servers' environment for this target. `queueDir`: an absolute directory on a persistent volume where
   * undelivered events wait (the lake's events volume).
   */
  public serverEnv(queueDir: string): k8s.EnvVar[] {
    if (typeof queueDir !== 'string' || !queueDir.startsWith('/')) {
      throw new ValidationError('', 'LakeKafkaTarget.serverEnv.queueDir', queueDir, 'expected an absolute path (MinIO: "queueDir path should be absolute")');
    }
    const id = this.targetId;
    return [
      { name: `MINIO_NOTIFY_KAFKA_ENABLE_${id}`, value: 'on' },
      { name: `MINIO_NOTIFY_KAFKA_BROKERS_${id}`, value: this.brokers.join(',') },
      { name: `MINIO_NOTIFY_KAFKA_TOPIC_${id}`, value: this.topic },
      { name: `MINIO_NOTIFY_KAFKA_QUEUE_DIR_${id}`, value: queueDir },
    ];
  }

  /**
   * The servers' egress to the Kafka brokers: a client reaches the bootstrap Service, then every broker it is told
   * about, so the rule admits the cluster's broker pods (Strimzi 1.2.0 labels them `strimzi.io/cluster`,
   * `strimzi.io/kind: Kafka`, `strimzi.io/broker-role: "true"`: KafkaCluster.java, Labels.java) on the listener port.
   */
  public egressRule(): k8s.NetworkPolicyEgressRule {
    return {
      to: [{
        namespaceSelector: NamespaceSelectors.named(this.kafka.namespace),
        podSelector: { matchLabels: { 'strimzi.io/cluster': this.kafka.name, 'strimzi.io/kind': 'Kafka', 'strimzi.io/broker-role': 'true' } },
      }],
      ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(this.kafka.port) }],
    };
  }

  /** The ARN of the target in a bucket notification, with the lake's region (as `LakeLineage.arn`). */
  public arn(region: string): string {
    return `arn:minio:sqs:${region}:${this.targetId}:kafka`;
  }

  /**
   * The provisioning script's line that subscribes the bucket once (`alias`: the script's `mc` alias of the lake),
   * in the same idempotent form as the lineage webhook's: `mc event add` refuses an overlapping ARN before it looks
   * at `--ignore-existing`, so `mc event ls` is asked first (minio/mc cmd/event-add.go, cmd/event-list.go).
   */
  public subscribeCommand(alias: string, region: string): string {
    const arn = this.arn(region);
    const target = `${alias}/${this.bucket.name}`;
    const filters = `${this.prefix ? ` --prefix '${this.prefix}'` : ''}${this.suffix ? ` --suffix '${this.suffix}'` : ''}`;
    return `case "$(mc event ls ${target} ${arn} --json)" in *'"arn": "${arn}"'*) ;; *) mc event add ${target} ${arn} --event ${this.events.join(',')}${filters} --ignore-existing ;; esac`;
  }
}

/**
 * "A new object in the models bucket triggers the model", from existing components: MinIO's bucket notifications
 * are MinIO's own JSON, not CloudEvents (a Broker answers 400), so the lake publishes them with its Kafka
 * notification target into a Strimzi `KafkaTopic` (`kafka.strimzi.io/v1`, Strimzi 1.2.0), and a Knative
 * `KafkaSource` (`sources.knative.dev/v1`, eventing-kafka-broker 1.22) turns each record into a CloudEvent for a
 * Broker or a model:
 *
 * - type `dev.knative.kafka.event`, source `/apis/v1/namespaces/<ns>/kafkasources/<name>#<topic>`, subject
 *   `partition:<p>#<offset>`, extension `key` = `<bucket>/<object>` (eventing-kafka-broker knative-v1.22.3
 *   control-plane/pkg/apis/sources/v1/kafka_types.go; data-plane InvalidCloudEventInterceptor.java), data the MinIO
 *   event JSON. {@link triggerFilter} is the exact filter a {@link ModelTrigger} needs.
 * - Only `put` events (new objects and versions), and nothing deletes or moves what it reads: the lake only writes
 *   notifications, the source only reads the topic.
 * - The lake's side is {@link lakeTarget}: pass it to the lake, which then sets its servers' env, their egress to
 *   the brokers and the bucket notification.
 *
 * Needs, declared to the cluster's add-ons (`AddonRequirements.require`): Knative Eventing, eventing-kafka-broker's
 * KafkaSource controller (`Addon.KNATIVE_KAFKA_SOURCE`: `ClusterAddons` enables `KnativeEventing.spec.source.kafka`)
 * and the Strimzi cluster operator watching the Kafka cluster's namespace (`Addon.STRIMZI` with
 * `strimziNamespaces`). The Kafka cluster itself is the user's: an existing Strimzi `Kafka` resource in
 * {@link KafkaClusterRef.namespace}, with its Topic Operator (`spec.entityOperator.topicOperator`) and a plain
 * internal listener on {@link KafkaClusterRef.port}; that namespace must exist before the add-ons sync (the operator's
 * RoleBinding goes there). The KafkaTopic is protected from GitOps prune and delete: deleting it deletes the topic and
 * the events not yet read.
 */
export class ModelEventsBridge extends Construct {
  /** CloudEvents `type` of the events (`KafkaEventType`). */
  public static readonly EVENT_TYPE = 'dev.knative.kafka.event';

  /** The Kafka topic. */
  public readonly topicName: string;
  /** The KafkaSource's name. */
  public readonly name: string;
  /** Its consumer group. */
  public readonly consumerGroup: string;
  /** CloudEvents `source` of its events. */
  public readonly eventSource: string;
  /** Exact Trigger filter for this bridge's events: `{ type, source }`. */
  public readonly triggerFilter: { [attribute: string]: string };
  /** What the lake needs (see {@link LakeKafkaTarget}). */
  public readonly lakeTarget: LakeKafkaTarget;
  /** Escape hatches. */
  public readonly kafkaTopic: ApiObject;
  public readonly kafkaSource: ApiObject;

  public constructor(scope: Construct, id: string, props: ModelEventsBridgeProps) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    Checks.object(path, P, props, 'ModelEventsBridgeProps ({ namespace, kafka, bucket, sink, ... })');
    const team = Checks.object(path, `${P}.namespace`, props.namespace, 'an ITeamSpace (a TeamSpace or TeamSpace.fromNamespace)');
    const namespace = Names.validateDnsLabel(path, `${P}.namespace.namespaceName`, team.namespaceName);
    const kafkaRef = Checks.object(path, `${P}.kafka`, props.kafka, 'a KafkaClusterRef ({ name, namespace, port? })');
    const kafka = {
      name: Names.validateDnsLabel(path, `${P}.kafka.name`, Checks.string(path, `${P}.kafka.name`, kafkaRef.name)),
      namespace: Names.validateDnsLabel(path, `${P}.kafka.namespace`, Checks.string(path, `${P}.kafka.namespace`, kafkaRef.namespace)),
      port: kafkaRef.port == null ? DEFAULT_PORT : Checks.number(path, `${P}.kafka.port`, kafkaRef.port, 1, 65535),
    };
    const bucket = Checks.instance(path, `${P}.bucket`, props.bucket, DataBucket, 'a DataBucket of the lake');
    const keyFilter = (name: 'prefix' | 'suffix') => {
      const value = props[name];
      if (value == null) return undefined;
      Checks.string(path, `${P}.${name}`, value);
      // written into the provisioning script between single quotes
      if (/['\n\r\\]/.test(value) || value.length > 1024) {
        throw new ValidationError(path, `${P}.${name}`, value, 'expected an object key part of at most 1024 characters without quotes, backslashes or line breaks');
      }
      return value;
    };
    const prefix = keyFilter('prefix');
    const suffix = keyFilter('suffix');
    const sink = EventSinks.validate(path, `${P}.sink`, props.sink, EventSinks.SERVICES_AND_BROKERS);
    this.topicName = props.topic == null ? Names.dnsLabel(this) : ModelEventsBridge.validateTopic(path, props.topic);
    const partitions = props.partitions == null ? undefined : Checks.number(path, `${P}.partitions`, props.partitions, 1, 100000);
    // KafkaTopic CRD: replicas 1..32767
    const replicas = props.replicas == null ? undefined : Checks.number(path, `${P}.replicas`, props.replicas, 1, 32767);
    this.name = Names.dnsLabel(this);
    this.consumerGroup = props.consumerGroup == null ? `knative-${namespace}-${this.name}` : ModelEventsBridge.validateGroup(path, props.consumerGroup);
    const initialOffset = props.initialOffset == null ? KafkaInitialOffset.EARLIEST
      : Checks.instance(path, `${P}.initialOffset`, props.initialOffset, KafkaInitialOffset, 'KafkaInitialOffset.EARLIEST or KafkaInitialOffset.LATEST');
    const consumers = props.consumers == null ? 1 : Checks.number(path, `${P}.consumers`, props.consumers, 1, 1000);
    const delivery = EventDeliveries.render(path, `${P}.delivery`, props.delivery);
    const targetId = props.targetId == null ? ModelEventsBridge.defaultTargetId(path, id) : Checks.string(path, `${P}.targetId`, props.targetId);
    if (!TARGET_ID.test(targetId)) {
      throw new ValidationError(path, `${P}.targetId`, targetId, 'expected 1 to 32 uppercase letters and digits (it ends MinIO\'s env names and its ARN)');
    }
    this.eventSource = `/apis/v1/namespaces/${namespace}/kafkasources/${this.name}#${this.topicName}`;
    this.triggerFilter = { source: this.eventSource, type: ModelEventsBridge.EVENT_TYPE };
    this.lakeTarget = new LakeKafkaTarget(targetId, this.topicName, bucket, kafka, prefix, suffix);

    // A KafkaTopic's metadata.name is a DNS-1123 subdomain; a topic name that is not one goes in spec.topicName.
    const topicObjectName = Names.isDnsSubdomain(this.topicName) ? this.topicName : Names.dnsLabel(this, { suffix: 'topic' });
    const source = `the KafkaSource ${namespace}/${this.name}`;
    AddonRequirements.require(this, { addon: Addon.KNATIVE_EVENTING, reason: source });
    AddonRequirements.require(this, { addon: Addon.KNATIVE_KAFKA_SOURCE, reason: source });
    // the Topic Operator of the user's Kafka cluster turns the KafkaTopic into a topic; the cluster operator deploys it
    AddonRequirements.require(this, {
      addon: Addon.STRIMZI, strimziNamespaces: [kafka.namespace],
      reason: `the KafkaTopic ${kafka.namespace}/${topicObjectName} of the Kafka cluster ${kafka.namespace}/${kafka.name}`,
    });
    this.kafkaTopic = new KafkaTopic(this, 'topic', {
      metadata: {
        name: topicObjectName,
        namespace: kafka.namespace,
        labels: { ...Labels.standard({ name: 'model-events', instance: this.name, component: 'event-topic' }), 'strimzi.io/cluster': kafka.name },
      },
      spec: {
        ...(topicObjectName !== this.topicName ? { topicName: this.topicName } : {}),
        ...(partitions ? { partitions } : {}),
        ...(replicas ? { replicas } : {}),
      },
    });
    GitOps.protect(this.kafkaTopic);
    this.kafkaSource = new KafkaSourceV1(this, 'source', {
      metadata: {
        name: this.name,
        namespace,
        labels: Labels.standard({ name: 'model-events', instance: this.name, component: 'event-source' }),
      },
      spec: {
        bootstrapServers: this.lakeTarget.brokers,
        topics: [this.topicName],
        consumerGroup: this.consumerGroup,
        initialOffset: initialOffset.name,
        consumers,
        ordering: 'ordered',
        sink: { ref: sink },
        ...(delivery ? { delivery } : {}),
      },
    });
    this.kafkaSource.node.addDependency(this.kafkaTopic);
  }

  /** Kafka's topic rules (apache/kafka clients/src/main/java/org/apache/kafka/common/internals/Topic.java). */
  private static validateTopic(path: string, topic: string): string {
    Checks.string(path, `${P}.topic`, topic);
    if (topic === '.' || topic === '..' || topic.length > MAX_TOPIC || !TOPIC_CHARS.test(topic) || topic.startsWith('__')) {
      throw new ValidationError(path, `${P}.topic`, topic, `expected a Kafka topic name: 1 to ${MAX_TOPIC} ASCII letters, digits, ".", "_" and "-", not "." or "..", not starting with "__" (Kafka's internal topics)`);
    }
    return topic;
  }

  private static validateGroup(path: string, group: string): string {
    Checks.string(path, `${P}.consumerGroup`, group);
    if (group.length > 255 || !TOPIC_CHARS.test(group)) {
      throw new ValidationError(path, `${P}.consumerGroup`, group, 'expected at most 255 ASCII letters, digits, ".", "_" and "-"');
    }
    return group;
  }

  private static defaultTargetId(path: string, id: string): string {
    const targetId = id.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 32);
    if (!targetId) throw new ValidationError(path, `${P}.targetId`, targetId, 'expected a targetId: the construct id has no letters or digits to derive one from');
    return targetId;
  }
}
