import { Lazy } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { ComputeResources, Resources } from '../core/k8s/resources';
import { Security } from '../core/k8s/security';
import { LakeContext } from './lake-context';

/**
 * mc's configuration directory (aliases, and the CAs it trusts under `certs/CAs/`), as the upstream MinIO chart
 * lays it out: a writable emptyDir mounted at the directory itself and the CA Secret one level below, at
 * `<configdir>/certs`, with the CA at item path `CAs/...` (minio/minio helm/minio/values.yaml `configPathmc:
 * "/etc/minio/mc/"` and helm/minio/templates/post-job.yaml: `etc-path` emptyDir at /etc/minio/mc,
 * `cert-secret-volume-mc` at `{{ .Values.configPathmc }}certs` with path `CAs/public.crt`,
 * @RELEASE.2025-09-07T16-13-09Z). A mount nested deeper inside a writable volume would have its missing parent
 * directories created by the container runtime as root (runc, 0755), which mc (uid 65532) cannot write into.
 * mc reads the directory from `MC_CONFIG_DIR` (minio/mc cmd/flags.go, flag `config-dir` with `EnvVar: envPrefix +
 * "CONFIG_DIR"`, @RELEASE.2025-08-13T08-35-41Z).
 */
export const MC_CONFIG_DIR = '/etc/minio/mc';
/** Where the provisioning files (script, policies, lifecycles) are mounted. */
export const CONFIG_MOUNT = '/config';

/** Options of {@link LakeClientPod.spec}. @internal */
export interface LakeClientPodOptions {
  readonly command: string[];
  /** The container's environment, or a function producing it at synth (when it depends on later grants). */
  readonly env: k8s.EnvVar[] | (() => k8s.EnvVar[]);
  readonly resourcesField: string;
  readonly resources: ComputeResources;
  /** Size limit of the writable /tmp. */
  readonly tmpSize: string;
  /** ConfigMap mounted read-only at {@link CONFIG_MOUNT}. */
  readonly configMap?: string;
}

/**
 * The pod of the lake's MinIO client (`mc`) jobs (provisioning, mirrors): PSS restricted, read-only root, no API
 * token, a writable /tmp and mc config directory, and with TLS the lake's CA where mc looks for it.
 * @internal not part of the public API
 */
export class LakeClientPod {
  /**
   * `mc alias set` without its server probe: with `--api`, mc's BuildS3Config returns before
   * `probeS3Signature`, which would otherwise call the server and, under `set -eu`, end the script when the lake
   * is not up yet (minio/mc cmd/alias-set.go, BuildS3Config: "If api is provided we do not auto probe signature",
   * @RELEASE.2025-08-13T08-35-41Z). The lake is addressed path-style (`--path on`, MinIO's default); cloud
   * endpoints with `--path auto` (virtual-host style where the provider wants it).
   */
  public static aliasSet(alias: string, endpoint: string, accessKeyVar: string, secretKeyVar: string, path: string = 'on'): string {
    return `mc alias set ${alias} "${endpoint}" "$${accessKeyVar}" "$${secretKeyVar}" --api s3v4 --path ${path} >/dev/null`;
  }

  /** The pod spec. */
  public static spec(ctx: LakeContext, options: LakeClientPodOptions): k8s.PodSpec {
    const env = options.env;
    const mcConfig: k8s.EnvVar = { name: 'MC_CONFIG_DIR', value: MC_CONFIG_DIR };
    const writable = Security.writableDirectories(['/tmp', MC_CONFIG_DIR], options.tmpSize);
    const config: k8s.Volume[] = options.configMap ? [{ name: 'config', configMap: { name: options.configMap } }] : [];
    const ca: k8s.Volume[] = ctx.tls ? [{ name: 'lake-ca', secret: { secretName: ctx.tls.secretName, items: [{ key: 'ca.crt', path: 'CAs/ca.crt' }] } }] : [];
    return {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      securityContext: Security.podSecurityContext(),
      containers: [{
        name: 'mc',
        image: ctx.clientImage,
        imagePullPolicy: 'IfNotPresent',
        command: options.command,
        env: typeof env === 'function' ? Lazy.any({ produce: () => [mcConfig, ...env()] }) : [mcConfig, ...env],
        resources: Resources.requirements(ctx.scope, options.resourcesField, options.resources),
        securityContext: Security.containerSecurityContext(),
        volumeMounts: [
          ...config.map((v) => ({ name: v.name, mountPath: CONFIG_MOUNT, readOnly: true })),
          ...writable.mounts,
          ...ca.map((v) => ({ name: v.name, mountPath: `${MC_CONFIG_DIR}/certs`, readOnly: true })),
        ],
      }],
      volumes: [...config, ...writable.volumes, ...ca],
    };
  }
}
