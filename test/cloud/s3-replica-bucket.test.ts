import { TerraformStack, Testing } from 'cdktf';
import { AwsPlatformStack } from '../../lib/cloud/aws/aws-platform-stack';
import { S3ReplicaBucket, S3ReplicaBucketProps } from '../../lib/cloud/aws/s3-replica-bucket';
import { GcpPlatformStack } from '../../lib/cloud/gcp/gcp-platform-stack';
import { BucketReplica, DataBucket, DataBucketProps, ObjectLockMode } from '../../lib/data/data-bucket';
import { expectValidationError } from '../helpers/errors';

type Json = { [key: string]: any };

const REGION = 'eu-west-1';
const s3 = (bucketName = 'acme-ai-features', location = REGION) =>
  BucketReplica.s3({ bucketName, location, credentialsSecret: 'features-s3-mirror' });
const gcs = () => BucketReplica.gcs({ bucketName: 'acme-ai-features', location: 'EUROPE-WEST4', credentialsSecret: 'features-gcs-mirror' });
const features = (props: Partial<DataBucketProps> = {}) => new DataBucket({
  name: 'features', lifecycle: { noncurrentVersionExpirationDays: 90 }, replicas: [s3(), gcs()], ...props,
});

function build(props: Partial<S3ReplicaBucketProps> = {}): { replica: S3ReplicaBucket; json: Json } {
  const stack = new AwsPlatformStack(Testing.app(), 'aws', { region: REGION });
  const replica = new S3ReplicaBucket(stack, 'features', { bucket: features(), ...props });
  return { replica, json: JSON.parse(Testing.synth(stack, true)) };
}

