/**
 * Kueue's controller manager configuration (`config.kueue.x-k8s.io/v1beta2` Configuration), rendered whole for the
 * chart's `managerConfig.controllerManagerConfigYaml`: the chart takes it as one string, so changing one key means
 * supplying all of them.
 *
 * The keys and values are those Kueue 0.19.2's chart sets by default (kubernetes-sigs/kueue v0.19.2,
 * charts/kueue/values.yaml, `managerConfig.controllerManagerConfigYaml`: the uncommented keys, in their order), with
 * `integrations.frameworks` replaced by the list the cluster needs and, when asked for, a `multiKueue` block
 * (apis/config/v1beta2/configuration_types.go `MultiKueue`: `dispatcherName`, `incrementalDispatcherConfig.stepSize`).
 * The chart fills `internalCertManagement` itself (templates/manager/manager-config.yaml).
 * @internal not part of the public API
 */
export interface KueueManagerConfigOptions {
  readonly frameworks: string[];
  readonly dispatcherName?: string;
  readonly incrementalStepSize?: number;
}

/** @internal not part of the public API */
export class KueueManagerConfig {
  /** The configuration as YAML text. */
  public static render(options: KueueManagerConfigOptions): string {
    return KueueManagerConfig.lines(options).join('\n') + '\n';
  }

  private static lines(options: KueueManagerConfigOptions): string[] {
    const lines = [
      'apiVersion: config.kueue.x-k8s.io/v1beta2',
      'kind: Configuration',
      'health:',
      '  healthProbeBindAddress: ":8081"',
      'metrics:',
      '  bindAddress: ":8443"',
      'webhook:',
      '  port: 9443',
      'leaderElection:',
      '  leaderElect: true',
      '  resourceName: c1f6bfd2.kueue.x-k8s.io',
      'controller:',
      '  groupKindConcurrency:',
      '    Job.batch: 5',
      '    Pod: 5',
      '    Workload.kueue.x-k8s.io: 10',
      '    LocalQueue.kueue.x-k8s.io: 5',
      '    ClusterQueue.kueue.x-k8s.io: 5',
      '    ResourceFlavor.kueue.x-k8s.io: 1',
      'clientConnection:',
      '  qps: 300',
      '  burst: 500',
      'integrations:',
      '  frameworks:',
      ...options.frameworks.map((f) => `  - ${JSON.stringify(f)}`),
    ];
    if (options.dispatcherName !== undefined || options.incrementalStepSize !== undefined) {
      lines.push('multiKueue:');
      if (options.dispatcherName !== undefined) lines.push(`  dispatcherName: ${JSON.stringify(options.dispatcherName)}`);
      if (options.incrementalStepSize !== undefined) lines.push('  incrementalDispatcherConfig:', `    stepSize: ${options.incrementalStepSize}`);
    }
    return lines;
  }
}
