import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { PlatformStack } from '../platform-stack';
import { Construct, IConstruct } from 'constructs';
import { Checks } from '../../core/checks';
import { CloudTags } from '../../core/cloud-tags';
import { ValidationError } from '../../core/errors';
import { Labels } from '../../core/labels';
import { Regions } from '../../core/regions';
import { StackLookup } from '../stack-lookup';

/** Props of {@link GcpPlatformStack}. */
export interface GcpPlatformStackProps {
  /** Google Cloud project id. */
  readonly project: string;
  /** Region, e.g. `europe-west4`. */
  readonly region: string;
  /**
   * Labels on every resource that takes labels (the provider's `default_labels`), added to `managed-by` and
   * `part-of`. Google Cloud rules apply: keys of 1 to 63 characters starting with a lowercase letter, keys and
   * values only lowercase letters, digits, `_` and `-`, values of at most 63 characters, at most 64 labels.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** One Terraform stack for the platform's Google Cloud side: the Google provider, project, region, labels. */
export class GcpPlatformStack extends PlatformStack {
  /**
   * The GcpPlatformStack that holds `construct`, or a {@link ValidationError} naming `field` when there is none.
   */
  public static containing(construct: IConstruct, field: string): GcpPlatformStack {
    return StackLookup.containing(construct, field, GcpPlatformStack, 'a GcpPlatformStack, which provides the Google provider, project and region');
  }

  /** The Google provider of the stack (escape hatch). */
  public readonly provider: GoogleProvider;
  public readonly project: string;
  public readonly region: string;

  public constructor(scope: Construct, id: string, props: GcpPlatformStackProps) {
    super(scope, id);
    const path = this.node.path;
    Checks.object(path, 'GcpPlatformStackProps', props);
    if (typeof props.project !== 'string' || !PROJECT_ID.test(props.project)) {
      throw new ValidationError(path, 'GcpPlatformStackProps.project', props.project,
        'expected a project id: 6 to 30 lowercase letters, digits or hyphens, starting with a letter');
    }
    Regions.validateGcp(path, 'GcpPlatformStackProps.region', props.region);
    const labels = CloudTags.validateGcp(path, 'GcpPlatformStackProps.labels',
      { ...Labels.cloud(), ...Checks.optionalObject(path, 'GcpPlatformStackProps.labels', props.labels, 'a map of Google Cloud label keys to values') });
    this.project = props.project;
    this.region = props.region;
    this.provider = new GoogleProvider(this, 'google', { project: props.project, region: props.region });
    // Set raw: cdktf snake-cases the keys of provider-level maps (`managed-by` would become `managed_by`).
    this.provider.addOverride('default_labels', labels);
  }
}
