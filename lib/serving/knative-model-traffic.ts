import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';

/**
 * One version of a model as it is kept in Git: a version label and the image that holds (TF Serving, generic) or
 * serves (Triton) it. A new model version is a new `ModelVersion`: a diff of an image tag and of the revision name
 * derived from it.
 */
export interface ModelVersion {
  /**
   * Version label, part of the revision name `<service>-<version>-<hash>`: lowercase letters, digits and "-",
   * starting with a letter (e.g. `v3`, `r2026-07-28`).
   */
  readonly version: string;
  /**
   * The image, pinned by tag or digest (`registry.example.com/models/resnet:v3`).
   * @default - the server's own image (Triton's; TF Serving and generic servers have none)
   */
  readonly image?: string;
}

/** One entry of an explicit traffic split. */
export interface ModelTrafficTarget {
  /** The version. */
  readonly version: ModelVersion;
  /** Percent of requests, 0 to 100; all targets sum to exactly 100. */
  readonly percent: number;
  /**
   * Tag: the revision also gets its own URL `<tag>-<service>.<namespace>...` (a DNS-1035 label, unique).
   * @default - no tag
   */
  readonly tag?: string;
}

/** Role tags of {@link KnativeModelTraffic}. */
export interface ModelTrafficTags {
  /** @default "current" */
  readonly current?: string;
  /** @default "candidate" */
  readonly candidate?: string;
  /** @default "previous" */
  readonly previous?: string;
}

/** Internal state. */
interface TrafficState {
  readonly targets: ModelTrafficTarget[];
  /** The version the Service's template describes (the newest one deployed). */
  readonly deploy: ModelVersion;
  readonly current: ModelVersion;
  readonly candidate?: ModelVersion;
  readonly previous?: ModelVersion;
  readonly tags: Required<ModelTrafficTags>;
}

const VERSION = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Which revisions of a model get the traffic: typed operations on a description of the current, candidate and
 * previous versions, so that rolling forward or back is an edit of code in Git, never of the cluster.
 *
 * - `KnativeModelTraffic.serve(v1)`: v1 takes 100 percent (tag `current`);
 * - `.canary(v2, 10)`: v2 is deployed (the Service's template) and takes 10 percent, tagged `candidate` (its own
 *   URL), v1 keeps 90 percent as `current`;
 * - `.blueGreen(v2)`: the same at 0 percent: v2 is up and reachable through its tag only;
 * - `.promote()`: the candidate takes 100 percent; the old current stays routable as `previous` at 0 percent;
 * - `.rollback()`: from a canary or blue/green, the current takes 100 percent again and the template goes back to
 *   it (the same revision name, so no new revision); after a promotion, the previous version takes 100 percent.
 * - `KnativeModelTraffic.split([...])`: any split (A/B/n), checked as Knative does (percents sum to 100, tags
 *   unique).
 *
 * Every version routed to keeps its revision name `<service>-<version>-<hash of its template>`, computed by
 * `KnativeModel` from the same props and the version's image: change the model's other props together with a new
 * version, not while a canary is live, or the older revision's recomputed name no longer matches the one in the
 * cluster.
 */
export class KnativeModelTraffic {
  /** One version at 100 percent. */
  public static serve(model: ModelVersion, tags?: ModelTrafficTags): KnativeModelTraffic {
    const t = KnativeModelTraffic.tags(tags);
    const v = KnativeModelTraffic.version('KnativeModelTraffic.serve.model', model);
    return new KnativeModelTraffic({ targets: [{ version: v, percent: 100, tag: t.current }], deploy: v, current: v, tags: t });
  }

  /**
   * An explicit split. The Service's template is `deploy` (the newest version), every other target must already
   * run as a revision (deployed before with the same props).
   * @param deploy the version the Service's template describes; @default - the last target's
   */
  public static split(targets: ModelTrafficTarget[], deploy?: ModelVersion): KnativeModelTraffic {
    const f = 'KnativeModelTraffic.split';
    Checks.array('', `${f}.targets`, targets, 'a list of { version, percent, tag? }');
    if (targets.length === 0) throw new ValidationError('', `${f}.targets`, targets, 'expected at least one target');
    const seenTags = new Map<string, number>();
    const checked = targets.map((t, i) => {
      Checks.object('', `${f}.targets[${i}]`, t, 'a { version, percent, tag? }');
      const version = KnativeModelTraffic.version(`${f}.targets[${i}].version`, t.version);
      const percent = Checks.number('', `${f}.targets[${i}].percent`, t.percent, 0, 100);
      if (t.tag !== undefined) {
        KnativeModelTraffic.tag(`${f}.targets[${i}].tag`, t.tag);
        if (seenTags.has(t.tag)) throw new ValidationError('', `${f}.targets[${i}].tag`, t.tag, `expected each tag once (targets[${seenTags.get(t.tag)}] has it): a tag names one URL`);
        seenTags.set(t.tag, i);
      }
      return { version, percent, tag: t.tag };
    });
    const sum = checked.reduce((n, t) => n + t.percent, 0);
    if (sum !== 100) throw new ValidationError('', `${f}.targets`, checked.map((t) => t.percent), `expected percents summing to exactly 100 (they sum to ${sum}): Knative refuses any other total`);
    const byVersion = new Map<string, ModelVersion>();
    checked.forEach((t, i) => {
      const other = byVersion.get(t.version.version);
      if (other && other.image !== t.version.image) throw new ValidationError('', `${f}.targets[${i}].version`, t.version.version, 'expected one image per version label');
      byVersion.set(t.version.version, t.version);
    });
    const d = deploy === undefined ? checked[checked.length - 1].version : KnativeModelTraffic.version(`${f}.deploy`, deploy);
    return new KnativeModelTraffic({ targets: checked, deploy: d, current: d, tags: KnativeModelTraffic.tags(undefined) });
  }

