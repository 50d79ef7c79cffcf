import { Chart } from 'cdk8s';
import {
  BucketReplica, DataAccess, DataBucket, ITeamSpace, MinioDataLake, MinioDataLakeProps, ObjectLockMode, ReplicaCloud, TeamSpace, AddonRequirements,
} from '../../lib';
import { ValidationError } from '../../lib/core/errors';
import { Manifest, ofKind, synthValid, testChart } from '../helpers/manifests';
import { expectValidationError } from '../helpers/errors';
import { podProblems } from '../helpers/pod-security';
import { features, models, raw } from './buckets';
import { ModelBroker } from '../../lib/serving/eventing-broker';
import { ModelEventsBridge } from '../../lib/serving/model-events-bridge';
import { secretProblems } from '../helpers/secrets';


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
    expect(minio.startupProbe.httpGet.path).toBe('/minio/health/live');
  });

  test('ready only when the server can serve: cluster read quorum, not /minio/health/ready (200 before the object layer is up)', () => {
    expect(minio.readinessProbe.httpGet).toEqual({ path: '/minio/health/cluster/read', port: 9000, scheme: 'HTTP' });
    // the cluster handlers wait up to MinIO's cluster deadline (10 s)
    expect(minio.readinessProbe.timeoutSeconds).toBeGreaterThan(10);
    expect(minio.readinessProbe.periodSeconds).toBeGreaterThanOrEqual(minio.readinessProbe.timeoutSeconds);
  });

  test('without lineage: no event queue volume; the drives are the only claims', () => {
    expect(minio.env.map((e: { name: string }) => e.name).filter((n: string) => n.startsWith('MINIO_NOTIFY'))).toEqual([]);
    expect(sts.spec.volumeClaimTemplates).toHaveLength(4);
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
    const env = job.spec.template.spec.containers[0].env.filter((e: Manifest) => e.valueFrom).map((e: { name: string; valueFrom: { secretKeyRef: { name: string } } }) => [e.name, e.valueFrom.secretKeyRef.name]);
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

  test('the jobs trust the lake\'s CA, in a config directory mc can write: the upstream chart\'s layout', () => {
    const pods = [ofKind(objects, 'Job')[0].spec.template.spec, ...ofKind(objects, 'CronJob').map((c) => c.spec.jobTemplate.spec.template.spec)];
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      const container = pod.containers[0];
      expect(container.env).toContainEqual({ name: 'MC_CONFIG_DIR', value: '/etc/minio/mc' });
      // a writable emptyDir at the config directory itself ...
      const config = container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/etc/minio/mc');
      expect(pod.volumes.find((v: { name: string }) => v.name === config.name).emptyDir).toBeDefined();
      expect(config.readOnly).toBeUndefined();
      // ... and the CA one level below, at certs/, with the item at CAs/ca.crt
      expect(pod.volumes).toContainEqual({ name: 'lake-ca', secret: { secretName: 'lake-tls', items: [{ key: 'ca.crt', path: 'CAs/ca.crt' }] } });
      expect(container.volumeMounts).toContainEqual({ name: 'lake-ca', mountPath: '/etc/minio/mc/certs', readOnly: true });
      expect(container.volumeMounts.filter((m: { mountPath: string }) => m.mountPath.startsWith('/tmp/'))).toEqual([]);
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

  test('mirrors never hold the root credentials: each reads the lake as its own identity, from its Secret', () => {
    for (const cloud of ['aws', 'gcp']) {
      const cron = mirrors.find((m) => m.metadata.name === `lake-mirror-features-${cloud}`)!;
      const env = cron.spec.jobTemplate.spec.template.spec.containers[0].env;
      expect(JSON.stringify(env)).not.toContain('lake-root');
      expect(env.map((e: { name: string }) => e.name)).not.toContain('MINIO_ROOT_USER');
      expect(env).toEqual(expect.arrayContaining([
        { name: 'LAKE_ACCESS_KEY', valueFrom: { secretKeyRef: { name: `lake-mirror-features-${cloud}`, key: 'accessKey' } } },
        { name: 'LAKE_SECRET_KEY', valueFrom: { secretKeyRef: { name: `lake-mirror-features-${cloud}`, key: 'secretKey' } } },
      ]));
    }
    // the provisioning Job creates those identities, from the same Secrets
    const job = ofKind(objects, 'Job')[0].spec.template.spec.containers[0];
    const refs = job.env.filter((e: { name: string }) => e.name.startsWith('MIRROR_')).map((e: Manifest) => [e.name, e.valueFrom.secretKeyRef.name]);
    expect(refs).toEqual([
      ['MIRROR_0_ACCESS_KEY', 'lake-mirror-features-aws'], ['MIRROR_0_SECRET_KEY', 'lake-mirror-features-aws'],
      ['MIRROR_1_ACCESS_KEY', 'lake-mirror-features-gcp'], ['MIRROR_1_SECRET_KEY', 'lake-mirror-features-gcp'],
    ]);
    // only the provisioning Job and the servers hold root
    const holders = objects.filter((o) => JSON.stringify(o).includes('"lake-root"')).map((o) => o.kind).sort();
    expect(holders).toEqual(['Job', 'StatefulSet']);
  });

  test('mirrorCredentialsSecretFor names each mirror\'s Secret, for the README\'s kubectl commands', () => {
    const x = setup();
    const l = lakeIn(x);
    expect(l.mirrorCredentialsSecretFor(features, ReplicaCloud.AWS)).toBe('lake-mirror-features-aws');
    expect(l.mirrorCredentialsSecretFor(features, ReplicaCloud.GCP)).toBe('lake-mirror-features-gcp');
    expectValidationError(() => l.mirrorCredentialsSecretFor(models, ReplicaCloud.AWS), 'MinioDataLake.mirrorCredentialsSecretFor.cloud', 'test/lake');
    expectValidationError(() => l.mirrorCredentialsSecretFor(features, 'azure' as ReplicaCloud), 'MinioDataLake.mirrorCredentialsSecretFor.cloud', 'test/lake');
    expectValidationError(() => l.mirrorCredentialsSecretFor({ name: 'features' } as DataBucket, ReplicaCloud.AWS), 'MinioDataLake.mirrorCredentialsSecretFor.bucket', 'test/lake');
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
    [{ servers: 1 }, /MinioDataLakeProps.servers: 1 is invalid: expected an integer from 2 to 1024/],
    [{ servers: 2 ** 31 }, /MinioDataLakeProps.servers: 2147483648 is invalid: expected an integer from 2 to 1024/],
    [{ volumesPerServer: 65 }, /MinioDataLakeProps.volumesPerServer: 65 is invalid: expected an integer from 1 to 64/],
    [{ servers: 17, volumesPerServer: 1 }, /MinioDataLakeProps.volumesPerServer: 1 is invalid: expected servers × volumesPerServer \(17 × 1 = 17 drives\) divisible by an erasure set size from 2 to 16/],
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

describe('lineage', () => {
  const s = setup();
  const lake = lakeIn(s, { lineage: { endpoint: 'http://vector.lineage.svc.cluster.local:8080/minio', namespace: 'lineage' } });
  const objects = synth(s);
  const sts = ofKind(objects, 'StatefulSet')[0];
  const minio = sts.spec.template.spec.containers[0];

  test('the webhook target is configured on the servers, which may reach the receiver', () => {
    expect(minio.env).toEqual(expect.arrayContaining([
      { name: 'MINIO_NOTIFY_WEBHOOK_ENABLE_LINEAGE', value: 'on' },
      { name: 'MINIO_NOTIFY_WEBHOOK_ENDPOINT_LINEAGE', value: 'http://vector.lineage.svc.cluster.local:8080/minio' },
    ]));
    const egress = ofKind(objects, 'NetworkPolicy', 'lake-server')[0].spec.egress;
    expect(egress).toContainEqual({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'lineage' } } }], ports: [{ protocol: 'TCP', port: 8080 }] });
  });

  test('undelivered events wait on a retained per-server claim outside the drives, not on the /tmp emptyDir', () => {
    expect(minio.env).toContainEqual({ name: 'MINIO_NOTIFY_WEBHOOK_QUEUE_DIR_LINEAGE', value: '/var/lib/minio-events' });
    expect(minio.volumeMounts).toContainEqual({ name: 'events', mountPath: '/var/lib/minio-events' });
    const drives = minio.volumeMounts.filter((m: { name: string }) => m.name.startsWith('data-')).map((m: { mountPath: string }) => m.mountPath);
    for (const d of drives) expect('/var/lib/minio-events'.startsWith(`${d}/`)).toBe(false);
    const template = sts.spec.volumeClaimTemplates.find((t: Manifest) => t.metadata.name === 'events');
    expect(template.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(JSON.stringify(minio.env)).not.toContain('/tmp/events');
  });

  test('the queue size is a prop; the queue claims count in the namespace\'s quota', () => {
    const x = setup();
    lakeIn(x, { storageClass: 'local-nvme', lineage: { endpoint: 'http://r.lineage.svc:80/', namespace: 'lineage', queueSize: '5Gi' } });
    const template = ofKind(synth(x), 'StatefulSet')[0].spec.volumeClaimTemplates.find((t: Manifest) => t.metadata.name === 'events');
    expect(template.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'local-nvme', resources: { requests: { storage: '5Gi' } } });
    // 16 drives of 1Ti fit a 16Ti quota, but not with 4 queue claims on top
    const chart = testChart();
    const exact = new TeamSpace(chart, 'data', { name: 'data-platform', quota: { storage: '20Ti', persistentVolumeClaims: 16 } });
    new MinioDataLake(chart, 'lake', { namespace: exact, buckets: [models], rootCredentialsSecret: 'root', lineage: { endpoint: 'http://r.lineage.svc/', namespace: 'lineage' } });
    const e = expectValidationError(() => synthValid(chart), 'TeamSpace.quota (persistentvolumeclaims)', 'test/data');
    expect(e.message).toMatch(/20/);
    const chart2 = testChart();
    const storage = new TeamSpace(chart2, 'data', { name: 'data-platform', quota: { storage: '16Ti', persistentVolumeClaims: 32 } });
    new MinioDataLake(chart2, 'lake', { namespace: storage, buckets: [models], rootCredentialsSecret: 'root', lineage: { endpoint: 'http://r.lineage.svc/', namespace: 'lineage' } });
    expectValidationError(() => synthValid(chart2), 'TeamSpace.quota (requests.storage)', 'test/data');
  });

  test('lake.region is what the ARN and the servers use', () => {
    expect(lake.region).toBe('us-east-1');
    expect(minio.env).toContainEqual({ name: 'MINIO_SITE_REGION', value: 'us-east-1' });
    expect(ofKind(objects, 'ConfigMap', 'lake-provision')[0].data['provision.sh']).toContain('arn:minio:sqs:us-east-1:LINEAGE:webhook');
    expect(ofKind(objects, 'ConfigMap', 'lake-provision')[0].data['provision.sh']).not.toContain('arn:minio:sqs::');
  });
});

describe('plain JavaScript callers get a ValidationError naming the field, never a TypeError', () => {
  const PATH = 'test/lake';
  const otherCluster = () => new TeamSpace(testChart(), 'elsewhere', { name: 'vision' });
  const props = (s: Setup, p: Record<string, unknown>) => ({ namespace: s.data, buckets: [raw, features, models], rootCredentialsSecret: 'lake-root', ...p });
  test.each([
    ['MinioDataLakeProps.namespace', { namespace: null }],
    ['MinioDataLakeProps.namespace', { namespace: 'data-platform' }],
    ['MinioDataLakeProps.namespace', { namespace: { namespaceName: 'data-platform' } }],
    ['MinioDataLakeProps.namespace', { namespace: 'other-cluster' }],
    ['MinioDataLakeProps.buckets', { buckets: 'raw' }],
    ['MinioDataLakeProps.buckets', { buckets: undefined }],
    ['MinioDataLakeProps.buckets', { buckets: null }],
    ['MinioDataLakeProps.buckets[1]', { buckets: [raw, 42] }],
    ['MinioDataLakeProps.buckets[0]', { buckets: [null] }],
    ['MinioDataLakeProps.rootCredentialsSecret', { rootCredentialsSecret: undefined }],
    ['MinioDataLakeProps.rootCredentialsSecret', { rootCredentialsSecret: 42 }],
    ['MinioDataLakeProps.name', { name: 42 }],
    ['MinioDataLakeProps.servers', { servers: '4' }],
    ['MinioDataLakeProps.volumeSize', { volumeSize: 1024 }],
    ['MinioDataLakeProps.storageClass', { storageClass: 7 }],
    ['MinioDataLakeProps.resources', { resources: '2 cores' }],
    ['MinioDataLakeProps.resources.cpu', { resources: { cpu: 2, memory: '8Gi' } }],
    ['MinioDataLakeProps.resources.memory', { resources: { cpu: '2' } }],
    ['MinioDataLakeProps.image', { image: 42 }],
    ['MinioDataLakeProps.console', { console: 'yes' }],
    ['MinioDataLakeProps.mirrorSchedule', { mirrorSchedule: 42 }],
    ['MinioDataLakeProps.mirrorSchedule', { mirrorSchedule: '*/15 * * *' }],
    ['MinioDataLakeProps.mirrorSchedule', { mirrorSchedule: '61 * * * *' }],
    ['MinioDataLakeProps.mirrorSchedule', { mirrorSchedule: '*/15 * * * 8' }],
    ['MinioDataLakeProps.mirrorSchedule', { mirrorSchedule: 'TZ=UTC */15 * * * *' }],
    ['MinioDataLakeProps.region', { region: 42 }],
    ['MinioDataLakeProps.tls', { tls: 'lake-tls' }],
    ['MinioDataLakeProps.tls.secretName', { tls: {} }],
    ['MinioDataLakeProps.tls.secretName', { tls: { secretName: 42 } }],
    ['MinioDataLakeProps.tls.teamCaConfigMap', { tls: { secretName: 'lake-tls', teamCaConfigMap: 42 } }],
    ['MinioDataLakeProps.lineage', { lineage: 'http://collector' }],
    ['MinioDataLakeProps.lineage.endpoint', { lineage: { namespace: 'lineage' } }],
    ['MinioDataLakeProps.lineage.endpoint', { lineage: { endpoint: 42, namespace: 'lineage' } }],
    ['MinioDataLakeProps.lineage.namespace', { lineage: { endpoint: 'http://r/', namespace: 42 } }],
    ['MinioDataLakeProps.lineage.cidr', { lineage: { endpoint: 'http://r/', cidr: ['10.0.0.0/8'] } }],
    ['MinioDataLakeProps.lineage.authTokenSecret', { lineage: { endpoint: 'http://r/', namespace: 'lineage', authTokenSecret: {} } }],
    ['MinioDataLakeProps.lineage.queueSize', { lineage: { endpoint: 'http://r/', namespace: 'lineage', queueSize: '0Gi' } }],
    ['MinioDataLakeProps.lineage.queueSize', { lineage: { endpoint: 'http://r/', namespace: 'lineage', queueSize: 1 } }],
  ] as Array<[string, Record<string, unknown>]>)('%s: %j', (field, p) => {
    const s = setup();
    const given = p.namespace === 'other-cluster' ? { ...p, namespace: otherCluster() } : p;
    expectValidationError(() => new MinioDataLake(s.chart, 'lake', props(s, given) as unknown as MinioDataLakeProps), field, PATH);
  });

  test('null in an optional field is unset (as jsii passes it): the default applies', () => {
    const s = setup();
    const nulls = { name: null, servers: null, volumesPerServer: null, volumeSize: null, storageClass: null, resources: null, image: null, clientImage: null,
      console: null, tls: null, lineage: null, mirrorSchedule: null, region: null, clusterDomain: null };
    const lake = new MinioDataLake(s.chart, 'lake', props(s, nulls) as unknown as MinioDataLakeProps);
    expect([lake.name, lake.region, lake.endpoint]).toEqual(['lake', 'us-east-1', 'http://lake.data-platform.svc.cluster.local:9000']);
    synth(s);
  });

  test('props that are not an object', () => {
    for (const p of [undefined, null, 'lake', 42]) {
      expectValidationError(() => new MinioDataLake(setup().chart, 'lake', p as unknown as MinioDataLakeProps), 'MinioDataLakeProps', PATH);
    }
  });

  test('grant, grantRead, grantReadWrite, bind: wrong kinds, unknown access, a team of another cluster', () => {
    const s = setup();
    const lake = lakeIn(s);
    const bad = [undefined, null, 'vision', 42, {}, { namespaceName: 'vision' }] as unknown as ITeamSpace[];
    for (const team of bad) {
      expectValidationError(() => lake.grantRead(team, raw), 'MinioDataLake.grant.team', PATH);
      expectValidationError(() => lake.bind(team, raw, DataAccess.READ), 'MinioDataLake.grant.team', PATH);
    }
    // a team of another cluster (another App): its namespace does not exist where the lake runs
    expectValidationError(() => lake.grantReadWrite(otherCluster(), raw), 'MinioDataLake.grant.team', PATH);
    for (const bucket of [undefined, null, 'raw', { name: 'raw' }] as unknown as DataBucket[]) {
      expectValidationError(() => lake.grantRead(s.vision, bucket), 'MinioDataLake.grant.bucket', PATH);
    }
    for (const access of [undefined, null, 'admin', 'READ', 1] as unknown as DataAccess[]) {
      expectValidationError(() => lake.bind(s.vision, raw, access), 'MinioDataLake.grant.access', PATH);
    }
    for (const prefix of [42, {}, ['a']] as unknown as string[]) {
      expectValidationError(() => lake.grantReadWrite(s.vision, raw, prefix), 'MinioDataLake.grant.prefix', PATH);
    }
    expectValidationError(() => lake.policyFor(null as unknown as ITeamSpace), 'MinioDataLake.policyFor.team', PATH);
    expectValidationError(() => lake.lakeCredentialsSecretFor('vision' as unknown as ITeamSpace), 'MinioDataLake.lakeCredentialsSecretFor.team', PATH);
  });

  test('connect: a mount that is not one', () => {
    const s = setup();
    const lake = lakeIn(s);
    for (const mount of [undefined, null, 'lake', 42]) {
      expectValidationError(() => MinioDataLake.connect(s.vision, mount as never), 'dataLake', 'test/vision');
    }
    expectValidationError(() => MinioDataLake.connect(s.vision, { lake: {} as MinioDataLake, bucket: raw, access: DataAccess.READ }), 'dataLake.lake', 'test/vision');
    expectValidationError(() => MinioDataLake.connect(s.vision, { lake, bucket: raw, access: 'all' as DataAccess }), 'MinioDataLake.grant.access', PATH);
    expectValidationError(() => MinioDataLake.connect(otherCluster(), { lake, bucket: raw, access: DataAccess.READ }), 'MinioDataLake.grant.team', PATH);
  });
});

describe('names the lake derives are checked with the rules of where they go', () => {
  const replica = (bucketName: string) => BucketReplica.s3({ bucketName, location: 'eu-west-1', credentialsSecret: 'cloud-keys' });

  test('a valid S3 name that makes an invalid Secret / CronJob name is refused, naming the bucket', () => {
    // "a.-b" follows the S3 rules, but "lake-mirror-a.-b-aws" is no DNS-1123 subdomain (nor a CronJob name)
    const odd = new DataBucket({ name: 'a.-b', replicas: [replica('acme-odd')] });
    const s = setup();
    const e = expectValidationError(() => new MinioDataLake(s.chart, 'lake', { namespace: s.data, buckets: [models, odd], rootCredentialsSecret: 'root' }),
      'MinioDataLakeProps.buckets[1].name', 'test/lake');
    expect(e.message).toContain('lake-mirror-a.-b-aws');
    // without a replica the name makes no object name: only a ConfigMap key, which it may be
    const x = setup();
    new MinioDataLake(x.chart, 'lake', { namespace: x.data, buckets: [new DataBucket({ name: 'a.-b', lifecycle: { expirationDays: 1 } })], rootCredentialsSecret: 'root' });
    expect(Object.keys(ofKind(synth(x), 'ConfigMap', 'lake-provision')[0].data)).toContain('lifecycle-a.-b.json');
  });

  test('dotted bucket names make valid mirror names; long ones are cut to 52 characters for the CronJob, never for the Secret', () => {
    const s = setup();
    const dotted = new DataBucket({ name: 'team.features', replicas: [replica('acme-team-features')] });
    const long = new DataBucket({ name: `${'b'.repeat(60)}`, replicas: [replica('acme-long')] });
    const lake = new MinioDataLake(s.chart, 'lake', { namespace: s.data, buckets: [dotted, long], rootCredentialsSecret: 'root' });
    const names = ofKind(synth(s), 'CronJob').map((c) => c.metadata.name);
    expect(names[0]).toBe('lake-mirror-team.features-aws');
    expect(names[1].length).toBeLessThanOrEqual(52);
    expect(lake.mirrorCredentialsSecretFor(long, ReplicaCloud.AWS)).toBe(`lake-mirror-${'b'.repeat(60)}-aws`);
  });

  test('two buckets mirrored into one cloud bucket are refused; one name in two clouds is fine', () => {
    const s = setup();
    const a = new DataBucket({ name: 'one', replicas: [replica('acme-shared')] });
    const b = new DataBucket({ name: 'two', replicas: [BucketReplica.gcs({ bucketName: 'acme-shared', location: 'EU', credentialsSecret: 'g' }), replica('acme-shared')] });
    const e = expectValidationError(() => new MinioDataLake(s.chart, 'lake', { namespace: s.data, buckets: [a, b], rootCredentialsSecret: 'root' }),
      'MinioDataLakeProps.buckets[1].replicas[1].bucketName', 'test/lake');
    expect(e.message).toContain('one is mirrored into it too');
    const x = setup();
    const c = new DataBucket({ name: 'three', replicas: [BucketReplica.gcs({ bucketName: 'acme-shared', location: 'EU', credentialsSecret: 'g' })] });
    expect(() => new MinioDataLake(x.chart, 'lake', { namespace: x.data, buckets: [a, c], rootCredentialsSecret: 'root' })).not.toThrow();
  });
});

describe('TLS from cert-manager and trust-manager (tls.issuer)', () => {
  const s = setup();
  const lake = lakeIn(s, { tls: { secretName: 'lake-tls', issuer: { name: 'platform-ca', caSecret: 'platform-ca-key-pair' } } });
  lake.grantRead(s.vision, raw);
  lake.grantRead(s.nlp, features);
  const objects = synth(s);

  test('a Certificate names every DNS name the servers and clients use, written to the Secret the servers mount', () => {
    const [cert] = ofKind(objects, 'Certificate');
    expect(cert.metadata).toMatchObject({ name: 'lake-tls', namespace: 'data-platform' });
    expect(cert.spec).toMatchObject({
      secretName: 'lake-tls',
      dnsNames: lake.certificateDnsNames,
      issuerRef: { name: 'platform-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' },
      usages: expect.arrayContaining(['server auth', 'client auth']),
    });
    expect(lake.certificateDnsNames).toEqual([
      'lake.data-platform.svc.cluster.local', 'lake.data-platform.svc', 'lake.data-platform', '*.lake-hl.data-platform.svc.cluster.local',
    ]);
    // the servers reach each other as <pod>.lake-hl.<ns>.svc.cluster.local: the wildcard covers them
    const args = ofKind(objects, 'StatefulSet')[0].spec.template.spec.containers[0].args.at(-1);
    expect(args).toMatch(/^https:\/\/lake-\{0\.\.\.3\}\.lake-hl\.data-platform\.svc\.cluster\.local:9000/);
  });

  test('a trust-manager Bundle writes the CA into every granted namespace, as the ConfigMap workloads mount', () => {
    const [bundle] = ofKind(objects, 'Bundle');
    expect(bundle.metadata.name).toBe('lake-ca');
    expect(bundle.spec).toEqual({
      sources: [{ secret: { name: 'platform-ca-key-pair', key: 'tls.crt' } }],
      target: { configMap: { key: 'ca.crt' }, namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['nlp', 'vision'] }] } },
    });
    expect(lake.bind(s.vision, raw, DataAccess.READ).volumes[0]).toMatchObject({ configMap: { name: 'lake-ca' } });
  });

  test('the cluster then needs cert-manager and trust-manager', () => {
    expect(AddonRequirements.of(lake).filter((r) => r.by === lake).map((r) => r.requirement.addon.id).sort()).toEqual(['cert-manager', 'trust-manager']);
  });

  test('the servers are protected from GitOps pruning and deletion', () => {
    expect(ofKind(objects, 'StatefulSet')[0].metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' });
  });

  test.each([
    [{ name: 'Platform CA', caSecret: 'x' }, 'MinioDataLakeProps.tls.issuer.name'],
    [{ name: 'ca', kind: 'Vault', caSecret: 'x' }, 'MinioDataLakeProps.tls.issuer.kind'],
    [{ name: 'ca' }, 'MinioDataLakeProps.tls.issuer.caSecret'],
    [{ name: 'ca', caSecret: 'x', caSecretKey: 'a b' }, 'MinioDataLakeProps.tls.issuer.caSecretKey'],
    ['platform-ca', 'MinioDataLakeProps.tls.issuer'],
  ] as Array<[unknown, string]>)('bad issuer %j names the field', (issuer, field) => {
    expectValidationError(() => lakeIn(setup(), { tls: { secretName: 'lake-tls', issuer: issuer as never } }), field, 'test/lake');
  });
});

