import { Lazy } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';
import { ITeamSpace, TeamSpace } from '../teams/team-space';
import { DataBucket } from './data-bucket';
import { DataAccess, DataLakePolicy } from './data-lake-policy';
import { CONSOLE_PORT, CREDENTIAL_KEYS, LakeContext, S3_PORT } from './lake-context';
import { LakeLineage } from './lake-lineage';
import type { ILakeNotificationTarget } from './minio-data-lake';
import type { DataLakeConnection } from './minio-data-lake';
import { NamespaceSelectors } from '../core/k8s/namespace-selectors';

const WORKLOAD_CA_DIR = '/etc/ssl/lake';

/** A granted team and the union of its grants. @internal */
export interface TeamGrant {
  readonly team: ITeamSpace;
  readonly policy: DataLakePolicy;
  /** The team's MinIO policy name. */
  readonly policyName: string;
  /** The Secret with the team's keys in the lake's namespace. */
  readonly credentialsSecret: string;
}

/** What the lake's access rules are built from. @internal */
export interface LakeAccessOptions {
  readonly buckets: DataBucket[];
  readonly console: boolean;
  readonly lineage?: LakeLineage;
  readonly notifications: ILakeNotificationTarget[];
}

/**
 * Who may use a lake: the per-team grants (MinIO policies, the teams' Secrets, their egress allows) and the
 * NetworkPolicies of the lake's namespace.
 * @internal not part of the public API
 */
export class LakeAccess {
  /**
   * `value` as a team of the lake's cluster: a TeamSpace (or TeamSpace.fromNamespace) whose construct tree is the
   * lake's. A team of another cluster (another cdk8s App) has no namespace where the lake runs.
   */
  public static team(lake: IConstruct, field: string, value: ITeamSpace): ITeamSpace {
    const path = lake.node.path;
    TeamSpace.check(path, field, value);
    if (value.node.root !== lake.node.root) {
      throw new ValidationError(path, field, value.namespaceName,
        `expected a TeamSpace of the lake's cluster (construct tree): ${value.node.path} belongs to another App, where the lake's objects do not exist`);
    }
    return value;
  }

  /** Granted teams by namespace, in grant order. */
  public readonly grants = new Map<string, TeamGrant>();

  public constructor(private readonly ctx: LakeContext, private readonly options: LakeAccessOptions) {}

  /** Name of the Secret holding a team's keys in the lake's namespace (read by the provisioning Job). */
  public credentialsSecretFor(team: ITeamSpace): string {
    return `${this.ctx.name}-team-${team.namespaceName}`;
  }

  /** Name of the Secret holding a team's keys in the team's own namespace. */
  public get teamCredentialsSecret(): string {
    return `${this.ctx.name}-s3-credentials`;
  }

  /** Grants `team` `access` to `bucket` (or `prefix` in it); the first grant of a team adds its egress allow. */
  public grant(team: ITeamSpace, bucket: DataBucket, access: DataAccess, prefix?: string): TeamGrant {
    const ctx = this.ctx;
    const path = ctx.scope.node.path;
    LakeAccess.team(ctx.scope, 'MinioDataLake.grant.team', team);
    const buckets = this.options.buckets;
    if (!(bucket instanceof DataBucket) || !buckets.includes(bucket)) {
      throw new ValidationError(path, 'MinioDataLake.grant.bucket', bucket instanceof DataBucket ? bucket.name : bucket,
        `expected a bucket of this lake: ${buckets.map((b) => b.name).join(', ')}`);
    }
    Checks.oneOf(path, 'MinioDataLake.grant.access', access, Object.values(DataAccess));
    if (team.namespaceName === ctx.namespaceName) {
      throw new ValidationError(path, 'MinioDataLake.grant.team', team.namespaceName, 'expected a team namespace other than the lake\'s own');
    }
    let entry = this.grants.get(team.namespaceName);
    if (!entry) {
      const ns = team.namespaceName;
      entry = {
        team,
        policy: new DataLakePolicy(),
        policyName: LakeContext.policyName(path, 'MinioDataLake.grant.team', ns, `team-${ns}`),
        credentialsSecret: LakeContext.secretName(path, 'MinioDataLake.grant.team', ns, this.credentialsSecretFor(team), 'team credentials Secret'),
      };
      this.grants.set(ns, entry);
      this.newTeamEgressPolicy(team);
    }
    entry.policy.add(path, bucket.name, access, prefix);
    return entry;
  }

