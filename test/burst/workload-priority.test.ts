import { Chart, Testing } from 'cdk8s';
import { WorkloadPriority } from '../../lib';
import { KueueContract } from '../../lib/core/kueue-contract';
import { expectValidationError } from '../helpers/errors';
import { ofKind, synthValid } from '../helpers/manifests';

const chart = () => new Chart(Testing.app(), 'c');

describe('WorkloadPriority', () => {
  test('a cluster-scoped WorkloadPriorityClass (v1beta2: value and description at top level), recorded for the jobs', () => {
    const c = chart();
    const p = new WorkloadPriority(c, 'urgent', { value: 1000, description: 'deadline work' });
    new WorkloadPriority(c, 'low', { name: 'best-effort', value: -10 });
    const objects = synthValid(c);
    const urgent = ofKind(objects, 'WorkloadPriorityClass', 'urgent')[0];
    expect(urgent.apiVersion).toBe('kueue.x-k8s.io/v1beta2');
    expect(urgent.metadata.namespace).toBeUndefined();
    expect(urgent.value).toBe(1000);
    expect(urgent.description).toBe('deadline work');
    expect(urgent.spec).toBeUndefined();
    expect(ofKind(objects, 'WorkloadPriorityClass', 'best-effort')[0].value).toBe(-10);
    expect(p.name).toBe('urgent');
    expect(KueueContract.priorities(c).map((r) => r.name)).toEqual(['urgent', 'best-effort']);
  });

  test('bad input names the field', () => {
    expectValidationError(() => new WorkloadPriority(chart(), 'p', { value: 2 ** 31 }), 'WorkloadPriorityProps.value', 'c/p');
    expectValidationError(() => new WorkloadPriority(chart(), 'p', { value: 1.5 }), 'WorkloadPriorityProps.value', 'c/p');
    expectValidationError(() => new WorkloadPriority(chart(), 'p', { name: 'High', value: 1 }), 'WorkloadPriorityProps.name', 'c/p');
    const c = chart();
    new WorkloadPriority(c, 'a', { name: 'high', value: 1 });
    new WorkloadPriority(c, 'b', { name: 'high', value: 2 });
    expectValidationError(() => Testing.synth(c), 'WorkloadPriorityProps.name', 'c/a');
  });
});
