import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';
import { DataBucket } from './data-bucket';

/** Access a team gets to a bucket of the data lake. */
export enum DataAccess {
  /** List, get objects and their versions. */
  READ = 'read',
  /** Read, put objects, delete them (a delete marker on a versioned bucket; deleting a version is never granted). */
  READ_WRITE = 'readwrite',
}

/** Bucket-level actions of a read grant. */
const READ_BUCKET_ACTIONS = ['s3:GetBucketLocation', 's3:GetBucketVersioning'];
/** Listing actions of a read grant (scoped by `s3:prefix` when the grant has a prefix). */
const LIST_ACTIONS = ['s3:ListBucket', 's3:ListBucketVersions'];
/** Object actions of a read grant. */
const READ_OBJECT_ACTIONS = ['s3:GetObject', 's3:GetObjectVersion'];
/** Added by a read-write grant. `s3:DeleteObjectVersion` is never granted: data is never lost. */
const WRITE_OBJECT_ACTIONS = ['s3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
const WRITE_BUCKET_ACTIONS = ['s3:ListBucketMultipartUploads'];

const PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*\/?$/;

interface Grant {
  readonly bucket: string;
  readonly access: DataAccess;
  /** Normalized: no trailing '/'; undefined for the whole bucket. */
  readonly prefix?: string;
}

/**
 * One team's IAM-style policy on the lake (MinIO policies use the AWS S3 policy language): the union of its grants,
 * each scoped to a bucket or to a prefix in it.
 */
export class DataLakePolicy {
  /** Actions a grant of `access` allows (the union of its statements). */
  public static actionsOf(access: DataAccess): string[] {
    Checks.oneOf('DataLakePolicy', 'DataLakePolicy.actionsOf.access', access, Object.values(DataAccess));
    const read = [...READ_BUCKET_ACTIONS, ...LIST_ACTIONS, ...READ_OBJECT_ACTIONS];
    return access === DataAccess.READ_WRITE ? [...read, ...WRITE_BUCKET_ACTIONS, ...WRITE_OBJECT_ACTIONS] : read;
  }

  private readonly grants: Grant[] = [];

  /** Adds a grant; a prefix is a relative object key prefix such as `teams/vision` (no leading '/', no '..'). */
  public add(path: string, bucket: string, access: DataAccess, prefix?: string): void {
    Checks.string('DataLakePolicy', 'DataLakePolicy.add.path', path, 'a construct path (a string)', true);
    DataBucket.validateName(path, 'DataLakePolicy.add.bucket', bucket);
    Checks.oneOf(path, 'DataLakePolicy.add.access', access, Object.values(DataAccess));
    if (prefix !== undefined && (typeof prefix !== 'string' || !PREFIX.test(prefix) || prefix.split('/').includes('..') || prefix.includes('*'))) {
      throw new ValidationError(path, 'MinioDataLake.grant.prefix', prefix,
        'expected a relative key prefix such as "teams/vision": no leading "/", no "..", no "*", safe characters only');
    }
    this.grants.push({ bucket, access, prefix: prefix?.replace(/\/$/, '') });
  }

  /** The policy document. */
  public document(): Record<string, unknown> {
    const statements: Record<string, unknown>[] = [];
    const byBucket = new Map<string, Grant[]>();
    for (const g of this.grants) byBucket.set(g.bucket, [...(byBucket.get(g.bucket) ?? []), g]);
    for (const [bucket, grants] of [...byBucket.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const bucketArn = `arn:aws:s3:::${bucket}`;
      const writes = grants.some((g) => g.access === DataAccess.READ_WRITE);
      statements.push({ Effect: 'Allow', Action: [...READ_BUCKET_ACTIONS, ...(writes ? WRITE_BUCKET_ACTIONS : [])], Resource: [bucketArn] });
      const whole = grants.some((g) => g.prefix === undefined);
      const prefixes = [...new Set(grants.map((g) => g.prefix).filter((p): p is string => p !== undefined))].sort();
      statements.push({
        Effect: 'Allow',
        Action: LIST_ACTIONS,
        Resource: [bucketArn],
        ...(whole ? {} : { Condition: { StringLike: { 's3:prefix': prefixes.flatMap((p) => [p, `${p}/*`]) } } }),
      });
      const objects = (g: Grant) => `${bucketArn}/${g.prefix === undefined ? '' : `${g.prefix}/`}*`;
      statements.push({ Effect: 'Allow', Action: READ_OBJECT_ACTIONS, Resource: [...new Set(grants.map(objects))].sort() });
      const writers = grants.filter((g) => g.access === DataAccess.READ_WRITE);
      if (writers.length > 0) statements.push({ Effect: 'Allow', Action: WRITE_OBJECT_ACTIONS, Resource: [...new Set(writers.map(objects))].sort() });
    }
    return { Version: '2012-10-17', Statement: statements };
  }
}
