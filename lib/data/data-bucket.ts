import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';
import { Names } from '../core/names';
import { Quantities } from '../core/quantity';
import { Regions } from '../core/regions';

/** Object lock retention mode (S3 / MinIO semantics). */
export enum ObjectLockMode {
  /** Users with a special permission may shorten or lift the retention. */
  GOVERNANCE = 'GOVERNANCE',
  /** Nobody, root included, can delete a locked version before its retention ends. */
  COMPLIANCE = 'COMPLIANCE',
}

/** Default retention of new object versions (WORM). Requires versioning. */
export interface ObjectLockProps {
  /** Retention mode. */
  readonly mode: ObjectLockMode;
  /** Days each new version is locked, 1 to 36500. */
  readonly retentionDays: number;
}

/** Lifecycle rules of a bucket (S3 lifecycle semantics, applied by MinIO and by the cloud replicas). */
export interface BucketLifecycle {
  /**
   * Delete noncurrent (overwritten or deleted) versions this many days after they became noncurrent. Leave unset to
   * keep every version forever: that is the data version control.
   * @default - versions are kept
   */
  readonly noncurrentVersionExpirationDays?: number;
  /**
   * Expire current objects this many days after creation (with versioning, they become noncurrent versions).
   * @default - never
   */
  readonly expirationDays?: number;
  /**
   * Abort incomplete multipart uploads after this many days.
   * @default 7
   */
  readonly abortIncompleteUploadDays?: number;
}

/** Where a bucket is copied in a cloud, for workloads that burst there. */
export enum ReplicaCloud {
  AWS = 'aws',
  GCP = 'gcp',
}

/** Props of {@link BucketReplica.s3} and {@link BucketReplica.gcs}. */
export interface BucketReplicaProps {
  /** Name of the cloud bucket (globally unique in its cloud). */
  readonly bucketName: string;
  /** AWS region (S3) or GCS location (e.g. `EUROPE-WEST4`, `EU`). */
  readonly location: string;
  /**
   * Name of the Secret, in the data lake's namespace, holding the cloud credentials the mirror job uses: keys
   * `accessKey` and `secretKey` (an IAM user's access key for S3, an HMAC key for GCS). Created out of band.
   */
  readonly credentialsSecret: string;
}

/** A cloud copy of a lake bucket (S3 or GCS), kept by a mirror job. */
export class BucketReplica {
  /** An S3 replica bucket. */
  public static s3(props: BucketReplicaProps): BucketReplica {
    return new BucketReplica(ReplicaCloud.AWS, props);
  }

  /** A GCS replica bucket. */
  public static gcs(props: BucketReplicaProps): BucketReplica {
    return new BucketReplica(ReplicaCloud.GCP, props);
  }

  public readonly cloud: ReplicaCloud;
  public readonly bucketName: string;
  public readonly location: string;
  public readonly credentialsSecret: string;

  private constructor(cloud: ReplicaCloud, props: BucketReplicaProps) {
    // Kinds only: the names' rules are checked by the DataBucket that holds the replica (it knows its path).
    const field = cloud === ReplicaCloud.AWS ? 'BucketReplica.s3' : 'BucketReplica.gcs';
    const path = `replica/${cloud}`;
    Checks.object(path, field, props, 'BucketReplicaProps ({ bucketName, location, credentialsSecret })');
    for (const key of ['bucketName', 'location', 'credentialsSecret'] as const) Checks.string(path, `${field}.${key}`, props[key]);
    this.cloud = cloud;
    this.bucketName = props.bucketName;
    this.location = props.location;
    this.credentialsSecret = props.credentialsSecret;
  }

  /** The S3 API endpoint the mirror job writes to. */
  public get endpoint(): string {
    return this.cloud === ReplicaCloud.AWS ? `https://s3.${this.location}.amazonaws.com` : 'https://storage.googleapis.com';
  }
}

/** Props of {@link DataBucket}. */
export interface DataBucketProps {
  /** Bucket name: S3 naming rules (3-63 characters, lowercase letters, digits, '.', '-', ...). */
  readonly name: string;
  /**
   * Keep every version of every object: the data version control of the platform.
   * @default true
   */
  readonly versioning?: boolean;
  /**
   * Object lock (WORM) default retention. Requires versioning; can only be set when the bucket is created.
   * @default - no object lock
   */
  readonly objectLock?: ObjectLockProps;
  /**
   * Lifecycle rules.
   * @default - abort incomplete uploads after 7 days, keep every version
   */
  readonly lifecycle?: BucketLifecycle;
  /**
   * Hard quota of the bucket, a Kubernetes-style size (`10Ti`, `500Gi`).
   * @default - no quota
   */
  readonly quota?: string;
  /**
   * Cloud copies of the bucket (S3, GCS), for work that bursts into a cloud.
   * @default - none
   */
  readonly replicas?: BucketReplica[];
}