  private static tags(tags: ModelTrafficTags | undefined): Required<ModelTrafficTags> {
    const t = { current: 'current', candidate: 'candidate', previous: 'previous', ...(Checks.optionalObject('', 'ModelTrafficTags', tags) ?? {}) };
    for (const [role, tag] of Object.entries(t)) KnativeModelTraffic.tag(`ModelTrafficTags.${role}`, tag);
    const values = Object.values(t);
    const dup = values.find((v, i) => values.indexOf(v) !== i);
    if (dup) throw new ValidationError('', 'ModelTrafficTags', dup, 'expected a different tag for current, candidate and previous: each tag names one URL');
    return t;
  }

  private static tag(field: string, tag: string): string {
    if (typeof tag !== 'string' || tag.length > 63 || !VERSION.test(tag)) throw new ValidationError('', field, tag, 'expected a DNS-1035 label (lowercase letters, digits, "-", starting with a letter)');
    return tag;
  }

  private static version(field: string, v: ModelVersion): ModelVersion {
    Checks.object('', field, v, 'a ModelVersion ({ version, image? })');
    if (typeof v.version !== 'string' || v.version.length > 20 || !VERSION.test(v.version)) {
      throw new ValidationError('', `${field}.version`, v.version, 'expected a version label of at most 20 lowercase letters, digits and "-", starting with a letter (e.g. "v3"): it is part of the revision name');
    }
    if (v.image !== undefined) Checks.string('', `${field}.image`, v.image);
    return { version: v.version, image: v.image };
  }

  private readonly state: TrafficState;

  private constructor(state: TrafficState) {
    this.state = state;
  }

  /** The version the Service's template describes (the newest one deployed). */
  public get deployed(): ModelVersion {
    return this.state.deploy;
  }

  /** Every version routed to (percent 0 included), in order, each once. */
  public get versions(): ModelVersion[] {
    const seen = new Map<string, ModelVersion>();
    for (const t of this.state.targets) if (!seen.has(t.version.version)) seen.set(t.version.version, t.version);
    if (!seen.has(this.state.deploy.version)) seen.set(this.state.deploy.version, this.state.deploy);
    return [...seen.values()];
  }

  /** The traffic targets. */
  public get targets(): ModelTrafficTarget[] {
    return this.state.targets.map((t) => ({ ...t }));
  }

  /** Deploys `candidate` and sends it `percent` of the requests (tagged); the current version keeps the rest. */
  public canary(candidate: ModelVersion, percent: number): KnativeModelTraffic {
    const s = this.state;
    const c = KnativeModelTraffic.version('KnativeModelTraffic.canary.candidate', candidate);
    const p = Checks.number('', 'KnativeModelTraffic.canary.percent', percent, 0, 99);
    if (s.candidate) throw new ValidationError('', 'KnativeModelTraffic.canary.candidate', c.version, `expected no candidate yet: ${s.candidate.version} is one (promote() or rollback() first)`);
    if (c.version === s.current.version) throw new ValidationError('', 'KnativeModelTraffic.canary.candidate.version', c.version, 'expected a version other than the current one');
    return new KnativeModelTraffic({
      targets: [{ version: s.current, percent: 100 - p, tag: s.tags.current }, { version: c, percent: p, tag: s.tags.candidate }],
      deploy: c, current: s.current, candidate: c, tags: s.tags,
    });
  }

  /** Blue/green: deploys `next` at 0 percent, reachable through its tag only, for `promote()` to switch over. */
  public blueGreen(next: ModelVersion): KnativeModelTraffic {
    return this.canary(next, 0);
  }

  /** The candidate takes 100 percent; the former current stays deployed, tagged `previous`, at 0 percent. */
  public promote(): KnativeModelTraffic {
    const s = this.state;
    if (!s.candidate) throw new ValidationError('', 'KnativeModelTraffic.promote', s.current.version, 'expected a candidate (canary() or blueGreen() first)');
    return new KnativeModelTraffic({
      targets: [{ version: s.candidate, percent: 100, tag: s.tags.current }, { version: s.current, percent: 0, tag: s.tags.previous }],
      deploy: s.candidate, current: s.candidate, previous: s.current, tags: s.tags,
    });
  }

  /** Back to the last good version: the current one from a canary, the previous one after a promotion. */
  public rollback(): KnativeModelTraffic {
    const s = this.state;
    if (s.candidate) return KnativeModelTraffic.serve(s.current, s.tags);
    if (s.previous) return KnativeModelTraffic.serve(s.previous, s.tags);
    throw new ValidationError('', 'KnativeModelTraffic.rollback', s.current.version, 'expected a candidate or a previous version to roll back to');
  }
}
