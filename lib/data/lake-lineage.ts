import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Checks } from '../core/checks';
import { Cidr } from '../core/cidr';
import { ValidationError } from '../core/errors';
import { Names } from '../core/names';
import { Quantities } from '../core/quantity';
import type { LineageTarget } from './minio-data-lake';
import { NamespaceSelectors } from '../core/k8s/namespace-selectors';

/** MinIO's id of the lake's webhook target: `MINIO_NOTIFY_WEBHOOK_*_LINEAGE`, ARN `arn:minio:sqs:<region>:LINEAGE:webhook`. */
export const LINEAGE_TARGET = 'LINEAGE';
/** Name of the servers' volumeClaimTemplate holding the webhook's queue of undelivered events. */
export const EVENTS_VOLUME = 'events';
/**
 * Where the queue volume is mounted: outside every drive (`/export<n>`), since a folder at the top of a drive would
 * appear as a bucket.
 */
export const EVENTS_MOUNT = '/var/lib/minio-events';
const DEFAULT_QUEUE_SIZE = '1Gi';

/**
 * The lake's bucket events to a webhook (MinIO's `notify_webhook` target), validated once: the servers' env and
 * queue volume, the bucket notification ARN, and the egress the servers need.
 * @internal not part of the public API
 */
export class LakeLineage {
  /** Size of each server's event queue volume when none is given. */
  public static readonly DEFAULT_QUEUE_SIZE = DEFAULT_QUEUE_SIZE;

  /** The lineage target, validated, or undefined without one. */
  public static of(path: string, lineage: LineageTarget | undefined): LakeLineage | undefined {
    if (lineage == null) return undefined; // null, as jsii passes an unset optional, is unset
    const field = 'MinioDataLakeProps.lineage';
    Checks.object(path, field, lineage, 'a LineageTarget ({ endpoint, namespace | cidr })');
    const endpoint = Checks.string(path, `${field}.endpoint`, lineage.endpoint, 'an http(s) URL');
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.username || url.password) {
      throw new ValidationError(path, `${field}.endpoint`, endpoint, 'expected an http(s) URL without credentials (put a token in authTokenSecret)');
    }
    const optional = (name: 'namespace' | 'cidr' | 'authTokenSecret' | 'queueSize') =>
      lineage[name] == null ? undefined : Checks.string(path, `${field}.${name}`, lineage[name]);
    const namespace = optional('namespace');
    const cidr = optional('cidr');
    if (!namespace && !cidr) {
      throw new ValidationError(path, field, lineage, 'expected namespace (in-cluster receiver) or cidr (outside receiver): the lake\'s egress is denied otherwise');
    }
    if (namespace) Names.validateDnsLabel(path, `${field}.namespace`, namespace);
    if (cidr && !Cidr.parse(cidr)) throw new ValidationError(path, `${field}.cidr`, cidr, 'expected an IPv4 CIDR such as "10.20.0.0/16"');
    const token = optional('authTokenSecret');
    if (token) Names.validateDnsLabel(path, `${field}.authTokenSecret`, token);
    const queueSize = Quantities.validate(path, `${field}.queueSize`, optional('queueSize') ?? DEFAULT_QUEUE_SIZE);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    return new LakeLineage(endpoint, port, queueSize, namespace, cidr, token);
  }

  private constructor(
    public readonly endpoint: string,
    public readonly port: number,
    public readonly queueSize: string,
    public readonly namespace?: string,
    public readonly cidr?: string,
    public readonly authTokenSecret?: string,
  ) {}

  /** The bytes of the per-server queue claim (for the namespace's quota). */
  public get queueBytes(): number {
    return Quantities.parse(this.queueSize)!;
  }

  /**
   * The ARN of the target in a bucket notification. The server stores a notification's ARN with its own region
   * (minio/minio internal/event/config.go ParseConfig → SetRegion; internal/event/arn.go String:
   * `arn:minio:sqs:<region>:<id>:<name>`, @RELEASE.2025-09-07T16-13-09Z), and `mc event add --ignore-existing`
   * only skips a notification whose ARN equals an existing one (minio/mc cmd/client-s3.go AddNotificationConfig,
   * @RELEASE.2025-08-13T08-35-41Z): a region-less ARN never matches, and every run would add a duplicate.
   */
  public static arn(region: string): string {
    return `arn:minio:sqs:${region}:${LINEAGE_TARGET}:webhook`;
  }

  /** The servers' environment: the webhook target, its queue on the persistent events volume, the token by reference. */
  public serverEnv(): k8s.EnvVar[] {
    return [
      { name: `MINIO_NOTIFY_WEBHOOK_ENABLE_${LINEAGE_TARGET}`, value: 'on' },
      { name: `MINIO_NOTIFY_WEBHOOK_ENDPOINT_${LINEAGE_TARGET}`, value: this.endpoint },
      // Undelivered events wait here and are replayed (internal/event/target/webhook.go: queue store under
      // queue_dir, SendFromStore), across restarts since the volume is a retained PVC.
      { name: `MINIO_NOTIFY_WEBHOOK_QUEUE_DIR_${LINEAGE_TARGET}`, value: EVENTS_MOUNT },
      ...(this.authTokenSecret ? [{
        name: `MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_${LINEAGE_TARGET}`, valueFrom: { secretKeyRef: { name: this.authTokenSecret, key: 'token' } },
      }] : []),
    ];
  }

  /** The servers' egress to the receiver. */
  public egressRule(): k8s.NetworkPolicyEgressRule {
    const to: k8s.NetworkPolicyPeer[] = [
      ...(this.namespace ? [{ namespaceSelector: NamespaceSelectors.named(this.namespace) }] : []),
      ...(this.cidr ? [{ ipBlock: { cidr: this.cidr } }] : []),
    ];
    return { to, ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(this.port) }] };
  }
}
