import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { PlatformStack } from '../platform-stack';
import { TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { ValidationError } from '../../core/errors';
import { Labels } from '../../core/labels';
import { Regions } from '../../core/regions';

/** Props of {@link GcpPlatformStack}. */
export interface GcpPlatformStackProps {
  /** Google Cloud project id. */
  readonly project: string;
  /** Region, e.g. `europe-west4`. */
  readonly region: string;
  /**
   * Labels on every resource that takes labels, added to `managed-by` and `part-of`.
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
    const stack = TerraformStack.of(construct);
    if (!(stack instanceof GcpPlatformStack)) {
      throw new ValidationError(construct.node.path, field, stack.node.path, 'expected a construct inside a GcpPlatformStack, which provides the Google provider, project and region');
    }
    return stack;
  }

  /** The Google provider of the stack (escape hatch). */
  public readonly provider: GoogleProvider;
  public readonly project: string;
  public readonly region: string;

  public constructor(scope: Construct, id: string, props: GcpPlatformStackProps) {
    super(scope, id);
    if (!PROJECT_ID.test(props.project ?? '')) {
      throw new ValidationError(this.node.path, 'GcpPlatformStack.project', props.project,
        'expected a project id: 6 to 30 lowercase letters, digits or hyphens, starting with a letter');
    }
    Regions.validateGcp(this.node.path, 'GcpPlatformStack.region', props.region);
    this.project = props.project;
    this.region = props.region;
    this.provider = new GoogleProvider(this, 'google', { project: props.project, region: props.region });
    // Set raw: cdktf snake-cases the keys of provider-level maps (`managed-by` would become `managed_by`).
    this.provider.addOverride('default_labels', { ...Labels.cloud(), ...props.labels });
  }
}