const all = (json: Json, type: string, kind: 'resource' | 'data' = 'resource'): Json[] => Object.values(json[kind]?.[type] ?? {});
const one = (json: Json, type: string, kind: 'resource' | 'data' = 'resource'): Json => {
  const found = all(json, type, kind);
  expect(found).toHaveLength(1);
  return found[0];
};
/** The data source or resource a `${...}` reference points at. */
const deref = (json: Json, ref: string): Json => {
  const data = /^\$\{data\.([a-z0-9_]+)\.([^.]+)\./.exec(ref);
  if (data) return json.data[data[1]][data[2]];
  const [, type, id] = /^\$\{([a-z0-9_]+)\.([^.]+)\./.exec(ref)!;
  return json.resource[type][id];
};
const BUCKET_ID = /^\$\{aws_s3_bucket\.[^.]+\.id\}$/;

const expectError = (fn: () => unknown, field: string, path = 'aws/features') => expectValidationError(fn, field, path);

describe('S3ReplicaBucket', () => {
  describe('defaults', () => {
    const { json, replica } = build();

    test('the bucket is named after the replica, never force-destroyed, protected from destroy, without object lock', () => {
      const bucket = one(json, 'aws_s3_bucket');
      expect(bucket).toMatchObject({ bucket: 'acme-ai-features', force_destroy: false, lifecycle: { prevent_destroy: true } });
      expect(bucket.object_lock_enabled).toBeUndefined();
      expect(all(json, 'aws_s3_bucket_object_lock_configuration')).toEqual([]);
      expect(replica.objectLockConfiguration).toBeUndefined();
    });

    test('versioning is always enabled', () => {
      const versioning = one(json, 'aws_s3_bucket_versioning');
      expect(versioning.versioning_configuration).toEqual({ status: 'Enabled' });
      expect(versioning.bucket).toMatch(BUCKET_ID);
    });

    test('SSE-KMS with its own rotated key (protected, 30-day window), an alias and S3 Bucket Keys', () => {
      const key = one(json, 'aws_kms_key');
      expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
      expect(one(json, 'aws_kms_alias')).toMatchObject({ name: 'alias/s3-replica/acme-ai-features' });
      const sse = one(json, 'aws_s3_bucket_server_side_encryption_configuration');
      expect(sse.bucket).toMatch(BUCKET_ID);
      expect(sse.rule).toEqual([{
        apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringMatching(/^\$\{aws_kms_key\.[^.]+\.arn\}$/) },
        bucket_key_enabled: true,
      }]);
    });

    test('no public access, ACLs disabled', () => {
      const block = one(json, 'aws_s3_bucket_public_access_block');
      expect(block).toEqual(expect.objectContaining({
        block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true,
      }));
      expect(block.bucket).toMatch(BUCKET_ID);
      expect(one(json, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    });

    test('the bucket policy denies every request made without TLS', () => {
      const policy = one(json, 'aws_s3_bucket_policy');
      expect(policy.bucket).toMatch(BUCKET_ID);
      expect(policy.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_public_access_block\./)]);
      const document = deref(json, policy.policy);
      expect(document.statement).toEqual([expect.objectContaining({
        effect: 'Deny',
        actions: ['s3:*'],
        principals: [{ type: '*', identifiers: ['*'] }],
        resources: [expect.stringMatching(/^\$\{aws_s3_bucket\.[^.]+\.arn\}$/), expect.stringMatching(/^\$\{aws_s3_bucket\.[^.]+\.arn\}\/\*$/)],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      })]);
    });

    test('the lifecycle of the lake bucket: noncurrent versions, incomplete uploads, all objects', () => {
      const lifecycle = one(json, 'aws_s3_bucket_lifecycle_configuration');
      expect(lifecycle.bucket).toMatch(BUCKET_ID);
      expect(lifecycle.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\./)]);
      expect(lifecycle.rule).toEqual([{
        id: 'ai-platform',
        status: 'Enabled',
        filter: [{ prefix: '' }],
        noncurrent_version_expiration: [{ noncurrent_days: 90 }],
        abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
      }]);
    });

    test('the mirror user has no access key and may list, read and write, never delete', () => {
      expect(one(json, 'aws_iam_user')).toMatchObject({ name: 'acme-ai-features-mirror' });
      expect(replica.mirrorUserName).toBe('acme-ai-features-mirror');
      expect(all(json, 'aws_iam_access_key')).toEqual([]);
      const policy = one(json, 'aws_iam_user_policy');
      expect(policy.user).toMatch(/^\$\{aws_iam_user\.[^.]+\.name\}$/);
      const statements = deref(json, policy.policy).statement as Json[];
      const actions = statements.flatMap((s) => s.actions as string[]);
      expect(actions).toEqual(expect.arrayContaining([
        's3:ListBucket', 's3:GetBucketLocation', 's3:PutObject', 's3:GetObject', 'kms:GenerateDataKey', 'kms:Decrypt',
      ]));
      expect(actions.filter((a) => /delete|\*|Put(Bucket|Lifecycle|ObjectRetention|ObjectLegalHold)|Bypass/i.test(a))).toEqual([]);
      for (const s of statements) expect(s.effect ?? 'Allow').toBe('Allow');
      const byAction = (action: string) => statements.find((s) => s.actions.includes(action))!.resources;
      expect(byAction('s3:ListBucket')).toEqual([expect.stringMatching(/^\$\{aws_s3_bucket\.[^.]+\.arn\}$/)]);
      expect(byAction('s3:PutObject')).toEqual([expect.stringMatching(/^\$\{aws_s3_bucket\.[^.]+\.arn\}\/\*$/)]);
      expect(byAction('kms:Decrypt')).toEqual([expect.stringMatching(/^\$\{aws_kms_key\.[^.]+\.arn\}$/)]);
    });

    test('escape hatches expose the resources', () => {
      expect(replica.bucket.bucketInput).toBe('acme-ai-features');
      expect(replica.kmsKey).toBeDefined();
      expect(replica.mirrorUser.nameInput).toBe('acme-ai-features-mirror');
      expect(replica.lifecycleConfiguration).toBeDefined();
      expect(replica.replica.credentialsSecret).toBe('features-s3-mirror');
    });

    test('nothing secret in the output', () => {
      expect(JSON.stringify(json)).not.toMatch(/secret_access_key|access_key"|aws_iam_access_key/);
    });
  });

  test('object lock: enabled at creation with the lake bucket\'s default retention', () => {
    const stack = new AwsPlatformStack(Testing.app(), 'aws', { region: REGION });
    const bucket = features({ objectLock: { mode: ObjectLockMode.COMPLIANCE, retentionDays: 30 }, lifecycle: { expirationDays: 365, noncurrentVersionExpirationDays: 30 } });
    new S3ReplicaBucket(stack, 'features', { bucket });
    const json = JSON.parse(Testing.synth(stack, true));
    expect(one(json, 'aws_s3_bucket').object_lock_enabled).toBe(true);
    const lock = one(json, 'aws_s3_bucket_object_lock_configuration');
    expect(lock.bucket).toMatch(BUCKET_ID);
    expect(lock.rule).toEqual({ default_retention: { mode: 'COMPLIANCE', days: 30 } });
    expect(one(json, 'aws_s3_bucket_lifecycle_configuration').rule[0]).toMatchObject({
      expiration: [{ days: 365 }], noncurrent_version_expiration: [{ noncurrent_days: 30 }],
    });
  });

  test('versioning even when the lake bucket is unversioned', () => {
    const stack = new AwsPlatformStack(Testing.app(), 'aws', { region: REGION });
    new S3ReplicaBucket(stack, 'features', { bucket: features({ versioning: false, lifecycle: {} }) });
    const json = JSON.parse(Testing.synth(stack, true));
    expect(one(json, 'aws_s3_bucket_versioning').versioning_configuration.status).toBe('Enabled');
  });

  test('deletionProtection: false lifts prevent_destroy on the bucket and the key, force_destroy stays off', () => {
    const { json } = build({ deletionProtection: false });
    expect(one(json, 'aws_s3_bucket').lifecycle?.prevent_destroy).not.toBe(true);
    expect(one(json, 'aws_s3_bucket').force_destroy).toBe(false);
    expect(one(json, 'aws_kms_key').lifecycle?.prevent_destroy).not.toBe(true);
  });

  test('long bucket names: the IAM user name is shortened with a hash, distinct and at most 64 characters', () => {
    const names = ['a', 'b'].map((last) => {
      const stack = new AwsPlatformStack(Testing.app(), 'aws', { region: REGION });
      const bucket = new DataBucket({ name: 'features', replicas: [s3(`acme.ai.${'x'.repeat(54)}${last}`)] });
      new S3ReplicaBucket(stack, 'features', { bucket });
      const json = JSON.parse(Testing.synth(stack, true));
      expect(one(json, 'aws_kms_alias').name).toMatch(/^alias\/s3-replica\/[a-zA-Z0-9\/_-]+$/);
      return one(json, 'aws_iam_user').name as string;
    });
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(64);
      expect(name).toMatch(/^acme\.ai\.x+-[0-9a-f]{8}-mirror$/);
    }
    expect(names[0]).not.toBe(names[1]);
  });

  describe('validation', () => {
    test('the bucket must have an S3 replica', () => {
      const e = expectError(() => build({ bucket: new DataBucket({ name: 'features', replicas: [gcs()] }) }), 'S3ReplicaBucketProps.bucket');
      expect(e.message).toMatch(/BucketReplica\.s3/);
    });

    test('the bucket must be a DataBucket', () => {
      expectError(() => build({ bucket: { name: 'features' } as unknown as DataBucket }), 'S3ReplicaBucketProps.bucket');
    });

    test('the replica\'s region must be the stack\'s', () => {
      const bucket = features({ replicas: [gcs(), s3('acme-ai-features', 'us-east-1')] });
      const e = expectError(() => build({ bucket }), 'S3ReplicaBucketProps.bucket.replicas[1].location');
      expect(e.message).toContain('"us-east-1"');
      expect(e.message).toContain(REGION);
    });

    test('the scope must be inside an AwsPlatformStack', () => {
      const gcp = new GcpPlatformStack(Testing.app(), 'gcp', { project: 'my-project-1', region: 'europe-west4' });
      expectError(() => new S3ReplicaBucket(gcp, 'features', { bucket: features() }), 'S3ReplicaBucket.scope', 'gcp/features');
      const plain = new TerraformStack(Testing.app(), 'plain');
      expectError(() => new S3ReplicaBucket(plain, 'features', { bucket: features() }), 'S3ReplicaBucket.scope', 'plain/features');
    });
  });
});

