import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { Checks } from '../core/checks';
import { Images } from '../core/images';
import { ObjectOrder } from '../core/k8s/object-order';
import { ComputeResources, Resources } from '../core/k8s/resources';
import { Security } from '../core/k8s/security';
import { Labels } from '../core/labels';
import { DefaultImages } from '../core/versions';
import { DataBucket } from '../data/data-bucket';
import { DataAccess } from '../data/data-lake-policy';
import { MinioDataLake } from '../data/minio-data-lake';
import { ITeamSpace } from '../teams/team-space';
import { WorkloadPod } from '../workloads/workload-pod';


/** Options of a job's TensorBoard. */
export interface TensorBoardOptions {
  /**
   * Image with `tensorboard` on its PATH, pinned.
   * @default DefaultImages.TENSORBOARD (tensorflow/tensorflow:2.20.0)
   */
  readonly image?: string;
  /**
   * CPU and memory of TensorBoard.
   * @default { cpu: "250m", memory: "1Gi", cpuLimit: "1", memoryLimit: "2Gi" }
   */
  readonly resources?: ComputeResources;
}

/** Props of {@link TensorBoard}. */
export interface TensorBoardProps extends TensorBoardOptions {
  readonly team: ITeamSpace;
  /** The Deployment and Service name. */
  readonly name: string;
  readonly lake: MinioDataLake;
  /** Bucket of the logs. */
  readonly bucket: DataBucket;
  /** Key prefix of the job's logs (`logs/<job>`): one run per sub-directory. */
  readonly logPrefix: string;
}

const PORT = 6006;
const LOGS = '/logs';
const SYNC_RESOURCES: ComputeResources = { cpu: '50m', memory: '128Mi', cpuLimit: '500m', memoryLimit: '256Mi' };
const DEFAULT_RESOURCES: ComputeResources = { cpu: '250m', memory: '1Gi', cpuLimit: '1', memoryLimit: '2Gi' };

/**
 * TensorBoard of a training job: a Deployment and a Service (reach it with `kubectl port-forward`).
 *
 * TensorFlow 2.6+ moved its S3 file system to tensorflow-io, so TensorBoard in the TensorFlow image cannot read
 * `s3://` itself. A side-car with the MinIO client keeps a local copy of the job's log prefix
 * (`mc mirror --watch`), read-only on the lake (a read grant scoped to the prefix), and TensorBoard reads that copy:
 * one sub-directory per run (version).
 */
export class TensorBoard extends Construct {
  public readonly deployment: k8s.KubeDeployment;
  public readonly service: k8s.KubeService;

  public constructor(scope: Construct, id: string, props: TensorBoardProps) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    const F = 'TensorBoardOptions';
    const ns = props.team.namespaceName;
    const labels = Labels.standard({ name: 'tensorboard', instance: props.name, component: 'tensorboard' });
    const selector = Labels.selector({ name: 'tensorboard', instance: props.name, component: 'tensorboard' });
    const image = Images.validatePinned(path, `${F}.image`, props.image ?? DefaultImages.TENSORBOARD);
    const pod = WorkloadPod.of(this, {
      field: F,
      team: props.team,
      containerName: 'tensorboard',
      image,
      command: ['tensorboard'],
      args: [`--logdir=${LOGS}`, '--bind_all', `--port=${PORT}`],
      env: { HOME: '/tmp' },
      ports: [{ name: 'http', containerPort: PORT }],
      resources: Checks.optionalObject(path, `${F}.resources`, props.resources, 'ComputeResources') ?? DEFAULT_RESOURCES,
      dataLake: [{ lake: props.lake, bucket: props.bucket, access: DataAccess.READ, prefix: props.logPrefix }],
      writableDirectories: [{ path: '/tmp', sizeLimit: '1Gi' }, { path: LOGS, name: 'logs', sizeLimit: '8Gi' }],
      readinessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('http') }, periodSeconds: 10, timeoutSeconds: 5 },
      livenessProbe: { tcpSocket: { port: k8s.IntOrString.fromString('http') }, periodSeconds: 20, failureThreshold: 6 },
    });
    // the side-car: the lake's S3 environment (and CA) from the same builder's container, mc's config in /tmp
    const lakeEnv = (pod.container.env ?? []).filter((e) => e.name.startsWith('AWS_') || e.name.startsWith('S3_'));
    const caBundle = lakeEnv.find((e) => e.name === 'AWS_CA_BUNDLE')?.value;
    const sync: k8s.Container = {
      name: 'sync-logs',
      image: DefaultImages.MINIO_CLIENT,
      imagePullPolicy: 'IfNotPresent',
      command: ['/bin/sh', '-c', [
        'set -eu',
        'mc alias set lake "$AWS_ENDPOINT_URL" "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" --api s3v4 --path on >/dev/null',
        // never --remove: TensorBoard keeps showing runs whose logs expired from the lake until it restarts
        `exec mc mirror --watch --overwrite lake/${props.bucket.name}/${props.logPrefix} ${LOGS}`,
      ].join('\n')],
      env: [
        ...lakeEnv,
        { name: 'MC_CONFIG_DIR', value: '/tmp/mc' },
        // Go's crypto/x509 reads SSL_CERT_FILE for its system roots: mc then trusts the lake's CA
        ...(caBundle ? [{ name: 'SSL_CERT_FILE', value: caBundle }] : []),
      ],
      resources: Resources.requirements(this, `${F}.sync.resources`, SYNC_RESOURCES),
      securityContext: Security.containerSecurityContext(),
      volumeMounts: pod.container.volumeMounts,
    };
    props.team.reserve(this, Resources.quotaDemand(SYNC_RESOURCES));
    this.service = new k8s.KubeService(this, 'service', {
      metadata: { name: props.name, namespace: ns, labels },
      spec: { selector, ports: [{ name: 'http', port: PORT, targetPort: k8s.IntOrString.fromString('http') }] },
    });
    this.deployment = new k8s.KubeDeployment(this, 'deployment', {
      metadata: { name: props.name, namespace: ns, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: { metadata: { labels }, spec: { ...pod.podSpec, containers: [pod.container, sync] } },
      },
    });
  }
}
