import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { PlatformStack } from '../platform-stack';
import { TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { ValidationError } from '../../core/errors';
import { Labels } from '../../core/labels';
import { Regions } from '../../core/regions';

/** Props of {@link AwsPlatformStack}. */
export interface AwsPlatformStackProps {
  /** AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /**
   * Tags on every resource of the stack, added to `managed-by` and `part-of`.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}


/** One Terraform stack for the platform's AWS side: the AWS provider, its region and default tags. */
export class AwsPlatformStack extends PlatformStack {
  /**
   * The AwsPlatformStack that holds `construct`, or a {@link ValidationError} naming `field` when there is none.
   */
  public static containing(construct: IConstruct, field: string): AwsPlatformStack {
    const stack = TerraformStack.of(construct);
    if (!(stack instanceof AwsPlatformStack)) {
      throw new ValidationError(construct.node.path, field, stack.node.path, 'expected a construct inside a AwsPlatformStack, which provides the AWS provider and region');
    }
    return stack;
  }

  /** The AWS provider of the stack (escape hatch). */
  public readonly provider: AwsProvider;
  public readonly region: string;

  public constructor(scope: Construct, id: string, props: AwsPlatformStackProps) {
    super(scope, id);
    Regions.validateAws(this.node.path, 'AwsPlatformStack.region', props.region);
    this.region = props.region;
    this.provider = new AwsProvider(this, 'aws', {
      region: props.region,
      defaultTags: [{ tags: { ...Labels.cloud(), ...props.tags } }],
    });
  }
}
