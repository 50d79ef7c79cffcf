import { createHash } from 'node:crypto';
import { Lazy } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { Cidr } from '../core/cidr';
import { ValidationError } from '../core/errors';
import { Images } from '../core/images';
import { Labels } from '../core/labels';
import { Names } from '../core/names';
import { Quantities } from '../core/quantity';
import { Resources, ComputeResources } from '../core/k8s/resources';
import { ObjectOrder } from '../core/k8s/object-order';
import { Security } from '../core/k8s/security';
import { DefaultImages } from '../core/versions';
import { ITeamSpace } from '../teams/team-space';
import { DataBucket } from './data-bucket';
import { DataAccess, DataLakePolicy } from './data-lake-policy';

/** Where the lake sends bucket events (object created / removed), for data lineage. */
export interface LineageTarget {
  /** Webhook URL: an OpenLineage / Marquez collector, a Knative broker's ingress, ... */
  readonly endpoint: string;
  /**
   * Namespace of the collector, when it runs in the cluster: the lake may reach it there (NetworkPolicy egress).
   * @default - none
   */
  readonly namespace?: string;
  /**
   * CIDR of the collector, when it runs outside the cluster.
   * @default - none
   */
  readonly cidr?: string;
  /**
   * Secret (in the lake's namespace) whose key `token` is sent as the webhook's bearer token.
   * @default - no token
   */
  readonly authTokenSecret?: string;
}

/** TLS of the lake's S3 endpoint and of the traffic between its servers. */
export interface LakeTls {
  /**
   * Secret in the lake's namespace with `tls.crt`, `tls.key` and `ca.crt` (what a cert-manager Certificate writes).
   * The certificate must name the client Service and every server: see {@link MinioDataLake.certificateDnsNames}.
   */
  readonly secretName: string;
  /**
   * ConfigMap with the CA (`ca.crt`) in each granted team's namespace, mounted into workloads so that their S3
   * clients trust the lake (trust-manager can distribute it; it is not secret).
   * @default "<lake>-ca"
   */
  readonly teamCaConfigMap?: string;
}

/** Props of {@link MinioDataLake}. */
export interface MinioDataLakeProps {
  /** The namespace the lake runs in (a TeamSpace of the data platform team, or an imported one). */
  readonly namespace: ITeamSpace;
  /** The buckets. */
  readonly buckets: DataBucket[];
  /**
   * Name of the Secret, in the lake's namespace, with the root credentials: keys `rootUser` and `rootPassword`.
   * Created out of band; never synthesized.
   */
  readonly rootCredentialsSecret: string;
  /**
   * Name of the lake: the StatefulSet, Services and prefix of every object (a DNS-1123 label, at most 40 characters).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * MinIO servers (pods, one per node).
   * @default 4
   */
  readonly servers?: number;
  /**
   * Volumes (PersistentVolumeClaims) per server. Servers × volumes is the number of drives MinIO erasure-codes over.
   * @default 4
   */
  readonly volumesPerServer?: number;
  /**
   * Size of each volume.
   * @default "1Ti"
   */
  readonly volumeSize?: string;
  /**
   * Storage class of the volumes (local NVMe or block storage, not a network file system).
   * @default - the cluster's default storage class
   */
  readonly storageClass?: string;
  /**
   * CPU and memory of each server.
   * @default { cpu: "2", memory: "8Gi" }
   */
  readonly resources?: ComputeResources;
  /**
   * MinIO server image.
   * @default DefaultImages.MINIO (see the README: the last official image predates the CVE-2025-62506 fix)
   */
  readonly image?: string;
  /**
   * MinIO client (`mc`) image for the provisioning and mirror jobs.
   * @default DefaultImages.MINIO_CLIENT
   */
  readonly clientImage?: string;
  /**
   * Expose MinIO's web console on the client Service (port 9001), reachable from the lake's namespace only.
   * @default false
   */
  readonly console?: boolean;
  /**
   * TLS for the S3 endpoint and between servers. Set it in production: without it, S3 traffic (credentials
   * included) crosses the cluster network in clear text.
   * @default - plain HTTP inside the cluster
   */
  readonly tls?: LakeTls;
  /**
   * Bucket events (object created, object removed) to a lineage collector.
   * @default - none
   */
  readonly lineage?: LineageTarget;
  /**
   * Cron schedule of the jobs that mirror buckets into their cloud replicas.
   * @default "*\/15 * * * *"
   */
  readonly mirrorSchedule?: string;
  /**
   * S3 region the lake reports.
   * @default "us-east-1"
   */
  readonly region?: string;
  /**
   * DNS domain of the cluster.
   * @default "cluster.local"
   */
  readonly clusterDomain?: string;
}

/**
 * The `dataLake` prop of a workload construct: which bucket of which lake, with which access. The workload calls
 * {@link MinioDataLake.connect} with its team and puts the returned `env` on its container.
 */
export interface DataLakeMount {
  /** The lake. */
  readonly lake: MinioDataLake;
  /** A bucket of the lake. */
  readonly bucket: DataBucket;
  /** Access to grant the workload's team. */
  readonly access: DataAccess;
  /**
   * Key prefix the grant is scoped to.
   * @default - the whole bucket
   */
  readonly prefix?: string;
}

