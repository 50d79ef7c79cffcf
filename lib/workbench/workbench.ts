import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { GitOps } from '../addons/gitops';
import { Checks } from '../core/checks';
import { ClusterScope } from '../core/cluster-scope';
import { ValidationError } from '../core/errors';
import { Images } from '../core/images';
import { ObjectOrder } from '../core/k8s/object-order';
import { ComputeResources } from '../core/k8s/resources';
import { Labels } from '../core/labels';
import { Names } from '../core/names';
import { Quantities } from '../core/quantity';
import { DefaultImages } from '../core/versions';
import { DataLakeMount } from '../data/minio-data-lake';
import { GpuRequest } from '../gpu/gpu-placement';
import { ITeamSpace, TeamSpace } from '../teams/team-space';
import { WorkloadInit, WorkloadPod, WritableDirectory } from '../workloads/workload-pod';
import { WorkbenchCuller } from './workbench-culler';
import { WorkbenchCulling, WorkbenchCullingMode } from './workbench-culling';
import { WorkbenchKind } from './workbench-kind';
import { NamespaceSelectors } from '../core/k8s/namespace-selectors';

/** Access through the cluster's ingress controller (the default is `kubectl port-forward`). */
export interface WorkbenchIngress {
  /** Host name, e.g. `alice-jupyter.ml.example.com`. */
  readonly host: string;
  /**
   * Secret with the TLS certificate of the host (in the team's namespace; cert-manager can issue it).
   * @default "<workbench>-tls"
   */
  readonly tlsSecret?: string;
  /**
   * Ingress class.
   * @default "nginx"
   */
  readonly ingressClassName?: string;
  /**
   * Namespace of the ingress controller's pods: the only one the workbench's NetworkPolicy admits.
   * @default "ingress-nginx"
   */
  readonly controllerNamespace?: string;
}

/** The settings of a workbench other than who owns it: also the per-team defaults of a {@link WorkbenchFleet}. */
export interface WorkbenchOptions {
  /**
   * Image, pinned; the kind's user, port and paths stay the same.
   * @default - the kind's default (Jupyter: `scipy-notebook`, or the CUDA `pytorch-notebook` with a GPU)
   */
  readonly image?: string;
  /**
   * Jupyter only: the Docker Stacks image (`scipy-notebook`, `pytorch-notebook`, `datascience-notebook`, ...) at
   * the pinned date tag. With a GPU, `pytorch-notebook` (the one with a CUDA variant).
   * @default "scipy-notebook", or "pytorch-notebook" with a GPU
   */
  readonly flavor?: string;
  /**
   * CPU and memory.
   * @default { cpu: "1", memory: "4Gi", cpuLimit: "4" }
   */
  readonly resources?: ComputeResources;
  /**
   * GPUs: a pool and a count (checked against the pool's nodes).
   * @default - none
   */
  readonly gpu?: GpuRequest;
  /**
   * Buckets of the data lake (one lake), granted to the team and wired into the environment.
   * @default - none
   */
  readonly dataLake?: DataLakeMount[];
  /**
   * Size of the persistent volume (home or notebooks), retained when the workbench is deleted.
   * @default "20Gi"
   */
  readonly homeSize?: string;
  /**
   * Storage class of that volume.
   * @default - the cluster's default
   */
  readonly storageClass?: string;
  /**
   * Secret (in the team's namespace) that signs the owner in: key `token` (Jupyter), `shiro.ini` (Zeppelin) or
   * `password` (RStudio). Created out of band; never synthesized.
   * @default "<workbench>-credentials"
   */
  readonly credentialsSecret?: string;
  /**
   * Access through an ingress controller, with TLS.
   * @default - none: `kubectl port-forward`
   */
  readonly ingress?: WorkbenchIngress;
  /**
   * When the workbench stops (scaled to 0, its GPU released, nothing deleted).
   * @default - Jupyter: idle for 60 minutes; Zeppelin and RStudio: every day at 20:00 UTC
   */
  readonly culling?: WorkbenchCulling;
}

