import { celProblems, withDefaults } from './cel';
import { manifestProblems, Manifest } from './manifests';

const labels = {
  'app.kubernetes.io/name': 'x', 'app.kubernetes.io/instance': 'x', 'app.kubernetes.io/component': 'x',
  'app.kubernetes.io/part-of': 'x', 'app.kubernetes.io/managed-by': 'x',
};
const nodeClass = (spec: object): Manifest => ({
  apiVersion: 'karpenter.k8s.aws/v1', kind: 'EC2NodeClass', metadata: { name: 'gpu', labels },
  spec: { amiSelectorTerms: [{ alias: 'al2023@latest' }], subnetSelectorTerms: [{ tags: { a: 'b' } }], securityGroupSelectorTerms: [{ tags: { a: 'b' } }], ...spec },
});

describe('CEL rules of CRDs', () => {
  test('a valid custom resource passes its rules', () => {
    expect(manifestProblems(nodeClass({ role: 'nodes' }))).toEqual([]);
  });

  test('a rule the API server would enforce is enforced here', () => {
    expect(manifestProblems(nodeClass({ role: 'nodes', instanceProfile: 'p' })).join()).toMatch(/must specify exactly one of \['role', 'instanceProfile'\]/);
    expect(manifestProblems(nodeClass({ role: 'nodes', amiFamily: 'Bottlerocket' })).join()).toMatch(/amiFamily must be 'AL2023' or 'Custom'/);
  });

  test('rules see defaulted values, transition rules are skipped, unevaluable rules are reported', () => {
    const schema = {
      'type': 'object',
      'properties': { mode: { type: 'string', default: 'A' } },
      'x-kubernetes-validations': [
        { rule: "self.mode == 'A'", message: 'mode must be A' },
        { rule: 'self.mode == oldSelf.mode', message: 'immutable' },
      ],
    };
    expect(celProblems(withDefaults({}, schema), schema)).toEqual([]);
    expect(celProblems(withDefaults({ mode: 'B' }, schema), schema)).toEqual(['/: mode must be A']);
    const broken = { 'type': 'object', 'x-kubernetes-validations': [{ rule: 'self.nosuchfunction()' }] };
    expect(celProblems({}, broken).join()).toMatch(/could not evaluate CEL rule/);
  });
});
