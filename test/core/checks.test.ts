import { Chart, Testing } from 'cdk8s';
import { Labels, Resources, Security, SystemNamespaces } from '../../lib';
import { Checks } from '../../lib/core/checks';
import { ValidationError } from '../../lib/core/errors';
import { expectValidationError } from '../helpers/errors';

describe('Checks: input kinds at runtime (plain JavaScript callers, config files)', () => {
  test.each([
    ['object', () => Checks.object('p', 'F', null)], ['object', () => Checks.object('p', 'F', [])], ['object', () => Checks.object('p', 'F', 'x')],
    ['string', () => Checks.string('p', 'F', 3)], ['string', () => Checks.string('p', 'F', '')],
    ['boolean', () => Checks.boolean('p', 'F', 'yes', true)],
    ['number', () => Checks.number('p', 'F', NaN, 0, 10)], ['number', () => Checks.number('p', 'F', 1.5, 0, 10)], ['number', () => Checks.number('p', 'F', 11, 0, 10)],
    ['array', () => Checks.array('p', 'F', 'a,b' as never)],
    ['stringMap', () => Checks.stringMap('p', 'F', { a: 1 })],
    ['instance', () => Checks.instance('p', 'F', {} as Chart, Chart, 'a Chart')],
    ['oneOf', () => Checks.oneOf('p', 'F', 'Spot', ['spot', 'on-demand'])],
  ])('%s refuses a wrong value with a ValidationError naming the field', (_kind, fn) => {
    const e = expectValidationError(fn, _kind === 'stringMap' ? 'F["a"]' : 'F', 'p');
    expect(e.message).toMatch(/is invalid: expected/);
  });

  test('and passes good values through, defaults only for undefined', () => {
    expect(Checks.boolean('p', 'F', undefined, true)).toBe(true);
    expect(Checks.oneOf('p', 'F', undefined, ['a', 'b'], 'b')).toBe('b');
    expect(() => Checks.oneOf('p', 'F', null as never, ['a', 'b'], 'b')).toThrow(ValidationError);
    expect(Checks.optionalArray('p', 'F', undefined, [1])).toEqual([1]);
  });

  test('atSynth: a synth-time rule throws ValidationError (all problems in one message)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    Checks.atSynth(chart, () => [new ValidationError('c', 'A.x', 1, 'expected 2'), new ValidationError('c', 'A.y', 3, 'expected 4')]);
    const e = expectValidationError(() => app.synth(), 'A.x', 'c');
    expect(e.message).toContain('[c] A.y: 3 is invalid: expected 4');
  });
});

describe('ValidationError renders any value without throwing', () => {
  test('circular objects, constructs, functions, BigInt', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(new ValidationError('p', 'F', circular, 'x').message).toBe('[p] F: <object Object> is invalid: x');
    expect(new ValidationError('p', 'F', new Chart(Testing.app(), 'c'), 'x').message).toBe('[p] F: <construct c> is invalid: x');
    expect(new ValidationError('p', 'F', () => 1, 'x').message).toBe('[p] F: <function> is invalid: x');
    expect(new ValidationError('p', 'F', BigInt(1), 'x').message).toBe('[p] F: <bigint> is invalid: x');
  });
});

describe('Labels.validate: qualified-name keys and label values', () => {
  test.each([['app', 'x'], ['example.com/team', 'vision'], ['k8s-app', ''], ['a_b.c', 'A-1_b.2']])('%s=%s is valid', (k, v) => {
    expect(Labels.validate('p', 'F', { [k]: v })).toEqual({ [k]: v });
  });
  test.each([['a/b/c', 'x', 'F'], ['-a', 'x', 'F'], ['Example.com/x', 'x', 'F'], [`${'a'.repeat(64)}`, 'x', 'F'], ['app', 'a b', 'F["app"]'], ['app', '-x', 'F["app"]'], ['app', 'x'.repeat(64), 'F["app"]']])(
    '%s=%s is refused', (k, v, field) => {
      expectValidationError(() => Labels.validate('p', 'F', { [k]: v }), field, 'p');
    });
});

describe('platform namespaces are reserved', () => {
  test.each(['default', 'kube-system', 'kube-anything', 'gpu-system', 'kueue-system', 'argocd'])('%s', (ns) => expect(SystemNamespaces.isReserved(ns)).toBe(true));
  test('a team name is not', () => expect(SystemNamespaces.isReserved('vision')).toBe(false));
});

describe('core builders check their inputs', () => {
  test('Resources.requirements without resources', () => {
    const chart = Testing.chart();
    expectValidationError(() => Resources.requirements(chart, 'X.resources', undefined as never), 'X.resources', 'test');
    expectValidationError(() => Resources.requirements(chart, 'X.resources', { cpu: 1 as never, memory: '1Gi' }), 'X.resources.cpu', 'test');
  });
  test('Security helpers', () => {
    expect(() => Security.writableDirectories('/tmp' as never)).toThrow(/Security.writableDirectories.paths: "\/tmp" is invalid/);
    expect(() => Security.writableDirectories(['/tmp', '/tmp'])).toThrow(/paths\[1\]: "\/tmp" is invalid: expected each path once/);
    expect(() => Security.writableDirectories(['/a/../etc'])).toThrow(/paths\[0\]/);
    expect(() => Security.writableDirectories(['/tmp'], '0Gi')).toThrow(/sizeLimit: "0Gi"/);
    expect(() => Security.containerSecurityContext({ readOnlyRootFilesystem: 'no' as never })).toThrow(/readOnlyRootFilesystem: "no"/);
    expect(() => Security.podSecurityContext(null as never)).toThrow(/PodSecurityOptions: null/);
  });
});
