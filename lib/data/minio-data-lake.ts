import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { GitOps } from '../addons/gitops';
import { Checks } from '../core/checks';
import { Cron } from '../core/cron';
import { ValidationError } from '../core/errors';
import { Images } from '../core/images';
import { ComputeResources } from '../core/k8s/resources';
import { ObjectOrder } from '../core/k8s/object-order';
import { Names } from '../core/names';
import { Quantities } from '../core/quantity';
import { DefaultImages } from '../core/versions';
import { ITeamSpace } from '../teams/team-space';
import { DataBucket, ReplicaCloud } from './data-bucket';
import { DataAccess } from './data-lake-policy';
import { LakeAccess } from './lake-access';
import { LakeCertificate } from './lake-certificate';
import { LakeContext, S3_PORT } from './lake-context';
import { LakeLineage } from './lake-lineage';
import { LakeMirrors } from './lake-mirrors';
import { LakeProvisioning } from './lake-provisioning';
import { LakeServers } from './lake-servers';

/**
 * Where the lake sends bucket events (object created, object removed): MinIO's webhook notification target.
 *
 * What the receiver gets (minio/minio internal/event/target/webhook.go `send` and internal/event/event.go,
 * @RELEASE.2025-09-07T16-13-09Z): one HTTP `POST` per event to `endpoint`, `Content-Type: application/json`,
 * `Authorization: Bearer <token>` with `authTokenSecret`, and a body in MinIO's own format, neither OpenLineage nor
 * CloudEvents:
 *
 * `{"EventName": "s3:ObjectCreated:Put", "Key": "<bucket>/<object>", "Records": [<one S3-style event record:
 * eventVersion, eventSource "minio:s3", awsRegion, eventTime, eventName, userIdentity, requestParameters,
 * responseElements, s3 { bucket { name, arn, ... }, object { key, size, eTag, versionId, sequencer, ... } },
 * source { host, port, userAgent }>]}`.
 *
 * Any 2xx answer counts as delivered; until then the event waits in a queue on a per-server persistent volume and is
 * retried. So the receiver must accept arbitrary JSON POSTs: e.g. Vector's `http_server` source or Fluent Bit's
 * `http` input (see the README). An OpenLineage collector (Marquez) or a Knative Broker refuses this body; a bridge
 * to CloudEvents belongs to the eventing side of the platform.
 */
export interface LineageTarget {
  /** Webhook URL of the receiver (http or https, no credentials in it). */
  readonly endpoint: string;
  /**
   * Namespace of the receiver, when it runs in the cluster: the lake may reach it there (NetworkPolicy egress).
   * @default - none
   */
  readonly namespace?: string;
  /**
   * CIDR of the receiver, when it runs outside the cluster.
   * @default - none
   */
  readonly cidr?: string;
  /**
   * Secret (in the lake's namespace) whose key `token` is sent as `Authorization: Bearer <token>`.
   * @default - no token
   */
  readonly authTokenSecret?: string;
  /**
   * Size of each server's queue volume (a retained PersistentVolumeClaim `events-<lake>-<n>`, outside the drives),
   * where undelivered events wait across restarts.
   * @default "1Gi"
   */
  readonly queueSize?: string;
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
   * clients trust the lake (with `issuer`, a trust-manager Bundle of that name writes it; it is not secret).
   * @default "<lake>-ca"
   */
  readonly teamCaConfigMap?: string;
  /**
   * The cert-manager issuer of the lake's certificate. With it the lake emits its `Certificate` (every DNS name its
   * servers and clients use, written to `secretName`) and a trust-manager `Bundle` that puts the CA into every
   * granted namespace as `teamCaConfigMap`; the cluster then needs cert-manager and trust-manager (ClusterAddons
   * installs them). Without it, create the Secret and the ConfigMaps yourself.
   * @default - none
   */
  readonly issuer?: LakeCertificateIssuer;
}

/** The cert-manager issuer of the lake's certificate, and where trust-manager finds its CA. */
export interface LakeCertificateIssuer {
  /** The issuer's name. */
  readonly name: string;
  /**
   * `ClusterIssuer` or `Issuer` (an Issuer must be in the lake's namespace).
   * @default "ClusterIssuer"
   */
  readonly kind?: string;
  /**
   * Secret with the issuing CA's certificate in trust-manager's trust namespace (`cert-manager` by default), e.g. the
   * key pair a CA ClusterIssuer signs with: what the Bundle distributes.
   */
  readonly caSecret: string;
  /**
   * Key of the CA certificate in that Secret.
   * @default "tls.crt"
   */
  readonly caSecretKey?: string;
}

