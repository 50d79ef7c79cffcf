import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chart } from 'cdk8s';
import {
  BucketReplica, DataAccess, DataBucket, ITeamSpace, MinioDataLake, MinioDataLakeProps, ObjectLockMode, TeamSpace,
} from '../../lib';
import { ValidationError } from '../../lib/core/errors';
import { Manifest, ofKind, synthValid, testChart } from '../helpers/manifests';
import { expectValidationError } from '../helpers/errors';
import { tempDir } from '../helpers/output';
import { podProblems } from '../helpers/pod-security';
import { secretProblems } from '../helpers/secrets';

const raw = new DataBucket({ name: 'raw', objectLock: { mode: ObjectLockMode.GOVERNANCE, retentionDays: 30 }, lifecycle: { noncurrentVersionExpirationDays: 365 }, quota: '10Ti' });
const features = new DataBucket({
  name: 'features',
  replicas: [
    BucketReplica.s3({ bucketName: 'acme-features', location: 'eu-west-1', credentialsSecret: 'features-s3' }),
    BucketReplica.gcs({ bucketName: 'acme-features', location: 'EUROPE-WEST4', credentialsSecret: 'features-gcs' }),
  ],
});
const models = new DataBucket({ name: 'models' });

interface Setup { chart: Chart; data: TeamSpace; vision: TeamSpace; nlp: TeamSpace }
function setup(): Setup {
  const chart = testChart();
  return {
    chart,
    data: new TeamSpace(chart, 'data', { name: 'data-platform', quota: { storage: '20Ti', persistentVolumeClaims: 32 } }),
    vision: new TeamSpace(chart, 'vision', { name: 'vision' }),
    nlp: new TeamSpace(chart, 'nlp', { name: 'nlp' }),
  };
}
function lakeIn(s: Setup, props: Partial<MinioDataLakeProps> = {}): MinioDataLake {
  return new MinioDataLake(s.chart, 'lake', { namespace: s.data, buckets: [raw, features, models], rootCredentialsSecret: 'lake-root', ...props });
}
function synth(s: Setup): Manifest[] {
  const objects = synthValid(s.chart);
  expect(podProblems(objects)).toEqual([]);
  expect(secretProblems(objects)).toEqual([]);
  return objects;
}
const lakeObjects = (objects: Manifest[]) => objects.filter((o) => o.metadata.labels?.['app.kubernetes.io/name'] === 'minio');