  /** What a workload of a granted team needs to reach `bucket`. */
  public connection(bucket: DataBucket, access: DataAccess, prefix?: string): DataLakeConnection {
    const ctx = this.ctx;
    const secret = this.teamCredentialsSecret;
    const fromSecret = (name: string, key: string): k8s.EnvVar => ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
    const env: k8s.EnvVar[] = [
      { name: 'AWS_ENDPOINT_URL', value: ctx.endpoint },
      { name: 'S3_ENDPOINT', value: ctx.endpoint },
      { name: 'AWS_REGION', value: ctx.region },
      { name: 'AWS_DEFAULT_REGION', value: ctx.region },
      { name: 'S3_BUCKET', value: bucket.name },
      ...(prefix ? [{ name: 'S3_PREFIX', value: prefix }] : []),
      fromSecret('AWS_ACCESS_KEY_ID', CREDENTIAL_KEYS.access),
      fromSecret('AWS_SECRET_ACCESS_KEY', CREDENTIAL_KEYS.secret),
    ];
    const tls = ctx.tls;
    const volumes: k8s.Volume[] = tls ? [{
      name: `${ctx.name}-ca`,
      configMap: { name: tls.teamCaConfigMap ?? `${ctx.name}-ca`, items: [{ key: 'ca.crt', path: 'ca.crt' }] },
    }] : [];
    const volumeMounts: k8s.VolumeMount[] = tls ? [{ name: `${ctx.name}-ca`, mountPath: WORKLOAD_CA_DIR, readOnly: true }] : [];
    if (tls) env.push({ name: 'AWS_CA_BUNDLE', value: `${WORKLOAD_CA_DIR}/ca.crt` });
    return { bucket, access, endpoint: ctx.endpoint, credentialsSecret: secret, env, volumes, volumeMounts };
  }

  /**
   * The lake namespace's allows: S3 from granted namespaces and the lake's jobs, servers to servers, servers to
   * the lineage receiver, jobs to the servers, and mirrors to HTTPS outside (when there are mirrors).
   */
  public newNetworkPolicies(hasMirrors: boolean): k8s.KubeNetworkPolicy {
    const ctx = this.ctx;
    const scope = ctx.scope;
    const s3Port = [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(S3_PORT) }];
    const toServers = { podSelector: { matchLabels: ctx.serverSelector } };
    const lineage = this.options.lineage;
    const server = new k8s.KubeNetworkPolicy(scope, 'server-policy', {
      metadata: ctx.meta(`${ctx.name}-server`, 'server'),
      spec: {
        podSelector: { matchLabels: ctx.serverSelector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: Lazy.any({
          produce: () => [
            { from: [toServers, { podSelector: ctx.componentSelector(['provisioner', 'mirror']) }], ports: s3Port },
            ...(this.options.console ? [{ from: [{ podSelector: {} }], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(CONSOLE_PORT) }] }] : []),
            ...(this.grants.size > 0 ? [{
              from: [{ namespaceSelector: NamespaceSelectors.among([...this.grants.keys()].sort()) }],
              ports: s3Port,
            }] : []),
          ],
        }),
        egress: [
          { to: [toServers], ports: s3Port },
          ...(lineage ? [lineage.egressRule()] : []),
          ...this.options.notifications.map((t) => t.egressRule()),
        ],
      },
    });
    new k8s.KubeNetworkPolicy(scope, 'jobs-policy', {
      metadata: ctx.meta(`${ctx.name}-jobs`, 'provisioner'),
      spec: {
        podSelector: ctx.componentSelector(['provisioner', 'mirror']),
        policyTypes: ['Egress'],
        egress: [{ to: [toServers], ports: s3Port }],
      },
    });
    if (hasMirrors) {
      new k8s.KubeNetworkPolicy(scope, 'mirror-policy', {
        metadata: ctx.meta(`${ctx.name}-mirror`, 'mirror'),
        spec: {
          podSelector: ctx.componentSelector(['mirror']),
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
    const ctx = this.ctx;
    new k8s.KubeNetworkPolicy(ctx.scope, `egress-${team.namespaceName}`, {
      metadata: ctx.meta(`${ctx.name}-s3-egress`, 'access', team.namespaceName),
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          to: [{
            namespaceSelector: NamespaceSelectors.named(ctx.namespaceName),
            podSelector: { matchLabels: ctx.serverSelector },
          }],
          ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(S3_PORT) }],
        }],
      },
    });
  }
}