/**
 * A notification target of the lake's servers besides the lineage webhook: MinIO publishes a bucket's events there
 * (e.g. a Kafka topic: `ModelEventsBridge.lakeTarget`). The lake configures its servers with `serverEnv` (queueing
 * undelivered events on its persistent event volume), lets them reach the target (`egressRule`), and subscribes the
 * bucket in its provisioning script (`subscribeCommand`, idempotent).
 */
export interface ILakeNotificationTarget {
  /** MinIO's id of the target (part of its environment variable names): uppercase letters, digits, `_`. */
  readonly targetId: string;
  /** The bucket whose events go there (a bucket of the lake). */
  readonly bucket: DataBucket;
  /** The servers' environment for the target; `queueDir` is an absolute directory on a persistent volume. */
  serverEnv(queueDir: string): k8s.EnvVar[];
  /** The servers' egress to the target. */
  egressRule(): k8s.NetworkPolicyEgressRule;
  /** The provisioning script's line that subscribes the bucket (mc alias `alias`, the lake's region). */
  subscribeCommand(alias: string, region: string): string;
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
   * Bucket events (object created, object removed) to a webhook receiver, in MinIO's own JSON (see {@link LineageTarget}).
   * @default - none
   */
  readonly lineage?: LineageTarget;
  /**
   * Further targets of bucket notifications (e.g. `ModelEventsBridge.lakeTarget`: new objects of a bucket into a
   * Kafka topic, then to a model as CloudEvents).
   * @default - none
   */
  readonly notifications?: ILakeNotificationTarget[];
  /**
   * Cron schedule of the jobs that mirror buckets into their cloud replicas, checked as the API server checks a
   * CronJob's schedule (five fields or a descriptor such as `@hourly`; no `TZ=`).
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

/** Erasure set sizes MinIO accepts. */
const ERASURE_SET_SIZES = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
/** Bounds of the StatefulSet: one pod per node, and MinIO's own `DIR{1...64}` drive layouts. */
const MAX_SERVERS = 1024;
const MAX_VOLUMES_PER_SERVER = 64;
const MAX_NAME = 40;
const DEFAULT_RESOURCES: ComputeResources = { cpu: '2', memory: '8Gi' };
const P = 'MinioDataLakeProps';

/**
 * Object storage for the platform: MinIO in distributed mode, as a StatefulSet (no operator), with versioned buckets
 * as the platform's data version control and per-team access.
 *
 * - Servers (lake-servers.ts): `servers` pods (one per node: required anti-affinity) × `volumesPerServer`
 *   PersistentVolumeClaims, erasure-coded by MinIO across all drives; PVCs are retained when the StatefulSet is
 *   deleted or scaled down; a PodDisruptionBudget lets one server go at a time; ready only when the server can
 *   serve (`/minio/health/cluster/read`); PSS `restricted`.
 * - Provisioning (lake-provisioning.ts): buckets, policies, users, event notifications have no CRD in MinIO, so a
 *   Job with the MinIO client applies them. Its script only creates or updates: it never deletes a bucket, an
 *   object or a version, so it is safe to run on every sync. The Job's name carries a hash of what it applies, so
 *   a change runs it again. It is the only job that holds the root credentials.
 * - Per-team access (lake-access.ts; `grantRead`, `grantReadWrite`, `bind`): a MinIO policy per team scoped to the
 *   granted buckets (and prefixes), a MinIO user whose keys come from Secrets created out of band, a NetworkPolicy
 *   that lets only granted namespaces reach the S3 port, and an egress allow in each granted namespace.
 * - Cloud replicas (lake-mirrors.ts): a CronJob per replica mirrors the bucket into S3 or GCS with
 *   `mc mirror --overwrite` (never `--remove`: a deletion in the lake never deletes in the replica), reading the
 *   bucket as its own MinIO user with a read-only policy on that bucket. MinIO's server-side bucket replication
 *   only targets MinIO, so it cannot be used for S3 or GCS.
 * - Lineage (lake-lineage.ts): bucket events to a webhook, in MinIO's own JSON format (see {@link LineageTarget}).
 *
 * Secrets (all created out of band, in the lake's namespace unless said): the root credentials
 * (`rootCredentialsSecret`: `rootUser`, `rootPassword`); per granted team, `<lake>-team-<namespace>` with
 * `accessKey` / `secretKey` and the same keys in `<lake>-s3-credentials` in the team's namespace; per replica, its
 * `credentialsSecret` (the cloud's keys) and `<lake>-mirror-<bucket>-<cloud>` (`accessKey` / `secretKey`: the
 * mirror's MinIO identity, see {@link mirrorCredentialsSecretFor}).
 */
export class MinioDataLake extends Construct {
  /** The S3 API port of the lake's servers and client Service. */
  public static readonly S3_PORT = S3_PORT;