describe('MinioDataLake servers', () => {
  const s = setup();
  lakeIn(s, { storageClass: 'local-nvme' });
  const objects = synth(s);
  const [sts] = ofKind(objects, 'StatefulSet');
  const pod = sts.spec.template.spec;
  const minio = pod.containers[0];

  test('distributed MinIO: 4 servers × 4 drives by default, erasure-coded over every drive', () => {
    expect(sts.spec.replicas).toBe(4);
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(minio.args.at(-1)).toBe('http://lake-{0...3}.lake-hl.data-platform.svc.cluster.local:9000/export{0...3}');
    expect(sts.spec.volumeClaimTemplates.map((v: Manifest) => v.metadata.name)).toEqual(['data-0', 'data-1', 'data-2', 'data-3']);
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'local-nvme', resources: { requests: { storage: '1Ti' } } });
  });

  test('data is never lost by a delete or a scale-down: PVCs are retained', () => {
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
  });

  test('one server per node, one disruption at a time, health probes', () => {
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([{
      labelSelector: { matchLabels: sts.spec.selector.matchLabels }, topologyKey: 'kubernetes.io/hostname',
    }]);
    const [pdb] = ofKind(objects, 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: sts.spec.selector.matchLabels } });
    expect(minio.livenessProbe.httpGet).toEqual({ path: '/minio/health/live', port: 9000, scheme: 'HTTP' });
    expect(minio.readinessProbe.httpGet).toEqual({ path: '/minio/health/ready', port: 9000, scheme: 'HTTP' });
    expect(minio.startupProbe.httpGet.path).toBe('/minio/health/live');
  });

  test('root credentials come from the Secret by reference; the console is off', () => {
    expect(minio.env.filter((e: { name: string }) => e.name.startsWith('MINIO_ROOT'))).toEqual([
      { name: 'MINIO_ROOT_USER', valueFrom: { secretKeyRef: { name: 'lake-root', key: 'rootUser' } } },
      { name: 'MINIO_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 'lake-root', key: 'rootPassword' } } },
    ]);
    expect(minio.env).toContainEqual({ name: 'MINIO_BROWSER', value: 'off' });
    expect(minio.image).toBe('quay.io/minio/minio:RELEASE.2025-09-07T16-13-09Z');
  });

  test('Services: headless for the peers (not-ready addresses published), client on the S3 port; selectors match servers only', () => {
    const headless = ofKind(objects, 'Service', 'lake-hl')[0];
    expect(headless.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    const client = ofKind(objects, 'Service', 'lake')[0];
    expect(client.spec.ports).toEqual([{ name: 's3', port: 9000, targetPort: 9000 }]);
    expect(client.spec.selector['app.kubernetes.io/component']).toBe('server');
    for (const job of ofKind(objects, 'Job')) expect(job.spec.template.metadata.labels['app.kubernetes.io/component']).not.toBe('server');
  });

  test('the console, when asked for, is on the client Service', () => {
    const c = setup();
    lakeIn(c, { console: true });
    const out = synth(c);
    expect(ofKind(out, 'Service', 'lake')[0].spec.ports.map((p: { name: string }) => p.name)).toEqual(['s3', 'console']);
    expect(ofKind(out, 'StatefulSet')[0].spec.template.spec.containers[0].env).toContainEqual({ name: 'MINIO_BROWSER', value: 'on' });
  });
});

