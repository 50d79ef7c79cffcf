/** The lake buckets the data tests share: object-locked raw data, features replicated to S3 and GCS, plain models. */
import { BucketReplica, DataBucket, ObjectLockMode } from '../../lib';

export const raw = new DataBucket({ name: 'raw', objectLock: { mode: ObjectLockMode.GOVERNANCE, retentionDays: 30 }, lifecycle: { noncurrentVersionExpirationDays: 365 }, quota: '10Ti' });
export const features = new DataBucket({
  name: 'features',
  replicas: [
    BucketReplica.s3({ bucketName: 'acme-features', location: 'eu-west-1', credentialsSecret: 'features-s3' }),
    BucketReplica.gcs({ bucketName: 'acme-features', location: 'EUROPE-WEST4', credentialsSecret: 'features-gcs' }),
  ],
});
export const models = new DataBucket({ name: 'models' });
