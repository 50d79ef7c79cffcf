import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { AwsPlatformStack, CloudTags, GcpPlatformStack, NodeTaints } from '../../lib';
import { expectValidationError } from '../helpers/errors';

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
    expect(() => new AwsPlatformStack(Testing.app(), 'aws', { region })).toThrow(/AwsPlatformStackProps.region: .* expected an AWS region/);
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
    expect(() => new GcpPlatformStack(Testing.app(), 'gcp', props)).toThrow(new RegExp(`GcpPlatformStackProps.${field}: "${value}" is invalid`));
  });
});

describe('cloud tags and labels are checked with the cloud\'s rules (issue 7)', () => {
  const aws = (tags: unknown) => () => new AwsPlatformStack(Testing.app(), 'aws', { region: 'eu-west-1', tags: tags as never });
  const gcp = (labels: unknown) => () => new GcpPlatformStack(Testing.app(), 'gcp', { project: 'my-project-1', region: 'us-central1', labels: labels as never });

  test.each([
    ['the reserved aws: prefix', { 'aws:owner': 'ml' }, 'AwsPlatformStackProps.tags'],
    ['the reserved prefix in any case', { 'AWS:cost': 'ml' }, 'AwsPlatformStackProps.tags'],
    ['a key past 128 characters', { ['k'.repeat(129)]: 'v' }, 'AwsPlatformStackProps.tags'],
    ['a value past 256 characters', { owner: 'v'.repeat(257) }, 'AwsPlatformStackProps.tags["owner"]'],
    ['a character AWS refuses', { 'owner#1': 'ml' }, 'AwsPlatformStackProps.tags'],
    ['a value that is not a string', { owner: 42 }, 'AwsPlatformStackProps.tags["owner"]'],
    ['a list', ['owner=ml'], 'AwsPlatformStackProps.tags'],
    ['more than 50 tags', Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`t${i}`, 'v'])), 'AwsPlatformStackProps.tags'],
  ])('AWS: %s', (_what, tags, field) => {
    expectValidationError(aws(tags), field, 'aws');
  });

  test('AWS: the limits themselves pass (128-character key, 256-character value, spaces and + - = . _ : / @)', () => {
    expect(() => aws({ ['k'.repeat(128)]: 'v'.repeat(256), 'cost center/team@acme': 'a+b=c.d_e:f' })()).not.toThrow();
  });

  test.each([
    ['an uppercase key', { Owner: 'ml' }, 'GcpPlatformStackProps.labels'],
    ['a key starting with a digit', { '1owner': 'ml' }, 'GcpPlatformStackProps.labels'],
    ['a dot in a key', { 'cost.center': 'ml' }, 'GcpPlatformStackProps.labels'],
    ['a key past 63 characters', { ['k'.repeat(64)]: 'v' }, 'GcpPlatformStackProps.labels'],
    ['an uppercase value', { owner: 'ML' }, 'GcpPlatformStackProps.labels["owner"]'],
    ['a value past 63 characters', { owner: 'v'.repeat(64) }, 'GcpPlatformStackProps.labels["owner"]'],
    ['more than 64 labels', Object.fromEntries(Array.from({ length: 63 }, (_, i) => [`l${i}`, 'v'])), 'GcpPlatformStackProps.labels'],
  ])('GCP: %s', (_what, labels, field) => {
    expectValidationError(gcp(labels), field, 'gcp');
  });

  test('GCP: an empty value, underscores and 63 characters pass', () => {
    expect(() => gcp({ ['k'.repeat(63)]: '', cost_center: 'ml-1' })()).not.toThrow();
  });

  test('the two checks are one core helper', () => {
    expectValidationError(() => CloudTags.validateAws('x', 'tags', { 'aws:x': '' }), 'tags', 'x');
    expectValidationError(() => CloudTags.validateGcp('x', 'labels', { X: '' }), 'labels', 'x');
  });

  test('props that are not an object', () => {
    expectValidationError(() => new AwsPlatformStack(Testing.app(), 'aws', undefined as never), 'AwsPlatformStackProps', 'aws');
    expectValidationError(() => new GcpPlatformStack(Testing.app(), 'gcp', undefined as never), 'GcpPlatformStackProps', 'gcp');
  });
});

describe('containing(): the stack of a construct, or a ValidationError (never TerraformStack.of\'s plain Error)', () => {
  test('outside any stack, and in the other cloud\'s stack', () => {
    const app = Testing.app();
    const loose = new Construct(app, 'loose');
    expect(expectValidationError(() => AwsPlatformStack.containing(loose, 'X.scope'), 'X.scope', 'loose').message).toMatch(/placed directly in the app/);
    const gcp = new GcpPlatformStack(app, 'gcp', { project: 'my-project-1', region: 'us-central1' });
    const inner = new Construct(new Construct(gcp, 'a'), 'b');
    expect(GcpPlatformStack.containing(inner, 'X.scope')).toBe(gcp);
    expect(expectValidationError(() => AwsPlatformStack.containing(inner, 'X.scope'), 'X.scope', 'gcp/a/b').message).toMatch(/inside the GcpPlatformStack "gcp"/);
  });
});

describe('NodeTaints.toCloud', () => {
  test('maps the effects; an unknown effect or a non-list is a ValidationError naming the field (not a plain Error)', () => {
    expect(NodeTaints.toCloud([{ key: 'k', value: '', effect: 'NoExecute' }])).toEqual([{ key: 'k', value: '', effect: 'NO_EXECUTE' }]);
    expectValidationError(() => NodeTaints.toCloud([{ key: 'k', value: 'v', effect: 'NO_SCHEDULE' }], 'p', 'pool.taints'), 'pool.taints[0].effect', 'p');
    expectValidationError(() => NodeTaints.toCloud([{ key: 'k', value: 'v', effect: 'toString' }], 'p', 'pool.taints'), 'pool.taints[0].effect', 'p');
    expectValidationError(() => NodeTaints.toCloud('k=v' as never, 'p', 'pool.taints'), 'pool.taints', 'p');
  });
});