/** What a workload needs to reach a bucket of the lake: see {@link MinioDataLake.bind}. */
export interface DataLakeConnection {
  /** The bucket. */
  readonly bucket: DataBucket;
  /** The access granted. */
  readonly access: DataAccess;
  /** S3 endpoint URL inside the cluster. */
  readonly endpoint: string;
  /** Secret in the workload's namespace with the team's keys (`accessKey`, `secretKey`), created out of band. */
  readonly credentialsSecret: string;
  /** Volumes the workload's pod needs (the lake's CA, with TLS). */
  readonly volumes: k8s.Volume[];
  /** Mounts of those volumes in the workload's container. */
  readonly volumeMounts: k8s.VolumeMount[];
  /**
   * Environment of the workload's container: `AWS_ENDPOINT_URL`, `S3_ENDPOINT`, `AWS_REGION`, `AWS_DEFAULT_REGION`,
   * `S3_BUCKET`, `S3_PREFIX` (when scoped), `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` from the Secret, and with
   * TLS `AWS_CA_BUNDLE` (the mounted CA).
   */
  readonly env: k8s.EnvVar[];
}

const S3_PORT = 9000;
const CONSOLE_PORT = 9001;
const LINEAGE_TARGET = 'LINEAGE';
const CREDENTIAL_KEYS = { access: 'accessKey', secret: 'secretKey' };
const DRIVE_MOUNT = '/export';
const SERVER_CERTS = '/etc/minio/certs';
const CLIENT_CA_DIR = '/tmp/.mc/certs/CAs';
const WORKLOAD_CA_DIR = '/etc/ssl/lake';
const CONFIG_MOUNT = '/config';
const MAX_NAME = 40;
const DEFAULT_RESOURCES: ComputeResources = { cpu: '2', memory: '8Gi' };
const PROVISIONING_RESOURCES: ComputeResources = { cpu: '100m', memory: '128Mi', cpuLimit: '500m', memoryLimit: '256Mi' };
const MIRROR_RESOURCES: ComputeResources = { cpu: '250m', memory: '256Mi', cpuLimit: '1', memoryLimit: '512Mi' };
const CRON = /^(\S+\s+){4}\S+$/;

/** Shell `case` patterns matching `mc admin user info --json` output whose policyName list holds `policy`. */
function attachedPatterns(policy: string): string {
  const field = `'"policyName":"'`;
  return [`${field}'${policy}"'`, `${field}'${policy},'`, `${field}*',${policy}"'`, `${field}*',${policy},'`].map((p) => `*${p}*`).join('|');
}

interface ClientPodOptions {
  readonly command: string[];
  readonly env: k8s.EnvVar[];
  readonly resourcesField: string;
  readonly resources: ComputeResources;
  readonly tmpSize: string;
  readonly configMap?: string;
}

interface TeamGrants {
  readonly team: ITeamSpace;
  readonly policy: DataLakePolicy;
}

/**
 * Object storage for the platform: MinIO in distributed mode, as a StatefulSet (no operator), with versioned buckets
 * as the platform's data version control and per-team access.
 *
 * - `servers` pods (one per node: required anti-affinity) × `volumesPerServer` PersistentVolumeClaims, erasure-coded
 *   by MinIO across all drives; PVCs are retained when the StatefulSet is deleted or scaled down; a
 *   PodDisruptionBudget lets one server go at a time; probes on MinIO's health endpoints; PSS `restricted`.
 * - Buckets, policies, users, event notifications: MinIO has no CRD for them, so a Job with the MinIO client applies
 *   them. Its script only creates or updates: it never deletes a bucket, an object or a version, so it is safe to run
 *   on every sync. The Job's name carries a hash of what it applies, so a change runs it again.
 * - Per-team access (`grantRead`, `grantReadWrite`, `bind`): a MinIO policy per team scoped to the granted buckets
 *   (and prefixes), a MinIO user whose keys come from Secrets created out of band, a NetworkPolicy that lets only
 *   granted namespaces reach the S3 port, and an egress allow in each granted namespace.
 * - Cloud replicas: a CronJob per replica mirrors the bucket into S3 or GCS with `mc mirror --overwrite` (never
 *   `--remove`: a deletion in the lake never deletes in the replica). MinIO's server-side bucket replication only
 *   targets MinIO, so it cannot be used for S3 or GCS.
 *
 * Secrets (all created out of band, in the lake's namespace unless said): the root credentials
 * (`rootCredentialsSecret`: `rootUser`, `rootPassword`); per granted team, `<lake>-team-<namespace>` with
 * `accessKey` / `secretKey` and the same keys in `<lake>-s3-credentials` in the team's namespace; per replica, its
 * `credentialsSecret`.
 */
