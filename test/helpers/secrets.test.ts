import { Manifest } from './manifests';
import { secretProblems } from './secrets';

const meta = { name: 'x', namespace: 'n' };
describe('secret scan', () => {
  test('a Secret with data is reported, one without is not', () => {
    expect(secretProblems([{ apiVersion: 'v1', kind: 'Secret', metadata: meta, stringData: { a: 'b' } }])).toHaveLength(1);
    expect(secretProblems([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { a: 'b' } }])).toEqual([]);
  });
  test('secret env vars must come from a Secret reference', () => {
    const pod = (env: object[]): Manifest => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta, spec: { containers: [{ name: 'c', env }] } });
    expect(secretProblems([pod([{ name: 'MINIO_ROOT_PASSWORD', value: 'hunter2' }])]).join()).toMatch(/MINIO_ROOT_PASSWORD of c is set by value/);
    expect(secretProblems([pod([{ name: 'MINIO_ROOT_PASSWORD', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }])])).toEqual([]);
  });
  test('key-looking strings are reported', () => {
    expect(secretProblems([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta, data: { k: 'AKIAABCDEFGHIJKLMNOP' } }])).toHaveLength(1);
  });
});
