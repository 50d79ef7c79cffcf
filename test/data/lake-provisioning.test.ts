/** The lake's mc scripts (provisioning, mirrors), run against a fake `mc` that keeps state between runs. */
import { MinioDataLake, TeamSpace } from '../../lib';
import { Manifest, ofKind, synthValid, testChart } from '../helpers/manifests';
import { podProblems } from '../helpers/pod-security';
import { features, models, raw } from './buckets';
import { secretProblems } from '../helpers/secrets';
import { FakeMc } from './fake-mc';


const KEYS = {
  MINIO_ROOT_USER: 'root', MINIO_ROOT_PASSWORD: 'pw',
  TEAM_0_ACCESS_KEY: 'vision-key', TEAM_0_SECRET_KEY: 's0', TEAM_1_ACCESS_KEY: 'nlp-key', TEAM_1_SECRET_KEY: 's1',
  MIRROR_0_ACCESS_KEY: 'mirror-aws-key', MIRROR_0_SECRET_KEY: 's2', MIRROR_1_ACCESS_KEY: 'mirror-gcp-key', MIRROR_1_SECRET_KEY: 's3',
};

function build(region?: string): { objects: Manifest[]; files: Record<string, string> } {
  const chart = testChart();
  const data = new TeamSpace(chart, 'data', { name: 'data-platform', quota: { storage: '20Ti', persistentVolumeClaims: 32 } });
  const vision = new TeamSpace(chart, 'vision', { name: 'vision' });
  const nlp = new TeamSpace(chart, 'nlp', { name: 'nlp' });
  const lake = new MinioDataLake(chart, 'lake', {
    namespace: data, buckets: [raw, features, models], rootCredentialsSecret: 'lake-root', region,
    lineage: { endpoint: 'http://vector.lineage.svc:8080/minio', namespace: 'lineage' },
  });
  lake.grantRead(vision, raw);
  lake.grantReadWrite(nlp, features, 'nlp');
  const objects = synthValid(chart);
  expect(podProblems(objects)).toEqual([]);
  expect(secretProblems(objects)).toEqual([]);
  return { objects, files: ofKind(objects, 'ConfigMap', 'lake-provision')[0].data };
}