export class MinioDataLake extends Construct {
  /** The lake's name (StatefulSet, Services). */
  public readonly name: string;
  /** The lake's namespace. */
  public readonly namespaceName: string;
  /** S3 endpoint inside the cluster. */
  public readonly endpoint: string;
  public readonly region: string;
  public readonly buckets: DataBucket[];
  /** Escape hatches. */
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly service: k8s.KubeService;
  public readonly headlessService: k8s.KubeService;
  public readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;
  public readonly provisioningJob: k8s.KubeJob;
  public readonly provisioningConfig: k8s.KubeConfigMap;
  public readonly serverNetworkPolicy: k8s.KubeNetworkPolicy;
  public readonly mirrorJobs: k8s.KubeCronJob[] = [];

  private readonly props: MinioDataLakeProps;
  private readonly scheme: string;
  private readonly domain: string;
  private readonly clientImage: string;
  private readonly grants = new Map<string, TeamGrants>();
  private readonly serverSelector: Record<string, string>;
  private readonly jobLabels: Record<string, string>;

  public constructor(scope: Construct, id: string, props: MinioDataLakeProps) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    this.props = props;
    this.name = Names.validateDnsLabel(path, 'MinioDataLakeProps.name', props.name ?? id);
    if (this.name.length > MAX_NAME || !/^[a-z]/.test(this.name)) {
      throw new ValidationError(path, 'MinioDataLakeProps.name', this.name,
        `expected at most ${MAX_NAME} characters (pod and PVC names derive from it) that start with a letter (it names Services)`);
    }
    if (!props.namespace?.namespaceName) {
      throw new ValidationError(path, 'MinioDataLakeProps.namespace', props.namespace, 'expected a TeamSpace (or TeamSpace.fromNamespace)');
    }
    this.namespaceName = props.namespace.namespaceName;
    Names.validateDnsLabel(path, 'MinioDataLakeProps.rootCredentialsSecret', props.rootCredentialsSecret);
    const servers = Quantities.validateCount(path, 'MinioDataLakeProps.servers', props.servers ?? 4, 2);
    const volumes = Quantities.validateCount(path, 'MinioDataLakeProps.volumesPerServer', props.volumesPerServer ?? 4, 1);
    if (servers * volumes < 4) {
      throw new ValidationError(path, 'MinioDataLakeProps.volumesPerServer', volumes, `expected servers × volumesPerServer >= 4 drives for erasure coding (${servers} servers)`);
    }
    const volumeSize = Quantities.validate(path, 'MinioDataLakeProps.volumeSize', props.volumeSize ?? '1Ti');
    if (props.storageClass !== undefined) Names.validateDnsLabel(path, 'MinioDataLakeProps.storageClass', props.storageClass);
    const image = Images.validatePinned(path, 'MinioDataLakeProps.image', props.image ?? DefaultImages.MINIO);
    this.clientImage = Images.validatePinned(path, 'MinioDataLakeProps.clientImage', props.clientImage ?? DefaultImages.MINIO_CLIENT);
    const mirrorSchedule = props.mirrorSchedule ?? '*/15 * * * *';
    if (!CRON.test(mirrorSchedule)) {
      throw new ValidationError(path, 'MinioDataLakeProps.mirrorSchedule', mirrorSchedule, 'expected a five-field cron schedule such as "*/15 * * * *"');
    }
    this.region = props.region ?? 'us-east-1';
    if (!/^[a-z0-9-]+$/.test(this.region)) throw new ValidationError(path, 'MinioDataLakeProps.region', this.region, 'expected a region name such as "us-east-1"');
    const domain = props.clusterDomain ?? 'cluster.local';
    if (!Names.isDnsSubdomain(domain)) throw new ValidationError(path, 'MinioDataLakeProps.clusterDomain', domain, 'expected a DNS domain such as "cluster.local"');
    this.validateLineage(props.lineage);
    this.buckets = this.validateBuckets(props.buckets);
    if (props.tls) {
      Names.validateDnsLabel(path, 'MinioDataLakeProps.tls.secretName', props.tls.secretName);
      if (props.tls.teamCaConfigMap !== undefined) Names.validateDnsLabel(path, 'MinioDataLakeProps.tls.teamCaConfigMap', props.tls.teamCaConfigMap);
    }
    this.scheme = props.tls ? 'https' : 'http';
    this.domain = domain;
    this.endpoint = `${this.scheme}://${this.name}.${this.namespaceName}.svc.${domain}:${S3_PORT}`;

    // The selector includes the component: the lake's jobs share name and instance with the servers.
    this.serverSelector = { ...Labels.selector({ name: 'minio', instance: this.name, component: 'server' }), [Labels.COMPONENT]: 'server' };
    this.jobLabels = this.labels('provisioner');