/** Props of {@link Workbench}. */
export interface WorkbenchProps extends WorkbenchOptions {
  /** Jupyter, Zeppelin or RStudio. */
  readonly kind: WorkbenchKind;
  /** The user it belongs to: a DNS-1123 label starting with a letter (it names the workbench `<owner>-<kind>`). */
  readonly owner: string;
  /** The owner's team: the workbench runs in its namespace, within its quota. */
  readonly team: ITeamSpace;
}

const DEFAULT_RESOURCES: ComputeResources = { cpu: '1', memory: '4Gi', cpuLimit: '4' };
const JUPYTER_FLAVORS = [
  'base-notebook', 'minimal-notebook', 'scipy-notebook', 'r-notebook', 'julia-notebook', 'tensorflow-notebook',
  'pytorch-notebook', 'datascience-notebook', 'pyspark-notebook', 'all-spark-notebook',
];
const GPU_FLAVOR = 'pytorch-notebook';
/** pod `<name>-0`, PVC `home-<name>-0`, CronJob `<name>-culler` (at most 52): room for all. */
const MAX_NAME = 40;
const PORT_NAME = 'http';
const HOME_VOLUME = 'home';
const SEED = '/mnt/seed';
const DATA = '/mnt/data';
const SEED_MARKER = '.workbench-seeded';

/** How one kind runs: what {@link Workbench} gives the workload pod builder. */
interface KindRecipe {
  readonly command?: string[];
  readonly args?: string[];
  readonly env: { [name: string]: string };
  readonly secretEnv: { [name: string]: string };
  readonly writable: WritableDirectory[];
  readonly volumes: k8s.Volume[];
  readonly volumeMounts: k8s.VolumeMount[];
  readonly init?: WorkloadInit;
  readonly readinessProbe: k8s.Probe;
  readonly livenessProbe: k8s.Probe;
  readonly startupProbe: k8s.Probe;
  readonly readOnlyRootFilesystem: boolean;
}

/**
 * A data scientist's workbench on the cluster (Jupyter, Zeppelin or RStudio) instead of a laptop, with GPUs and the
 * data lake when asked:
 *
 * - a StatefulSet of one pod (no `replicas` field: the culler and the owner own it, GitOps does not fight them)
 *   with a retained volume for the home (or Zeppelin's notebooks), seeded once from the image;
 * - the restricted security context, requests and limits, GPU placement and the lake's environment, all from the
 *   shared {@link WorkloadPod} builder; the kind's own user, writable paths, probes and sign-in (a Secret);
 * - a Service, and optionally an Ingress with TLS whose controller namespace is the only one admitted;
 * - culling: a small CronJob that scales the workbench to 0 when idle (Jupyter) or on a schedule (all kinds).
 *
 * One workbench per owner and kind in a namespace.
 */
export class Workbench extends Construct {
  /** `<owner>-<kind>`: the StatefulSet, Service and prefix of every object. */
  public readonly name: string;
  public readonly kind: WorkbenchKind;
  public readonly namespaceName: string;
  /** The server inside the cluster. */
  public readonly url: string;
  /** The Secret that signs the owner in, and its key. */
  public readonly credentialsSecret: string;
  /** Escape hatches. */
  public readonly statefulSet: k8s.KubeStatefulSet;
  public readonly service: k8s.KubeService;
  public readonly ingress?: k8s.KubeIngress;
  public readonly networkPolicy?: k8s.KubeNetworkPolicy;
  /** The culler's CronJob (when culling is on). */
  public readonly cullerCronJob?: k8s.KubeCronJob;

