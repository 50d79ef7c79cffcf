import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { ComputeResources, Resources } from '../core/k8s/resources';
import { Security } from '../core/k8s/security';
import { Quantities } from '../core/quantity';
import { CONSOLE_PORT, LakeContext, S3_PORT } from './lake-context';
import { EVENTS_MOUNT, EVENTS_VOLUME, LakeLineage } from './lake-lineage';
import type { ILakeNotificationTarget } from './minio-data-lake';

const DRIVE_MOUNT = '/export';
const SERVER_CERTS = '/etc/minio/certs';
/**
 * Readiness: `/minio/health/cluster/read`. `/minio/health/ready` answers 200 as soon as the HTTP server runs, with
 * no object layer yet (ReadinessCheckHandler only sets a header when `newObjectLayerFn()` is nil), so the client
 * Service would route to servers that answer 503. The cluster handlers first require the object layer, bucket
 * metadata and IAM to be initialised (checkHealth) and then the erasure sets' read (`/cluster/read`) or write
 * (`/cluster`) quorum (minio/minio cmd/healthcheck-handler.go, cmd/healthcheck-router.go,
 * cmd/erasure-server-pools.go Health, @RELEASE.2025-09-07T16-13-09Z). Read quorum is what a server needs to serve at
 * all; a write without write quorum is answered by MinIO itself with a 503 naming the quorum. The handlers wait up
 * to the cluster deadline (10 s by default, cmd/handler-api.go), so the probe's timeout is longer.
 */
export const READINESS_PATH = '/minio/health/cluster/read';
const LIVENESS_PATH = '/minio/health/live';

/** What the servers are built from. @internal */
export interface LakeServersOptions {
  readonly image: string;
  readonly servers: number;
  readonly volumesPerServer: number;
  readonly volumeSize: string;
  readonly storageClass?: string;
  readonly resources: ComputeResources;
  readonly console: boolean;
  readonly lineage?: LakeLineage;
  readonly notifications: ILakeNotificationTarget[];
}

/**
 * The MinIO servers of a lake: ServiceAccount, headless and client Services, StatefulSet (drives and the
 * webhook's queue as retained claims), PodDisruptionBudget.
 * @internal not part of the public API
 */
export class LakeServers {
  public readonly serviceAccount: k8s.KubeServiceAccount;
  public readonly headlessService: k8s.KubeService;
  public readonly service: k8s.KubeService;
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;

