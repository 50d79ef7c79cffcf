import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { PlatformStack } from '../platform-stack';
import { Construct, IConstruct } from 'constructs';
import { Checks } from '../../core/checks';
import { CloudTags } from '../../core/cloud-tags';
import { Labels } from '../../core/labels';
import { Regions } from '../../core/regions';
import { StackLookup } from '../stack-lookup';

/** Props of {@link AwsPlatformStack}. */
export interface AwsPlatformStackProps {
  /** AWS region, e.g. `eu-west-1`. */
  readonly region: string;
  /**
   * Tags on every resource of the stack (the provider's `default_tags`), added to `managed-by` and `part-of`.
   * AWS rules apply: keys of 1 to 128 characters without the reserved `aws:` prefix, values of at most 256
   * characters, letters, digits, spaces and `+ - = . _ : / @`, at most 50 tags.
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
    return StackLookup.containing(construct, field, AwsPlatformStack, 'an AwsPlatformStack, which provides the AWS provider and region');
  }

  /** The AWS provider of the stack (escape hatch). */
  public readonly provider: AwsProvider;
  public readonly region: string;

  public constructor(scope: Construct, id: string, props: AwsPlatformStackProps) {
    super(scope, id);
    const path = this.node.path;
    Checks.object(path, 'AwsPlatformStackProps', props);
    Regions.validateAws(path, 'AwsPlatformStackProps.region', props.region);
    const tags = CloudTags.validateAws(path, 'AwsPlatformStackProps.tags', { ...Labels.cloud(), ...Checks.optionalObject(path, 'AwsPlatformStackProps.tags', props.tags, 'a map of AWS tag keys to values') });
    this.region = props.region;
    this.provider = new AwsProvider(this, 'aws', { region: props.region, defaultTags: [{ tags }] });
  }
}