  public constructor(scope: Construct, id: string, props: WorkbenchProps) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    const P = 'WorkbenchProps';
    Checks.object(path, P, props, 'WorkbenchProps ({ kind, owner, team, ... })');
    this.kind = Checks.instance(path, `${P}.kind`, props.kind, WorkbenchKind, `a WorkbenchKind: ${WorkbenchKind.all().map((k) => `WorkbenchKind.${k.id.toUpperCase()}`).join(', ')}`);
    const owner = Names.validateDnsLabel(path, `${P}.owner`, props.owner);
    if (!Names.isDns1035Label(owner)) throw new ValidationError(path, `${P}.owner`, owner, 'expected a user name starting with a letter (it names a Service)');
    const team = props.team;
    TeamSpace.check(path, `${P}.team`, team);
    if (team.node.root !== this.node.root) {
      throw new ValidationError(path, `${P}.team`, team.node.path, 'expected a team of this cluster (the same cdk8s App)');
    }
    this.name = `${owner}-${this.kind.id}`;
    if (this.name.length > MAX_NAME) {
      throw new ValidationError(path, `${P}.owner`, owner, `expected at most ${MAX_NAME - this.kind.id.length - 1} characters: "${this.name}" names the pod, its volume and its culler`);
    }
    this.namespaceName = team.namespaceName;
    ClusterScope.claimUnique(this, 'Workbench', `${this.namespaceName}/${this.name}`, `${P}.owner`);
    this.url = `http://${this.name}.${this.namespaceName}.svc:${this.kind.port}`;
    this.credentialsSecret = props.credentialsSecret === undefined ? `${this.name}-credentials`
      : Names.validateDnsLabel(path, `${P}.credentialsSecret`, props.credentialsSecret);
    const homeSize = Quantities.validate(path, `${P}.homeSize`, props.homeSize ?? '20Gi');
    if (props.storageClass !== undefined) Names.validateDnsLabel(path, `${P}.storageClass`, props.storageClass);
    const culling = props.culling === undefined ? WorkbenchCulling.defaultFor(this.kind.reportsActivity)
      : Checks.instance(path, `${P}.culling`, props.culling, WorkbenchCulling, 'a WorkbenchCulling (idleFor, onSchedule or disabled)');
    if (culling.mode === WorkbenchCullingMode.IDLE && !this.kind.reportsActivity) {
      throw new ValidationError(path, `${P}.culling`, 'idleFor', `expected WorkbenchCulling.onSchedule(...) or disabled(): ${this.kind.displayName} reports no activity to tell idle from busy`);
    }
    const image = this.image(props);
    const recipe = this.recipe();

    const labels = Labels.standard({ name: 'workbench', instance: this.name, component: this.kind.id });
    const selector = Labels.selector({ name: 'workbench', instance: this.name, component: this.kind.id });
    const meta = (name: string): k8s.ObjectMeta => ({ name, namespace: this.namespaceName, labels });

    const pod = WorkloadPod.of(this, {
      field: P,
      team,
      containerName: this.kind.id,
      image,
      command: recipe.command,
      args: recipe.args,
      env: recipe.env,
      secretEnv: recipe.secretEnv,
      ports: [{ name: PORT_NAME, containerPort: this.kind.port }],
      resources: Checks.optionalObject(path, `${P}.resources`, props.resources, 'ComputeResources ({ cpu, memory })') ?? DEFAULT_RESOURCES,
      gpu: props.gpu,
      dataLake: props.dataLake,
      writableDirectories: recipe.writable,
      volumes: recipe.volumes,
      volumeMounts: [{ name: HOME_VOLUME, mountPath: this.kind.dataDir }, ...recipe.volumeMounts],
      runAsUser: this.kind.uid,
      runAsGroup: this.kind.gid,
      readinessProbe: recipe.readinessProbe,
      livenessProbe: recipe.livenessProbe,
      startupProbe: recipe.startupProbe,
      init: recipe.init,
      readOnlyRootFilesystem: recipe.readOnlyRootFilesystem,
      terminationGracePeriodSeconds: 60,
    });
    team.reserve(this, { 'requests.storage': Quantities.parse(homeSize)!, 'persistentvolumeclaims': 1 });

