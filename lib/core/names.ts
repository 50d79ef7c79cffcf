import { createHash } from 'node:crypto';
import { IConstruct } from 'constructs';
import { ValidationError } from './errors';

/** Options of {@link Names.dnsLabel}. */
export interface DnsLabelOptions {
  /**
   * Maximum length of the name, hash included.
   * @default 63
   */
  readonly maxLength?: number;
  /**
   * Extra component appended after the construct path (e.g. `headless`).
   * @default - none
   */
  readonly suffix?: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HASH_LENGTH = 8;
const MAX_LABEL = 63;
const MAX_SUBDOMAIN = 253;

/**
 * DNS-1123 names: validation, and deterministic, collision-free names derived from construct paths.
 *
 * Used by both construct trees (cdk8s and cdktf), so it depends on `constructs` only.
 */
export class Names {
  /** Maximum length of a DNS-1123 label (namespace, Service and most object names). */
  public static readonly MAX_LABEL_LENGTH = MAX_LABEL;

  /** True when `value` is a DNS-1123 label: at most 63 lowercase alphanumerics or '-', alphanumeric at both ends. */
  public static isDnsLabel(value: string): boolean {
    return typeof value === 'string' && value.length <= MAX_LABEL && DNS_LABEL.test(value);
  }

  /**
   * True when `value` is a DNS-1035 label: a DNS-1123 label that starts with a letter (Service names, and the names
   * operators derive Services from: TFJobs, GKE clusters and node pools, the lake's and the workbenches' names).
   */
  public static isDns1035Label(value: string): boolean {
    return Names.isDnsLabel(value) && /^[a-z]/.test(value);
  }

  /** True when `value` is a DNS-1123 subdomain: dot-separated DNS labels, at most 253 characters. */
  public static isDnsSubdomain(value: string): boolean {
    return typeof value === 'string' && value.length > 0 && value.length <= MAX_SUBDOMAIN && value.split('.').every((part) => DNS_LABEL.test(part));
  }

  /** Throws a {@link ValidationError} naming `field` unless `value` is a DNS-1123 label. */
  public static validateDnsLabel(path: string, field: string, value: string): string {
    if (typeof value !== 'string' || !Names.isDnsLabel(value)) {
      throw new ValidationError(path, field, value,
        'expected a DNS-1123 label: at most 63 characters, lowercase letters, digits and "-", starting and ending with a letter or digit');
    }
    return value;
  }

  /**
   * A deterministic DNS-1123 label for a construct: its path components (lower-cased, invalid characters
   * replaced by '-') joined by '-', then an 8-character hash of the full path so that two constructs never get
   * the same name. When too long, leading components are dropped first (the last ones carry the meaning).
   *
   * Renaming a construct id renames the object: ids are part of the API.
   */
  public static dnsLabel(scope: IConstruct, options: DnsLabelOptions = {}): string {
    const maxLength = options.maxLength ?? MAX_LABEL;
    if (!Number.isInteger(maxLength) || maxLength < HASH_LENGTH + 2 || maxLength > MAX_LABEL) {
      throw new ValidationError(scope.node.path, 'DnsLabelOptions.maxLength', maxLength, `expected an integer from ${HASH_LENGTH + 2} to ${MAX_LABEL}`);
    }
    const components = scope.node.scopes.map((s) => s.node.id).filter((id) => id.length > 0);
    if (options.suffix) components.push(options.suffix);
    const hash = createHash('sha256').update(components.join('/')).digest('hex').slice(0, HASH_LENGTH);
    const parts = components.map(Names.sanitize).filter((p) => p.length > 0);
    const budget = maxLength - HASH_LENGTH - 1;
    let body = parts.join('-');
    while (body.length > budget && parts.length > 1) {
      parts.shift();
      body = parts.join('-');
    }
    body = body.slice(0, budget).replace(/-+$/, '');
    return body ? `${body}-${hash}` : hash;
  }

  /**
   * `<base><suffix>` when it is at most `maxLength` characters, else a prefix of `base`, '-', a hash of `base` and
   * `suffix`: deterministic, distinct for distinct bases, never longer than `maxLength`. For cloud names with a
   * length limit (IAM users, service account ids).
   */
  public static fit(base: string, suffix: string, maxLength: number, hashLength: number = 6): string {
    const plain = `${base}${suffix}`;
    if (plain.length <= maxLength) return plain;
    const hash = createHash('sha256').update(base).digest('hex').slice(0, hashLength);
    const prefix = base.slice(0, Math.max(0, maxLength - suffix.length - hashLength - 1)).replace(/[-.]+$/, '');
    return prefix ? `${prefix}-${hash}${suffix}` : `${hash}${suffix}`;
  }

  private static sanitize(component: string): string {
    return component.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  }
}
