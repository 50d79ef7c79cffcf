import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { StorageBucket, StorageBucketLifecycleRule } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { Construct } from 'constructs';
import { Checks } from '../../core/checks';
import { ValidationError } from '../../core/errors';
import { Names } from '../../core/names';
import { Labels } from '../../core/labels';
import { BucketReplica, DataBucket, ReplicaCloud } from '../../data/data-bucket';
import { GcpPlatformStack } from './gcp-platform-stack';

/** Props of {@link GcsReplicaBucket}. */
export interface GcsReplicaBucketProps {
  /**
   * The lake bucket to replicate. It must declare a GCS replica (`BucketReplica.gcs(...)` in
   * `DataBucketProps.replicas`): its `bucketName` names the GCS bucket, its `location` (a region such as
   * `EUROPE-WEST4`, a dual-region or a multi-region such as `EU`) places it.
   */
  readonly bucket: DataBucket;
  /**
   * Terraform `prevent_destroy` on the GCS bucket: `terraform destroy`, or a change that would replace it, fails
   * until this is turned off. The bucket is never `force_destroy` either way: GCS refuses to delete it while it
   * holds objects.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

const DAY_SECONDS = 86_400;
/** GCS soft delete retention: 7 days by default, at most 90. */
const SOFT_DELETE_MIN_DAYS = 7;
const SOFT_DELETE_MAX_DAYS = 90;
/** Service account ids: 6 to 30 characters, a lowercase letter first, no '-' last. */
const SERVICE_ACCOUNT_ID_MAX = 30;
const MIRROR_SUFFIX = '-mirror';
const HASH_LENGTH = 6;
/**
 * The narrowest predefined role that lets the mirror overwrite objects: an overwrite in GCS needs
 * `storage.objects.delete` besides `create`. With versioning, the overwritten (or deleted) data stays as a
 * noncurrent version, and soft delete keeps even a permanently deleted version restorable for its retention.
 */
const MIRROR_ROLE = 'roles/storage.objectUser';

/**
 * The GCS copy of a lake bucket ({@link DataBucket} with a `BucketReplica.gcs(...)` replica), in Terraform (cdktf),
 * placed in a {@link GcpPlatformStack} (which provides the project), and the service account the mirror job writes
 * with.
 *
 * The bucket:
 * - named `replica.bucketName`, in `replica.location`, never `force_destroy`, protected by `prevent_destroy` (see
 *   `deletionProtection`), labelled with {@link Labels.cloud} (besides the stack's default labels);
 * - versioned, always (even when the lake bucket is not): the replica is a copy of the data, and an overwrite by
 *   the mirror must never lose the previous version;
 * - soft delete: deleted object versions stay restorable for 7 days (Google's default), or, when the lake bucket
 *   has object lock, for its retention days (between 7 and GCS's maximum of 90);
 * - private: uniform bucket-level access (no ACLs) and public access prevention `enforced`;
 * - encrypted at rest with Google-managed keys;
 * - the lake bucket's lifecycle: expiration deletes live objects after `expirationDays` (with versioning they
 *   become noncurrent), noncurrent versions are deleted `noncurrentVersionExpirationDays` after they became
 *   noncurrent, incomplete multipart uploads are aborted after `abortIncompleteUploadDays`.
 *
 * Object lock: GCS has no S3-style default retention that works with versioning. A bucket retention policy
 * (Bucket Lock) cannot be set on a versioned bucket, and it refuses to overwrite an object younger than the
 * retention, which would stop `mc mirror --overwrite`; Object Retention Lock is per object and needs the writer to
 * set each object's retention. So the replica of an object-locked lake bucket gets no `retention_policy` (and
 * certainly no locked one: locking is irreversible); its protection is versioning, soft delete of the retention
 * (up to 90 days), and a lifecycle that never expires noncurrent versions before the retention (checked by
 * {@link DataBucket}). The WORM guarantee is the lake's own and, for S3 replicas, S3 object lock's.
 *
 * The mirror identity is the service account `<bucketName>-mirror` (the bucket name with '.' replaced by '-'; a
 * prefix of it plus a hash when the id would exceed 30 characters or not start with a letter, see
 * {@link GcsReplicaBucket.mirrorServiceAccountId}), with `roles/storage.objectUser` on this bucket only. It has no
 * key in Terraform, so no secret ever lands in the Terraform state or output. Create an HMAC key for it out of band
 * (the mirror job talks to GCS's S3-compatible XML API) and store it in the Secret the replica names
 * (`replica.credentialsSecret`), in the data lake's namespace, with the keys `accessKey` and `secretKey`:
 *
 * ```sh
 * gcloud storage hmac create <mirror-sa-email> --format='value(metadata.accessId,secret)' |
 *   { read id secret; kubectl -n <lake-namespace> create secret generic <credentialsSecret> \
 *       --from-literal=accessKey="$id" --from-literal=secretKey="$secret"; }
 * ```
 */
export class GcsReplicaBucket extends Construct {
  /** The lake bucket this construct replicates. */
  public readonly dataBucket: DataBucket;
  /** The GCS replica of the lake bucket (`bucketName`, `location`, `credentialsSecret`). */
  public readonly replica: BucketReplica;
  /** Account id of the mirror job's service account (the part of its email before '@'). */
  public readonly mirrorServiceAccountId: string;
  /** The GCS bucket. */
  public readonly bucket: StorageBucket;
  /** The service account of the mirror job (without key: its HMAC key is created out of band). */
  public readonly mirrorServiceAccount: ServiceAccount;
  /** `roles/storage.objectUser` for {@link mirrorServiceAccount} on {@link bucket}. */
  public readonly mirrorBinding: StorageBucketIamMember;