    this.service = new k8s.KubeService(this, 'service', {
      metadata: meta(this.name),
      spec: { selector, ports: [{ name: PORT_NAME, port: this.kind.port, targetPort: k8s.IntOrString.fromString(PORT_NAME) }] },
    });
    this.statefulSet = new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: meta(this.name),
      spec: {
        // no replicas: Kubernetes starts one; the culler scales it to 0 and the owner back to 1, and a GitOps sync
        // leaves the field alone because the manifest does not set it
        serviceName: this.service.name,
        selector: { matchLabels: selector },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: { metadata: { labels: { ...labels, 'ai-platform/owner': owner } }, spec: pod.podSpec },
        volumeClaimTemplates: [{
          metadata: { name: HOME_VOLUME, labels },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: props.storageClass,
            resources: { requests: { storage: k8s.Quantity.fromString(homeSize) } },
          },
        }],
      },
    });

    // the home volume outlives any GitOps sync: the StatefulSet is never pruned or deleted by one
    GitOps.protect(this.statefulSet);

    const admitted: k8s.NetworkPolicyPeer[] = [];
    if (props.ingress !== undefined) {
      const ingress = Checks.object(path, `${P}.ingress`, props.ingress, 'a WorkbenchIngress ({ host, ... })');
      const host = ingress.host;
      if (typeof host !== 'string' || !Names.isDnsSubdomain(host) || !host.includes('.')) {
        throw new ValidationError(path, `${P}.ingress.host`, host, 'expected a fully qualified host name such as "alice-jupyter.ml.example.com" (no wildcard, no scheme, no port)');
      }
      const tlsSecret = ingress.tlsSecret === undefined ? `${this.name}-tls` : Names.validateDnsLabel(path, `${P}.ingress.tlsSecret`, ingress.tlsSecret);
      const ingressClassName = ingress.ingressClassName === undefined ? 'nginx' : Names.validateDnsLabel(path, `${P}.ingress.ingressClassName`, ingress.ingressClassName);
      const controllerNamespace = ingress.controllerNamespace === undefined ? 'ingress-nginx'
        : Names.validateDnsLabel(path, `${P}.ingress.controllerNamespace`, ingress.controllerNamespace);
      this.ingress = new k8s.KubeIngress(this, 'ingress', {
        metadata: meta(this.name),
        spec: {
          ingressClassName,
          tls: [{ hosts: [host], secretName: tlsSecret }],
          rules: [{
            host,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: this.service.name, port: { name: PORT_NAME } } } }] },
          }],
        },
      });
      admitted.push({ namespaceSelector: NamespaceSelectors.named(controllerNamespace) });
    }
    if (culling.mode !== WorkbenchCullingMode.DISABLED) {
      const culler = new WorkbenchCuller(this, 'culler', {
        team, workbench: this.name, culling, url: this.url, tokenSecret: this.credentialsSecret, tokenKey: this.kind.credentialsKey,
      });
      this.cullerCronJob = culler.cronJob;
      if (culling.mode === WorkbenchCullingMode.IDLE) admitted.push({ podSelector: { matchLabels: WorkbenchCuller.podSelector(this.name) } });
    }
    if (admitted.length > 0) {
      // the team's default-deny stays for everything else; port-forward goes through the kubelet, not the network
      this.networkPolicy = new k8s.KubeNetworkPolicy(this, 'network-policy', {
        metadata: meta(this.name),
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ['Ingress'],
          ingress: [{ from: admitted, ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(this.kind.port) }] }],
        },
      });
    }
  }

  /** The image: the given one (pinned), or the kind's default (Jupyter: the flavor, CUDA with a GPU). */
  private image(props: WorkbenchProps): string {
    const path = this.node.path;
    if (props.flavor !== undefined && this.kind !== WorkbenchKind.JUPYTER) {
      throw new ValidationError(path, 'WorkbenchProps.flavor', props.flavor, 'expected no flavor: only Jupyter has Docker Stacks flavors');
    }
    if (props.image !== undefined) {
      if (props.flavor !== undefined) throw new ValidationError(path, 'WorkbenchProps.flavor', props.flavor, 'expected either image or flavor, not both');
      return Images.validatePinned(path, 'WorkbenchProps.image', props.image);
    }
    if (this.kind !== WorkbenchKind.JUPYTER) return this.kind.defaultImage;
    const gpu = props.gpu !== undefined;
    const flavor = Checks.oneOf(path, 'WorkbenchProps.flavor', props.flavor, JUPYTER_FLAVORS, gpu ? GPU_FLAVOR : 'scipy-notebook');
    if (gpu && flavor !== GPU_FLAVOR) {
      throw new ValidationError(path, 'WorkbenchProps.flavor', flavor, `expected "${GPU_FLAVOR}" with a GPU (the Docker Stacks image with a CUDA variant), or an image of your own`);
    }
    const tag = gpu ? `${DefaultImages.JUPYTER_CUDA_PREFIX}${DefaultImages.JUPYTER_TAG}` : DefaultImages.JUPYTER_TAG;
    return `${DefaultImages.JUPYTER_REGISTRY}/${flavor}:${tag}`;
  }

  /** How this kind runs under a read-only root as its image's user (facts cited per kind). */
  private recipe(): KindRecipe {
    const port = k8s.IntOrString.fromString(PORT_NAME);
    const http = (probePath: string, periodSeconds: number, failureThreshold: number): k8s.Probe =>
      ({ httpGet: { path: probePath, port }, periodSeconds, timeoutSeconds: 5, failureThreshold });
    const tcp = (periodSeconds: number, failureThreshold: number): k8s.Probe => ({ tcpSocket: { port }, periodSeconds, timeoutSeconds: 5, failureThreshold });
    const credentials = this.credentialsSecret;
    const key = this.kind.credentialsKey;
    // A fresh volume on the home hides what the image put there (.bashrc, work/, ...): copy it once, as Kubeflow's
    // notebook images do at start (s6 copy from /tmp_home), marked so that later starts leave the owner's files be.
    const seedHome: WorkloadInit = {
      name: 'seed-home',
      command: ['sh', '-c', `[ -e ${SEED}/${SEED_MARKER} ] || { cp -a ${this.kind.dataDir}/. ${SEED}/ && touch ${SEED}/${SEED_MARKER}; }`],
      volumeMounts: [{ name: HOME_VOLUME, mountPath: SEED }],
    };
    switch (this.kind) {
      case WorkbenchKind.JUPYTER:
        return {
          env: {
            // docker-stacks start-notebook.py / jupyter_server: JUPYTER_PORT; the runtime dir (kernel connection
            // files, the cookie secret) off the home volume, as Kubeflow's images do (jupyter/notebook#5058)
            JUPYTER_PORT: String(this.kind.port),
            JUPYTER_RUNTIME_DIR: '/tmp/jupyter-runtime',
            DOCKER_STACKS_JUPYTER_CMD: 'lab',
          },
          // jupyter_server's IdentityProvider reads JUPYTER_TOKEN; never JUPYTER_TOKEN_FILE, which keeps a trailing newline
          secretEnv: { JUPYTER_TOKEN: `${credentials}/${key}` },
          writable: [{ path: '/tmp', sizeLimit: '4Gi' }],
          volumes: [],
          volumeMounts: [],
          init: seedHome,
          // GET /api: no auth (@allow_unauthenticated) and not counted as activity (_track_activity = False)
          readinessProbe: http('/api', 10, 3),
          livenessProbe: http('/api', 20, 6),
          startupProbe: http('/api', 5, 60),
          readOnlyRootFilesystem: true,
        };
      case WorkbenchKind.ZEPPELIN: {
        const home = '/opt/zeppelin';
        return {
          env: {
            // ZeppelinConfiguration reads every setting from an env var of its name. Local interpreters: run mode
            // "auto" turns to the Kubernetes launcher when a service-account token is mounted (getRunMode).
            ZEPPELIN_RUN_MODE: 'local',
            ZEPPELIN_ADDR: '0.0.0.0',
            ZEPPELIN_PORT: String(this.kind.port),
            ZEPPELIN_NOTEBOOK_DIR: `${this.kind.dataDir}/notebook`,
            ZEPPELIN_CONFIG_FS_DIR: `${this.kind.dataDir}/conf`,
            ZEPPELIN_RECOVERY_DIR: `${this.kind.dataDir}/recovery`,
          },
          secretEnv: {},
          // what Zeppelin writes (Dockerfile, bin/common.sh, ZeppelinConfiguration defaults): logs, pids, its conf
          // dir, the unpacked web app, interpreter dependencies, the search index in /tmp
          writable: [
            { path: `${home}/conf`, name: 'conf', sizeLimit: '64Mi' }, { path: `${home}/logs`, sizeLimit: '2Gi' }, { path: `${home}/run`, sizeLimit: '16Mi' },
            { path: `${home}/webapps`, sizeLimit: '512Mi' }, { path: `${home}/local-repo`, sizeLimit: '4Gi' }, { path: '/tmp', sizeLimit: '4Gi' },
          ],
          // conf is an emptyDir so that Zeppelin can write to it: filled from the image by the init container;
          // shiro.ini (who may sign in) from the Secret, one level inside it
          volumes: [{ name: 'credentials', secret: { secretName: credentials, items: [{ key, path: key }] } }],
          volumeMounts: [{ name: 'credentials', mountPath: `${home}/conf/${key}`, subPath: key, readOnly: true }],
          // and the directories it keeps on the volume exist before it starts (its local config storage writes
          // interpreter.json into an existing directory)
          init: {
            name: 'prepare',
            command: ['sh', '-c', `cp -a ${home}/conf/. ${SEED}/ && mkdir -p ${DATA}/notebook ${DATA}/conf ${DATA}/recovery`],
            volumeMounts: [{ name: 'conf', mountPath: SEED }, { name: HOME_VOLUME, mountPath: DATA }],
          },
          // /api/version is anonymous in Zeppelin's shiro.ini template (keep `/api/version = anon` in yours)
          readinessProbe: http('/api/version', 10, 3),
          livenessProbe: tcp(20, 6),
          startupProbe: tcp(5, 60),
          readOnlyRootFilesystem: true,
        };
      }
      default: { // RSTUDIO
        const configDir = '/etc/rstudio-workbench';
        return {
          // Rocker's /init (s6) needs root; run rserver directly as the rstudio user. Non-root rserver turns
          // authentication off and uses another PAM helper unless told (rstudio ServerOptions: auth-none defaults
          // to !root, auth-pam-helper-path to rserver-pam); rocker's pam-helper compares $USER and $PASSWORD.
          command: ['/usr/lib/rstudio-server/bin/rserver'],
          args: [
            '--server-daemonize=0', `--www-port=${this.kind.port}`, '--www-address=0.0.0.0', '--server-user=rstudio',
            '--auth-none=0', '--auth-pam-helper-path=pam-helper', '--auth-validate-users=0',
            '--server-data-dir=/var/run/rstudio-server', '--server-pid-file=/var/run/rstudio-server/rserver.pid',
            '--secure-cookie-key-file=/var/lib/rstudio-server/secure-cookie-key', `--database-config-file=${configDir}/database.conf`,
          ],
          env: { USER: 'rstudio', HOME: this.kind.dataDir },
          secretEnv: { PASSWORD: `${credentials}/${key}` },
          writable: [
            { path: '/tmp', sizeLimit: '4Gi' }, { path: '/var/run/rstudio-server', sizeLimit: '64Mi' }, { path: '/var/lib/rstudio-server', sizeLimit: '256Mi' },
          ],
          volumes: [{ name: 'rserver-config', configMap: { name: this.rstudioConfig().name } }],
          volumeMounts: [
            { name: 'rserver-config', mountPath: configDir, readOnly: true },
            // rocker's logging.conf logs to syslog, which a container has not
            { name: 'rserver-config', mountPath: '/etc/rstudio/logging.conf', subPath: 'logging.conf', readOnly: true },
          ],
          init: seedHome,
          // open-source RStudio Server has no health endpoint (/health-check is Posit Workbench's)
          readinessProbe: tcp(10, 3),
          livenessProbe: tcp(20, 6),
          startupProbe: tcp(5, 60),
          // The one documented exception to the read-only root: rserver and rsession write state under /etc and
          // /var at run time beyond the paths its options move (not all verifiable offline). Still PSS restricted.
          readOnlyRootFilesystem: false,
        };
      }
    }
  }

  /** RStudio's database (SQLite on a writable directory) and logging (to stderr) configuration. */
  private rstudioConfig(): k8s.KubeConfigMap {
    return new k8s.KubeConfigMap(this, 'rserver-config', {
      metadata: { name: `${this.name}-rserver`, namespace: this.namespaceName, labels: Labels.standard({ name: 'workbench', instance: this.name, component: this.kind.id }) },
      data: {
        'database.conf': 'provider=sqlite\ndirectory=/var/lib/rstudio-server\n',
        'logging.conf': '[*]\nlogger-type=stderr\nlog-level=warn\n',
      },
    });
  }
}
