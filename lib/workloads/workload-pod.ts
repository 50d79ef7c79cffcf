import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';
import { Images } from '../core/images';
import { ComputeResources, Resources } from '../core/k8s/resources';
import { Security } from '../core/k8s/security';
import { Names } from '../core/names';
import { Quantities } from '../core/quantity';
import { DataLakeMount, MinioDataLake } from '../data/minio-data-lake';
import { GpuResources } from '../core/gpu-resources';
import { GpuPlacement, GpuRequest } from '../gpu/gpu-placement';
import { ITeamSpace, TeamSpace } from '../teams/team-space';

/** A container port of a workload. */
export interface WorkloadPort {
  /** Port name: an IANA service name (at most 15 characters, lowercase letters, digits and '-', one letter at least). */
  readonly name: string;
  /** The port the process listens on. */
  readonly containerPort: number;
}

/** A directory the workload writes to under its read-only root filesystem. */
export interface WritableDirectory {
  /** Absolute path. */
  readonly path: string;
  /**
   * Name of the emptyDir volume, for an init container that prepares it.
   * @default "writable-<index>"
   */
  readonly name?: string;
  /**
   * Size limit of the emptyDir behind it.
   * @default "1Gi"
   */
  readonly sizeLimit?: string;
}

/** An init container of a workload: same image, same restricted context, its own command and mounts. */
export interface WorkloadInit {
  /** Container name (a DNS-1123 label). */
  readonly name: string;
  /** What it runs. */
  readonly command: string[];
  /** Its mounts (of the pod's volumes, or of a StatefulSet's claim templates). */
  readonly volumeMounts: k8s.VolumeMount[];
}

/** What {@link WorkloadPod.of} takes: everything a workload construct decides about its pod. */
export interface WorkloadPodProps {
  /** The props type reported in errors, e.g. `WorkbenchProps`. */
  readonly field: string;
  /** The team the workload runs for: its namespace, service account and quota. */
  readonly team: ITeamSpace;
  /** Container name: a DNS-1123 label. */
  readonly containerName: string;
  /** The image, pinned (a tag other than `latest`, or a digest). */
  readonly image: string;
  /**
   * Entrypoint.
   * @default - the image's
   */
  readonly command?: string[];
  /**
   * Arguments.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * Plain environment variables (nothing secret: reference Secrets through `secretEnv`).
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Environment variables read from Secrets: variable name → `secretName/key`.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: string };
  /**
   * Ports the process listens on.
   * @default - none
   */
  readonly ports?: WorkloadPort[];
  /** CPU and memory of the container (requests and limits). */
  readonly resources: ComputeResources;
  /**
   * GPUs: which pool and how many per pod (through {@link GpuPlacement}).
   * @default - no GPU
   */
  readonly gpu?: GpuRequest;
  /**
   * Whole GPUs (`nvidia.com/gpu`) per pod, placed by Kueue instead of a pool: the ResourceFlavor Kueue admits the
   * pod with adds its node selector and tolerations (a queued job that may run on any pool of a GPU type, or on
   * another cluster). Not with `gpu`.
   * @default - none
   */
  readonly queuedGpus?: number;
  /**
   * Buckets of the data lake the workload reads or writes (through {@link MinioDataLake.connect}: the grant, the
   * S3 environment, the lake's CA), all of one lake. `S3_BUCKET` and `S3_PREFIX` name the first; every mount is
   * granted.
   * @default - none
   */
  readonly dataLake?: DataLakeMount[];
  /**
   * Directories the process writes to (emptyDir volumes under a read-only root filesystem).
   * @default [{ path: '/tmp' }]
   */
  readonly writableDirectories?: WritableDirectory[];
  /**
   * Further volumes of the pod (PVCs of a StatefulSet's claim templates need no volume) and their mounts.
   * @default - none
   */
  readonly volumes?: k8s.Volume[];
  /** @default - none */
  readonly volumeMounts?: k8s.VolumeMount[];
  /**
   * The uid, gid and fsGroup the image's user has (e.g. Jupyter's jovyan: 1000 / 100).
   * @default Security.DEFAULT_UID for both
   */
  readonly runAsUser?: number;
  /** @default - runAsUser */
  readonly runAsGroup?: number;
  /** Probes of a long-running server. @default - none */
  readonly readinessProbe?: k8s.Probe;
  /** @default - none */
  readonly livenessProbe?: k8s.Probe;
  /** @default - none */
  readonly startupProbe?: k8s.Probe;
  /**
   * Mount the service account's API token: only for pods that talk to the Kubernetes API.
   * @default false
   */
  readonly apiAccess?: boolean;
  /**
   * Service account.
   * @default - the team's workload service account
   */
  readonly serviceAccountName?: string;
  /**
   * Pods that run at once with this spec, for the quota reservation.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Restart policy (`Never` or `OnFailure` for Job pods).
   * @default - Kubernetes' (`Always`)
   */
  readonly restartPolicy?: string;
  /** @default - Kubernetes' (30 s) */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * A step before the main container starts (e.g. seeding a fresh home volume from the image), run with the same
   * image, user and restricted context, and small fixed resources.
   * @default - none
   */
  readonly init?: WorkloadInit;
  /**
   * Mount the root filesystem read-only. Turn it off only for an image that cannot run otherwise, and say why.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Put the restricted settings in a pod-level securityContext (runAsNonRoot, uid, gid, fsGroup, seccomp). Turn it
   * off for a pod whose runtime refuses a pod securityContext (Knative Serving without its
   * `kubernetes.podspec-securitycontext` flag): every container then carries the uid and gid itself (runAsNonRoot
   * and seccomp are at container level in any case), and there is no fsGroup, so volumes other than emptyDir,
   * ConfigMap and Secret keep their own ownership.
   * @default true
   */
  readonly podSecurityContext?: boolean;
}

