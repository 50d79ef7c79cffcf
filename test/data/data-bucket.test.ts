import { BucketReplica, BucketReplicaProps, DataBucket, DataBucketProps, ObjectLockMode, ReplicaCloud } from '../../lib';
import { ValidationError } from '../../lib/core/errors';
import { expectValidationError } from '../helpers/errors';

const s3 = (props: Partial<Parameters<typeof BucketReplica.s3>[0]> = {}) =>
  BucketReplica.s3({ bucketName: 'acme-features', location: 'eu-west-1', credentialsSecret: 'features-s3', ...props });
const gcs = (props: Partial<Parameters<typeof BucketReplica.gcs>[0]> = {}) =>
  BucketReplica.gcs({ bucketName: 'acme-features', location: 'EUROPE-WEST4', credentialsSecret: 'features-gcs', ...props });

describe('DataBucket', () => {
  test('versioned by default, abort incomplete uploads after 7 days, no lock, no quota, no replicas', () => {
    const b = new DataBucket({ name: 'raw' });
    expect([b.versioning, b.lifecycle, b.objectLock, b.quota, b.replicas]).toEqual([true, { abortIncompleteUploadDays: 7 }, undefined, undefined, []]);
    expect(b.lifecycleConfiguration()).toBeUndefined();
  });

  test('lifecycle configuration in the S3 format, abort-multipart only when asked (MinIO has no such action)', () => {
    const b = new DataBucket({ name: 'raw', lifecycle: { noncurrentVersionExpirationDays: 90, expirationDays: 365 } });
    const rule = { ID: 'ai-platform', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 365 }, NoncurrentVersionExpiration: { NoncurrentDays: 90 } };
    expect(b.lifecycleConfiguration()).toEqual({ Rules: [rule] });
    expect(b.lifecycleConfiguration(true)).toEqual({ Rules: [{ ...rule, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }] });
  });

  test('replicas: endpoint per cloud, one per cloud, found by cloud', () => {
    const b = new DataBucket({ name: 'features', replicas: [s3(), gcs()] });
    expect(b.replicaIn(ReplicaCloud.AWS)!.endpoint).toBe('https://s3.eu-west-1.amazonaws.com');
    expect(b.replicaIn(ReplicaCloud.GCP)!.endpoint).toBe('https://storage.googleapis.com');
  });

  test.each(['abc', 'my-bucket', 'a.b.c', '123', 'x'.repeat(63)])('%s is a valid S3 name', (name) => {
    expect(new DataBucket({ name }).name).toBe(name);
  });

  test.each([
    ['ab', /3 to 63/], ['x'.repeat(64), /3 to 63/], ['Raw', /lowercase/], ['raw_data', /lowercase/], ['-raw', /starting and ending/],
    ['raw-', /starting and ending/], ['a..b', /two adjacent periods/], ['192.168.1.1', /not an IP address/], ['xn--raw', /reserved prefixes/],
    ['sthree-raw', /reserved prefixes/], ['raw-s3alias', /reserved suffixes/], ['raw--ol-s3', /reserved suffixes/],
  ])('%s breaks the S3 naming rules', (name, message) => {
    expect(() => new DataBucket({ name })).toThrow(ValidationError);
    expect(() => new DataBucket({ name })).toThrow(new RegExp(`DataBucketProps.name: "${name.replace(/\./g, '\\.')}" is invalid: .*${message.source}`));
  });

  describe('bad input names the field', () => {
    test.each([
      [{ versioning: false, objectLock: { mode: ObjectLockMode.GOVERNANCE, retentionDays: 30 } }, /DataBucketProps.objectLock: .* expected versioning/],
      [{ objectLock: { mode: 'FOREVER' as ObjectLockMode, retentionDays: 30 } }, /DataBucketProps.objectLock.mode: "FOREVER"/],
      [{ objectLock: { mode: ObjectLockMode.COMPLIANCE, retentionDays: 0 } }, /DataBucketProps.objectLock.retentionDays: 0/],
      [{ objectLock: { mode: ObjectLockMode.COMPLIANCE, retentionDays: 40000 } }, /DataBucketProps.objectLock.retentionDays: 40000 .* at most 36500/],
      [{ lifecycle: { noncurrentVersionExpirationDays: -1 } }, /DataBucketProps.lifecycle.noncurrentVersionExpirationDays: -1/],
      [{ lifecycle: { expirationDays: 1.5 } }, /DataBucketProps.lifecycle.expirationDays: 1.5/],
      [{ lifecycle: { abortIncompleteUploadDays: 0 } }, /DataBucketProps.lifecycle.abortIncompleteUploadDays: 0/],
      [{ versioning: false, lifecycle: { noncurrentVersionExpirationDays: 30 } }, /noncurrentVersionExpirationDays: 30 .* expected versioning/],
      [{ objectLock: { mode: ObjectLockMode.GOVERNANCE, retentionDays: 90 }, lifecycle: { noncurrentVersionExpirationDays: 30 } }, /at least the object lock retention \(90 days\)/],
      [{ quota: '-1Ti' }, /DataBucketProps.quota: "-1Ti"/],
      [{ quota: '1.5Ti' }, /DataBucketProps.quota: "1.5Ti" .* whole binary size/],
      [{ replicas: [s3(), s3({ bucketName: 'other-name' })] }, /DataBucketProps.replicas\[1\]: "aws" .* at most one replica per cloud/],
      [{ replicas: [s3({ bucketName: 'Bad_Name' })] }, /DataBucketProps.replicas\[0\].bucketName: "Bad_Name"/],
      [{ replicas: [gcs({ bucketName: 'google-data' })] }, /DataBucketProps.replicas\[0\].bucketName: "google-data"/],
      [{ replicas: [s3({ location: 'Europe' })] }, /DataBucketProps.replicas\[0\].location: "Europe" .* AWS region/],
      [{ replicas: [gcs({ location: 'europe west4' })] }, /DataBucketProps.replicas\[0\].location/],
      [{ replicas: [s3({ credentialsSecret: 'My Secret' })] }, /DataBucketProps.replicas\[0\].credentialsSecret: "My Secret"/],
      [{ replicas: [{ cloud: 'aws' } as unknown as BucketReplica] }, /DataBucketProps.replicas\[0\]: .* expected BucketReplica.s3/],
    ])('%#', (props, message) => {
      expect(() => new DataBucket({ name: 'raw', ...props })).toThrow(ValidationError);
      expect(() => new DataBucket({ name: 'raw', ...props })).toThrow(message);
    });
  });
});