describe('per-team access', () => {
  const s = setup();
  const lake = lakeIn(s);
  lake.grantRead(s.vision, raw, 'vision/images');
  const connection = lake.bind(s.nlp, features, DataAccess.READ_WRITE);
  const objects = synth(s);

  test('bind() wires the endpoint, region, bucket and the team\'s keys from its Secret', () => {
    expect(connection.env).toEqual([
      { name: 'AWS_ENDPOINT_URL', value: 'http://lake.data-platform.svc.cluster.local:9000' },
      { name: 'S3_ENDPOINT', value: 'http://lake.data-platform.svc.cluster.local:9000' },
      { name: 'AWS_REGION', value: 'us-east-1' },
      { name: 'AWS_DEFAULT_REGION', value: 'us-east-1' },
      { name: 'S3_BUCKET', value: 'features' },
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'lake-s3-credentials', key: 'accessKey' } } },
      { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'lake-s3-credentials', key: 'secretKey' } } },
    ]);
    expect(lake.bind(s.nlp, features, DataAccess.READ, 'shared').env).toContainEqual({ name: 'S3_PREFIX', value: 'shared' });
  });

  test('connect(): the contract of workload constructs (dataLake: { lake, bucket, access })', () => {
    const x = setup();
    const l = lakeIn(x);
    const connection = MinioDataLake.connect(x.vision, { lake: l, bucket: models, access: DataAccess.READ, prefix: 'vision' });
    expect(connection.env).toContainEqual({ name: 'S3_BUCKET', value: 'models' });
    expect(JSON.stringify(l.policyFor(x.vision))).toContain('arn:aws:s3:::models/vision/*');
    expect(() => MinioDataLake.connect(x.vision, { lake: {} as MinioDataLake, bucket: models, access: DataAccess.READ })).toThrow(/dataLake.lake: .* expected a MinioDataLake/);
  });

  test('each team gets its own policy: read never writes, scoped to bucket and prefix', () => {
    const vision = JSON.stringify(lake.policyFor(s.vision));
    expect(vision).not.toMatch(/s3:(Put|Delete)/);
    expect(vision).toContain('arn:aws:s3:::raw/vision/images/*');
    expect(vision).not.toContain('features');
    expect(JSON.stringify(lake.policyFor(s.nlp))).toContain('s3:PutObject');
  });

  test('only granted namespaces reach the S3 port', () => {
    const policy = ofKind(objects, 'NetworkPolicy', 'lake-server')[0];
    expect(policy.spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['nlp', 'vision'] } ] } }],
      ports: [{ protocol: 'TCP', port: 9000 }],
    });
    const fromNamespaces = policy.spec.ingress.flatMap((r: { from: object[] }) => r.from).filter((f: object) => 'namespaceSelector' in f);
    expect(fromNamespaces).toHaveLength(1);
  });

  test('each granted team may send to the lake, past its default-deny', () => {
    const egress = ofKind(objects, 'NetworkPolicy', 'lake-s3-egress');
    expect(egress.map((p) => p.metadata.namespace).sort()).toEqual(['nlp', 'vision']);
    expect(egress[0].spec.egress[0].to[0].namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'data-platform' } });
  });

  test('the provisioning Job reads each team\'s keys from the lake namespace copy of its Secret', () => {
    const [job] = ofKind(objects, 'Job');
    const env = job.spec.template.spec.containers[0].env.map((e: { name: string; valueFrom: { secretKeyRef: { name: string } } }) => [e.name, e.valueFrom.secretKeyRef.name]);
    expect(env).toEqual(expect.arrayContaining([['TEAM_0_ACCESS_KEY', 'lake-team-vision'], ['TEAM_1_SECRET_KEY', 'lake-team-nlp']]));
  });

  test('the Job name follows what it applies: a new grant, a new Job', () => {
    const name = (grant: boolean) => {
      const x = setup();
      const l = lakeIn(x);
      l.grantRead(x.vision, raw);
      if (grant) l.grantRead(x.nlp, models);
      return ofKind(synthValid(x.chart), 'Job')[0].metadata.name;
    };
    expect(name(false)).toBe(name(false));
    expect(name(false)).not.toBe(name(true));
    expect(name(true)).toMatch(/^lake-provision-[0-9a-f]{10}$/);
  });
});