describe('S3ReplicaBucket scopes and kinds (issue 7)', () => {
  test('directly in the app, or in a Google stack: a ValidationError saying where it belongs (not cdktf\'s own error)', () => {
    const app = Testing.app();
    expect(expectValidationError(() => new S3ReplicaBucket(app, 'features', { bucket: features() }), 'S3ReplicaBucket.scope', 'features').message)
      .toMatch(/inside an AwsPlatformStack.*placed directly in the app/);
    const gcp = new GcpPlatformStack(Testing.app(), 'gcp', { project: 'my-project-1', region: 'europe-west4' });
    expect(expectValidationError(() => new S3ReplicaBucket(gcp, 'features', { bucket: features() }), 'S3ReplicaBucket.scope', 'gcp/features').message)
      .toMatch(/inside the GcpPlatformStack "gcp"/);
  });

  test('props and deletionProtection of the wrong kind', () => {
    const stack = () => new AwsPlatformStack(Testing.app(), 'aws', { region: REGION });
    expectValidationError(() => new S3ReplicaBucket(stack(), 'features', undefined as never), 'S3ReplicaBucketProps', 'aws/features');
    expectValidationError(() => new S3ReplicaBucket(stack(), 'features', { bucket: features(), deletionProtection: 'false' as never }),
      'S3ReplicaBucketProps.deletionProtection', 'aws/features');
  });
});