  public constructor(scope: Construct, id: string, props: GcsReplicaBucketProps) {
    super(scope, id);
    const path = this.node.path;
    const stack = GcpPlatformStack.containing(this, 'GcsReplicaBucket.scope');
    Checks.object(path, 'GcsReplicaBucketProps', props);
    const dataBucket = props.bucket;
    if (!(dataBucket instanceof DataBucket)) {
      throw new ValidationError(path, 'GcsReplicaBucketProps.bucket', dataBucket, 'expected a DataBucket');
    }
    const replica = dataBucket.replicaIn(ReplicaCloud.GCP);
    if (!replica) {
      throw new ValidationError(path, 'GcsReplicaBucketProps.bucket', dataBucket.name,
        'expected a DataBucket with a GCS replica: add BucketReplica.gcs({ bucketName, location, credentialsSecret }) to its replicas');
    }
    const protect = Checks.boolean(path, 'GcsReplicaBucketProps.deletionProtection', props.deletionProtection, true);
    const { project } = stack;
    this.dataBucket = dataBucket;
    this.replica = replica;
    const name = replica.bucketName;
    const softDeleteDays = dataBucket.objectLock
      ? Math.min(SOFT_DELETE_MAX_DAYS, Math.max(SOFT_DELETE_MIN_DAYS, dataBucket.objectLock.retentionDays))
      : SOFT_DELETE_MIN_DAYS;

    this.bucket = new StorageBucket(this, 'bucket', {
      name,
      project,
      location: replica.location,
      forceDestroy: false,
      versioning: { enabled: true },
      softDeletePolicy: { retentionDurationSeconds: softDeleteDays * DAY_SECONDS },
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      lifecycleRule: GcsReplicaBucket.lifecycleRules(dataBucket),
      labels: Labels.cloud(),
      lifecycle: { preventDestroy: protect },
    });

    this.mirrorServiceAccountId = GcsReplicaBucket.serviceAccountId(name);
    this.mirrorServiceAccount = new ServiceAccount(this, 'mirror-sa', {
      project,
      accountId: this.mirrorServiceAccountId,
      displayName: `Mirror of the lake bucket ${dataBucket.name} into gs://${name}`,
    });
    this.mirrorBinding = new StorageBucketIamMember(this, 'mirror-object-user', {
      bucket: this.bucket.name,
      role: MIRROR_ROLE,
      member: `serviceAccount:${this.mirrorServiceAccount.email}`,
    });
  }

  /** The lake bucket's lifecycle as GCS lifecycle rules. */
  private static lifecycleRules(bucket: DataBucket): StorageBucketLifecycleRule[] {
    const l = bucket.lifecycle;
    const rules: StorageBucketLifecycleRule[] = [];
    if (l.expirationDays !== undefined) {
      rules.push({ action: { type: 'Delete' }, condition: { age: l.expirationDays, withState: 'LIVE' } });
    }
    if (l.noncurrentVersionExpirationDays !== undefined) {
      rules.push({ action: { type: 'Delete' }, condition: { daysSinceNoncurrentTime: l.noncurrentVersionExpirationDays, withState: 'ARCHIVED' } });
    }
    if (l.abortIncompleteUploadDays !== undefined) {
      rules.push({ action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: l.abortIncompleteUploadDays } });
    }
    return rules;
  }

  /**
   * `<bucketName>-mirror` ('.' replaced by '-'), or, when that is not a valid service account id (longer than 30
   * characters, or not starting with a letter), a prefix of the name, a hash of the full name and `-mirror`.
   */
  private static serviceAccountId(bucketName: string): string {
    const base = bucketName.replace(/[^a-z0-9-]+/g, '-').replace(/-{2,}/g, '-').replace(/^[^a-z]+|-+$/g, '') || 'gcs';
    return Names.fit(base, MIRROR_SUFFIX, SERVICE_ACCOUNT_ID_MAX, HASH_LENGTH);
  }
}
