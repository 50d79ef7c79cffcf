import { Testing } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { GpuPlacement, GpuPool, GpuSharing, GpuType, Resources, Security } from '../../lib';
import { ValidationError } from '../../lib/core/errors';
import { synthValid } from '../helpers/manifests';
import { podProblems } from '../helpers/pod-security';

const a100 = GpuPool.onPrem({ name: 'a100', gpuType: GpuType.A100_80GB, gpusPerNode: 8, nodes: 2 });

describe('GpuPlacement', () => {
  test('pod-spec fields in Kubernetes types, from the pool\'s schedule()', () => {
    const p = GpuPlacement.of('app/job', 'JobProps.gpu', { pool: a100, count: 2 });
    expect(JSON.parse(JSON.stringify(p))).toEqual({
      limits: { 'nvidia.com/gpu': { value: 2 } },
      nodeSelector: { 'ai-platform/gpu-pool': 'a100' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }],
      runtimeClassName: 'nvidia',
    });
  });

  test('a pod placed with it validates strictly and stays PSS restricted', () => {
    const chart = Testing.chart();
    const p = GpuPlacement.of('app/job', 'JobProps.gpu', { pool: a100, count: 1 });
    const resources = Resources.requirements(chart, 'JobProps.resources', { cpu: '4', memory: '16Gi' });
    const labels = {
      'app.kubernetes.io/name': 'train', 'app.kubernetes.io/instance': 'train', 'app.kubernetes.io/component': 'worker',
      'app.kubernetes.io/part-of': 'ai-platform', 'app.kubernetes.io/managed-by': 'cdk8s-ai-platform',
    };
    new k8s.KubeJob(chart, 'train', {
      metadata: { name: 'train', namespace: 'vision', labels },
      spec: {
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never', securityContext: Security.podSecurityContext(), nodeSelector: p.nodeSelector, tolerations: p.tolerations,
            runtimeClassName: p.runtimeClassName,
            containers: [{ name: 'train', image: 'example.com/train:1.0', securityContext: Security.containerSecurityContext(),
              resources: { requests: resources.requests, limits: { ...resources.limits, ...p.limits } } }],
          },
        },
      },
    });
    const objects = synthValid(chart);
    expect(podProblems(objects)).toEqual([]);
    expect(objects[0].spec.template.spec.containers[0].resources.limits).toEqual({ 'cpu': '4', 'memory': '16Gi', 'nvidia.com/gpu': 1 });
  });

  test('bad requests name the workload\'s field', () => {
    expect(() => GpuPlacement.of('app/job', 'JobProps.gpu', { pool: a100, count: 9 })).toThrow(/JobProps.gpu.count: 9 is invalid: expected at most 8/);
    const shared = GpuPool.onPrem({ name: 's', gpuType: GpuType.A100_80GB, gpusPerNode: 8, nodes: 1, sharing: GpuSharing.timeSlicing(4) });
    expect(() => GpuPlacement.of('app/job', 'JobProps.gpu', { pool: shared, count: 2 })).toThrow(/JobProps.gpu.count: 2 is invalid: expected 1 on a time-sliced pool/);
    expect(() => GpuPlacement.of('app/job', 'JobProps.gpu', { pool: {} as GpuPool, count: 1 })).toThrow(ValidationError);
    expect(() => GpuPlacement.of('app/job', 'JobProps.gpu', { pool: {} as GpuPool, count: 1 })).toThrow(/\[app\/job\] JobProps.gpu.pool/);
  });
});

describe('GpuPlacement bad input (issue 7)', () => {
  test.each([undefined, null, 'a100', 3])('a request that is not an object (%j) is a ValidationError naming the field', (request) => {
    let error: unknown;
    try {
      GpuPlacement.of('app/job', 'JobProps.gpu', request as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('JobProps.gpu');
  });
});