  /** For workload constructs: grants the mount's access to `team` and returns the connection (see {@link bind}). */
  public static connect(team: ITeamSpace, mount: DataLakeMount): DataLakeConnection {
    const path = (team as ITeamSpace | undefined)?.node?.path ?? '';
    Checks.object(path, 'dataLake', mount, 'a DataLakeMount ({ lake, bucket, access })');
    if (!(mount.lake instanceof MinioDataLake)) {
      throw new ValidationError(path, 'dataLake.lake', mount.lake, 'expected a MinioDataLake');
    }
    return mount.lake.bind(team, mount.bucket, mount.access, mount.prefix);
  }

  /** The lake's name (StatefulSet, Services). */
  public readonly name: string;
  /** The lake's namespace. */
  public readonly namespaceName: string;
  /** S3 endpoint inside the cluster. */
  public readonly endpoint: string;
  /** S3 region the lake reports (also in its event notification ARNs). */
  public readonly region: string;
  /** The buckets. */
  public readonly buckets: DataBucket[];
  /** Escape hatches. */
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly service: k8s.KubeService;
  public readonly headlessService: k8s.KubeService;
  public readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;
  public readonly provisioningJob: k8s.KubeJob;
  public readonly provisioningConfig: k8s.KubeConfigMap;
  /** The lake's cert-manager Certificate and trust-manager Bundle (with `tls.issuer`). */
  public readonly certificate?: ApiObject;
  public readonly caBundle?: ApiObject;
  public readonly serverNetworkPolicy: k8s.KubeNetworkPolicy;
  public readonly mirrorJobs: k8s.KubeCronJob[];

  private readonly ctx: LakeContext;
  private readonly access: LakeAccess;

