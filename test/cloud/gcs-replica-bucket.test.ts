import { TerraformStack, Testing } from 'cdktf';
import { AwsPlatformStack } from '../../lib/cloud/aws/aws-platform-stack';
import { GcpPlatformStack } from '../../lib/cloud/gcp/gcp-platform-stack';
import { GcsReplicaBucket, GcsReplicaBucketProps } from '../../lib/cloud/gcp/gcs-replica-bucket';
import { Labels } from '../../lib/core/labels';
import { BucketReplica, DataBucket, DataBucketProps, ObjectLockMode } from '../../lib/data/data-bucket';
import { expectValidationError } from '../helpers/errors';

type Json = { [key: string]: any };

const PROJECT = 'my-project-1';
const s3 = () => BucketReplica.s3({ bucketName: 'acme-ai-features', location: 'eu-west-1', credentialsSecret: 'features-s3-mirror' });
const gcs = (bucketName = 'acme-ai-features') => BucketReplica.gcs({ bucketName, location: 'EUROPE-WEST4', credentialsSecret: 'features-gcs-mirror' });
const features = (props: Partial<DataBucketProps> = {}) => new DataBucket({
  name: 'features', lifecycle: { noncurrentVersionExpirationDays: 90 }, replicas: [s3(), gcs()], ...props,
});
const gcpStack = () => new GcpPlatformStack(Testing.app(), 'gcp', { project: PROJECT, region: 'europe-west4' });

function build(props: Partial<GcsReplicaBucketProps> = {}): { replica: GcsReplicaBucket; json: Json } {
  const stack = gcpStack();
  const replica = new GcsReplicaBucket(stack, 'features', { bucket: features(), ...props });
  return { replica, json: JSON.parse(Testing.synth(stack, true)) };
}

const one = (json: Json, type: string): Json => {
  const found = Object.values(json.resource?.[type] ?? {}) as Json[];
  expect(found).toHaveLength(1);
  return found[0];
};
/** Service account ids: 6 to 30 characters, a lowercase letter first. */
const ACCOUNT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

const expectError = (fn: () => unknown, field: string, path = 'gcp/features') => expectValidationError(fn, field, path);

