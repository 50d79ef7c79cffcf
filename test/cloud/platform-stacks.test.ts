import { Testing } from 'cdktf';
import { AwsPlatformStack, GcpPlatformStack } from '../../lib';

const synth = (stack: AwsPlatformStack | GcpPlatformStack) => JSON.parse(Testing.synth(stack, true));

describe('AwsPlatformStack', () => {
  test('configures the AWS provider with region and merged default tags, local state by relative path', () => {
    const json = synth(new AwsPlatformStack(Testing.app(), 'aws', { region: 'us-east-1', tags: { owner: 'ml' } }));
    expect(json.provider.aws[0]).toEqual({
      region: 'us-east-1',
      default_tags: [{ tags: { 'managed-by': 'cdk8s-ai-platform', 'part-of': 'ai-platform', 'owner': 'ml' } }],
    });
    expect(json.terraform.backend.local.path).toBe('../../../terraform.aws.tfstate');
  });

  test.each(['', 'Europe', 'eu-west', 'eu_west_1'])('region %j is refused, naming the field', (region) => {
    expect(() => new AwsPlatformStack(Testing.app(), 'aws', { region })).toThrow(/AwsPlatformStack.region: .* expected an AWS region/);
  });
});

describe('GcpPlatformStack', () => {
  test('configures the Google provider with project, region and default labels kept verbatim', () => {
    const json = synth(new GcpPlatformStack(Testing.app(), 'gcp', { project: 'my-project-1', region: 'us-central1', labels: { 'cost-center': 'ml' } }));
    expect(json.provider.google[0]).toMatchObject({
      project: 'my-project-1', region: 'us-central1',
      default_labels: { 'managed-by': 'cdk8s-ai-platform', 'part-of': 'ai-platform', 'cost-center': 'ml' },
    });
  });

  test.each([['project', 'My_Project'], ['project', 'abc'], ['region', 'europe'], ['region', 'eu-west-1a']])('%s %j is refused', (field, value) => {
    const props = { project: 'my-project-1', region: 'us-central1', [field]: value };
    expect(() => new GcpPlatformStack(Testing.app(), 'gcp', props)).toThrow(new RegExp(`GcpPlatformStack.${field}: "${value}" is invalid`));
  });
});