describe('the provisioning script', () => {
  const { files } = build();
  const script = files['provision.sh'];
  const mc = new FakeMc();
  // The lake is still starting: the first two `mc ready` calls fail.
  const first = mc.run(script, files, { readyAfter: 3, env: KEYS });
  const second = mc.run(script, files, { env: KEYS });

  test('it runs while the lake is still starting: the alias is set without a probe, then it waits', () => {
    // `mc alias set` without --api probes the server and, under set -eu, would end the script here
    const aliases = first.filter((c) => c.startsWith('alias set'));
    expect(aliases).toEqual(['alias set lake http://lake.data-platform.svc.cluster.local:9000 root pw --api s3v4 --path on']);
    expect(first.filter((c) => c === 'ready lake')).toHaveLength(3);
    expect(first.indexOf('ready lake')).toBeLessThan(first.findIndex((c) => c.startsWith('mb ')));
  });

  test('creates or updates buckets, versioning, lock, quota, lifecycle, lineage events, policies and users', () => {
    expect(first).toEqual(expect.arrayContaining([
      'mb --ignore-existing --with-lock lake/raw',
      'version enable lake/raw',
      'retention set --default GOVERNANCE 30d lake/raw',
      'quota set lake/raw --size 10TiB',
      'mb --ignore-existing lake/features',
      'quota clear lake/features',
      'event add lake/raw arn:minio:sqs:us-east-1:LINEAGE:webhook --event put,delete --ignore-existing',
      expect.stringMatching(/^admin policy create lake team-vision .*team-vision\.json$/),
      'admin user add lake vision-key s0',
      'admin policy attach lake team-vision --user vision-key',
      'admin policy attach lake team-nlp --user nlp-key',
    ]));
    expect(first.some((c) => c.startsWith('ilm import lake/raw'))).toBe(true);
  });

  test('never deletes: no bucket, object, version, user or policy removal; no versioning suspension', () => {
    const destructive = /^(rb|rm|undo|admin user remove|admin policy (remove|detach)|version suspend|retention clear|event rm)\b|--remove|--purge/;
    expect([...first, ...second].filter((c) => destructive.test(c))).toEqual([]);
    expect(script).not.toMatch(/\bmc (rb|rm|undo)\b|--remove|--purge|version suspend|admin user remove|admin policy (remove|detach)|event rm/);
  });

  test('idempotent: after two runs, one notification per bucket (ARN with the region) and one attach per user', () => {
    for (const bucket of ['raw', 'features', 'models']) expect(mc.notifications(bucket)).toEqual(['arn:minio:sqs:us-east-1:LINEAGE:webhook']);
    const attaches = [...first, ...second].filter((c) => c.startsWith('admin policy attach'));
    const users = attaches.map((c) => c.split(' --user ')[1]);
    expect(users.sort()).toEqual(['mirror-aws-key', 'mirror-gcp-key', 'nlp-key', 'vision-key']);
    expect(mc.users()).toEqual({
      'vision-key': ['team-vision'], 'nlp-key': ['team-nlp'], 'mirror-aws-key': ['mirror-features'], 'mirror-gcp-key': ['mirror-features'],
    });
    // the second run re-applies settings and policies, and adds nothing
    expect(second.filter((c) => /^(event add|admin policy attach)/.test(c))).toEqual([]);
    expect(second.filter((c) => !/^(ready|event ls)/.test(c))).toEqual(first.filter((c) => !/^(ready|event ls|event add|admin policy attach)/.test(c)));
  });

  test('the attach guard matches whole policy names in mc\'s indented JSON only', () => {
    const other = new FakeMc();
    other.up();
    other.seedUser('vision-key', ['team-vision2', 'x-team-vision']);
    other.seedUser('nlp-key', ['readonly', 'team-nlp']);
    const calls = other.run(script, files, { env: KEYS });
    expect(calls.filter((c) => c.startsWith('admin policy attach')).sort()).toEqual([
      'admin policy attach lake mirror-features --user mirror-aws-key',
      'admin policy attach lake mirror-features --user mirror-gcp-key',
      'admin policy attach lake team-vision --user vision-key',
    ]);
  });

  test('the notification ARN carries the lake\'s region', () => {
    const eu = build('eu-central-1');
    const fake = new FakeMc('eu-central-1');
    fake.run(eu.files['provision.sh'], eu.files, { env: KEYS });
    fake.run(eu.files['provision.sh'], eu.files, { env: KEYS });
    expect(fake.notifications('raw')).toEqual(['arn:minio:sqs:eu-central-1:LINEAGE:webhook']);
  });

  test('each mirror gets its own identity: a user from its Secret with a read-only policy on its bucket', () => {
    expect(first).toEqual(expect.arrayContaining([
      'admin policy create lake mirror-features /config/mirror-features.json',
      'admin user add lake mirror-aws-key s2',
      'admin user add lake mirror-gcp-key s3',
    ]));
    expect(first.filter((c) => c.startsWith('admin policy create lake mirror-'))).toHaveLength(1);
    const policy = JSON.parse(files['mirror-features.json']) as { Statement: Array<{ Action: string[]; Resource: string[] }> };
    const actions = policy.Statement.flatMap((s) => s.Action);
    expect(actions).toEqual(expect.arrayContaining(['s3:ListBucket', 's3:GetObject']));
    expect(actions.filter((a) => /Put|Delete|Abort|\*/.test(a))).toEqual([]);
    expect([...new Set(policy.Statement.flatMap((s) => s.Resource))].sort()).toEqual(['arn:aws:s3:::features', 'arn:aws:s3:::features/*']);
  });
});

describe('the mirror scripts', () => {
  const { objects } = build();
  const mirrors = ofKind(objects, 'CronJob');

  test.each(['aws', 'gcp'])('%s: set both aliases without a probe, with the mirror identity, and copy', (cloud) => {
    const cron = mirrors.find((m) => m.metadata.name === `lake-mirror-features-${cloud}`)!;
    const container = cron.spec.jobTemplate.spec.template.spec.containers[0];
    const mc = new FakeMc();
    // the lake is down: a probing `alias set` would fail the job before it tries
    const calls = mc.run(container.command[2], {}, {
      env: { LAKE_ACCESS_KEY: 'mirror-key', LAKE_SECRET_KEY: 'ms', REPLICA_ACCESS_KEY: 'cloud-key', REPLICA_SECRET_KEY: 'cs' },
    });
    const endpoint = cloud === 'aws' ? 'https://s3.eu-west-1.amazonaws.com' : 'https://storage.googleapis.com';
    expect(calls).toEqual([
      'alias set lake http://lake.data-platform.svc.cluster.local:9000 mirror-key ms --api s3v4 --path on',
      `alias set replica ${endpoint} cloud-key cs --api s3v4 --path auto`,
      'mirror --overwrite lake/features replica/acme-features',
    ]);
  });
});
