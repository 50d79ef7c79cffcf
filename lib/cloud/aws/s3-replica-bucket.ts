import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration, S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { Checks } from '../../core/checks';
import { ValidationError } from '../../core/errors';
import { Names } from '../../core/names';
import { BucketReplica, DataBucket, ReplicaCloud } from '../../data/data-bucket';
import { AwsPlatformStack } from './aws-platform-stack';

/** Props of {@link S3ReplicaBucket}. */
export interface S3ReplicaBucketProps {
  /**
   * The lake bucket to replicate. It must declare an S3 replica (`BucketReplica.s3(...)` in
   * `DataBucketProps.replicas`) whose `location` is the stack's region; the replica's `bucketName` names the S3
   * bucket.
   */
  readonly bucket: DataBucket;
  /**
   * Terraform `prevent_destroy` on the S3 bucket and its KMS key: `terraform destroy`, or a change that would
   * replace them, fails until this is turned off. The bucket is never `force_destroy` either way: S3 refuses to
   * delete it while it holds objects.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/** IAM user names are at most 64 characters. */
const IAM_USER_NAME_MAX = 64;
const MIRROR_SUFFIX = '-mirror';
const HASH_LENGTH = 8;

/** The S3 lifecycle JSON of {@link DataBucket.lifecycleConfiguration}, as far as we read it. */
interface S3LifecycleRuleJson {
  readonly ID: string;
  readonly Status: string;
  readonly Filter?: { readonly Prefix?: string };
  readonly Expiration?: { readonly Days: number };
  readonly NoncurrentVersionExpiration?: { readonly NoncurrentDays: number };
  readonly AbortIncompleteMultipartUpload?: { readonly DaysAfterInitiation: number };
}

/**
 * The S3 copy of a lake bucket ({@link DataBucket} with a `BucketReplica.s3(...)` replica), in Terraform (cdktf),
 * placed in an {@link AwsPlatformStack} of the replica's region, and the IAM user the mirror job writes with.
 *
 * The bucket:
 * - named `replica.bucketName`, never `force_destroy`, protected by `prevent_destroy` (see `deletionProtection`);
 * - versioned, always (even when the lake bucket is not): the replica is a copy of the data, and an overwrite by
 *   the mirror must never lose the previous version;
 * - encrypted with its own KMS key (yearly rotation, 30-day deletion window, alias `alias/s3-replica/<name>`,
 *   the default key policy: the account administers it through IAM) and S3 Bucket Keys;
 * - private: every public access block flag on, ACLs disabled (`BucketOwnerEnforced`), and a bucket policy
 *   denying every request not made over TLS;
 * - object lock (WORM) with the lake bucket's default retention (mode and days) when the lake bucket has one
 *   (S3 object lock can only be turned on when the bucket is created);
 * - the lake bucket's lifecycle (`DataBucket.lifecycleConfiguration(true)`: expiration, noncurrent version
 *   expiration, abort of incomplete multipart uploads).
 *
 * The mirror identity is the IAM user `<bucketName>-mirror` (shortened with a hash beyond IAM's 64 characters,
 * see {@link S3ReplicaBucket.mirrorUserName}). It may list the bucket and read its location and object lock
 * configuration, read and write objects (and abort its own unfinished multipart uploads), and use the bucket's key;
 * it may delete nothing: the mirror job runs
 * `mc mirror --overwrite` without `--remove`, and an overwrite only adds a version.
 *
 * The user has no access key in Terraform, so no secret ever lands in the Terraform state or output. Create it out
 * of band and store it in the Secret the replica names (`replica.credentialsSecret`), in the data lake's
 * namespace, with the keys `accessKey` and `secretKey`:
 *
 * ```sh
 * aws iam create-access-key --user-name <bucketName>-mirror \
 *   --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text |
 *   { read id secret; kubectl -n <lake-namespace> create secret generic <credentialsSecret> \
 *       --from-literal=accessKey="$id" --from-literal=secretKey="$secret"; }
 * ```
 */
export class S3ReplicaBucket extends Construct {
  /** The lake bucket this construct replicates. */
  public readonly dataBucket: DataBucket;
  /** The S3 replica of the lake bucket (`bucketName`, `location`, `credentialsSecret`). */
  public readonly replica: BucketReplica;
  /** Name of the mirror job's IAM user. */
  public readonly mirrorUserName: string;
  /** The S3 bucket. */
  public readonly bucket: S3Bucket;
  /** Versioning of the bucket (always `Enabled`). */
  public readonly versioning: S3BucketVersioningA;
  /** The KMS key that encrypts the bucket's objects. */
  public readonly kmsKey: KmsKey;
  /** Alias of the key: `alias/s3-replica/<bucketName>` ('.' replaced by '-'). */
  public readonly kmsAlias: KmsAlias;
  /** Default encryption of the bucket: SSE-KMS with {@link kmsKey} and S3 Bucket Keys. */
  public readonly encryption: S3BucketServerSideEncryptionConfigurationA;
  /** All four public access block flags on. */
  public readonly publicAccessBlock: S3BucketPublicAccessBlock;
  /** `BucketOwnerEnforced`: ACLs disabled. */
  public readonly ownershipControls: S3BucketOwnershipControls;
  /** The bucket policy (TLS only). */
  public readonly bucketPolicy: S3BucketPolicy;
  /** Default retention of the bucket, when the lake bucket has object lock. */
  public readonly objectLockConfiguration?: S3BucketObjectLockConfigurationA;
  /** Lifecycle rules of the bucket, when the lake bucket's lifecycle has any. */
  public readonly lifecycleConfiguration?: S3BucketLifecycleConfiguration;
  /** The IAM user of the mirror job (without access key: created out of band). */
  public readonly mirrorUser: IamUser;
  /** The inline policy of {@link mirrorUser}: list, read, write, no delete. */
  public readonly mirrorPolicy: IamUserPolicy;

