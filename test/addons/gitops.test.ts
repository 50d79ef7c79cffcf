import { ApiObject } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { GitOps } from '../../lib';
import { expectValidationError } from '../helpers/errors';
import { testChart } from '../helpers/manifests';

describe('GitOps', () => {
  const configMap = (annotations?: Record<string, string>) => new k8s.KubeConfigMap(testChart(), 'cm', { metadata: { name: 'cm', annotations } });
  const annotation = (o: ApiObject) => (o.toJson().metadata.annotations ?? {})[GitOps.SYNC_OPTIONS_ANNOTATION];

  test('protect: Prune=false,Delete=false, merged with the other sync options', () => {
    const plain = GitOps.protect(configMap());
    expect(annotation(plain)).toBe('Prune=false,Delete=false');
    expect(GitOps.isProtected(plain)).toBe(true);
    const ssa = GitOps.protect(configMap({ [GitOps.SYNC_OPTIONS_ANNOTATION]: 'ServerSideApply=true,Prune=true' }));
    expect(annotation(ssa)).toBe('ServerSideApply=true,Prune=false,Delete=false');
    expect(annotation(GitOps.protect(GitOps.protect(configMap())))).toBe('Prune=false,Delete=false');
    expect(GitOps.isProtected(configMap())).toBe(false);
  });

  test('syncWave', () => {
    const o = GitOps.syncWave(configMap(), -5);
    expect(o.toJson().metadata.annotations[GitOps.SYNC_WAVE_ANNOTATION]).toBe('-5');
    expectValidationError(() => GitOps.syncWave(configMap(), 1.5), 'GitOps.syncWave.wave', '');
  });

  test('waves: add-on CRDs, operators, extensions, configuration, then workloads', () => {
    const waves = [GitOps.WAVE_ADDON_CRDS, GitOps.WAVE_ADDONS, GitOps.WAVE_ADDON_EXTENSIONS, GitOps.WAVE_ADDON_CONFIGURATION, GitOps.WAVE_WORKLOADS];
    expect([...waves].sort((a, b) => a - b)).toEqual(waves);
    expect(GitOps.WAVE_WORKLOADS).toBe(0);
  });

  test('bad input names the field', () => {
    expectValidationError(() => GitOps.protect({ metadata: {} } as never), 'GitOps.protect.apiObject', '');
  });
});