describe('notification targets besides lineage (a Kafka topic of ModelEventsBridge)', () => {
  const s = setup();
  const broker = new ModelBroker(s.chart, 'broker', { namespace: s.vision });
  const bridge = new ModelEventsBridge(s.chart, 'uploads', { namespace: s.vision, kafka: { name: 'events', namespace: 'kafka' }, bucket: models, prefix: 'resnet/', sink: broker });
  lakeIn(s, { notifications: [bridge.lakeTarget] });
  const objects = synth(s);
  const sts = ofKind(objects, 'StatefulSet')[0];
  const minio = sts.spec.template.spec.containers[0];

  test('the servers publish to the topic, queueing undelivered events on their retained event volume', () => {
    expect(minio.env).toEqual(expect.arrayContaining(bridge.lakeTarget.serverEnv('/var/lib/minio-events')));
    expect(minio.volumeMounts).toContainEqual({ name: 'events', mountPath: '/var/lib/minio-events' });
    expect(sts.spec.volumeClaimTemplates.map((c: Manifest) => c.metadata.name)).toContain('events');
  });

  test('the servers may reach the Kafka brokers; the provisioning script subscribes the bucket once', () => {
    const policy = ofKind(objects, 'NetworkPolicy', 'lake-server')[0];
    expect(policy.spec.egress).toContainEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kafka' } }, podSelector: { matchLabels: { 'strimzi.io/cluster': 'events', 'strimzi.io/kind': 'Kafka', 'strimzi.io/broker-role': 'true' } } }],
      ports: [{ protocol: 'TCP', port: 9092 }],
    });
    const script = ofKind(objects, 'ConfigMap', 'lake-provision')[0].data['provision.sh'];
    expect(script).toContain(bridge.lakeTarget.subscribeCommand('lake', 'us-east-1'));
  });

  test('bad targets name the field', () => {
    const other = new DataBucket({ name: 'other' });
    const stray = new ModelEventsBridge(testChart(), 'x', { namespace: TeamSpace.fromNamespace(testChart(), 'ns', 'ml'), kafka: { name: 'events', namespace: 'kafka' }, bucket: other, sink: { sinkRef: { apiVersion: 'v1', kind: 'Service', name: 'm' } } as never });
    expectValidationError(() => lakeIn(setup(), { notifications: [stray.lakeTarget] }), 'MinioDataLakeProps.notifications[0].bucket', 'test/lake');
    expectValidationError(() => lakeIn(setup(), { notifications: [{} as never] }), 'MinioDataLakeProps.notifications[0]', 'test/lake');
    expectValidationError(() => lakeIn(setup(), { notifications: [bridge.lakeTarget, bridge.lakeTarget] }), 'MinioDataLakeProps.notifications[1].targetId', 'test/lake');
  });
});
