import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { ComputeResources, Resources } from '../core/k8s/resources';
import { Names } from '../core/names';
import { BucketReplica, DataBucket } from './data-bucket';
import { DataAccess, DataLakePolicy } from './data-lake-policy';
import { LakeClientPod } from './lake-client-pod';
import { LakeContext, MAX_CRONJOB_NAME } from './lake-context';

const MIRROR_RESOURCES: ComputeResources = { cpu: '250m', memory: '256Mi', cpuLimit: '1', memoryLimit: '512Mi' };

/** One mirror (a bucket into one cloud replica) and the MinIO identity it reads the bucket with. @internal */
export interface MirrorIdentity {
  readonly bucket: DataBucket;
  readonly replica: BucketReplica;
  /** Secret in the lake's namespace with the identity's key pair (`accessKey`, `secretKey`). */
  readonly credentialsSecret: string;
  /** The read-only MinIO policy on the bucket (one per bucket, shared by its mirrors' identities). */
  readonly policyName: string;
  readonly policy: DataLakePolicy;
  /** The CronJob's name. */
  readonly cronJobName: string;
}

/**
 * The lake's cloud mirrors: per bucket × replica, a CronJob that copies the bucket with `mc mirror`, reading it as
 * its own MinIO identity with a read-only policy on that bucket (never the root credentials).
 * @internal not part of the public API
 */
export class LakeMirrors {
  /** `<lake>-mirror-<bucket>-<cloud>`: the Secret of a mirror's MinIO identity, in the lake's namespace. */
  public static credentialsSecretName(lakeName: string, bucket: DataBucket, replica: BucketReplica): string {
    return `${lakeName}-mirror-${bucket.name}-${replica.cloud}`;
  }

  public readonly identities: MirrorIdentity[] = [];
  public readonly cronJobs: k8s.KubeCronJob[] = [];

  /**
   * @param bucketsField the lake's field holding `buckets` (errors on a derived name name the bucket in it)
   */
  public constructor(private readonly ctx: LakeContext, buckets: DataBucket[], bucketsField: string, private readonly schedule: string) {
    const path = ctx.scope.node.path;
    buckets.forEach((bucket, i) => {
      if (bucket.replicas.length === 0) return;
      const field = `${bucketsField}[${i}].name`;
      const policyName = LakeContext.policyName(path, field, bucket.name, `mirror-${bucket.name}`);
      LakeContext.configMapKey(path, field, bucket.name, `${policyName}.json`);
      const policy = new DataLakePolicy();
      // mc mirror lists the bucket and gets its objects: the read grant (list, get, their versions), nothing more.
      policy.add(path, bucket.name, DataAccess.READ);
      for (const replica of bucket.replicas) {
        const credentialsSecret = LakeContext.secretName(path, field, bucket.name,
          LakeMirrors.credentialsSecretName(ctx.name, bucket, replica), 'mirror credentials Secret');
        // CronJob names: at most 52 characters (the Jobs it creates add 11, and their names become label values).
        const cronJobName = LakeContext.cronJobName(path, field, bucket.name,
          Names.fit(`${ctx.name}-mirror-${bucket.name}`, `-${replica.cloud}`, MAX_CRONJOB_NAME));
        const identity: MirrorIdentity = { bucket, replica, credentialsSecret, policyName, policy, cronJobName };
        this.identities.push(identity);
        this.cronJobs.push(this.newCronJob(identity));
      }
    });
  }

  /** What the mirrors take from the namespace's quota (all running at once). */
  public quotaDemand(): { [quotaKey: string]: number } {
    return Resources.quotaDemand(MIRROR_RESOURCES, this.cronJobs.length);
  }

  private newCronJob(m: MirrorIdentity): k8s.KubeCronJob {
    const ctx = this.ctx;
    const labels = ctx.labels('mirror');
    const script = [
      'set -eu',
      LakeClientPod.aliasSet('lake', ctx.endpoint, 'LAKE_ACCESS_KEY', 'LAKE_SECRET_KEY'),
      LakeClientPod.aliasSet('replica', m.replica.endpoint, 'REPLICA_ACCESS_KEY', 'REPLICA_SECRET_KEY', 'auto'),
      // --overwrite updates changed objects; no --remove: deletions in the lake never delete in the replica.
      // Object-locked replicas (S3) need a Content-MD5 on every upload: --md5.
      `mc mirror --overwrite${m.bucket.objectLock ? ' --md5' : ''} lake/${m.bucket.name} replica/${m.replica.bucketName}`,
    ].join('\n');
    return new k8s.KubeCronJob(ctx.scope, `mirror-${m.bucket.name}-${m.replica.cloud}`, {
      metadata: ctx.meta(m.cronJobName, 'mirror'),
      spec: {
        schedule: this.schedule,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 6 * 3600,
            template: {
              metadata: { labels },
              spec: LakeClientPod.spec(ctx, {
                command: ['/bin/sh', '-c', script],
                env: [
                  // the mirror's own read-only identity on the lake; only the provisioning Job holds root
                  ...LakeContext.keyPairEnv('LAKE', m.credentialsSecret),
                  ...LakeContext.keyPairEnv('REPLICA', m.replica.credentialsSecret),
                ],
                resourcesField: 'MinioDataLake.mirror.resources',
                resources: MIRROR_RESOURCES,
                tmpSize: '1Gi',
              }),
            },
          },
        },
      },
    });
  }
}
