import { ValidationError } from './errors';

// registry/repository[:tag][@sha256:digest]; the tag and digest parts are what we check.
const REFERENCE = /^(?<repo>[a-z0-9]+(?:[._\-\/:][a-z0-9]+)*?)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$/;

/** Container image references: every image the library runs is pinned. */
export class Images {
  /**
   * Throws a {@link ValidationError} naming `field` unless `ref` is pinned: a tag other than `latest`, or a
   * sha256 digest. Returns the reference unchanged.
   */
  public static validatePinned(path: string, field: string, ref: string): string {
    const match = typeof ref === 'string' ? REFERENCE.exec(ref) : null;
    const tag = match?.groups?.tag;
    const digest = match?.groups?.digest;
    if (!match || (!digest && (!tag || tag === 'latest'))) {
      throw new ValidationError(path, field, ref,
        'expected a pinned image reference: "repo:tag" with a tag other than "latest", or "repo@sha256:<digest>"');
    }
    return ref;
  }
}