    const sa = new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: this.meta(this.name, 'server'),
      automountServiceAccountToken: false,
    });
    this.headlessService = new k8s.KubeService(this, 'headless', {
      metadata: this.meta(`${this.name}-hl`, 'server'),
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: true,
        selector: this.serverSelector,
        ports: [{ name: 's3', port: S3_PORT, targetPort: k8s.IntOrString.fromNumber(S3_PORT) }],
      },
    });
    this.service = new k8s.KubeService(this, 'service', {
      metadata: this.meta(this.name, 'server'),
      spec: {
        selector: this.serverSelector,
        ports: [
          { name: 's3', port: S3_PORT, targetPort: k8s.IntOrString.fromNumber(S3_PORT) },
          ...(props.console ? [{ name: 'console', port: CONSOLE_PORT, targetPort: k8s.IntOrString.fromNumber(CONSOLE_PORT) }] : []),
        ],
      },
    });
    this.statefulSet = this.newStatefulSet(image, sa.name, servers, volumes, volumeSize, domain);
    this.podDisruptionBudget = new k8s.KubePodDisruptionBudget(this, 'pdb', {
      metadata: this.meta(this.name, 'server'),
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: this.serverSelector } },
    });

    this.provisioningConfig = new k8s.KubeConfigMap(this, 'provision-config', {
      metadata: this.meta(`${this.name}-provision`, 'provisioner'),
      data: Lazy.any({ produce: () => this.provisioningFiles() }),
    });
    this.provisioningJob = this.newProvisioningJob();
    for (const bucket of this.buckets) {
      for (const replica of bucket.replicas) this.mirrorJobs.push(this.newMirrorJob(bucket, replica, mirrorSchedule));
    }
    this.serverNetworkPolicy = this.newNetworkPolicies();

    // What the lake takes from its namespace's quota (servers, drives, and its jobs running at once).
    const add = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k] + (b[k] ?? 0)]));
    const compute = [
      Resources.quotaDemand(props.resources ?? DEFAULT_RESOURCES, servers),
      Resources.quotaDemand(PROVISIONING_RESOURCES),
      Resources.quotaDemand(MIRROR_RESOURCES, this.mirrorJobs.length),
    ].reduce(add);
    props.namespace.reserve(this, {
      ...compute,
      'requests.storage': servers * volumes * Quantities.parse(volumeSize)!,
      'persistentvolumeclaims': servers * volumes,
    });
  }

  /** For workload constructs: grants the mount's access to `team` and returns the connection (see {@link bind}). */
  public static connect(team: ITeamSpace, mount: DataLakeMount): DataLakeConnection {
    if (!(mount?.lake instanceof MinioDataLake)) {
      throw new ValidationError(team?.node?.path ?? '', 'dataLake.lake', mount?.lake, 'expected a MinioDataLake');
    }
    return mount.lake.bind(team, mount.bucket, mount.access, mount.prefix);
  }

  /** Grants `team` read access to `bucket` (or to `prefix` in it): list, get objects and their versions. */
  public grantRead(team: ITeamSpace, bucket: DataBucket, prefix?: string): void {
    this.grant(team, bucket, DataAccess.READ, prefix);
  }

  /**
   * Grants `team` read and write access to `bucket` (or to `prefix` in it): read, put objects, and delete them,
   * which on a versioned bucket only adds a delete marker (deleting a version is never granted).
   */
  public grantReadWrite(team: ITeamSpace, bucket: DataBucket, prefix?: string): void {
    this.grant(team, bucket, DataAccess.READ_WRITE, prefix);
  }

  /**
   * Grants `team` `access` to `bucket` and returns what a workload of the team needs to use it: the environment
   * (endpoint, region, bucket, credentials from the team's Secret) for its container.
   */
  public bind(team: ITeamSpace, bucket: DataBucket, access: DataAccess, prefix?: string): DataLakeConnection {
    this.grant(team, bucket, access, prefix);
    const secret = this.teamCredentialsSecret;
    const fromSecret = (name: string, key: string): k8s.EnvVar => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
    const env: k8s.EnvVar[] = [
      { name: 'AWS_ENDPOINT_URL', value: this.endpoint },
      { name: 'S3_ENDPOINT', value: this.endpoint },
      { name: 'AWS_REGION', value: this.region },
      { name: 'AWS_DEFAULT_REGION', value: this.region },
      { name: 'S3_BUCKET', value: bucket.name },
      ...(prefix ? [{ name: 'S3_PREFIX', value: prefix }] : []),
      fromSecret('AWS_ACCESS_KEY_ID', CREDENTIAL_KEYS.access),
      fromSecret('AWS_SECRET_ACCESS_KEY', CREDENTIAL_KEYS.secret),
    ];
    const tls = this.props.tls;
    const volumes: k8s.Volume[] = tls ? [{
      name: `${this.name}-ca`,
      configMap: { name: tls.teamCaConfigMap ?? `${this.name}-ca`, items: [{ key: 'ca.crt', path: 'ca.crt' }] },
    }] : [];
    const volumeMounts: k8s.VolumeMount[] = tls ? [{ name: `${this.name}-ca`, mountPath: WORKLOAD_CA_DIR, readOnly: true }] : [];
    if (tls) env.push({ name: 'AWS_CA_BUNDLE', value: `${WORKLOAD_CA_DIR}/ca.crt` });
    return { bucket, access, endpoint: this.endpoint, credentialsSecret: secret, env, volumes, volumeMounts };
  }

  /**
   * DNS names the TLS certificate must carry: the client Service and, by wildcard, every server behind the headless
   * Service (servers reach each other by those names).
   */
  public get certificateDnsNames(): string[] {
    const ns = this.namespaceName;
    return [
      `${this.name}.${ns}.svc.${this.domain}`, `${this.name}.${ns}.svc`, `${this.name}.${ns}`,
      `*.${this.name}-hl.${ns}.svc.${this.domain}`,
    ];
  }

  /** Name of the Secret holding a team's keys in the team's own namespace. */
  public get teamCredentialsSecret(): string {
    return `${this.name}-s3-credentials`;
  }

  /** Name of the Secret holding a team's keys in the lake's namespace (read by the provisioning Job). */
  public lakeCredentialsSecretFor(team: ITeamSpace): string {
    return `${this.name}-team-${team.namespaceName}`;
  }

  /** The MinIO policy document of a team, as applied by the provisioning Job (undefined without grants). */
  public policyFor(team: ITeamSpace): Record<string, unknown> | undefined {
    return this.grants.get(team.namespaceName)?.policy.document();
  }

  private grant(team: ITeamSpace, bucket: DataBucket, access: DataAccess, prefix?: string): void {
    const path = this.node.path;
    if (!team?.namespaceName) throw new ValidationError(path, 'MinioDataLake.grant.team', team, 'expected a TeamSpace');
    if (!this.buckets.includes(bucket)) {
      throw new ValidationError(path, 'MinioDataLake.grant.bucket', bucket?.name ?? bucket,
        `expected a bucket of this lake: ${this.buckets.map((b) => b.name).join(', ')}`);
    }
    if (!Object.values(DataAccess).includes(access)) {
      throw new ValidationError(path, 'MinioDataLake.grant.access', access, `expected one of ${Object.values(DataAccess).join(', ')}`);
    }
    if (team.namespaceName === this.namespaceName) {
      throw new ValidationError(path, 'MinioDataLake.grant.team', team.namespaceName, 'expected a team namespace other than the lake\'s own');
    }
    let entry = this.grants.get(team.namespaceName);
    if (!entry) {
      entry = { team, policy: new DataLakePolicy() };
      this.grants.set(team.namespaceName, entry);
      this.newTeamEgressPolicy(team);
    }
    entry.policy.add(path, bucket.name, access, prefix);
  }

  private labels(component: string): Record<string, string> {
    return Labels.standard({ name: 'minio', instance: this.name, component, partOf: Labels.DEFAULT_PART_OF });
  }

  private meta(name: string, component: string, namespace: string = this.namespaceName): k8s.ObjectMeta {
    return { name, namespace, labels: this.labels(component) };
  }

  private validateLineage(lineage?: LineageTarget): void {
    if (!lineage) return;
    const path = this.node.path;
    let url: URL | undefined;
    try {
      url = new URL(lineage.endpoint);
    } catch {
      url = undefined;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.username || url.password) {
      throw new ValidationError(path, 'MinioDataLakeProps.lineage.endpoint', lineage.endpoint,
        'expected an http(s) URL without credentials (put a token in authTokenSecret)');
    }
    if (!lineage.namespace && !lineage.cidr) {
      throw new ValidationError(path, 'MinioDataLakeProps.lineage', lineage, 'expected namespace (in-cluster collector) or cidr (outside collector): the lake\'s egress is denied otherwise');
    }
    if (lineage.namespace) Names.validateDnsLabel(path, 'MinioDataLakeProps.lineage.namespace', lineage.namespace);
    if (lineage.cidr && !Cidr.parse(lineage.cidr)) {
      throw new ValidationError(path, 'MinioDataLakeProps.lineage.cidr', lineage.cidr, 'expected an IPv4 CIDR such as "10.20.0.0/16"');
    }
    if (lineage.authTokenSecret) Names.validateDnsLabel(path, 'MinioDataLakeProps.lineage.authTokenSecret', lineage.authTokenSecret);
  }

  private validateBuckets(buckets: DataBucket[]): DataBucket[] {
    const path = this.node.path;
    if (!Array.isArray(buckets) || buckets.length === 0) {
      throw new ValidationError(path, 'MinioDataLakeProps.buckets', buckets, 'expected at least one DataBucket');
    }
    const names = new Set<string>();
    buckets.forEach((bucket, i) => {
      if (!(bucket instanceof DataBucket)) throw new ValidationError(path, `MinioDataLakeProps.buckets[${i}]`, bucket, 'expected a DataBucket');
      if (names.has(bucket.name)) throw new ValidationError(path, `MinioDataLakeProps.buckets[${i}].name`, bucket.name, 'expected unique bucket names');
      names.add(bucket.name);
    });
    return buckets;
  }

  private rootCredentialEnv(): k8s.EnvVar[] {
    const secret = this.props.rootCredentialsSecret;
    return [
      { name: 'MINIO_ROOT_USER', valueFrom: { secretKeyRef: { name: secret, key: 'rootUser' } } },
      { name: 'MINIO_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: secret, key: 'rootPassword' } } },
    ];
  }

  private newStatefulSet(image: string, serviceAccountName: string, servers: number, volumes: number, volumeSize: string, domain: string): k8s.KubeStatefulSet {
    const props = this.props;
    const tmp = Security.writableDirectories(['/tmp'], '1Gi');
    const drives = Array.from({ length: volumes }, (_, i) => `data-${i}`);
    const hosts = `${this.scheme}://${this.name}-{0...${servers - 1}}.${this.name}-hl.${this.namespaceName}.svc.${domain}:${S3_PORT}`;
    const drivePaths = volumes === 1 ? `${DRIVE_MOUNT}0` : `${DRIVE_MOUNT}{0...${volumes - 1}}`;
    const lineage = props.lineage;
    const lineageEnv: k8s.EnvVar[] = lineage ? [
      { name: `MINIO_NOTIFY_WEBHOOK_ENABLE_${LINEAGE_TARGET}`, value: 'on' },
      { name: `MINIO_NOTIFY_WEBHOOK_ENDPOINT_${LINEAGE_TARGET}`, value: lineage.endpoint },
      { name: `MINIO_NOTIFY_WEBHOOK_QUEUE_DIR_${LINEAGE_TARGET}`, value: '/tmp/events' },
      ...(lineage.authTokenSecret ? [{
        name: `MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_${LINEAGE_TARGET}`, valueFrom: { secretKeyRef: { name: lineage.authTokenSecret, key: 'token' } },
      }] : []),
    ] : [];
    const probe = (path: string, failureThreshold: number): k8s.Probe => ({
      httpGet: { path, port: k8s.IntOrString.fromNumber(S3_PORT), scheme: this.scheme.toUpperCase() },
      periodSeconds: 10, timeoutSeconds: 5, failureThreshold,
    });
    return new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: this.meta(this.name, 'server'),
      spec: {
        serviceName: this.headlessService.name,
        replicas: servers,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: this.serverSelector },
        updateStrategy: { type: 'RollingUpdate' },
        // Deleting the lake or scaling it down never deletes a drive.
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: {
          metadata: { labels: this.labels('server') },
          spec: {
            serviceAccountName,
            automountServiceAccountToken: false,
            securityContext: Security.podSecurityContext(),
            terminationGracePeriodSeconds: 120,
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [{
                  labelSelector: { matchLabels: this.serverSelector },
                  topologyKey: 'kubernetes.io/hostname',
                }],
              },
            },
            containers: [{
              name: 'minio',
              image,
              imagePullPolicy: 'IfNotPresent',
              args: ['server', '--address', `:${S3_PORT}`, '--console-address', `:${CONSOLE_PORT}`, '--certs-dir', props.tls ? SERVER_CERTS : '/tmp/certs', `${hosts}${drivePaths}`],
              env: [
                ...this.rootCredentialEnv(),
                { name: 'HOME', value: '/tmp' },
                { name: 'MINIO_SITE_REGION', value: this.region },
                { name: 'MINIO_BROWSER', value: props.console ? 'on' : 'off' },
                ...lineageEnv,
              ],
              ports: [
                { name: 's3', containerPort: S3_PORT },
                { name: 'console', containerPort: CONSOLE_PORT },
              ],
              resources: Resources.requirements(this, 'MinioDataLakeProps.resources', props.resources ?? DEFAULT_RESOURCES),
              securityContext: Security.containerSecurityContext(),
              startupProbe: probe('/minio/health/live', 30),
              livenessProbe: probe('/minio/health/live', 3),
              readinessProbe: probe('/minio/health/ready', 3),
              volumeMounts: [
                ...drives.map((d, i) => ({ name: d, mountPath: `${DRIVE_MOUNT}${i}` })),
                ...(props.tls ? [{ name: 'certs', mountPath: SERVER_CERTS, readOnly: true }] : []),
                ...tmp.mounts,
              ],
            }],
            volumes: [
              // MinIO's layout: public.crt, private.key, and the CAs it trusts (its peers' issuer) under CAs/.
              ...(props.tls ? [{
                name: 'certs',
                secret: {
                  secretName: props.tls.secretName,
                  defaultMode: 0o440,
                  items: [{ key: 'tls.crt', path: 'public.crt' }, { key: 'tls.key', path: 'private.key' }, { key: 'ca.crt', path: 'CAs/ca.crt' }],
                },
              }] : []),
              ...tmp.volumes,
            ],
          },
        },
        volumeClaimTemplates: drives.map((d) => ({
          metadata: { name: d, labels: this.labels('server') },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: props.storageClass,
            resources: { requests: { storage: k8s.Quantity.fromString(volumeSize) } },
          },
        })),
      },
    });
  }

  /** The provisioning script and the files it reads (policies, lifecycles), produced at synth with every grant. */
  private provisioningFiles(): Record<string, string> {
    const files: Record<string, string> = {};
    const lines = [
      '#!/bin/sh',
      '# Applies the lake\'s buckets, policies and users. Only creates or updates: never deletes a bucket, an object or',
      '# a version, so it is safe to run again.',
      'set -eu',
      'export MC_CONFIG_DIR=/tmp/.mc',
      `mc alias set lake "${this.endpoint}" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null`,
      'until mc ready lake >/dev/null 2>&1; do echo "waiting for the lake"; sleep 5; done',
    ];
    for (const bucket of this.buckets) {
      const b = `lake/${bucket.name}`;
      lines.push('', `# bucket ${bucket.name}`, `mc mb --ignore-existing${bucket.objectLock ? ' --with-lock' : ''} ${b}`);
      if (bucket.versioning) lines.push(`mc version enable ${b}`);
      if (bucket.objectLock) lines.push(`mc retention set --default ${bucket.objectLock.mode} ${bucket.objectLock.retentionDays}d ${b}`);
      lines.push(bucket.quota ? `mc quota set ${b} --size ${bucket.quota.replace(/i$/, 'iB')}` : `mc quota clear ${b}`);
      const lifecycle = bucket.lifecycleConfiguration();
      if (lifecycle) {
        files[`lifecycle-${bucket.name}.json`] = JSON.stringify(lifecycle, undefined, 2);
        lines.push(`mc ilm import ${b} < ${CONFIG_MOUNT}/lifecycle-${bucket.name}.json`);
      } else {
        lines.push(`if mc ilm rule ls ${b} >/dev/null 2>&1; then mc ilm rule rm --all --force ${b}; fi`);
      }
      if (this.props.lineage) lines.push(`mc event add ${b} arn:minio:sqs::${LINEAGE_TARGET}:webhook --event put,delete --ignore-existing`);
    }
    [...this.grants.values()].forEach(({ team, policy }, i) => {
      const policyName = `team-${team.namespaceName}`;
      files[`${policyName}.json`] = JSON.stringify(policy.document(), undefined, 2);
      lines.push('', `# team ${team.namespaceName}`,
        `mc admin policy create lake ${policyName} ${CONFIG_MOUNT}/${policyName}.json`,
        `mc admin user add lake "$TEAM_${i}_ACCESS_KEY" "$TEAM_${i}_SECRET_KEY"`,
        // attach once: attaching an attached policy is an error; only shell built-ins (the mc image has no grep)
        `info=$(mc admin user info lake "$TEAM_${i}_ACCESS_KEY" --json)`,
        `case "$info" in ${attachedPatterns(policyName)}) ;; *) mc admin policy attach lake ${policyName} --user "$TEAM_${i}_ACCESS_KEY" ;; esac`);
    });
    lines.push('', 'echo "lake provisioned"', '');
    files['provision.sh'] = lines.join('\n');
    return files;
  }

  private newProvisioningJob(): k8s.KubeJob {
    const teamEnv = (): k8s.EnvVar[] => [...this.grants.values()].flatMap(({ team }, i) => {
      const name = this.lakeCredentialsSecretFor(team);
      return [
        { name: `TEAM_${i}_ACCESS_KEY`, valueFrom: { secretKeyRef: { name, key: CREDENTIAL_KEYS.access } } },
        { name: `TEAM_${i}_SECRET_KEY`, valueFrom: { secretKeyRef: { name, key: CREDENTIAL_KEYS.secret } } },
      ];
    });
    // The name carries a hash of everything the Job applies: a change makes a new Job (Job templates are immutable).
    const hash = () => createHash('sha256').update(JSON.stringify([this.provisioningFiles(), teamEnv(), this.clientImage])).digest('hex').slice(0, 10);
    return new k8s.KubeJob(this, 'provision', {
      metadata: {
        name: Lazy.any({ produce: () => `${this.name}-provision-${hash()}` }),
        namespace: this.namespaceName,
        labels: this.jobLabels,
      },
      spec: {
        backoffLimit: 6,
        activeDeadlineSeconds: 1800,
        ttlSecondsAfterFinished: 7 * 24 * 3600,
        template: {
          metadata: { labels: this.jobLabels },
          spec: this.clientPodSpec({
            command: ['/bin/sh', `${CONFIG_MOUNT}/provision.sh`],
            env: Lazy.any({ produce: () => [...this.rootCredentialEnv(), ...teamEnv()] }),
            resourcesField: 'MinioDataLake.provisioning.resources',
            resources: PROVISIONING_RESOURCES,
            tmpSize: '256Mi',
            configMap: this.provisioningConfig.name,
          }),
        },
      },
    });
  }

  private newMirrorJob(bucket: DataBucket, replica: DataBucket['replicas'][number], schedule: string): k8s.KubeCronJob {
    const labels = this.labels('mirror');
    const script = [
      'set -eu',
      'export MC_CONFIG_DIR=/tmp/.mc',
      `mc alias set lake "${this.endpoint}" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null`,
      `mc alias set replica "${replica.endpoint}" "$REPLICA_ACCESS_KEY" "$REPLICA_SECRET_KEY" >/dev/null`,
      // --overwrite updates changed objects; no --remove: deletions in the lake never delete in the replica.
      // Object-locked replicas (S3) need a Content-MD5 on every upload: --md5.
      `mc mirror --overwrite${bucket.objectLock ? ' --md5' : ''} lake/${bucket.name} replica/${replica.bucketName}`,
    ].join('\n');
    return new k8s.KubeCronJob(this, `mirror-${bucket.name}-${replica.cloud}`, {
      // CronJob names: at most 52 characters (the Jobs it creates add 11)
      metadata: this.meta(Names.fit(`${this.name}-mirror-${bucket.name}`, `-${replica.cloud}`, 52), 'mirror'),
      spec: {
        schedule,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 6 * 3600,
            template: {
              metadata: { labels },
              spec: this.clientPodSpec({
                command: ['/bin/sh', '-c', script],
                env: [
                  ...this.rootCredentialEnv(),
                  { name: 'REPLICA_ACCESS_KEY', valueFrom: { secretKeyRef: { name: replica.credentialsSecret, key: CREDENTIAL_KEYS.access } } },
                  { name: 'REPLICA_SECRET_KEY', valueFrom: { secretKeyRef: { name: replica.credentialsSecret, key: CREDENTIAL_KEYS.secret } } },
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

  /** The pod of the lake's MinIO client jobs (provisioning, mirror): restricted, no API token, a writable /tmp. */
  private clientPodSpec(options: ClientPodOptions): k8s.PodSpec {
    const tmp = Security.writableDirectories(['/tmp'], options.tmpSize);
    const config = options.configMap ? [{ name: 'config', configMap: { name: options.configMap } }] : [];
    const tls = this.props.tls;
    // mc trusts the CAs in its config directory: the lake's CA, with TLS.
    const ca: k8s.Volume[] = tls ? [{ name: 'lake-ca', secret: { secretName: tls.secretName, items: [{ key: 'ca.crt', path: 'ca.crt' }] } }] : [];
    return {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      securityContext: Security.podSecurityContext(),
      containers: [{
        name: 'mc',
        image: this.clientImage,
        imagePullPolicy: 'IfNotPresent',
        command: options.command,
        env: options.env,
        resources: Resources.requirements(this, options.resourcesField, options.resources),
        securityContext: Security.containerSecurityContext(),
        volumeMounts: [
          ...config.map((v) => ({ name: v.name, mountPath: CONFIG_MOUNT, readOnly: true })),
          ...tmp.mounts,
          ...ca.map((v) => ({ name: v.name, mountPath: CLIENT_CA_DIR, readOnly: true })),
        ],
      }],
      volumes: [...config, ...tmp.volumes, ...ca],
    };
  }

  /** The lake namespace's allows: S3 from granted namespaces and the lake's jobs, servers to servers, jobs out. */
  private newNetworkPolicies(): k8s.KubeNetworkPolicy {
    const s3Port = [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(S3_PORT) }];
    const toServers = { podSelector: { matchLabels: this.serverSelector } };
    const component = (values: string[]) => ({
      podSelector: { matchLabels: { [Labels.NAME]: 'minio', [Labels.INSTANCE]: this.name }, matchExpressions: [{ key: Labels.COMPONENT, operator: 'In', values }] },
    });
    const lineage = this.props.lineage;
    const lineagePeer: k8s.NetworkPolicyPeer[] = lineage ? [
      ...(lineage.namespace ? [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': lineage.namespace } } }] : []),
      ...(lineage.cidr ? [{ ipBlock: { cidr: lineage.cidr } }] : []),
    ] : [];
    const lineagePort = lineage ? Number(new URL(lineage.endpoint).port || (lineage.endpoint.startsWith('https:') ? 443 : 80)) : 0;
    const server = new k8s.KubeNetworkPolicy(this, 'server-policy', {
      metadata: this.meta(`${this.name}-server`, 'server'),
      spec: {
        podSelector: { matchLabels: this.serverSelector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: Lazy.any({
          produce: () => [
            { from: [toServers, component(['provisioner', 'mirror'])], ports: s3Port },
            ...(this.props.console ? [{ from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(CONSOLE_PORT) }] }] : []),
            ...(this.grants.size > 0 ? [{
              from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...this.grants.keys()].sort() }] } }],
              ports: s3Port,
            }] : []),
          ],
        }),
        egress: [
          { to: [toServers], ports: s3Port },
          ...(lineage ? [{ to: lineagePeer, ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(lineagePort) }] }] : []),
        ],
      },
    });
    new k8s.KubeNetworkPolicy(this, 'jobs-policy', {
      metadata: this.meta(`${this.name}-jobs`, 'provisioner'),
      spec: {
        podSelector: component(['provisioner', 'mirror']).podSelector,
        policyTypes: ['Egress'],
        egress: [{ to: [toServers], ports: s3Port }],
      },
    });
    if (this.mirrorJobs.length > 0) {
      new k8s.KubeNetworkPolicy(this, 'mirror-policy', {
        metadata: this.meta(`${this.name}-mirror`, 'mirror'),
        spec: {
          podSelector: component(['mirror']).podSelector,
          policyTypes: ['Egress'],
          // The cloud object stores (S3, GCS) over HTTPS.
          egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(443) }] }],
        },
      });
    }
    return server;
  }

  /** In a granted team's namespace: its pods may reach the lake's S3 port (the TeamSpace denies all egress). */
  private newTeamEgressPolicy(team: ITeamSpace): void {
    new k8s.KubeNetworkPolicy(this, `egress-${team.namespaceName}`, {
      metadata: this.meta(`${this.name}-s3-egress`, 'access', team.namespaceName),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          to: [{
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': this.namespaceName } },
            podSelector: { matchLabels: this.serverSelector },
          }],
          ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(S3_PORT) }],
        }],
      },
    });
  }
}