describe('GcsReplicaBucket', () => {
  describe('defaults', () => {
    const { json, replica } = build();
    const bucket = one(json, 'google_storage_bucket');

    test('named and placed as the replica says, in the stack\'s project, never force-destroyed, protected from destroy', () => {
      expect(bucket).toMatchObject({
        name: 'acme-ai-features', location: 'EUROPE-WEST4', project: PROJECT, force_destroy: false, lifecycle: { prevent_destroy: true },
      });
    });

    test('versioned, with 7 days of soft delete', () => {
      expect(bucket.versioning).toEqual({ enabled: true });
      expect(bucket.soft_delete_policy).toEqual({ retention_duration_seconds: 604800 });
    });

    test('private: uniform bucket-level access, public access prevention enforced', () => {
      expect(bucket).toMatchObject({ uniform_bucket_level_access: true, public_access_prevention: 'enforced' });
    });

    test('no retention policy (incompatible with versioning) and nothing locked', () => {
      expect(bucket.retention_policy).toBeUndefined();
      expect(JSON.stringify(json)).not.toContain('is_locked');
    });

    test('labels keep their keys verbatim (not snake-cased)', () => {
      expect(bucket.labels).toEqual(Labels.cloud());
      expect(Object.keys(bucket.labels).sort()).toEqual(['managed-by', 'part-of']);
    });

    test('the lifecycle of the lake bucket: noncurrent versions and incomplete uploads', () => {
      expect(bucket.lifecycle_rule).toEqual([
        { action: { type: 'Delete' }, condition: { days_since_noncurrent_time: 90, with_state: 'ARCHIVED' } },
        { action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 7 } },
      ]);
    });

    test('the mirror service account, without key, is an object user of this bucket only', () => {
      const sa = one(json, 'google_service_account');
      expect(sa).toMatchObject({ account_id: 'acme-ai-features-mirror', project: PROJECT });
      expect(replica.mirrorServiceAccountId).toBe('acme-ai-features-mirror');
      expect(json.resource.google_service_account_key).toBeUndefined();
      expect(json.resource.google_storage_hmac_key).toBeUndefined();
      expect(json.resource.google_project_iam_member).toBeUndefined();
      const binding = one(json, 'google_storage_bucket_iam_member');
      expect(binding.role).toBe('roles/storage.objectUser');
      expect(binding.bucket).toMatch(/^\$\{google_storage_bucket\.[^.]+\.name\}$/);
      expect(binding.member).toMatch(/^serviceAccount:\$\{google_service_account\.[^.]+\.email\}$/);
    });

    test('escape hatches expose the resources', () => {
      expect(replica.bucket.nameInput).toBe('acme-ai-features');
      expect(replica.mirrorServiceAccount.accountIdInput).toBe('acme-ai-features-mirror');
      expect(replica.mirrorBinding.roleInput).toBe('roles/storage.objectUser');
      expect(replica.replica.credentialsSecret).toBe('features-gcs-mirror');
    });
  });

  test('expiration of live objects, custom abort days', () => {
    const { json } = build({ bucket: features({ lifecycle: { expirationDays: 365, abortIncompleteUploadDays: 2 } }) });
    expect(one(json, 'google_storage_bucket').lifecycle_rule).toEqual([
      { action: { type: 'Delete' }, condition: { age: 365, with_state: 'LIVE' } },
      { action: { type: 'AbortIncompleteMultipartUpload' }, condition: { age: 2 } },
    ]);
  });

  test.each([
    [3, 7],
    [30, 30],
    [365, 90],
  ])('object lock of %d days: soft delete of %d days, no retention policy', (retentionDays, softDeleteDays) => {
    const bucket = features({ objectLock: { mode: ObjectLockMode.COMPLIANCE, retentionDays }, lifecycle: {} });
    const { json } = build({ bucket });
    const gcsBucket = one(json, 'google_storage_bucket');
    expect(gcsBucket.soft_delete_policy).toEqual({ retention_duration_seconds: softDeleteDays * 86400 });
    expect(gcsBucket.versioning).toEqual({ enabled: true });
    expect(gcsBucket.retention_policy).toBeUndefined();
  });

  test('versioned even when the lake bucket is not', () => {
    const { json } = build({ bucket: features({ versioning: false, lifecycle: {} }) });
    expect(one(json, 'google_storage_bucket').versioning).toEqual({ enabled: true });
  });

  test('deletionProtection: false lifts prevent_destroy, force_destroy stays off', () => {
    const { json } = build({ deletionProtection: false });
    const bucket = one(json, 'google_storage_bucket');
    expect(bucket.lifecycle?.prevent_destroy).not.toBe(true);
    expect(bucket.force_destroy).toBe(false);
  });

  test.each([
    ['acme.ai.features', 'acme-ai-features-mirror'],
    ['mlx', 'mlx-mirror'],
    ['acme-ai-features-for-the-fraud-team', undefined],
    ['1-features', undefined],
    ['123', undefined],
  ])('service account id of bucket %j is valid and deterministic', (bucketName, expected) => {
    const ids = [0, 1].map(() => {
      const bucket = new DataBucket({ name: 'features', replicas: [gcs(bucketName)] });
      return new GcsReplicaBucket(gcpStack(), 'features', { bucket }).mirrorServiceAccountId;
    });
    expect(ids[0]).toBe(ids[1]);
    expect(ids[0]).toMatch(ACCOUNT_ID);
    expect(ids[0]).toMatch(/-mirror$/);
    if (expected) expect(ids[0]).toBe(expected);
  });

  test('long bucket names that share a prefix get distinct service account ids', () => {
    const ids = ['a', 'b'].map((last) => {
      const bucket = new DataBucket({ name: 'features', replicas: [gcs(`acme-ai-features-for-the-fraud-team-${last}`)] });
      return new GcsReplicaBucket(gcpStack(), 'features', { bucket }).mirrorServiceAccountId;
    });
    expect(ids[0]).not.toBe(ids[1]);
    for (const id of ids) expect(id).toMatch(/^acme-ai-features-[0-9a-f]{6}-mirror$/);
  });

  describe('validation', () => {
    test('the bucket must have a GCS replica', () => {
      const e = expectError(() => build({ bucket: new DataBucket({ name: 'features', replicas: [s3()] }) }), 'GcsReplicaBucketProps.bucket');
      expect(e.message).toMatch(/BucketReplica\.gcs/);
    });

    test('the bucket must be a DataBucket', () => {
      expectError(() => build({ bucket: 'features' as unknown as DataBucket }), 'GcsReplicaBucketProps.bucket');
    });

    test('the scope must be inside a GcpPlatformStack', () => {
      const aws = new AwsPlatformStack(Testing.app(), 'aws', { region: 'eu-west-1' });
      expectError(() => new GcsReplicaBucket(aws, 'features', { bucket: features() }), 'GcsReplicaBucket.scope', 'aws/features');
      const plain = new TerraformStack(Testing.app(), 'plain');
      expectError(() => new GcsReplicaBucket(plain, 'features', { bucket: features() }), 'GcsReplicaBucket.scope', 'plain/features');
    });
  });
});

describe('GcsReplicaBucket scopes and kinds (issue 7)', () => {
  test('directly in the app, or in an AWS stack: a ValidationError saying where it belongs', () => {
    expect(expectValidationError(() => new GcsReplicaBucket(Testing.app(), 'features', { bucket: features() }), 'GcsReplicaBucket.scope', 'features').message)
      .toMatch(/inside a GcpPlatformStack.*placed directly in the app/);
    const aws = new AwsPlatformStack(Testing.app(), 'aws', { region: 'eu-west-1' });
    expect(expectValidationError(() => new GcsReplicaBucket(aws, 'features', { bucket: features() }), 'GcsReplicaBucket.scope', 'aws/features').message)
      .toMatch(/inside the AwsPlatformStack "aws"/);
  });

  test('props and deletionProtection of the wrong kind', () => {
    expectValidationError(() => new GcsReplicaBucket(gcpStack(), 'features', undefined as never), 'GcsReplicaBucketProps', 'gcp/features');
    expectValidationError(() => new GcsReplicaBucket(gcpStack(), 'features', { bucket: features(), deletionProtection: 1 as never }),
      'GcsReplicaBucketProps.deletionProtection', 'gcp/features');
  });
});
