import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { ValidationError } from '../core/errors';
import { Labels } from '../core/labels';
import { Names } from '../core/names';
import type { LakeTls } from './minio-data-lake';

/** S3 API port of the servers and of the client Service. */
export const S3_PORT = 9000;
/** MinIO console port. */
export const CONSOLE_PORT = 9001;
/** Keys of every key pair Secret of the lake (teams, mirror identities, cloud replicas). */
export const CREDENTIAL_KEYS = { access: 'accessKey', secret: 'secretKey' };
/** Maximum length of a CronJob name: the Jobs it creates append 11 characters to it (and must stay labels). */
export const MAX_CRONJOB_NAME = 52;

const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_CONFIG_MAP_KEY = 253;
// MinIO refuses only commas in policy names (minio/minio cmd/admin-handlers-users.go@RELEASE.2025-09-07T16-13-09Z,
// AddCannedPolicy: ErrPolicyInvalidName). The lake also writes them unquoted into a shell script, into `case`
// patterns and as ConfigMap file names, so it keeps them to characters that are literal in all three.
const POLICY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_POLICY_NAME = 128;

/** What the parts of a lake are built from. @internal */
export interface LakeContextProps {
  readonly name: string;
  readonly namespaceName: string;
  readonly tls?: LakeTls;
  readonly region: string;
  readonly clusterDomain: string;
  readonly clientImage: string;
  readonly rootCredentialsSecret: string;
}

/**
 * What every part of one lake shares (servers, provisioning, mirrors, access): its names, labels, endpoint and
 * root credentials, and the rules of the names it derives.
 * @internal not part of the public API
 */
export class LakeContext {
  /** A name the lake derives (`what`, e.g. "mirror Secret") must be a Secret name: a DNS-1123 subdomain. */
  public static secretName(path: string, field: string, value: unknown, name: string, what: string): string {
    if (!Names.isDnsSubdomain(name)) {
      throw new ValidationError(path, field, value, `expected a value that makes the ${what} name "${name}" a valid Secret name (DNS-1123 subdomain: lowercase letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit)`);
    }
    return name;
  }

  /** A CronJob name: a DNS-1123 subdomain of at most 52 characters (the API server's rule for CronJobs). */
  public static cronJobName(path: string, field: string, value: unknown, name: string): string {
    if (name.length > MAX_CRONJOB_NAME || !Names.isDnsSubdomain(name)) {
      throw new ValidationError(path, field, value, `expected a value that makes the CronJob name "${name}" valid (a DNS-1123 subdomain of at most ${MAX_CRONJOB_NAME} characters)`);
    }
    return name;
  }

  /** A ConfigMap key: letters, digits, '-', '_' and '.', at most 253 characters. */
  public static configMapKey(path: string, field: string, value: unknown, key: string): string {
    if (key.length > MAX_CONFIG_MAP_KEY || !CONFIG_MAP_KEY.test(key) || key === '.' || key === '..') {
      throw new ValidationError(path, field, value, `expected a value that makes "${key}" a valid ConfigMap key (letters, digits, "-", "_", ".")`);
    }
    return key;
  }

  /** A MinIO policy name the provisioning script may use unquoted. */
  public static policyName(path: string, field: string, value: unknown, name: string): string {
    if (name.length > MAX_POLICY_NAME || !POLICY_NAME.test(name)) {
      throw new ValidationError(path, field, value, `expected a value that makes the MinIO policy name "${name}" valid (at most ${MAX_POLICY_NAME} letters, digits, ".", "-" or "_"; MinIO refuses commas)`);
    }
    return name;
  }

  /** `<prefix>_ACCESS_KEY` / `<prefix>_SECRET_KEY` from a key pair Secret (`accessKey`, `secretKey`), by reference. */
  public static keyPairEnv(prefix: string, secretName: string): k8s.EnvVar[] {
    return [
      { name: `${prefix}_ACCESS_KEY`, valueFrom: { secretKeyRef: { name: secretName, key: CREDENTIAL_KEYS.access } } },
      { name: `${prefix}_SECRET_KEY`, valueFrom: { secretKeyRef: { name: secretName, key: CREDENTIAL_KEYS.secret } } },
    ];
  }

  public readonly name: string;
  public readonly namespaceName: string;
  public readonly scheme: string;
  public readonly domain: string;
  public readonly region: string;
  public readonly endpoint: string;
  public readonly tls?: LakeTls;
  public readonly clientImage: string;
  public readonly rootCredentialsSecret: string;
  /** Selects the servers only: the lake's jobs share name and instance with them. */
  public readonly serverSelector: Record<string, string>;

  public constructor(public readonly scope: Construct, props: LakeContextProps) {
    this.name = props.name;
    this.namespaceName = props.namespaceName;
    this.tls = props.tls;
    this.scheme = props.tls ? 'https' : 'http';
    this.domain = props.clusterDomain;
    this.region = props.region;
    this.clientImage = props.clientImage;
    this.rootCredentialsSecret = props.rootCredentialsSecret;
    this.endpoint = `${this.scheme}://${this.name}.${this.namespaceName}.svc.${this.domain}:${S3_PORT}`;
    this.serverSelector = { ...Labels.selector({ name: 'minio', instance: this.name, component: 'server' }), [Labels.COMPONENT]: 'server' };
  }

  /** The standard labels of the lake's objects of `component`. */
  public labels(component: string): Record<string, string> {
    return Labels.standard({ name: 'minio', instance: this.name, component, partOf: Labels.DEFAULT_PART_OF });
  }

  /** Metadata of an object of the lake (in the lake's namespace unless said). */
  public meta(name: string, component: string, namespace: string = this.namespaceName): k8s.ObjectMeta {
    return { name, namespace, labels: this.labels(component) };
  }

  /** A pod selector of the lake's pods of the given components. */
  public componentSelector(components: string[]): k8s.LabelSelector {
    return {
      matchLabels: { [Labels.NAME]: 'minio', [Labels.INSTANCE]: this.name },
      matchExpressions: [{ key: Labels.COMPONENT, operator: 'In', values: components }],
    };
  }

  /** `MINIO_ROOT_USER` / `MINIO_ROOT_PASSWORD` from the root credentials Secret, by reference. */
  public rootCredentialEnv(): k8s.EnvVar[] {
    const secret = this.rootCredentialsSecret;
    return [
      { name: 'MINIO_ROOT_USER', valueFrom: { secretKeyRef: { name: secret, key: 'rootUser' } } },
      { name: 'MINIO_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: secret, key: 'rootPassword' } } },
    ];
  }
}