  public constructor(scope: Construct, id: string, props: MinioDataLakeProps) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    Checks.object(path, P, props, 'MinioDataLakeProps ({ namespace, buckets, rootCredentialsSecret, ... })');
    this.name = Names.validateDnsLabel(path, `${P}.name`, Checks.string(path, `${P}.name`, props.name ?? id));
    if (this.name.length > MAX_NAME || !Names.isDns1035Label(this.name)) {
      throw new ValidationError(path, `${P}.name`, this.name,
        `expected at most ${MAX_NAME} characters (pod and PVC names derive from it) that start with a letter (it names Services)`);
    }
    const namespace = LakeAccess.team(this, `${P}.namespace`, props.namespace);
    this.namespaceName = namespace.namespaceName;
    const rootCredentialsSecret = Names.validateDnsLabel(path, `${P}.rootCredentialsSecret`, Checks.string(path, `${P}.rootCredentialsSecret`, props.rootCredentialsSecret));
    const servers = Checks.number(path, `${P}.servers`, props.servers ?? 4, 2, MAX_SERVERS);
    const volumesPerServer = Checks.number(path, `${P}.volumesPerServer`, props.volumesPerServer ?? 4, 1, MAX_VOLUMES_PER_SERVER);
    const drives = servers * volumesPerServer;
    if (drives < 4) {
      throw new ValidationError(path, `${P}.volumesPerServer`, volumesPerServer, `expected servers × volumesPerServer >= 4 drives for erasure coding (${servers} servers)`);
    }
    // MinIO splits the drives into erasure sets of one size from 2 to 16 that divides their number, and refuses to
    // start otherwise (minio/minio cmd/endpoint-ellipses.go, setSizes and getSetIndexes): 17 drives cannot start.
    if (!ERASURE_SET_SIZES.some((size) => drives % size === 0)) {
      throw new ValidationError(path, `${P}.volumesPerServer`, volumesPerServer,
        `expected servers × volumesPerServer (${servers} × ${volumesPerServer} = ${drives} drives) divisible by an erasure set size from 2 to 16`);
    }
    const volumeSize = Quantities.validate(path, `${P}.volumeSize`, props.volumeSize ?? '1Ti');
    const storageClass = props.storageClass == null ? undefined
      : Names.validateDnsLabel(path, `${P}.storageClass`, Checks.string(path, `${P}.storageClass`, props.storageClass));
    const resources = Checks.object(path, `${P}.resources`, props.resources ?? DEFAULT_RESOURCES, 'ComputeResources ({ cpu, memory })');
    const image = Images.validatePinned(path, `${P}.image`, props.image ?? DefaultImages.MINIO);
    const clientImage = Images.validatePinned(path, `${P}.clientImage`, props.clientImage ?? DefaultImages.MINIO_CLIENT);
    const consoleOn = Checks.boolean(path, `${P}.console`, props.console ?? undefined, false);
    const mirrorSchedule = Cron.validate(path, `${P}.mirrorSchedule`, props.mirrorSchedule ?? '*/15 * * * *');
    this.region = Checks.string(path, `${P}.region`, props.region ?? 'us-east-1', 'a region name such as "us-east-1"');
    if (!/^[a-z0-9-]+$/.test(this.region)) throw new ValidationError(path, `${P}.region`, this.region, 'expected a region name such as "us-east-1"');
    const clusterDomain = Checks.string(path, `${P}.clusterDomain`, props.clusterDomain ?? 'cluster.local', 'a DNS domain such as "cluster.local"');
    if (!Names.isDnsSubdomain(clusterDomain)) throw new ValidationError(path, `${P}.clusterDomain`, clusterDomain, 'expected a DNS domain such as "cluster.local"');
    const lineage = LakeLineage.of(path, props.lineage);
    this.buckets = this.validateBuckets(props.buckets);
    const tls = this.validateTls(props.tls);
    const notifications = this.validateNotifications(props.notifications);

    this.ctx = new LakeContext(this, {
      name: this.name, namespaceName: this.namespaceName, tls, region: this.region, clusterDomain, clientImage, rootCredentialsSecret,
    });
    this.endpoint = this.ctx.endpoint;

    const serverSet = new LakeServers(this.ctx, { image, servers, volumesPerServer, volumeSize, storageClass, resources, console: consoleOn, lineage, notifications });
    this.statefulSet = serverSet.statefulSet;
    this.service = serverSet.service;
    this.headlessService = serverSet.headlessService;
    this.podDisruptionBudget = serverSet.podDisruptionBudget;
    this.access = new LakeAccess(this.ctx, { buckets: this.buckets, console: consoleOn, lineage, notifications });
    const mirrors = new LakeMirrors(this.ctx, this.buckets, `${P}.buckets`, mirrorSchedule);
    this.mirrorJobs = mirrors.cronJobs;
    const provisioning = new LakeProvisioning(this.ctx, { buckets: this.buckets, bucketsField: `${P}.buckets`, lineage, notifications, access: this.access, mirrors });
    this.provisioningConfig = provisioning.config;
    this.provisioningJob = provisioning.job;
    this.serverNetworkPolicy = this.access.newNetworkPolicies(mirrors.cronJobs.length > 0);
    if (tls?.issuer != null) {
      const issuer = tls.issuer;
      const tlsCerts = new LakeCertificate(this.ctx, {
        secretName: tls.secretName,
        dnsNames: this.certificateDnsNames,
        issuerName: issuer.name,
        issuerKind: issuer.kind ?? 'ClusterIssuer',
        caSecret: issuer.caSecret,
        caSecretKey: issuer.caSecretKey ?? 'tls.crt',
        caConfigMap: tls.teamCaConfigMap ?? `${this.name}-ca`,
        grantedNamespaces: () => [...this.access.grants.keys()].sort(),
      });
      this.certificate = tlsCerts.certificate;
      this.caBundle = tlsCerts.bundle;
    }
    // never pruned or deleted by a GitOps sync: the servers and, through them, their volumes
    GitOps.protect(this.statefulSet);

