import { DataAccess, DataLakePolicy } from '../../lib';
import { ValidationError } from '../../lib/core/errors';
import { expectValidationError } from '../helpers/errors';

type Statement = { Action: string[]; Resource: string[]; Condition?: { StringLike: Record<string, string[]> } };
const statements = (policy: DataLakePolicy) => (policy.document() as { Statement: Statement[] }).Statement;
const actions = (policy: DataLakePolicy) => statements(policy).flatMap((s) => s.Action);
const WRITE = /^s3:(Put|Delete|AbortMultipartUpload)/;

describe('DataLakePolicy', () => {
  test('a read grant never yields a write action', () => {
    const policy = new DataLakePolicy();
    policy.add('', 'raw', DataAccess.READ);
    policy.add('', 'features', DataAccess.READ, 'vision');
    expect(actions(policy).filter((a) => WRITE.test(a))).toEqual([]);
    expect(DataLakePolicy.actionsOf(DataAccess.READ).filter((a) => WRITE.test(a))).toEqual([]);
  });

  test('read-write adds put and delete (a delete marker), never DeleteObjectVersion nor bucket administration', () => {
    const policy = new DataLakePolicy();
    policy.add('', 'raw', DataAccess.READ_WRITE);
    expect(actions(policy)).toEqual(expect.arrayContaining(['s3:PutObject', 's3:DeleteObject', 's3:GetObject', 's3:ListBucket']));
    for (const forbidden of ['s3:DeleteObjectVersion', 's3:DeleteBucket', 's3:PutBucketPolicy', 's3:PutBucketVersioning', 's3:*', 's3:PutLifecycleConfiguration']) {
      expect(actions(policy)).not.toContain(forbidden);
    }
  });

  test('a grant is scoped to its bucket, and to its prefix for objects and listing', () => {
    const policy = new DataLakePolicy();
    policy.add('', 'raw', DataAccess.READ_WRITE, 'teams/vision/');
    const all = statements(policy);
    expect([...new Set(all.flatMap((s) => s.Resource))].sort()).toEqual(['arn:aws:s3:::raw', 'arn:aws:s3:::raw/teams/vision/*']);
    const list = all.find((s) => s.Action.includes('s3:ListBucket'))!;
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['teams/vision', 'teams/vision/*'] } });
    const put = all.find((s) => s.Action.includes('s3:PutObject'))!;
    expect(put.Resource).toEqual(['arn:aws:s3:::raw/teams/vision/*']);
  });

  test('read on a bucket and write on a prefix: writes stay in the prefix', () => {
    const policy = new DataLakePolicy();
    policy.add('', 'raw', DataAccess.READ);
    policy.add('', 'raw', DataAccess.READ_WRITE, 'scratch');
    const all = statements(policy);
    expect(all.find((s) => s.Action.includes('s3:PutObject'))!.Resource).toEqual(['arn:aws:s3:::raw/scratch/*']);
    expect(all.find((s) => s.Action.includes('s3:GetObject'))!.Resource).toEqual(['arn:aws:s3:::raw/*', 'arn:aws:s3:::raw/scratch/*']);
    expect(all.find((s) => s.Action.includes('s3:ListBucket'))!.Condition).toBeUndefined();
  });

  test.each(['/abs', 'a/../b', 'a*', 'with space', '..'])('prefix %j is refused, naming the field', (prefix) => {
    const policy = new DataLakePolicy();
    expect(() => policy.add('lake', 'raw', DataAccess.READ, prefix)).toThrow(ValidationError);
    expect(() => policy.add('lake', 'raw', DataAccess.READ, prefix)).toThrow(/MinioDataLake.grant.prefix/);
  });
});

describe('plain JavaScript callers get a ValidationError naming the field', () => {
  test.each([
    ['DataLakePolicy.add.bucket', () => new DataLakePolicy().add('lake', 42 as unknown as string, DataAccess.READ), 'lake'],
    ['DataLakePolicy.add.bucket', () => new DataLakePolicy().add('lake', 'Not A Bucket', DataAccess.READ), 'lake'],
    ['DataLakePolicy.add.access', () => new DataLakePolicy().add('lake', 'raw', 'write' as DataAccess), 'lake'],
    ['DataLakePolicy.add.access', () => new DataLakePolicy().add('lake', 'raw', undefined as unknown as DataAccess), 'lake'],
    ['DataLakePolicy.add.path', () => new DataLakePolicy().add(null as unknown as string, 'raw', DataAccess.READ), 'DataLakePolicy'],
    ['MinioDataLake.grant.prefix', () => new DataLakePolicy().add('lake', 'raw', DataAccess.READ, 42 as unknown as string), 'lake'],
    ['DataLakePolicy.actionsOf.access', () => DataLakePolicy.actionsOf('all' as DataAccess), 'DataLakePolicy'],
  ] as Array<[string, () => unknown, string]>)('%s', (field, fn, path) => {
    expectValidationError(fn, field, path);
  });
});