describe('plain JavaScript callers get a ValidationError naming the field, never a TypeError', () => {
  test.each([
    ['DataBucketProps', undefined, 'bucket'],
    ['DataBucketProps', null, 'bucket'],
    ['DataBucketProps', 'raw', 'bucket'],
    ['DataBucketProps.name', {}, 'bucket/?'],
    ['DataBucketProps.name', { name: 42 }, 'bucket/?'],
    ['DataBucketProps.versioning', { name: 'raw', versioning: 'yes' }, 'bucket/raw'],
    ['DataBucketProps.objectLock', { name: 'raw', objectLock: 'GOVERNANCE' }, 'bucket/raw'],
    ['DataBucketProps.objectLock.mode', { name: 'raw', objectLock: { mode: 'governance', retentionDays: 30 } }, 'bucket/raw'],
    ['DataBucketProps.objectLock.mode', { name: 'raw', objectLock: { retentionDays: 30 } }, 'bucket/raw'],
    ['DataBucketProps.objectLock.retentionDays', { name: 'raw', objectLock: { mode: ObjectLockMode.GOVERNANCE, retentionDays: '30' } }, 'bucket/raw'],
    ['DataBucketProps.lifecycle', { name: 'raw', lifecycle: 'keep' }, 'bucket/raw'],
    ['DataBucketProps.lifecycle.expirationDays', { name: 'raw', lifecycle: { expirationDays: '30' } }, 'bucket/raw'],
    ['DataBucketProps.quota', { name: 'raw', quota: 1024 }, 'bucket/raw'],
    ['DataBucketProps.replicas', { name: 'raw', replicas: 'acme-raw' }, 'bucket/raw'],
    ['DataBucketProps.replicas', { name: 'raw', replicas: {} }, 'bucket/raw'],
    ['DataBucketProps.replicas[0]', { name: 'raw', replicas: [null] }, 'bucket/raw'],
    ['DataBucketProps.replicas[0]', { name: 'raw', replicas: [{ cloud: 'aws', bucketName: 'x' }] }, 'bucket/raw'],
  ] as Array<[string, unknown, string]>)('%s: %j', (field, props, path) => {
    expectValidationError(() => new DataBucket(props as DataBucketProps), field, path);
  });

  test('null in an optional field is unset: the default applies', () => {
    const b = new DataBucket({ name: 'raw', versioning: null, objectLock: null, lifecycle: { expirationDays: null }, quota: null, replicas: null } as unknown as DataBucketProps);
    expect([b.versioning, b.objectLock, b.lifecycle, b.quota, b.replicas]).toEqual([true, undefined, { abortIncompleteUploadDays: 7 }, undefined, []]);
    expect(b.lifecycleConfiguration()).toBeUndefined();
  });

  test('an unknown replica cloud is refused (a replica altered after its factory)', () => {
    const odd = Object.assign(Object.create(BucketReplica.prototype), { cloud: 'azure', bucketName: 'acme-raw', location: 'westeurope', credentialsSecret: 'k' });
    expectValidationError(() => new DataBucket({ name: 'raw', replicas: [odd] }), 'DataBucketProps.replicas[0].cloud', 'bucket/raw');
  });

  test.each([
    ['BucketReplica.s3', () => BucketReplica.s3(undefined as unknown as BucketReplicaProps), 'replica/aws'],
    ['BucketReplica.gcs', () => BucketReplica.gcs('acme' as unknown as BucketReplicaProps), 'replica/gcp'],
    ['BucketReplica.s3.bucketName', () => BucketReplica.s3({ location: 'eu-west-1', credentialsSecret: 'k' } as BucketReplicaProps), 'replica/aws'],
    ['BucketReplica.gcs.location', () => BucketReplica.gcs({ bucketName: 'acme', location: null, credentialsSecret: 'k' } as unknown as BucketReplicaProps), 'replica/gcp'],
    ['BucketReplica.s3.credentialsSecret', () => BucketReplica.s3({ bucketName: 'acme', location: 'eu-west-1', credentialsSecret: 42 } as unknown as BucketReplicaProps), 'replica/aws'],
  ] as Array<[string, () => unknown, string]>)('%s', (field, fn, path) => {
    expectValidationError(fn, field, path);
  });
});