    // What the lake takes from its namespace's quota: servers and their claims, and its jobs running at once.
    const add = (a: Record<string, number>, b: Record<string, number>) =>
      Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, (a[k] ?? 0) + (b[k] ?? 0)]));
    namespace.reserve(this, [serverSet.quotaDemand(), provisioning.quotaDemand(), mirrors.quotaDemand()].reduce(add));
  }

  /** Grants `team` read access to `bucket` (or to `prefix` in it): list, get objects and their versions. */
  public grantRead(team: ITeamSpace, bucket: DataBucket, prefix?: string): void {
    this.access.grant(team, bucket, DataAccess.READ, prefix);
  }

  /**
   * Grants `team` read and write access to `bucket` (or to `prefix` in it): read, put objects, and delete them,
   * which on a versioned bucket only adds a delete marker (deleting a version is never granted).
   */
  public grantReadWrite(team: ITeamSpace, bucket: DataBucket, prefix?: string): void {
    this.access.grant(team, bucket, DataAccess.READ_WRITE, prefix);
  }

  /**
   * Grants `team` `access` to `bucket` and returns what a workload of the team needs to use it: the environment
   * (endpoint, region, bucket, credentials from the team's Secret) for its container.
   */
  public bind(team: ITeamSpace, bucket: DataBucket, access: DataAccess, prefix?: string): DataLakeConnection {
    this.access.grant(team, bucket, access, prefix);
    return this.access.connection(bucket, access, prefix);
  }

  /**
   * DNS names the TLS certificate must carry: the client Service and, by wildcard, every server behind the headless
   * Service (servers reach each other by those names).
   */
  public get certificateDnsNames(): string[] {
    const ns = this.namespaceName;
    const domain = this.ctx.domain;
    return [
      `${this.name}.${ns}.svc.${domain}`, `${this.name}.${ns}.svc`, `${this.name}.${ns}`,
      `*.${this.name}-hl.${ns}.svc.${domain}`,
    ];
  }

  /** Name of the Secret holding a team's keys in the team's own namespace. */
  public get teamCredentialsSecret(): string {
    return this.access.teamCredentialsSecret;
  }

  /** Name of the Secret holding a team's keys in the lake's namespace (read by the provisioning Job). */
  public lakeCredentialsSecretFor(team: ITeamSpace): string {
    return this.access.credentialsSecretFor(LakeAccess.team(this, 'MinioDataLake.lakeCredentialsSecretFor.team', team));
  }

  /**
   * Name of the Secret, in the lake's namespace, with the MinIO identity (`accessKey`, `secretKey`) that the mirror
   * of `bucket` into its `cloud` replica reads the lake with: `<lake>-mirror-<bucket>-<cloud>`. The provisioning Job
   * creates that user with a read-only policy on the bucket.
   */
  public mirrorCredentialsSecretFor(bucket: DataBucket, cloud: ReplicaCloud): string {
    const path = this.node.path;
    if (!(bucket instanceof DataBucket) || !this.buckets.includes(bucket)) {
      throw new ValidationError(path, 'MinioDataLake.mirrorCredentialsSecretFor.bucket', bucket instanceof DataBucket ? bucket.name : bucket,
        `expected a bucket of this lake: ${this.buckets.map((b) => b.name).join(', ')}`);
    }
    Checks.oneOf(path, 'MinioDataLake.mirrorCredentialsSecretFor.cloud', cloud, Object.values(ReplicaCloud));
    const replica = bucket.replicaIn(cloud);
    if (!replica) {
      throw new ValidationError(path, 'MinioDataLake.mirrorCredentialsSecretFor.cloud', cloud,
        `expected a cloud bucket ${bucket.name} is replicated into: ${bucket.replicas.map((r) => r.cloud).join(', ') || 'none'}`);
    }
    return LakeMirrors.credentialsSecretName(this.name, bucket, replica);
  }

  /** The MinIO policy document of a team, as applied by the provisioning Job (undefined without grants). */
  public policyFor(team: ITeamSpace): Record<string, unknown> | undefined {
    return this.access.grants.get(LakeAccess.team(this, 'MinioDataLake.policyFor.team', team).namespaceName)?.policy.document();
  }

  private validateNotifications(targets: ILakeNotificationTarget[] | undefined): ILakeNotificationTarget[] {
    const path = this.node.path;
    const list = Checks.optionalArray(path, `${P}.notifications`, targets ?? undefined, [], 'a list of notification targets');
    const ids = new Set<string>();
    list.forEach((t, i) => {
      const field = `${P}.notifications[${i}]`;
      if (t == null || typeof t !== 'object' || typeof t.serverEnv !== 'function' || typeof t.egressRule !== 'function' || typeof t.subscribeCommand !== 'function') {
        throw new ValidationError(path, field, t, 'expected a notification target such as ModelEventsBridge.lakeTarget');
      }
      if (typeof t.targetId !== 'string' || !/^[A-Z0-9_]{1,32}$/.test(t.targetId)) {
        throw new ValidationError(path, `${field}.targetId`, t.targetId, 'expected a MinIO target id: up to 32 uppercase letters, digits or "_"');
      }
      if (ids.has(t.targetId)) throw new ValidationError(path, `${field}.targetId`, t.targetId, 'expected each target id once');
      ids.add(t.targetId);
      if (!this.buckets.includes(t.bucket)) {
        throw new ValidationError(path, `${field}.bucket`, (t.bucket as DataBucket | undefined)?.name ?? t.bucket, `expected a bucket of this lake: ${this.buckets.map((b) => b.name).join(', ')}`);
      }
    });
    return list;
  }

  private validateTls(tls: LakeTls | undefined): LakeTls | undefined {
    const path = this.node.path;
    if (tls == null) return undefined; // null, as jsii passes an unset optional, is unset
    Checks.object(path, `${P}.tls`, tls, 'LakeTls ({ secretName })');
    Names.validateDnsLabel(path, `${P}.tls.secretName`, Checks.string(path, `${P}.tls.secretName`, tls.secretName));
    if (tls.teamCaConfigMap != null) {
      Names.validateDnsLabel(path, `${P}.tls.teamCaConfigMap`, Checks.string(path, `${P}.tls.teamCaConfigMap`, tls.teamCaConfigMap));
    }
    if (tls.issuer != null) {
      const issuer = Checks.object(path, `${P}.tls.issuer`, tls.issuer, 'LakeCertificateIssuer ({ name, kind?, caSecret })');
      Names.validateDnsLabel(path, `${P}.tls.issuer.name`, Checks.string(path, `${P}.tls.issuer.name`, issuer.name));
      if (issuer.kind != null) Checks.oneOf(path, `${P}.tls.issuer.kind`, issuer.kind, ['ClusterIssuer', 'Issuer']);
      Names.validateDnsLabel(path, `${P}.tls.issuer.caSecret`, Checks.string(path, `${P}.tls.issuer.caSecret`, issuer.caSecret));
      if (issuer.caSecretKey != null && !/^[-._a-zA-Z0-9]+$/.test(Checks.string(path, `${P}.tls.issuer.caSecretKey`, issuer.caSecretKey))) {
        throw new ValidationError(path, `${P}.tls.issuer.caSecretKey`, issuer.caSecretKey, 'expected a Secret key (letters, digits, "-", "_", ".")');
      }
    }
    return tls;
  }

  private validateBuckets(buckets: DataBucket[]): DataBucket[] {
    const path = this.node.path;
    if (!Array.isArray(buckets) || buckets.length === 0) {
      throw new ValidationError(path, `${P}.buckets`, buckets, 'expected at least one DataBucket');
    }
    const names = new Set<string>();
    // Cloud buckets are global in their cloud: two mirrors into one would overwrite each other's objects.
    const cloudBuckets = new Map<string, string>();
    buckets.forEach((bucket, i) => {
      Checks.instance(path, `${P}.buckets[${i}]`, bucket, DataBucket, 'a DataBucket');
      if (names.has(bucket.name)) throw new ValidationError(path, `${P}.buckets[${i}].name`, bucket.name, 'expected unique bucket names');
      names.add(bucket.name);
      bucket.replicas.forEach((replica, j) => {
        const key = `${replica.cloud}/${replica.bucketName}`;
        const other = cloudBuckets.get(key);
        if (other !== undefined) {
          throw new ValidationError(path, `${P}.buckets[${i}].replicas[${j}].bucketName`, replica.bucketName,
            `expected a ${replica.cloud} bucket no other replica of the lake uses: ${other} is mirrored into it too`);
        }
        cloudBuckets.set(key, bucket.name);
      });
    });
    return buckets;
  }
}