  public constructor(scope: Construct, id: string, props: S3ReplicaBucketProps) {
    super(scope, id);
    const path = this.node.path;
    const stack = AwsPlatformStack.containing(this, 'S3ReplicaBucket.scope');
    Checks.object(path, 'S3ReplicaBucketProps', props);
    const dataBucket = props.bucket;
    if (!(dataBucket instanceof DataBucket)) {
      throw new ValidationError(path, 'S3ReplicaBucketProps.bucket', dataBucket, 'expected a DataBucket');
    }
    const replica = dataBucket.replicaIn(ReplicaCloud.AWS);
    if (!replica) {
      throw new ValidationError(path, 'S3ReplicaBucketProps.bucket', dataBucket.name,
        'expected a DataBucket with an S3 replica: add BucketReplica.s3({ bucketName, location, credentialsSecret }) to its replicas');
    }
    if (replica.location !== stack.region) {
      const index = dataBucket.replicas.indexOf(replica);
      throw new ValidationError(path, `S3ReplicaBucketProps.bucket.replicas[${index}].location`, replica.location,
        `expected the region of the stack (${stack.region}): place the replica in an AwsPlatformStack of region "${replica.location}"`);
    }
    const protect = Checks.boolean(path, 'S3ReplicaBucketProps.deletionProtection', props.deletionProtection, true);
    this.dataBucket = dataBucket;
    this.replica = replica;
    const name = replica.bucketName;

    // --- bucket --------------------------------------------------------------------------------------------------
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: name,
      forceDestroy: false,
      objectLockEnabled: dataBucket.objectLock ? true : undefined,
      lifecycle: { preventDestroy: protect },
    });
    const bucketId = this.bucket.id;
    this.versioning = new S3BucketVersioningA(this, 'versioning', {
      bucket: bucketId,
      versioningConfiguration: { status: 'Enabled' },
    });