/** A built workload pod: the spec, its one container, and what it declared to its team's quota. */
export interface WorkloadPodSpec {
  /** The pod spec (restricted security context, GPU placement, volumes). */
  readonly podSpec: k8s.PodSpec;
  /** The container (also in `podSpec.containers`). */
  readonly container: k8s.Container;
  /** What one pod takes from the team's quota, keyed like a ResourceQuota, in base units. */
  readonly quotaPerPod: { [quotaKey: string]: number };
}

/** Init containers copy or prepare files: small, fixed resources (they run before the main container, never beside it). */
const INIT_RESOURCES: ComputeResources = { cpu: '100m', memory: '128Mi', cpuLimit: '500m', memoryLimit: '256Mi' };
const IANA_PORT_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * The one pod builder of every workload construct (workbenches, training jobs, served models): it decides the
 * restricted security context, requests and limits, GPU placement, the data lake's environment and CA, writable
 * directories under a read-only root, probes and the service account, and declares what the pod takes from the
 * team's quota (`ITeamSpace.reserve`).
 */
export class WorkloadPod {
  /**
   * Builds the pod of a workload construct.
   * @param scope the workload construct (reported in errors, and the one that reserves quota)
   */
  public static of(scope: IConstruct, props: WorkloadPodProps): WorkloadPodSpec {
    const path = scope.node.path;
    Checks.object(path, 'WorkloadPodProps', props);
    const f = Checks.string(path, 'WorkloadPodProps.field', props.field);
    const team = props.team;
    TeamSpace.check(path, `${f}.team`, team);
    const containerName = Names.validateDnsLabel(path, `${f}.containerName`, props.containerName);
    const image = Images.validatePinned(path, `${f}.image`, props.image);
    const command = stringList(path, `${f}.command`, props.command);
    const args = stringList(path, `${f}.args`, props.args);
    const replicas = Quantities.validateCount(path, `${f}.replicas`, props.replicas ?? 1, 0);
    const uid = Checks.number(path, `${f}.runAsUser`, props.runAsUser ?? Security.DEFAULT_UID, 1, 2 ** 31 - 1);
    const gid = Checks.number(path, `${f}.runAsGroup`, props.runAsGroup ?? uid, 1, 2 ** 31 - 1);
    const podSecurity = Security.podSecurityContext({ runAsUser: uid, runAsGroup: gid });
    const atPodLevel = Checks.boolean(path, `${f}.podSecurityContext`, props.podSecurityContext, true);
    // without a pod securityContext, each container names its uid and gid (runAsNonRoot and seccomp are there already)
    const containerSecurity = (readOnly: boolean): k8s.SecurityContext => ({
      ...Security.containerSecurityContext({ readOnlyRootFilesystem: readOnly }),
      ...(atPodLevel ? {} : { runAsUser: uid, runAsGroup: gid }),
    });
    const apiAccess = Checks.boolean(path, `${f}.apiAccess`, props.apiAccess, false);
    const readOnlyRootFilesystem = Checks.boolean(path, `${f}.readOnlyRootFilesystem`, props.readOnlyRootFilesystem, true);
    if (props.serviceAccountName !== undefined) Names.validateDnsLabel(path, `${f}.serviceAccountName`, props.serviceAccountName);

    // GPU placement: limits, node selector, tolerations, runtime class
    const gpu = props.gpu === undefined ? undefined : GpuPlacement.of(path, `${f}.gpu`, props.gpu);
    const gpuLimits = Object.fromEntries(Object.entries(gpu?.limits ?? {}).map(([name, q]) => [name, Number(q.value)]));
    if (props.queuedGpus !== undefined) {
      if (gpu) throw new ValidationError(path, `${f}.queuedGpus`, props.queuedGpus, 'expected either a pool (gpu) or GPUs placed by Kueue, not both');
      gpuLimits[GpuResources.NVIDIA_GPU] = Checks.number(path, `${f}.queuedGpus`, props.queuedGpus, 1, 1024);
    }
    const resources = Resources.requirements(scope, `${f}.resources`, props.resources, gpuLimits);

    // the data lake: grants, S3 environment, the lake's CA
    const mounts = Checks.optionalArray(path, `${f}.dataLake`, props.dataLake, [], 'a list of DataLakeMount ({ lake, bucket, access })');
    const connections = mounts.map((mount, i) => {
      Checks.object(path, `${f}.dataLake[${i}]`, mount, 'a DataLakeMount ({ lake, bucket, access })');
      Checks.instance(path, `${f}.dataLake[${i}].lake`, mount.lake, MinioDataLake, 'a MinioDataLake');
      return MinioDataLake.connect(team, mount);
    });
    if (connections.length > 1) {
      // every connection sets the same AWS_* variables: one lake endpoint, one set of keys per pod
      const lakes = new Set(mounts.map((m) => m.lake));
      if (lakes.size > 1) throw new ValidationError(path, `${f}.dataLake`, mounts.map((m) => m.lake.name), 'expected buckets of one lake: a pod has one S3 endpoint and one key pair');
    }

    // environment: the lake's first (S3_BUCKET of the first mount), then the workload's own; no name twice
    const env: k8s.EnvVar[] = [];
    const seen = new Set<string>();
    const add = (e: k8s.EnvVar, field: string) => {
      if (!ENV_NAME.test(e.name)) throw new ValidationError(path, field, e.name, 'expected an environment variable name (letters, digits, "_", "-", ".", not starting with a digit)');
      if (seen.has(e.name)) throw new ValidationError(path, field, e.name, 'expected each environment variable once (the data lake sets AWS_* and S3_* variables)');
      seen.add(e.name);
      env.push(e);
    };
    // One lake, so every connection sets the same endpoint and keys; S3_BUCKET / S3_PREFIX name the first mount.
    connections.forEach((c, i) => c.env.filter((e) => i === 0 || !seen.has(e.name)).forEach((e) => add(e, `${f}.dataLake[${i}]`)));
    // Secret-sourced variables before plain ones, so that a plain value may use $(NAME) of a Secret-sourced one
    for (const [name, ref] of Object.entries(Checks.optionalObject(path, `${f}.secretEnv`, props.secretEnv, 'a map of variable names to "secret/key"') ?? {})) {
      const [secret, key, ...rest] = Checks.string(path, `${f}.secretEnv["${name}"]`, ref, '"secretName/key"').split('/');
      if (rest.length > 0 || !Names.isDnsSubdomain(secret) || !/^[-._a-zA-Z0-9]+$/.test(key ?? '')) {
        throw new ValidationError(path, `${f}.secretEnv["${name}"]`, ref, 'expected "secretName/key": a Secret name and one of its keys');
      }
      add({ name, valueFrom: { secretKeyRef: { name: secret, key } } }, `${f}.secretEnv`);
    }

    for (const [name, value] of Object.entries(Checks.optionalObject(path, `${f}.env`, props.env, 'a map of variable names to values') ?? {})) {
      add({ name, value: Checks.string(path, `${f}.env["${name}"]`, value, 'a string', true) }, `${f}.env`);
    }
    // volumes: writable directories, the lake's CA, the caller's own
    const writable = Checks.optionalArray(path, `${f}.writableDirectories`, props.writableDirectories, [{ path: '/tmp' }], 'a list of { path, sizeLimit? }');
    const writableVolumes: k8s.Volume[] = [];
    const writableMounts: k8s.VolumeMount[] = [];
    writable.forEach((w, i) => {
      Checks.object(path, `${f}.writableDirectories[${i}]`, w, 'a { path, sizeLimit? }');
      if (typeof w.path !== 'string' || !w.path.startsWith('/') || w.path.split('/').includes('..')) {
        throw new ValidationError(path, `${f}.writableDirectories[${i}].path`, w.path, 'expected an absolute path without ".."');
      }
      Quantities.validate(path, `${f}.writableDirectories[${i}].sizeLimit`, w.sizeLimit ?? '1Gi');
      const dirs = Security.writableDirectories([w.path], w.sizeLimit ?? '1Gi');
      const name = w.name === undefined ? `writable-${i}` : Names.validateDnsLabel(path, `${f}.writableDirectories[${i}].name`, w.name);
      writableVolumes.push({ ...dirs.volumes[0], name });
      writableMounts.push({ ...dirs.mounts[0], name });
    });
    // connections to one lake bring the same CA volume: once
    const lakeVolumes = firstOfEachName(connections.flatMap((c) => c.volumes));
    const lakeMounts = firstOfEachName(connections.flatMap((c) => c.volumeMounts));
    const volumes = [...writableVolumes, ...lakeVolumes, ...Checks.optionalArray(path, `${f}.volumes`, props.volumes, [])];
    const volumeMounts = [...writableMounts, ...lakeMounts, ...Checks.optionalArray(path, `${f}.volumeMounts`, props.volumeMounts, [])];
    for (const [list, key, field] of [[volumes, 'name', 'volumes'], [volumeMounts, 'mountPath', 'volumeMounts']] as const) {
      const ids = (list as unknown as Array<Record<string, unknown>>).map((x) => String(x[key]));
      const dup = ids.find((id, i) => ids.indexOf(id) !== i);
      if (dup) throw new ValidationError(path, `${f}.${field}`, dup, `expected each ${key} once (writable directories and the data lake's CA have their own)`);
    }
    const nested = nestedMountProblem(volumeMounts, volumes);
    if (nested) throw new ValidationError(path, `${f}.writableDirectories`, nested.mount, nested.why);

    const ports = Checks.optionalArray(path, `${f}.ports`, props.ports, []).map((p, i) => {
      Checks.object(path, `${f}.ports[${i}]`, p, 'a { name, containerPort }');
      if (typeof p.name !== 'string' || p.name.length > 15 || !IANA_PORT_NAME.test(p.name)) {
        throw new ValidationError(path, `${f}.ports[${i}].name`, p.name, 'expected an IANA service name: at most 15 characters, lowercase letters, digits and "-", with a letter');
      }
      return { name: p.name, containerPort: Checks.number(path, `${f}.ports[${i}].containerPort`, p.containerPort, 1, 65535) };
    });

    const container: k8s.Container = {
      name: containerName,
      image,
      imagePullPolicy: 'IfNotPresent',
      command,
      args,
      env: env.length ? env : undefined,
      ports: ports.length ? ports : undefined,
      resources,
      securityContext: containerSecurity(readOnlyRootFilesystem),
      volumeMounts,
      readinessProbe: props.readinessProbe,
      livenessProbe: props.livenessProbe,
      startupProbe: props.startupProbe,
    };
    let initContainers: k8s.Container[] | undefined;
    if (props.init !== undefined) {
      const init = Checks.object(path, `${f}.init`, props.init, 'a { name, command, volumeMounts }');
      initContainers = [{
        name: Names.validateDnsLabel(path, `${f}.init.name`, init.name),
        image,
        imagePullPolicy: 'IfNotPresent',
        command: stringList(path, `${f}.init.command`, init.command),
        resources: Resources.requirements(scope, `${f}.init.resources`, INIT_RESOURCES),
        securityContext: containerSecurity(true),
        volumeMounts: Checks.array(path, `${f}.init.volumeMounts`, init.volumeMounts),
      }];
    }
    const podSpec: k8s.PodSpec = {
      serviceAccountName: props.serviceAccountName ?? team.serviceAccountName,
      automountServiceAccountToken: apiAccess,
      securityContext: atPodLevel ? podSecurity : undefined,
      restartPolicy: props.restartPolicy,
      terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
      nodeSelector: gpu?.nodeSelector,
      tolerations: gpu?.tolerations,
      runtimeClassName: gpu?.runtimeClassName,
      initContainers,
      containers: [container],
      volumes,
    };

    const quotaPerPod: { [quotaKey: string]: number } = { ...Resources.quotaDemand(props.resources, 1) };
    for (const [name, count] of Object.entries(gpuLimits)) quotaPerPod[`requests.${name}`] = count;
    if (replicas > 0) team.reserve(scope, Object.fromEntries(Object.entries(quotaPerPod).map(([k, v]) => [k, v * replicas])));
    return { podSpec, container, quotaPerPod };
  }
}