describe('the provisioning script', () => {
  const s = setup();
  const lake = lakeIn(s, { lineage: { endpoint: 'http://marquez.lineage.svc:5000/api/v1/lineage', namespace: 'lineage' } });
  lake.grantRead(s.vision, raw);
  lake.grantReadWrite(s.nlp, features, 'nlp');
  const objects = synth(s);
  const files: Record<string, string> = ofKind(objects, 'ConfigMap', 'lake-provision')[0].data;

  /** Runs provision.sh with a fake `mc` that logs its arguments; returns the calls. */
  function run(userInfo: string): string[] {
    const dir = tempDir('provision');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const log = join(dir, 'calls.log');
    writeFileSync(join(bin, 'mc'), [
      '#!/bin/sh',
      `echo "$*" >> ${log}`,
      'case "$*" in "admin user info"*) echo "$FAKE_USER_INFO" ;; "ilm rule ls"*) exit 1 ;; esac',
      'exit 0',
    ].join('\n'));
    chmodSync(join(bin, 'mc'), 0o755);
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content.replace(/\/config\//g, `${dir}/`));
    execFileSync('/bin/sh', [join(dir, 'provision.sh')], {
      env: {
        PATH: `${bin}:/usr/bin:/bin`, FAKE_USER_INFO: userInfo, MINIO_ROOT_USER: 'root', MINIO_ROOT_PASSWORD: 'pw',
        TEAM_0_ACCESS_KEY: 'vision-key', TEAM_0_SECRET_KEY: 's0', TEAM_1_ACCESS_KEY: 'nlp-key', TEAM_1_SECRET_KEY: 's1',
      },
    });
    return readFileSync(log, 'utf8').trim().split('\n').map((c) => c.split(`${dir}/`).join('/config/'));
  }
  const fresh = run('{"status":"success","accessKey":"k","userStatus":"enabled"}');

  test('creates or updates buckets, versioning, lock, quota, lifecycle, lineage events, policies and users', () => {
    expect(fresh).toEqual(expect.arrayContaining([
      expect.stringMatching(/^alias set lake http:\/\/lake\.data-platform\.svc\.cluster\.local:9000 root pw$/),
      'mb --ignore-existing --with-lock lake/raw',
      'version enable lake/raw',
      'retention set --default GOVERNANCE 30d lake/raw',
      'quota set lake/raw --size 10TiB',
      'mb --ignore-existing lake/features',
      'quota clear lake/features',
      'event add lake/raw arn:minio:sqs::LINEAGE:webhook --event put,delete --ignore-existing',
      expect.stringMatching(/^admin policy create lake team-vision .*team-vision\.json$/),
      'admin user add lake vision-key s0',
      'admin policy attach lake team-vision --user vision-key',
      'admin policy attach lake team-nlp --user nlp-key',
    ]));
    expect(fresh.some((c) => c.startsWith('ilm import lake/raw'))).toBe(true);
  });

  test('never deletes: no bucket, object, version, user or policy removal; no versioning suspension', () => {
    const destructive = /^(rb|rm|undo|admin user remove|admin policy (remove|detach)|version suspend|retention clear)\b|--remove|--purge/;
    expect(fresh.filter((c) => destructive.test(c))).toEqual([]);
    expect(files['provision.sh']).not.toMatch(/\bmc (rb|rm|undo)\b|--remove|--purge|version suspend|admin user remove|admin policy (remove|detach)/);
  });

  test('idempotent: a second run issues the same calls, and attaches no policy a user already has', () => {
    const again = run('{"status":"success","accessKey":"k","policyName":"team-vision,team-nlp","userStatus":"enabled"}');
    expect(again.filter((c) => c.startsWith('admin policy attach'))).toEqual([]);
    expect(again.filter((c) => !c.startsWith('admin policy attach'))).toEqual(fresh.filter((c) => !c.startsWith('admin policy attach')));
    const other = run('{"status":"success","accessKey":"k","policyName":"team-vision2","userStatus":"enabled"}');
    expect(other.filter((c) => c.startsWith('admin policy attach'))).toHaveLength(2);
  });

  test('lineage: the webhook target is configured on the servers, which may reach the collector', () => {
    const minio = ofKind(objects, 'StatefulSet')[0].spec.template.spec.containers[0];
    expect(minio.env).toEqual(expect.arrayContaining([
      { name: 'MINIO_NOTIFY_WEBHOOK_ENABLE_LINEAGE', value: 'on' },
      { name: 'MINIO_NOTIFY_WEBHOOK_ENDPOINT_LINEAGE', value: 'http://marquez.lineage.svc:5000/api/v1/lineage' },
    ]));
    const egress = ofKind(objects, 'NetworkPolicy', 'lake-server')[0].spec.egress;
    expect(egress).toContainEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lineage' } } }], ports: [{ protocol: 'TCP', port: 5000 }] });
  });
});

describe('TLS', () => {
  const s = setup();
  const lake = lakeIn(s, { tls: { secretName: 'lake-tls' } });
  const connection = lake.bind(s.vision, models, DataAccess.READ);
  const objects = synth(s);
  const sts = ofKind(objects, 'StatefulSet')[0];
  const minio = sts.spec.template.spec.containers[0];

  test('servers serve HTTPS with the certificate mounted in MinIO\'s layout, and talk to each other over it', () => {
    expect(lake.endpoint).toBe('https://lake.data-platform.svc.cluster.local:9000');
    expect(minio.args).toEqual(expect.arrayContaining(['--certs-dir', '/etc/minio/certs']));
    expect(minio.args.at(-1)).toMatch(/^https:\/\/lake-\{0\.\.\.3\}\.lake-hl/);
    expect(sts.spec.template.spec.volumes).toContainEqual({
      name: 'certs',
      secret: {
        secretName: 'lake-tls', defaultMode: 0o440,
        items: [{ key: 'tls.crt', path: 'public.crt' }, { key: 'tls.key', path: 'private.key' }, { key: 'ca.crt', path: 'CAs/ca.crt' }],
      },
    });
    expect(minio.livenessProbe.httpGet.scheme).toBe('HTTPS');
    expect(minio.readinessProbe.httpGet.scheme).toBe('HTTPS');
  });

  test('the jobs trust the lake\'s CA', () => {
    for (const pod of [ofKind(objects, 'Job')[0].spec.template.spec, ...ofKind(objects, 'CronJob').map((c) => c.spec.jobTemplate.spec.template.spec)]) {
      expect(pod.volumes).toContainEqual({ name: 'lake-ca', secret: { secretName: 'lake-tls', items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'lake-ca', mountPath: '/tmp/.mc/certs/CAs', readOnly: true });
    }
    expect(ofKind(objects, 'ConfigMap', 'lake-provision')[0].data['provision.sh']).toContain('mc alias set lake "https://lake.data-platform.svc.cluster.local:9000"');
  });

  test('workloads get the CA mounted and AWS_CA_BUNDLE', () => {
    expect(connection.volumes).toEqual([{ name: 'lake-ca', configMap: { name: 'lake-ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }]);
    expect(connection.volumeMounts).toEqual([{ name: 'lake-ca', mountPath: '/etc/ssl/lake', readOnly: true }]);
    expect(connection.env).toContainEqual({ name: 'AWS_CA_BUNDLE', value: '/etc/ssl/lake/ca.crt' });
  });

  test('the certificate must name the client Service and every server', () => {
    expect(lake.certificateDnsNames).toEqual([
      'lake.data-platform.svc.cluster.local', 'lake.data-platform.svc', 'lake.data-platform', '*.lake-hl.data-platform.svc.cluster.local',
    ]);
  });

  test('without TLS: plain HTTP, nothing mounted', () => {
    const x = setup();
    const plain = lakeIn(x);
    expect(plain.endpoint).toMatch(/^http:/);
    expect(plain.bind(x.vision, models, DataAccess.READ).volumes).toEqual([]);
  });
});

describe('cloud replicas', () => {
  const s = setup();
  lakeIn(s);
  const objects = synth(s);
  const mirrors = ofKind(objects, 'CronJob');

  test('one mirror CronJob per replica: overwrite, never remove, credentials by reference', () => {
    expect(mirrors.map((m) => m.metadata.name).sort()).toEqual(['lake-mirror-features-aws', 'lake-mirror-features-gcp']);
    const aws = mirrors.find((m) => m.metadata.name.endsWith('aws'))!;
    const container = aws.spec.jobTemplate.spec.template.spec.containers[0];
    const script = container.command[2];
    expect(script).toContain('mc alias set replica "https://s3.eu-west-1.amazonaws.com"');
    expect(script).toContain('mc mirror --overwrite lake/features replica/acme-features');
    expect(script).not.toContain('--remove');
    expect(container.env).toContainEqual({ name: 'REPLICA_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'features-s3', key: 'accessKey' } } });
    expect(aws.spec.concurrencyPolicy).toBe('Forbid');
  });

  test('a locked bucket is mirrored with Content-MD5 (S3 object lock requires it)', () => {
    const x = setup();
    const locked = new DataBucket({
      name: 'audit', objectLock: { mode: ObjectLockMode.COMPLIANCE, retentionDays: 365 },
      replicas: [BucketReplica.s3({ bucketName: 'acme-audit', location: 'eu-west-1', credentialsSecret: 'audit-s3' })],
    });
    new MinioDataLake(x.chart, 'lake', { namespace: x.data, buckets: [locked], rootCredentialsSecret: 'root' });
    const [mirror] = ofKind(synthValid(x.chart), 'CronJob');
    expect(mirror.spec.jobTemplate.spec.template.spec.containers[0].command[2]).toContain('mc mirror --overwrite --md5 lake/audit replica/acme-audit');
  });

  test('mirror pods may reach HTTPS outside the cluster, nothing else new', () => {
    const [policy] = ofKind(objects, 'NetworkPolicy', 'lake-mirror');
    expect(policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
    expect(policy.spec.podSelector.matchExpressions).toEqual([{ key: 'app.kubernetes.io/component', operator: 'In', values: ['mirror'] }]);
  });

  test('no mirror policy without replicas', () => {
    const x = setup();
    new MinioDataLake(x.chart, 'lake', { namespace: x.data, buckets: [models], rootCredentialsSecret: 'lake-root' });
    expect(ofKind(lakeObjects(synthValid(x.chart)), 'NetworkPolicy').map((p) => p.metadata.name)).toEqual(['lake-server', 'lake-jobs']);
  });
});

describe('bad input names the field', () => {
  test.each([
    [{ name: 'Lake' }, /MinioDataLakeProps.name: "Lake"/],
    [{ name: 'l'.repeat(41) }, /MinioDataLakeProps.name: .* at most 40/],
    [{ servers: 1 }, /MinioDataLakeProps.servers: 1 is invalid: expected an integer >= 2/],
    [{ servers: 2, volumesPerServer: 1 }, /MinioDataLakeProps.volumesPerServer: 1 .* >= 4 drives/],
    [{ volumeSize: 'big' }, /MinioDataLakeProps.volumeSize: "big"/],
    [{ storageClass: 'Fast SSD' }, /MinioDataLakeProps.storageClass/],
    [{ image: 'quay.io/minio/minio:latest' }, /MinioDataLakeProps.image: .* pinned/],
    [{ clientImage: 'quay.io/minio/mc' }, /MinioDataLakeProps.clientImage/],
    [{ mirrorSchedule: 'every hour' }, /MinioDataLakeProps.mirrorSchedule: "every hour"/],
    [{ region: 'US East' }, /MinioDataLakeProps.region/],
    [{ clusterDomain: 'Cluster Local' }, /MinioDataLakeProps.clusterDomain/],
    [{ rootCredentialsSecret: 'Root Creds' }, /MinioDataLakeProps.rootCredentialsSecret/],
    [{ buckets: [] }, /MinioDataLakeProps.buckets: \[\] is invalid: expected at least one DataBucket/],
    [{ buckets: [raw, raw] }, /MinioDataLakeProps.buckets\[1\].name: "raw" .* unique/],
    [{ resources: { cpu: '-1', memory: '1Gi' } }, /MinioDataLakeProps.resources.cpu: "-1"/],
    [{ lineage: { endpoint: 'not a url', namespace: 'x' } }, /MinioDataLakeProps.lineage.endpoint: "not a url"/],
    [{ lineage: { endpoint: 'https://user:pw@collector/api', namespace: 'x' } }, /MinioDataLakeProps.lineage.endpoint: .* without credentials/],
    [{ lineage: { endpoint: 'https://collector/api' } }, /MinioDataLakeProps.lineage: .* expected namespace .* or cidr/],
    [{ lineage: { endpoint: 'https://collector/api', cidr: 'somewhere' } }, /MinioDataLakeProps.lineage.cidr: "somewhere"/],
    [{ tls: { secretName: 'Lake TLS' } }, /MinioDataLakeProps.tls.secretName: "Lake TLS"/],
    [{ namespace: undefined as unknown as ITeamSpace }, /MinioDataLakeProps.namespace: undefined is invalid: expected a TeamSpace/],
    [{ buckets: [{ name: 'raw' } as DataBucket] }, /MinioDataLakeProps.buckets\[0\]: .* expected a DataBucket/],
    [{ tls: { secretName: 'lake-tls', teamCaConfigMap: 'CA' } }, /MinioDataLakeProps.tls.teamCaConfigMap: "CA"/],
  ] as Array<[Partial<MinioDataLakeProps>, RegExp]>)('%#', (props, message) => {
    expect(() => lakeIn(setup(), props)).toThrow(ValidationError);
    expect(() => lakeIn(setup(), props)).toThrow(message);
  });

  test('grants: a bucket of another lake, the lake\'s own namespace, a bad prefix', () => {
    const s = setup();
    const lake = lakeIn(s);
    const other = new DataBucket({ name: 'elsewhere' });
    expect(() => lake.grantRead(s.vision, other)).toThrow(/MinioDataLake.grant.bucket: "elsewhere" is invalid: expected a bucket of this lake: raw, features, models/);
    expect(() => lake.grantRead(s.data, raw)).toThrow(/MinioDataLake.grant.team: "data-platform"/);
    expect(() => lake.grantReadWrite(s.vision, raw, '../etc')).toThrow(/MinioDataLake.grant.prefix: "..\/etc"/);
    expect(() => lake.bind(s.vision, raw, 'admin' as DataAccess)).toThrow(/MinioDataLake.grant.access: "admin"/);
    expect(() => lake.grantRead({ namespaceName: '' } as ITeamSpace, raw)).toThrow(/MinioDataLake.grant.team/);
  });
});

test('a lake name must start with a letter: it names Services (DNS-1035)', () => {
  expect(() => lakeIn(setup(), { name: '1lake' })).toThrow(/MinioDataLakeProps.name: "1lake" is invalid: .*start with a letter/);
});

test('mirror CronJob names stay within 52 characters and distinct for long bucket names', () => {
  const s = setup();
  const replicas = (n: string) => [BucketReplica.s3({ bucketName: `acme-${n}`, location: 'eu-west-1', credentialsSecret: 'm' })];
  const a = new DataBucket({ name: `${'a'.repeat(50)}-one`, replicas: replicas('one') });
  const b = new DataBucket({ name: `${'a'.repeat(50)}-two`, replicas: replicas('two') });
  new MinioDataLake(s.chart, 'lake', { namespace: s.data, buckets: [a, b], rootCredentialsSecret: 'root' });
  const names = ofKind(synthValid(s.chart), 'CronJob').map((c) => c.metadata.name);
  expect(new Set(names).size).toBe(2);
  for (const n of names) expect(n.length).toBeLessThanOrEqual(52);
});

test('a lake larger than its namespace\'s quota fails at synth, saying how much it needs', () => {
  const chart = testChart();
  const small = new TeamSpace(chart, 'data', { name: 'data-platform', quota: { storage: '10Ti', persistentVolumeClaims: 32 } });
  new MinioDataLake(chart, 'lake', { namespace: small, buckets: [models], rootCredentialsSecret: 'root' });
  const e = expectValidationError(() => synthValid(chart), 'TeamSpace.quota (requests.storage)', 'test/data');
  expect(e.message).toMatch(/"10240Gi" is invalid: expected at least 16384Gi for namespace "data-platform" \(test\/lake 16384Gi\)/);
});

test('lineage with a bearer token: the token comes from its Secret, by reference', () => {
  const s = setup();
  lakeIn(s, { lineage: { endpoint: 'https://collector.example.com/api/v1/lineage', cidr: '203.0.113.0/24', authTokenSecret: 'lineage-token' } });
  const objects = synth(s);
  const minio = ofKind(objects, 'StatefulSet')[0].spec.template.spec.containers[0];
  expect(minio.env).toContainEqual({ name: 'MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_LINEAGE', valueFrom: { secretKeyRef: { name: 'lineage-token', key: 'token' } } });
  expect(ofKind(objects, 'NetworkPolicy', 'lake-server')[0].spec.egress).toContainEqual({
    to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }],
  });
});
