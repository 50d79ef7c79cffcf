import { createHash } from 'node:crypto';
import { Lazy } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { ComputeResources, Resources } from '../core/k8s/resources';
import { DataBucket } from './data-bucket';
import { LakeAccess } from './lake-access';
import { CONFIG_MOUNT, LakeClientPod } from './lake-client-pod';
import { LakeContext } from './lake-context';
import { LakeLineage } from './lake-lineage';
import type { ILakeNotificationTarget } from './minio-data-lake';
import { LakeMirrors } from './lake-mirrors';

const PROVISIONING_RESOURCES: ComputeResources = { cpu: '100m', memory: '128Mi', cpuLimit: '500m', memoryLimit: '256Mi' };

/** What the provisioning is built from. @internal */
export interface LakeProvisioningOptions {
  readonly buckets: DataBucket[];
  /** The lake's field holding `buckets` (errors on a derived name name the bucket in it). */
  readonly bucketsField: string;
  readonly lineage?: LakeLineage;
  readonly notifications: ILakeNotificationTarget[];
  readonly access: LakeAccess;
  readonly mirrors: LakeMirrors;
}

/**
 * The lake's provisioning: a script (and the files it reads) in a ConfigMap, run by a Job with the MinIO client,
 * that creates or updates buckets, their settings and notifications, policies and users. It only creates or
 * updates: it never deletes a bucket, an object, a version, a user or a policy, so it is safe on every sync. The
 * only holder of the root credentials besides the servers.
 * @internal not part of the public API
 */
export class LakeProvisioning {
  /**
   * A `case` pattern list matching `mc admin user info --json` output whose `policyName` (a comma-separated list)
   * holds `policy`. mc prints that JSON with `json.MarshalIndent(u, "", " ")` (minio/mc cmd/admin-user-add.go,
   * userMessage.JSON, `PolicyName string json:"policyName,omitempty"`, printed by cmd/admin-user-info.go,
   * @RELEASE.2025-08-13T08-35-41Z): one key per line, `"policyName": "a,b"`, with a space after the colon.
   * Shell built-ins only: the mc image has no grep.
   */
  public static attachedPatterns(policy: string): string {
    const field = `'"policyName": "'`;
    return [`${field}'${policy}"'`, `${field}'${policy},'`, `${field}*',${policy}"'`, `${field}*',${policy},'`].map((p) => `*${p}*`).join('|');
  }

  public readonly config: k8s.KubeConfigMap;
  public readonly job: k8s.KubeJob;

  public constructor(private readonly ctx: LakeContext, private readonly options: LakeProvisioningOptions) {
    const path = ctx.scope.node.path;
    // ConfigMap keys derived from bucket names, checked where they are made.
    options.buckets.forEach((b, i) => LakeContext.configMapKey(path, `${options.bucketsField}[${i}].name`, b.name, `lifecycle-${b.name}.json`));
    this.config = new k8s.KubeConfigMap(ctx.scope, 'provision-config', {
      metadata: ctx.meta(`${ctx.name}-provision`, 'provisioner'),
      data: Lazy.any({ produce: () => this.files() }),
    });
    const labels = ctx.labels('provisioner');
    // The name carries a hash of everything the Job applies: a change makes a new Job (Job templates are immutable).
    const hash = () => createHash('sha256').update(JSON.stringify([this.files(), this.env(), ctx.clientImage])).digest('hex').slice(0, 10);
    this.job = new k8s.KubeJob(ctx.scope, 'provision', {
      metadata: {
        name: Lazy.any({ produce: () => `${ctx.name}-provision-${hash()}` }),
        namespace: ctx.namespaceName,
        labels,
      },
      spec: {
        backoffLimit: 6,
        activeDeadlineSeconds: 1800,
        ttlSecondsAfterFinished: 7 * 24 * 3600,
        template: {
          metadata: { labels },
          spec: LakeClientPod.spec(ctx, {
            command: ['/bin/sh', `${CONFIG_MOUNT}/provision.sh`],
            env: () => [...ctx.rootCredentialEnv(), ...this.env()],
            resourcesField: 'MinioDataLake.provisioning.resources',
            resources: PROVISIONING_RESOURCES,
            tmpSize: '256Mi',
            configMap: this.config.name,
          }),
        },
      },
    });
  }

