import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Checks } from '../checks';
import { ValidationError } from '../errors';
import { Quantities } from '../quantity';

/** Options of {@link Security.podSecurityContext}. */
export interface PodSecurityOptions {
  /**
   * User id the containers run as (never 0).
   * @default 65532
   */
  readonly runAsUser?: number;
  /**
   * Group id of the containers and owner group of mounted volumes.
   * @default 65532
   */
  readonly runAsGroup?: number;
}

/** Options of {@link Security.containerSecurityContext}. */
export interface ContainerSecurityOptions {
  /**
   * Mount the root filesystem read-only. Leave on and give the image writable emptyDir mounts
   * ({@link Security.writableDirectories}) for the paths it writes to.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
}

/** emptyDir volumes and their mounts, for the paths an image writes to under a read-only root filesystem. */
export interface WritableDirectories {
  /** The pod's emptyDir volumes. */
  readonly volumes: k8s.Volume[];
  /** The container's mounts of those volumes. */
  readonly mounts: k8s.VolumeMount[];
}

/**
 * Secure defaults that meet the Pod Security Standard `restricted`: non-root with a non-zero uid, no privilege
 * escalation, every capability dropped, the runtime's default seccomp profile, a read-only root filesystem.
 */
export class Security {
  /** The non-root uid/gid used when none is given (the "nonroot" user of distroless images). */
  public static readonly DEFAULT_UID = 65532;

  /** Pod-level security context: runAsNonRoot, non-zero uid/gid, fsGroup, seccomp RuntimeDefault. */
  public static podSecurityContext(options: PodSecurityOptions = {}): k8s.PodSecurityContext {
    Checks.object('', 'PodSecurityOptions', options);
    const uid = options.runAsUser ?? Security.DEFAULT_UID;
    const gid = options.runAsGroup ?? Security.DEFAULT_UID;
    for (const [field, id] of [['runAsUser', uid], ['runAsGroup', gid]] as const) {
      if (!Number.isInteger(id) || id <= 0) {
        throw new ValidationError('', `PodSecurityOptions.${field}`, id, 'expected a positive integer (0 is root)');
      }
    }
    return {
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: gid,
      fsGroup: gid,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    };
  }

  /** Container-level security context: no privilege escalation, drop ALL capabilities, read-only root. */
  public static containerSecurityContext(options: ContainerSecurityOptions = {}): k8s.SecurityContext {
    Checks.object('', 'ContainerSecurityOptions', options);
    const readOnlyRootFilesystem = Checks.boolean('', 'ContainerSecurityOptions.readOnlyRootFilesystem', options.readOnlyRootFilesystem, true);
    return {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    };
  }

  /**
   * Writable emptyDir volumes for the given absolute paths (e.g. `/tmp`), named `writable-<n>`, so that an image
   * can run with a read-only root filesystem.
   * @param paths absolute directory paths the image writes to
   * @param sizeLimit size limit of each emptyDir (a Kubernetes quantity)
   */
  public static writableDirectories(paths: string[], sizeLimit: string = '1Gi'): WritableDirectories {
    Checks.array('', 'Security.writableDirectories.paths', paths, 'a list of absolute directory paths');
    Quantities.validate('', 'Security.writableDirectories.sizeLimit', sizeLimit);
    const volumes: k8s.Volume[] = [];
    const mounts: k8s.VolumeMount[] = [];
    paths.forEach((path, i) => {
      if (typeof path !== 'string' || !/^\/[^\0]*$/.test(path) || path.split('/').includes('..')) {
        throw new ValidationError('', `Security.writableDirectories.paths[${i}]`, path, 'expected an absolute path without ".."');
      }
      if (paths.indexOf(path) !== i) throw new ValidationError('', `Security.writableDirectories.paths[${i}]`, path, 'expected each path once');
      const name = `writable-${i}`;
      volumes.push({ name, emptyDir: { sizeLimit: k8s.Quantity.fromString(sizeLimit) } });
      mounts.push({ name, mountPath: path });
    });
    return { volumes, mounts };
  }
}