  public constructor(private readonly ctx: LakeContext, private readonly options: LakeServersOptions) {
    const scope = ctx.scope;
    const name = ctx.name;
    this.serviceAccount = new k8s.KubeServiceAccount(scope, 'service-account', {
      metadata: ctx.meta(name, 'server'),
      automountServiceAccountToken: false,
    });
    this.headlessService = new k8s.KubeService(scope, 'headless', {
      metadata: ctx.meta(`${name}-hl`, 'server'),
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: true,
        selector: ctx.serverSelector,
        ports: [{ name: 's3', port: S3_PORT, targetPort: k8s.IntOrString.fromNumber(S3_PORT) }],
      },
    });
    this.service = new k8s.KubeService(scope, 'service', {
      metadata: ctx.meta(name, 'server'),
      spec: {
        selector: ctx.serverSelector,
        ports: [
          { name: 's3', port: S3_PORT, targetPort: k8s.IntOrString.fromNumber(S3_PORT) },
          ...(options.console ? [{ name: 'console', port: CONSOLE_PORT, targetPort: k8s.IntOrString.fromNumber(CONSOLE_PORT) }] : []),
        ],
      },
    });
    this.statefulSet = this.newStatefulSet();
    this.podDisruptionBudget = new k8s.KubePodDisruptionBudget(scope, 'pdb', {
      metadata: ctx.meta(name, 'server'),
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: ctx.serverSelector } },
    });
  }

  /** A persistent queue of undelivered events, for the lineage webhook and every notification target. */
  private get hasEventQueue(): boolean {
    return this.options.lineage !== undefined || this.options.notifications.length > 0;
  }

  private get queueSize(): string {
    return this.options.lineage?.queueSize ?? LakeLineage.DEFAULT_QUEUE_SIZE;
  }

  /** What the servers take from the namespace's quota: compute, and every claim (drives, event queues). */
  public quotaDemand(): { [quotaKey: string]: number } {
    const o = this.options;
    const drives = o.servers * o.volumesPerServer;
    const queues = this.hasEventQueue ? o.servers : 0;
    return {
      ...Resources.quotaDemand(o.resources, o.servers),
      'requests.storage': drives * Quantities.parse(o.volumeSize)! + queues * Quantities.parse(this.queueSize)!,
      'persistentvolumeclaims': drives + queues,
    };
  }

  private newStatefulSet(): k8s.KubeStatefulSet {
    const ctx = this.ctx;
    const o = this.options;
    const tls = ctx.tls;
    const tmp = Security.writableDirectories(['/tmp'], '1Gi');
    const drives = Array.from({ length: o.volumesPerServer }, (_, i) => `data-${i}`);
    const hosts = `${ctx.scheme}://${ctx.name}-{0...${o.servers - 1}}.${ctx.name}-hl.${ctx.namespaceName}.svc.${ctx.domain}:${S3_PORT}`;
    const drivePaths = o.volumesPerServer === 1 ? `${DRIVE_MOUNT}0` : `${DRIVE_MOUNT}{0...${o.volumesPerServer - 1}}`;
    const probe = (path: string, failureThreshold: number, timeoutSeconds: number = 5, periodSeconds: number = 10): k8s.Probe => ({
      httpGet: { path, port: k8s.IntOrString.fromNumber(S3_PORT), scheme: ctx.scheme.toUpperCase() },
      periodSeconds, timeoutSeconds, failureThreshold,
    });
    const claim = (name: string, size: string): k8s.KubePersistentVolumeClaimProps => ({
      metadata: { name, labels: ctx.labels('server') },
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: o.storageClass,
        resources: { requests: { storage: k8s.Quantity.fromString(size) } },
      },
    });
    return new k8s.KubeStatefulSet(ctx.scope, 'statefulset', {
      metadata: ctx.meta(ctx.name, 'server'),
      spec: {
        serviceName: this.headlessService.name,
        replicas: o.servers,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: ctx.serverSelector },
        updateStrategy: { type: 'RollingUpdate' },
        // Deleting the lake or scaling it down never deletes a drive (nor a queue of undelivered events).
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: {
          metadata: { labels: ctx.labels('server') },
          spec: {
            serviceAccountName: this.serviceAccount.name,
            automountServiceAccountToken: false,
            securityContext: Security.podSecurityContext(),
            terminationGracePeriodSeconds: 120,
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [{
                  labelSelector: { matchLabels: ctx.serverSelector },
                  topologyKey: 'kubernetes.io/hostname',
                }],
              },
            },
            containers: [{
              name: 'minio',
              image: o.image,
              imagePullPolicy: 'IfNotPresent',
              args: ['server', '--address', `:${S3_PORT}`, '--console-address', `:${CONSOLE_PORT}`, '--certs-dir', tls ? SERVER_CERTS : '/tmp/certs', `${hosts}${drivePaths}`],
              env: [
                ...ctx.rootCredentialEnv(),
                { name: 'HOME', value: '/tmp' },
                { name: 'MINIO_SITE_REGION', value: ctx.region },
                { name: 'MINIO_BROWSER', value: o.console ? 'on' : 'off' },
                ...(o.lineage?.serverEnv() ?? []),
                // each target keeps its undelivered events in its own folder of the queue volume (MinIO store)
                ...o.notifications.flatMap((t) => t.serverEnv(EVENTS_MOUNT)),
              ],
              ports: [
                { name: 's3', containerPort: S3_PORT },
                { name: 'console', containerPort: CONSOLE_PORT },
              ],
              resources: Resources.requirements(ctx.scope, 'MinioDataLakeProps.resources', o.resources),
              securityContext: Security.containerSecurityContext(),
              startupProbe: probe(LIVENESS_PATH, 30),
              livenessProbe: probe(LIVENESS_PATH, 3),
              readinessProbe: probe(READINESS_PATH, 3, 12, 15),
              volumeMounts: [
                ...drives.map((d, i) => ({ name: d, mountPath: `${DRIVE_MOUNT}${i}` })),
                ...(this.hasEventQueue ? [{ name: EVENTS_VOLUME, mountPath: EVENTS_MOUNT }] : []),
                ...(tls ? [{ name: 'certs', mountPath: SERVER_CERTS, readOnly: true }] : []),
                ...tmp.mounts,
              ],
            }],
            volumes: [
              // MinIO's layout: public.crt, private.key, and the CAs it trusts (its peers' issuer) under CAs/.
              ...(tls ? [{
                name: 'certs',
                secret: {
                  secretName: tls.secretName,
                  defaultMode: 0o440,
                  items: [{ key: 'tls.crt', path: 'public.crt' }, { key: 'tls.key', path: 'private.key' }, { key: 'ca.crt', path: 'CAs/ca.crt' }],
                },
              }] : []),
              ...tmp.volumes,
            ],
          },
        },
        volumeClaimTemplates: [
          ...drives.map((d) => claim(d, o.volumeSize)),
          ...(this.hasEventQueue ? [claim(EVENTS_VOLUME, this.queueSize)] : []),
        ],
      },
    });
  }
}
