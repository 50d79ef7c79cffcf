import { Testing } from 'cdk8s';
import { GitOpsRoot, GitOpsRootProps, GpuNodePool, GpuPool, GpuQueue, GpuType, TeamSpace } from '../../lib';
import { expectValidationError } from '../helpers/errors';
import { ofKind, synthValid, testChart } from '../helpers/manifests';
import { podProblems } from '../helpers/pod-security';

const base: GitOpsRootProps = { clusterName: 'onprem', repoUrl: 'https://github.com/acme/ai-platform.git', targetRevision: 'main' };

describe('GitOpsRoot: the app of apps of one cluster', () => {
  test('delivers dist/<cluster> of the platform repository, automated with self-heal, no cascading finalizer', () => {
    const chart = testChart();
    const root = new GitOpsRoot(chart, 'root', base);
    const objects = synthValid(chart);
    expect(podProblems(objects)).toEqual([]);
    const [app] = ofKind(objects, 'Application');
    expect(app.metadata).toMatchObject({ name: 'onprem-root', namespace: 'argocd' });
    expect((app.metadata as { finalizers?: string[] }).finalizers).toBeUndefined();
    expect(app.spec.source).toEqual({ repoURL: 'https://github.com/acme/ai-platform.git', targetRevision: 'main', path: 'dist/onprem' });
    expect(app.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    // later waves hold custom resources whose CRDs earlier waves install
    expect(app.spec.syncPolicy.syncOptions).toEqual(['SkipDryRunOnMissingResource=true']);
    expect(root.path).toBe('dist/onprem');
  });

  test('with Kueue queues in the cluster, Argo CD leaves the suspend field of queued jobs to Kueue', () => {
    const chart = testChart();
    const pool = GpuPool.onPrem({ name: 'h100', gpuType: GpuType.H100_80GB, gpusPerNode: 8, nodes: 1 });
    new GpuNodePool(chart, 'pool', { pool });
    new GpuQueue(chart, 'gpus', { pools: [pool], teams: [new TeamSpace(chart, 'vision', { name: 'vision', quota: { gpus: 8 } })] });
    new GitOpsRoot(chart, 'root', base);
    const [app] = ofKind(synthValid(chart), 'Application');
    expect(app.spec.ignoreDifferences).toEqual([
      { group: 'kubeflow.org', kind: 'TFJob', jsonPointers: ['/spec/runPolicy/suspend'] },
      { group: 'batch', kind: 'Job', jsonPointers: ['/spec/suspend'] },
    ]);
    // a sync must not undo them either
    expect(app.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
  });

  test.each([
    'git@github.com:acme/ai-platform.git',
    'ssh://git@gitlab.example.com:2222/platform/ai-platform.git',
    'https://gitlab.example.com/platform/ai-platform',
  ])('accepts the Git URL %s', (repoUrl) => {
    const chart = testChart();
    new GitOpsRoot(chart, 'root', { ...base, repoUrl, targetRevision: 'v1.2.0', path: 'deploy/clusters/onprem' });
    expect(ofKind(synthValid(chart), 'Application')[0].spec.source.repoURL).toBe(repoUrl);
  });

  test.each([
    [{ repoUrl: 'http://github.com/acme/ai-platform.git' }, 'GitOpsRootProps.repoUrl'],
    [{ repoUrl: 'https://user:token@github.com/acme/ai-platform.git' }, 'GitOpsRootProps.repoUrl'],
    [{ repoUrl: 'github.com/acme/ai-platform' }, 'GitOpsRootProps.repoUrl'],
    [{ repoUrl: undefined }, 'GitOpsRootProps.repoUrl'],
    [{ targetRevision: 'HEAD' }, 'GitOpsRootProps.targetRevision'],
    [{ targetRevision: 'head' }, 'GitOpsRootProps.targetRevision'],
    [{ targetRevision: 'main..dev' }, 'GitOpsRootProps.targetRevision'],
    [{ targetRevision: '' }, 'GitOpsRootProps.targetRevision'],
    [{ path: '/dist/onprem' }, 'GitOpsRootProps.path'],
    [{ path: 'dist/../secrets' }, 'GitOpsRootProps.path'],
    [{ clusterName: 'On Prem' }, 'GitOpsRootProps.clusterName'],
    [{ destinationServer: 'kubernetes.default.svc' }, 'GitOpsRootProps.destinationServer'],
  ])('bad input %j names the field', (props, field) => {
    expectValidationError(() => new GitOpsRoot(Testing.chart(), 'root', { ...base, ...props } as never), field, 'test/root');
  });

  test('props that are not an object', () => {
    expectValidationError(() => new GitOpsRoot(Testing.chart(), 'root', 'https://github.com/acme/x.git' as never), 'GitOpsRootProps', 'test/root');
  });
});
