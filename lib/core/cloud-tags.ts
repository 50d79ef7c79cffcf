import { ValidationError } from './errors';

/** AWS: keys 1 to 128 characters, values at most 256, at most 50 user tags on a resource. */
const AWS_KEY_MAX = 128;
const AWS_VALUE_MAX = 256;
const AWS_MAX_TAGS = 50;
/** The characters every AWS service accepts in tags: letters, digits, spaces and `+ - = . _ : / @`. */
const AWS_TAG_CHARS = /^[\p{L}\p{N}\s+\-=._:/@]*$/u;
/** GCP: keys 1 to 63 characters starting with a lowercase letter, values at most 63, at most 64 labels. */
const GCP_MAX = 63;
const GCP_MAX_LABELS = 64;
const GCP_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]*$/u;
const GCP_VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]*$/u;

/**
 * The rules of cloud resource tags (AWS) and labels (Google Cloud), checked where a construct takes them, so that a
 * bad key fails at synth with the field named instead of at `terraform apply` on the first resource.
 *
 * - AWS ("Tagging AWS resources", Tag naming limits and requirements): key 1 to 128 characters, value at most 256,
 *   letters, digits, spaces and `+ - = . _ : / @`; the `aws:` prefix (any case) is reserved for AWS; at most 50
 *   user tags per resource.
 * - Google Cloud ("Labels overview", Requirements for labels): key 1 to 63 characters, starting with a lowercase
 *   letter; keys and values only lowercase letters, digits, `_` and `-` (international lowercase letters too);
 *   value at most 63 characters (may be empty); at most 64 labels per resource.
 */
export class CloudTags {
  /** Throws a {@link ValidationError} naming the tag unless `tags` are valid AWS tags. Returns them unchanged. */
  public static validateAws(path: string, field: string, tags: { [key: string]: string }): { [key: string]: string } {
    CloudTags.map(path, field, tags, 'a map of AWS tag keys to values');
    const entries = Object.entries(tags);
    if (entries.length > AWS_MAX_TAGS) {
      throw new ValidationError(path, field, `${entries.length} tags`, `expected at most ${AWS_MAX_TAGS} tags: AWS allows ${AWS_MAX_TAGS} user tags per resource`);
    }
    for (const [key, value] of entries) {
      if (key.length < 1 || key.length > AWS_KEY_MAX || !AWS_TAG_CHARS.test(key)) {
        throw new ValidationError(path, field, key,
          `expected tag keys of 1 to ${AWS_KEY_MAX} characters: letters, digits, spaces and + - = . _ : / @`);
      }
      if (key.toLowerCase().startsWith('aws:')) {
        throw new ValidationError(path, field, key, 'expected a tag key without the "aws:" prefix: AWS reserves it for its own tags');
      }
      if (typeof value !== 'string' || value.length > AWS_VALUE_MAX || !AWS_TAG_CHARS.test(value)) {
        throw new ValidationError(path, `${field}["${key}"]`, value,
          `expected a tag value of at most ${AWS_VALUE_MAX} characters: letters, digits, spaces and + - = . _ : / @`);
      }
    }
    return tags;
  }

  /** Throws a {@link ValidationError} naming the label unless `labels` are valid Google Cloud labels. Returns them unchanged. */
  public static validateGcp(path: string, field: string, labels: { [key: string]: string }): { [key: string]: string } {
    CloudTags.map(path, field, labels, 'a map of Google Cloud label keys to values');
    const entries = Object.entries(labels);
    if (entries.length > GCP_MAX_LABELS) {
      throw new ValidationError(path, field, `${entries.length} labels`, `expected at most ${GCP_MAX_LABELS} labels: Google Cloud allows ${GCP_MAX_LABELS} per resource`);
    }
    for (const [key, value] of entries) {
      if (key.length > GCP_MAX || !GCP_KEY.test(key)) {
        throw new ValidationError(path, field, key,
          `expected label keys of 1 to ${GCP_MAX} characters starting with a lowercase letter: lowercase letters, digits, "_" and "-"`);
      }
      if (typeof value !== 'string' || value.length > GCP_MAX || !GCP_VALUE.test(value)) {
        throw new ValidationError(path, `${field}["${key}"]`, value,
          `expected a label value of at most ${GCP_MAX} characters: lowercase letters, digits, "_" and "-"`);
      }
    }
    return labels;
  }

  private static map(path: string, field: string, value: unknown, expected: string): void {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ValidationError(path, field, value, `expected ${expected}`);
  }
}