/**
 * The container runtime (runc) creates the missing directories of a mount point as root, mode 0755, before the
 * process starts (opencontainers/runc libcontainer/rootfs_linux.go, `createIfNotExists` / `MkdirAll` of the mount
 * destination). A mount two or more levels inside a writable volume, with no mount at the directory in between,
 * leaves that directory unwritable for a non-root process. Returns the first such mount and why.
 */
function nestedMountProblem(mounts: k8s.VolumeMount[], volumes: k8s.Volume[]): { mount: string; why: string } | undefined {
  const writableVolume = (name: string) => {
    const v = volumes.find((x) => x.name === name);
    return v === undefined || v.emptyDir !== undefined || v.persistentVolumeClaim !== undefined || v.ephemeral !== undefined;
  };
  const paths = mounts.map((m) => m.mountPath.replace(/\/+$/, ''));
  for (const outer of mounts.filter((m) => !m.readOnly && writableVolume(m.name))) {
    const base = outer.mountPath.replace(/\/+$/, '');
    for (const inner of paths) {
      if (!inner.startsWith(`${base}/`)) continue;
      const levels = inner.slice(base.length + 1).split('/');
      for (let depth = 1; depth < levels.length; depth++) {
        const between = `${base}/${levels.slice(0, depth).join('/')}`;
        if (!paths.includes(between)) {
          return { mount: inner, why: `expected no mount nested two levels inside the writable ${base} without a mount at ${between}: the container runtime would create ${between} as root` };
        }
      }
    }
  }
  return undefined;
}

function stringList(path: string, field: string, value: string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  Checks.array(path, field, value, 'a list of strings');
  value.forEach((v, i) => Checks.string(path, `${field}[${i}]`, v, 'a string', true));
  return value;
}

/** The first item of each name (a lake's connections all carry the same CA volume and mount). */
function firstOfEachName<T extends { name: string }>(items: T[]): T[] {
  return items.filter((item, i) => items.findIndex((x) => x.name === item.name) === i);
}