const S3_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;
const S3_RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const S3_RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];
const MAX_RETENTION_DAYS = 36500;

/**
 * A bucket of the data lake, described once as plain data: the MinIO side creates and configures it (versioning,
 * object lock, lifecycle, quota, event notifications, mirror jobs) and the cloud side creates its replicas.
 */
export class DataBucket {
  /**
   * Throws a {@link ValidationError} naming `field` unless `name` follows the S3 bucket naming rules: 3 to 63
   * characters; lowercase letters, digits, '.' and '-'; a letter or digit at both ends; no '..'; not an IP address;
   * none of S3's reserved prefixes (`xn--`, `sthree-`, `amzn-s3-demo-`) or suffixes (`-s3alias`, `--ol-s3`, `.mrap`,
   * `--x-s3`, `--table-s3`).
   */
  public static validateName(path: string, field: string, name: string): string {
    const problem = typeof name !== 'string' ? 'expected a string'
      : !S3_NAME.test(name) ? 'expected 3 to 63 lowercase letters, digits, "." or "-", starting and ending with a letter or digit'
        : name.includes('..') ? 'expected no two adjacent periods'
          : IP_ADDRESS.test(name) ? 'expected a name, not an IP address'
            : S3_RESERVED_PREFIXES.find((p) => name.startsWith(p)) ? `expected none of the reserved prefixes ${S3_RESERVED_PREFIXES.join(', ')}`
              : S3_RESERVED_SUFFIXES.find((s) => name.endsWith(s)) ? `expected none of the reserved suffixes ${S3_RESERVED_SUFFIXES.join(', ')}`
                : undefined;
    if (problem) throw new ValidationError(path, field, name, `${problem} (S3 bucket naming rules)`);
    return name;
  }

  public readonly name: string;
  public readonly versioning: boolean;
  public readonly objectLock?: ObjectLockProps;
  public readonly lifecycle: BucketLifecycle;
  public readonly quota?: string;
  public readonly replicas: BucketReplica[];