    // --- encryption ----------------------------------------------------------------------------------------------
    this.kmsKey = new KmsKey(this, 'kms-key', {
      description: `S3 replica bucket ${name}: default encryption of its objects`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      lifecycle: { preventDestroy: protect },
    });
    this.kmsAlias = new KmsAlias(this, 'kms-alias', {
      name: `alias/s3-replica/${name.replace(/\./g, '-')}`,
      targetKeyId: this.kmsKey.keyId,
    });
    this.encryption = new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket: bucketId,
      rule: [{
        applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.kmsKey.arn },
        bucketKeyEnabled: true,
      }],
    });

    // --- access --------------------------------------------------------------------------------------------------
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket: bucketId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.ownershipControls = new S3BucketOwnershipControls(this, 'ownership-controls', {
      bucket: bucketId,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    const tlsOnly = new DataAwsIamPolicyDocument(this, 'tls-only-policy', {
      statement: [{
        sid: 'DenyRequestsWithoutTls',
        effect: 'Deny',
        principals: [{ type: '*', identifiers: ['*'] }],
        actions: ['s3:*'],
        resources: [this.bucket.arn, `${this.bucket.arn}/*`],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      }],
    });
    // After the public access block: S3 rejects concurrent changes to a bucket's policy and its access block.
    this.bucketPolicy = new S3BucketPolicy(this, 'policy', {
      bucket: bucketId,
      policy: tlsOnly.json,
      dependsOn: [this.publicAccessBlock],
    });

    // --- object lock and lifecycle -------------------------------------------------------------------------------
    if (dataBucket.objectLock) {
      this.objectLockConfiguration = new S3BucketObjectLockConfigurationA(this, 'object-lock', {
        bucket: bucketId,
        rule: { defaultRetention: { mode: dataBucket.objectLock.mode, days: dataBucket.objectLock.retentionDays } },
        dependsOn: [this.versioning],
      });
    }
    const rules = S3ReplicaBucket.lifecycleRules(dataBucket);
    if (rules.length > 0) {
      this.lifecycleConfiguration = new S3BucketLifecycleConfiguration(this, 'lifecycle', {
        bucket: bucketId,
        rule: rules,
        // Noncurrent version rules need versioning in place first.
        dependsOn: [this.versioning],
      });
    }

    // --- mirror identity -----------------------------------------------------------------------------------------
    this.mirrorUserName = Names.fit(name, MIRROR_SUFFIX, IAM_USER_NAME_MAX, HASH_LENGTH);
    this.mirrorUser = new IamUser(this, 'mirror-user', {
      name: this.mirrorUserName,
      forceDestroy: false,
    });
    const mirrorDocument = new DataAwsIamPolicyDocument(this, 'mirror-policy-document', {
      statement: [
        {
          // mc reads the object lock configuration of its target: with a lock it sends the Content-MD5 header that
          // S3 requires for writes to a bucket with default retention.
          sid: 'ListTheBucket',
          actions: ['s3:ListBucket', 's3:GetBucketLocation', 's3:GetBucketObjectLockConfiguration'],
          resources: [this.bucket.arn],
        },
        {
          // AbortMultipartUpload discards the parts of an unfinished upload, never a stored object or version.
          sid: 'ReadAndWriteObjectsNeverDelete',
          actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
          resources: [`${this.bucket.arn}/*`],
        },
        { sid: 'UseTheBucketKey', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [this.kmsKey.arn] },
      ],
    });
    this.mirrorPolicy = new IamUserPolicy(this, 'mirror-policy', {
      name: 'mirror-to-replica',
      user: this.mirrorUser.name,
      policy: mirrorDocument.json,
    });
  }

  /** The lake bucket's lifecycle (`lifecycleConfiguration(true)`) as Terraform rules; empty when it has none. */
  private static lifecycleRules(bucket: DataBucket): S3BucketLifecycleConfigurationRule[] {
    const json = bucket.lifecycleConfiguration(true) as { Rules?: S3LifecycleRuleJson[] } | undefined;
    return (json?.Rules ?? []).map((r) => ({
      id: r.ID,
      status: r.Status,
      filter: [{ prefix: r.Filter?.Prefix ?? '' }],
      expiration: r.Expiration ? [{ days: r.Expiration.Days }] : undefined,
      noncurrentVersionExpiration: r.NoncurrentVersionExpiration
        ? [{ noncurrentDays: r.NoncurrentVersionExpiration.NoncurrentDays }] : undefined,
      abortIncompleteMultipartUpload: r.AbortIncompleteMultipartUpload
        ? [{ daysAfterInitiation: r.AbortIncompleteMultipartUpload.DaysAfterInitiation }] : undefined,
    }));
  }
}