  /** What the Job takes from the namespace's quota. */
  public quotaDemand(): { [quotaKey: string]: number } {
    return Resources.quotaDemand(PROVISIONING_RESOURCES);
  }

  /** The key pairs of the identities the Job creates (teams, mirrors), from their Secrets, by reference. */
  private env(): k8s.EnvVar[] {
    return [
      ...[...this.options.access.grants.values()].flatMap((g, i) => LakeContext.keyPairEnv(`TEAM_${i}`, g.credentialsSecret)),
      ...this.options.mirrors.identities.flatMap((m, i) => LakeContext.keyPairEnv(`MIRROR_${i}`, m.credentialsSecret)),
    ];
  }

  /** The provisioning script and the files it reads (policies, lifecycles), produced at synth with every grant. */
  private files(): Record<string, string> {
    const ctx = this.ctx;
    const files: Record<string, string> = {};
    const lines = [
      '#!/bin/sh',
      '# Applies the lake\'s buckets, policies and users. Only creates or updates: never deletes a bucket, an object or',
      '# a version, so it is safe to run again.',
      'set -eu',
      // No probe (--api): the lake may not be up yet; `mc ready` then waits for its write quorum.
      LakeClientPod.aliasSet('lake', ctx.endpoint, 'MINIO_ROOT_USER', 'MINIO_ROOT_PASSWORD'),
      'until mc ready lake >/dev/null 2>&1; do echo "waiting for the lake"; sleep 5; done',
    ];
    const arn = LakeLineage.arn(ctx.region);
    for (const bucket of this.options.buckets) {
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
      if (this.options.lineage) {
        // Subscribe once. `mc event add` refuses an ARN the bucket already has with overlapping events ("Overlapping
        // Queue configs", before it looks at --ignore-existing: minio/mc cmd/client-s3.go AddNotificationConfig,
        // minio-go pkg/notification AddQueue), so the script asks first: `mc event ls <bucket> <arn> --json`
        // prints the matching notifications, indented (cmd/event-list.go, @RELEASE.2025-08-13T08-35-41Z).
        lines.push(`case "$(mc event ls ${b} ${arn} --json)" in *'"arn": "${arn}"'*) ;; *) mc event add ${b} ${arn} --event put,delete --ignore-existing ;; esac`);
      }
      // the bucket's other notification targets (e.g. a Kafka topic), subscribed the same idempotent way
      for (const target of this.options.notifications.filter((t) => t.bucket === bucket)) lines.push(target.subscribeCommand('lake', this.ctx.region));
    }
    const policy = (policyName: string, document: Record<string, unknown>) => {
      files[`${policyName}.json`] = JSON.stringify(document, undefined, 2);
      return `mc admin policy create lake ${policyName} ${CONFIG_MOUNT}/${policyName}.json`;
    };
    /** A MinIO user from a key pair in the env, with `policyName` attached (and created first, with `document`). */
    const identity = (comment: string, envPrefix: string, policyName: string, document?: Record<string, unknown>) => [
      '', `# ${comment}`,
      ...(document ? [policy(policyName, document)] : []),
      `mc admin user add lake "$${envPrefix}_ACCESS_KEY" "$${envPrefix}_SECRET_KEY"`,
      // attach once: attaching an attached policy is an error
      `info=$(mc admin user info lake "$${envPrefix}_ACCESS_KEY" --json)`,
      `case "$info" in ${LakeProvisioning.attachedPatterns(policyName)}) ;; *) mc admin policy attach lake ${policyName} --user "$${envPrefix}_ACCESS_KEY" ;; esac`,
    ];
    [...this.options.access.grants.values()].forEach((g, i) => {
      lines.push(...identity(`team ${g.team.namespaceName}`, `TEAM_${i}`, g.policyName, g.policy.document()));
    });
    const created = new Set<string>();
    this.options.mirrors.identities.forEach((m, i) => {
      const first = !created.has(m.policyName);
      created.add(m.policyName);
      lines.push(...identity(`mirror ${m.bucket.name} to ${m.replica.cloud}: read-only on the bucket`, `MIRROR_${i}`, m.policyName,
        first ? m.policy.document() : undefined));
    });
    lines.push('', 'echo "lake provisioned"', '');
    files['provision.sh'] = lines.join('\n');
    return files;
  }
}