  public constructor(props: DataBucketProps) {
    Checks.object('bucket', 'DataBucketProps', props, 'DataBucketProps ({ name, ... })');
    const path = `bucket/${typeof props.name === 'string' ? props.name : '?'}`;
    this.name = DataBucket.validateName(path, 'DataBucketProps.name', props.name);
    this.versioning = Checks.boolean(path, 'DataBucketProps.versioning', props.versioning ?? undefined, true);
    if (props.objectLock != null) {
      Checks.object(path, 'DataBucketProps.objectLock', props.objectLock, 'ObjectLockProps ({ mode, retentionDays })');
      if (!this.versioning) {
        throw new ValidationError(path, 'DataBucketProps.objectLock', props.objectLock, 'expected versioning: object lock protects versions');
      }
      Checks.oneOf(path, 'DataBucketProps.objectLock.mode', props.objectLock.mode, Object.values(ObjectLockMode));
      const days = Quantities.validateCount(path, 'DataBucketProps.objectLock.retentionDays', props.objectLock.retentionDays, 1);
      if (days > MAX_RETENTION_DAYS) {
        throw new ValidationError(path, 'DataBucketProps.objectLock.retentionDays', days, `expected at most ${MAX_RETENTION_DAYS}`);
      }
    }
    this.objectLock = props.objectLock ?? undefined;
    // null, as jsii passes an unset optional, is unset
    const lifecycle: BucketLifecycle = Object.fromEntries(Object.entries(
      Checks.object(path, 'DataBucketProps.lifecycle', props.lifecycle ?? {}, 'BucketLifecycle ({ noncurrentVersionExpirationDays, ... })'),
    ).filter(([, v]) => v != null));
    for (const key of ['noncurrentVersionExpirationDays', 'expirationDays', 'abortIncompleteUploadDays'] as const) {
      if (lifecycle[key] !== undefined) Quantities.validateCount(path, `DataBucketProps.lifecycle.${key}`, lifecycle[key]!, 1);
    }
    if (lifecycle.noncurrentVersionExpirationDays !== undefined && !this.versioning) {
      throw new ValidationError(path, 'DataBucketProps.lifecycle.noncurrentVersionExpirationDays', lifecycle.noncurrentVersionExpirationDays,
        'expected versioning: without it there are no noncurrent versions');
    }
    if (props.objectLock && lifecycle.noncurrentVersionExpirationDays !== undefined && lifecycle.noncurrentVersionExpirationDays < props.objectLock.retentionDays) {
      throw new ValidationError(path, 'DataBucketProps.lifecycle.noncurrentVersionExpirationDays', lifecycle.noncurrentVersionExpirationDays,
        `expected at least the object lock retention (${props.objectLock.retentionDays} days): locked versions cannot expire earlier`);
    }
    this.lifecycle = { abortIncompleteUploadDays: 7, ...lifecycle };
    if (props.quota != null) {
      Checks.string(path, 'DataBucketProps.quota', props.quota, 'a whole binary size such as "500Gi" or "10Ti"');
      Quantities.validate(path, 'DataBucketProps.quota', props.quota);
      if (!/^\d+(Ki|Mi|Gi|Ti|Pi)$/.test(props.quota)) {
        throw new ValidationError(path, 'DataBucketProps.quota', props.quota, 'expected a whole binary size such as "500Gi" or "10Ti"');
      }
    }
    this.quota = props.quota ?? undefined;
    this.replicas = Checks.optionalArray(path, 'DataBucketProps.replicas', props.replicas ?? undefined, [], 'a list of BucketReplica.s3(...) / BucketReplica.gcs(...)');
    const clouds = new Set<string>();
    this.replicas.forEach((replica, i) => {
      const field = `DataBucketProps.replicas[${i}]`;
      if (!(replica instanceof BucketReplica)) {
        throw new ValidationError(path, field, replica, 'expected BucketReplica.s3(...) or BucketReplica.gcs(...)');
      }
      Checks.oneOf(path, `${field}.cloud`, replica.cloud, Object.values(ReplicaCloud));
      if (clouds.has(replica.cloud)) throw new ValidationError(path, field, replica.cloud, 'expected at most one replica per cloud');
      clouds.add(replica.cloud);
      DataBucket.validateName(path, `${field}.bucketName`, replica.bucketName);
      if (replica.cloud === ReplicaCloud.GCP && /^goog|google|g00gle/.test(replica.bucketName)) {
        throw new ValidationError(path, `${field}.bucketName`, replica.bucketName, 'expected a GCS name that neither starts with "goog" nor contains "google"');
      }
      if (typeof replica.location !== 'string' || !/^[A-Za-z0-9-]+$/.test(replica.location)) {
        throw new ValidationError(path, `${field}.location`, replica.location, 'expected a region or location such as "eu-west-1" or "EUROPE-WEST4"');
      }
      if (replica.cloud === ReplicaCloud.AWS) Regions.validateAws(path, `${field}.location`, replica.location);
      if (typeof replica.credentialsSecret !== 'string' || !Names.isDnsSubdomain(replica.credentialsSecret)) {
        throw new ValidationError(path, `${field}.credentialsSecret`, replica.credentialsSecret, 'expected the name of a Secret (DNS-1123 subdomain)');
      }
    });
  }

  /** The replica in `cloud`, if any. */
  public replicaIn(cloud: ReplicaCloud): BucketReplica | undefined {
    return this.replicas.find((r) => r.cloud === cloud);
  }

  /**
   * The bucket's lifecycle as an S3 lifecycle configuration (the JSON `mc ilm import` reads), or undefined when
   * there is no rule. MinIO cleans up stale multipart uploads itself (after 24 h) and has no lifecycle action for
   * it, so `abortIncompleteUploadDays` is left out unless `includeAbortIncompleteUploads` (S3 replicas) is set.
   */
  public lifecycleConfiguration(includeAbortIncompleteUploads: boolean = false): Record<string, unknown> | undefined {
    const l = this.lifecycle;
    const rule: Record<string, unknown> = {};
    if (l.expirationDays !== undefined) rule.Expiration = { Days: l.expirationDays };
    if (l.noncurrentVersionExpirationDays !== undefined) rule.NoncurrentVersionExpiration = { NoncurrentDays: l.noncurrentVersionExpirationDays };
    if (includeAbortIncompleteUploads && l.abortIncompleteUploadDays !== undefined) {
      rule.AbortIncompleteMultipartUpload = { DaysAfterInitiation: l.abortIncompleteUploadDays };
    }
    if (Object.keys(rule).length === 0) return undefined;
    return { Rules: [{ ID: 'ai-platform', Status: 'Enabled', Filter: { Prefix: '' }, ...rule }] };
  }
}
