import { ApiObject, Chart } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import {
  Ec2NodeClass, Ec2NodeClassSpecBlockDeviceMappingsEbsVolumeType, Ec2NodeClassSpecMetadataOptionsHttpEndpoint,
  Ec2NodeClassSpecMetadataOptionsHttpProtocolIPv6, Ec2NodeClassSpecMetadataOptionsHttpTokens,
} from '../../imports/karpenter-ec2nodeclasses-karpenter.k8s.aws';
import {
  NodePool, NodePoolSpecDisruptionConsolidationPolicy, NodePoolSpecLimits, NodePoolSpecTemplateSpecRequirementsOperator,
  NodePoolSpecTemplateSpecTaintsEffect,
} from '../../imports/karpenter-nodepools-karpenter.sh';
import { Checks } from '../core/checks';
import { ClusterScope } from '../core/cluster-scope';
import { SystemNamespaces } from '../core/system-namespaces';
import { EksContract } from '../core/eks-contract';
import { ValidationError } from '../core/errors';
import { AdvertisedGpuResource, GpuResources } from '../core/gpu-resources';
import { Images } from '../core/images';
import { Labels } from '../core/labels';
import { Quantities } from '../core/quantity';
import { ObjectOrder } from '../core/k8s/object-order';
import { Security } from '../core/k8s/security';
import { Resources } from '../core/k8s/resources';
import { AmiAliases, DefaultImages, Versions } from '../core/versions';
import { EksProvisioning, GpuCloud, GpuPool, GpuScheduling } from './gpu-pool';
import { GpuSharingMode } from './gpu-sharing';

/** When Karpenter may remove the nodes of a pool. */
export enum KarpenterConsolidation {
  /** Only empty nodes: never evicts a running training job or model to repack. */
  WHEN_EMPTY = 'WhenEmpty',
  /** Empty nodes, and under-used ones whose pods fit elsewhere (evicts pods). */
  WHEN_EMPTY_OR_UNDERUTILIZED = 'WhenEmptyOrUnderutilized',
}

/** Karpenter settings of an EKS pool provisioned by Karpenter. */
export interface KarpenterOptions {
  /**
   * Which nodes Karpenter may consolidate.
   * @default KarpenterConsolidation.WHEN_EMPTY
   */
  readonly consolidation?: KarpenterConsolidation;
  /**
   * How long a node must be consolidatable before Karpenter removes it (`30s`, `10m`, `1h`).
   * @default "10m"
   */
  readonly consolidateAfter?: string;
  /**
   * Maximum node lifetime, so that nodes pick up new AMIs (`720h`, or `Never`).
   * @default "720h"
   */
  readonly expireAfter?: string;
  /**
   * EKS-optimized AMI alias of the EC2NodeClass: `al2023@v<YYYYMMDD>`, an amazon-eks-ami release. Pinned, a new AMI
   * rolls out only when you change it (every node of the pool is then replaced, as `expireAfter` would). Set a newer
   * release to take its fixes. `al2023@latest` is accepted for test clusters but not for production: Karpenter
   * documents it as such, since every AMI release drifts and replaces every GPU node.
   * @default AmiAliases.EKS_AL2023 (`al2023@v20260714`)
   */
  readonly amiAlias?: string;
  /**
   * Root volume size of each node (a gp3 volume, 1Gi to 16Ti, in `Gi`, `G`, `Ti` or `T`, e.g. `200Gi`): images of
   * GPU frameworks are large.
   * @default "200Gi"
   */
  readonly rootVolumeSize?: string;
}

/** Props of {@link GpuNodePool}. */
export interface GpuNodePoolProps {
  /** The pool, described once with `GpuPool.onPrem()`, `GpuPool.eks()` or `GpuPool.gke()`. */
  readonly pool: GpuPool;
  /**
   * NVIDIA device plugin image.
   * @default DefaultImages.NVIDIA_DEVICE_PLUGIN
   */
  readonly devicePluginImage?: string;
  /**
   * Karpenter settings. Only for an EKS pool provisioned by Karpenter: set on any other pool, it is an error.
   * @default - the defaults of {@link KarpenterOptions}
   */
  readonly karpenter?: KarpenterOptions;
}

/** The namespace of GPU system components (the device plugins). */
const SYSTEM_NAMESPACE = SystemNamespaces.GPU;
const DEVICE_PLUGIN = 'nvidia-device-plugin';
const KUBELET_DEVICE_PLUGINS = '/var/lib/kubelet/device-plugins';
const CONFIG_DIR = '/etc/nvidia-device-plugin';
const CONFIG_FILE = 'config.yaml';
const DURATION = /^(([0-9]+(s|m|h))+|Never)$/;
const GIB = 2 ** 30;

/**
 * The in-cluster side of a GPU pool, in the cluster (cdk8s App) it belongs to:
 *
 * - on-prem and EKS: the NVIDIA device plugin DaemonSet, restricted to the pool's nodes, with its configuration
 *   (time-slicing replicas, MIG strategy) in a ConfigMap; on-prem also the `nvidia` RuntimeClass;
 * - EKS with Karpenter: a `NodePool` (karpenter.sh/v1) and an `EC2NodeClass` that launch the pool's nodes with its
 *   labels and taint, capacity type, a limit on total GPUs and conservative consolidation;
 * - GKE: nothing: GKE installs the driver and device plugin on GPU node pools itself.
 *
 * Workloads call {@link GpuNodePool.schedule} (the pool's {@link GpuPool.schedule}) for the limits, node selector,
 * tolerations and runtime class that land them on the pool.
 *
 * The device plugin is the library's one documented exception to Pod Security `restricted`: it must run as root
 * with a hostPath mount of the kubelet's device-plugin socket directory. It lives alone in the `gpu-system`
 * namespace (PSS `privileged`, default-deny network), drops every capability, cannot escalate privileges, uses the
 * runtime's seccomp profile and a read-only root filesystem, and has no API token.
 */
export class GpuNodePool extends Construct {
  /** The pool description. */
  public readonly pool: GpuPool;
  /** Escape hatches: what this construct emitted (undefined where the pool's cloud needs none). */
  public readonly devicePlugin?: k8s.KubeDaemonSet;
  public readonly devicePluginConfig?: k8s.KubeConfigMap;
  /** The Karpenter NodePool (karpenter.sh/v1), typed as ApiObject: the generated classes are not public API. */
  public readonly karpenterNodePool?: ApiObject;
  /** The Karpenter EC2NodeClass (karpenter.k8s.aws/v1). */
  public readonly karpenterNodeClass?: ApiObject;

  public constructor(scope: Construct, id: string, props: GpuNodePoolProps) {
    super(scope, id);
    const pool = Checks.object(this.node.path, 'GpuNodePoolProps', props).pool;
    if (!(pool instanceof GpuPool)) {
      throw new ValidationError(this.node.path, 'GpuNodePoolProps.pool', pool, 'expected a GpuPool (GpuPool.onPrem(), .eks() or .gke())');
    }
    this.pool = pool;
    ObjectOrder.apply(this);
    ClusterScope.claimUnique(this, 'GpuNodePool', pool.name, 'GpuNodePoolProps.pool.name');
    // the cluster's team quotas list every GPU resource its pools advertise (TeamSpace reads this at synth)
    ClusterScope.record<AdvertisedGpuResource>(this, GpuResources.ADVERTISED, {
      resourceName: pool.resourceName, pool: pool.name, gke: pool.cloud === GpuCloud.GCP,
    });
    const karpenter = pool.cloud === GpuCloud.AWS && pool.provisioning === EksProvisioning.KARPENTER;
    if (props.karpenter && !karpenter) {
      throw new ValidationError(this.node.path, 'GpuNodePoolProps.karpenter', props.karpenter,
        `expected no Karpenter settings: pool "${pool.name}" is not an EKS pool provisioned by Karpenter`);
    }

    if (pool.cloud !== GpuCloud.GCP) {
      const image = Images.validatePinned(this.node.path, 'GpuNodePoolProps.devicePluginImage', props.devicePluginImage ?? DefaultImages.NVIDIA_DEVICE_PLUGIN);
      this.systemNamespace();
      if (pool.runtimeClassName !== undefined) this.runtimeClass();
      this.devicePluginConfig = this.deviceConfig();
      this.devicePlugin = this.daemonSet(image, this.devicePluginConfig);
    }
    if (karpenter) {
      const options = Checks.optionalObject(this.node.path, 'GpuNodePoolProps.karpenter', props.karpenter, 'Karpenter settings { consolidation, ... }') ?? {};
      const nodeClass = this.nodeClass(options);
      this.karpenterNodeClass = nodeClass;
      this.karpenterNodePool = this.nodePool(options, nodeClass);
    }
  }

  /** What a pod with `count` GPUs needs to run on this pool (see {@link GpuPool.schedule}). */
  public schedule(count: number, field?: string): GpuScheduling {
    return this.pool.schedule(count, field);
  }

  /** Labels of the device plugin's objects (instance: the pool, a label value of at most 63 characters). */
  private labels(component: string, instance: string = this.pool.name): Record<string, string> {
    return Labels.standard({ name: DEVICE_PLUGIN, instance, component });
  }

  /** Labels of the pool's Karpenter objects. */
  private poolLabels(): Record<string, string> {
    return Labels.standard({ name: 'gpu-node-pool', instance: this.pool.name, component: 'karpenter' });
  }

  /** The `gpu-system` namespace, once per cluster: PSS privileged (the device plugin's hostPath), default-deny. */
  private systemNamespace(): void {
    const chart = Chart.of(this);
    ClusterScope.singleton(this, 'gpu-system-namespace', () => {
      const labels = this.labels('gpu-system', SYSTEM_NAMESPACE);
      const pss = 'pod-security.kubernetes.io';
      new k8s.KubeNamespace(chart, 'gpu-system-namespace', {
        metadata: {
          name: SYSTEM_NAMESPACE,
          labels: {
            ...labels,
            [`${pss}/enforce`]: 'privileged',
            [`${pss}/enforce-version`]: Versions.POD_SECURITY,
          },
          annotations: {
            'ai-platform/pod-security-exception':
              'NVIDIA device plugin: runs as root with a hostPath mount of the kubelet device-plugin socket directory; ' +
              'no capabilities, no privilege escalation, read-only root filesystem',
          },
        },
      });
      new k8s.KubeNetworkPolicy(chart, 'gpu-system-default-deny', {
        metadata: { name: 'default-deny', namespace: SYSTEM_NAMESPACE, labels },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      });
      new k8s.KubeServiceAccount(chart, 'gpu-system-device-plugin-sa', {
        metadata: { name: DEVICE_PLUGIN, namespace: SYSTEM_NAMESPACE, labels },
        automountServiceAccountToken: false,
      });
    });
  }

  /** The `nvidia` RuntimeClass, once per cluster (on-prem containerd with the NVIDIA runtime as a named handler). */
  private runtimeClass(): void {
    const chart = Chart.of(this);
    ClusterScope.singleton(this, 'nvidia-runtime-class', () => new k8s.KubeRuntimeClass(chart, 'nvidia-runtime-class', {
      metadata: { name: GpuPool.ON_PREM_RUNTIME_CLASS, labels: this.labels('runtime', GpuPool.ON_PREM_RUNTIME_CLASS) },
      handler: GpuPool.ON_PREM_RUNTIME_CLASS,
    }));
  }

  /** The device plugin's config file: MIG strategy, and time-slicing replicas when the pool time-slices. */
  private deviceConfig(): k8s.KubeConfigMap {
    const sharing = this.pool.sharing;
    const config: Record<string, unknown> = {
      version: 'v1',
      flags: { migStrategy: sharing.mode === GpuSharingMode.MIG ? 'mixed' : 'none', failOnInitError: true },
    };
    if (sharing.mode === GpuSharingMode.TIME_SLICING) {
      config.sharing = {
        timeSlicing: {
          renameByDefault: false,
          failRequestsGreaterThanOne: true,
          resources: [{ name: GpuResources.NVIDIA_GPU, replicas: sharing.replicas }],
        },
      };
    }
    return new k8s.KubeConfigMap(this, 'device-plugin-config', {
      metadata: { name: `${DEVICE_PLUGIN}-${this.pool.name}`, namespace: SYSTEM_NAMESPACE, labels: this.labels('device-plugin') },
      // JSON is YAML: the plugin reads it as its YAML config file.
      data: { [CONFIG_FILE]: JSON.stringify(config, undefined, 2) },
    });
  }

  private daemonSet(image: string, config: k8s.KubeConfigMap): k8s.KubeDaemonSet {
    const labels = this.labels('device-plugin');
    const selector = Labels.selector({ name: DEVICE_PLUGIN, instance: labels[Labels.INSTANCE], component: 'device-plugin' });
    const tmp = Security.writableDirectories(['/tmp'], '64Mi');
    const scheduling = this.pool.schedule(1);
    return new k8s.KubeDaemonSet(this, 'device-plugin', {
      metadata: { name: `${DEVICE_PLUGIN}-${this.pool.name}`, namespace: SYSTEM_NAMESPACE, labels },
      spec: {
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(1) } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: DEVICE_PLUGIN,
            automountServiceAccountToken: false,
            priorityClassName: 'system-node-critical',
            nodeSelector: scheduling.nodeSelector,
            tolerations: [...scheduling.tolerations, { key: 'CriticalAddonsOnly', operator: 'Exists' }],
            runtimeClassName: scheduling.runtimeClassName,
            // The documented exception: root for the kubelet's root-owned socket directory, nothing more.
            securityContext: { runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: DEVICE_PLUGIN,
              image,
              imagePullPolicy: 'IfNotPresent',
              env: [{ name: 'CONFIG_FILE', value: `${CONFIG_DIR}/${CONFIG_FILE}` }],
              securityContext: { ...Security.containerSecurityContext(), runAsNonRoot: false },
              resources: Resources.requirements(this, 'GpuNodePool.devicePlugin.resources', { cpu: '50m', memory: '64Mi', cpuLimit: '200m', memoryLimit: '128Mi' }),
              volumeMounts: [
                { name: 'device-plugins', mountPath: KUBELET_DEVICE_PLUGINS },
                { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                ...tmp.mounts,
              ],
            }],
            volumes: [
              { name: 'device-plugins', hostPath: { path: KUBELET_DEVICE_PLUGINS, type: 'Directory' } },
              { name: 'config', configMap: { name: config.name } },
              ...tmp.volumes,
            ],
          },
        },
      },
    });
  }

  private nodeClass(options: KarpenterOptions): Ec2NodeClass {
    const clusterName = this.pool.clusterName!;
    const amiAlias = GpuNodePool.validateAmiAlias(this.node.path, 'GpuNodePoolProps.karpenter.amiAlias', options.amiAlias ?? AmiAliases.EKS_AL2023);
    const rootVolumeSize = GpuNodePool.validateRootVolume(this.node.path, 'GpuNodePoolProps.karpenter.rootVolumeSize', options.rootVolumeSize ?? '200Gi');
    const discovery = [{ tags: { [EksContract.DISCOVERY_TAG]: clusterName } }];
    return new Ec2NodeClass(this, 'node-class', {
      metadata: { name: this.pool.name, labels: this.poolLabels() },
      spec: {
        amiSelectorTerms: [{ alias: amiAlias }],
        role: EksContract.karpenterNodeRoleName(clusterName),
        subnetSelectorTerms: discovery,
        securityGroupSelectorTerms: discovery,
        metadataOptions: {
          httpEndpoint: Ec2NodeClassSpecMetadataOptionsHttpEndpoint.ENABLED,
          httpProtocolIPv6: Ec2NodeClassSpecMetadataOptionsHttpProtocolIPv6.DISABLED,
          httpPutResponseHopLimit: 1,
          httpTokens: Ec2NodeClassSpecMetadataOptionsHttpTokens.REQUIRED,
        },
        blockDeviceMappings: [{
          deviceName: '/dev/xvda',
          rootVolume: true,
          ebs: { volumeSize: rootVolumeSize, volumeType: Ec2NodeClassSpecBlockDeviceMappingsEbsVolumeType.GP3, encrypted: true, deleteOnTermination: true },
        }],
        tags: { ...Labels.cloud(), [GpuPool.POOL_LABEL]: this.pool.name },
      },
    });
  }

  /**
   * `al2023@v<YYYYMMDD>` (a real date: an amazon-eks-ami release tag), or `al2023@latest` (follows every release:
   * not for production, where each release drifts and replaces every node).
   */
  private static validateAmiAlias(path: string, field: string, alias: string): string {
    const match = typeof alias === 'string' ? /^al2023@(?:latest|v(\d{4})(\d{2})(\d{2}))$/.exec(alias) : null;
    const valid = match !== null && (match[1] === undefined || GpuNodePool.isDate(Number(match[1]), Number(match[2]), Number(match[3])));
    if (!valid) {
      throw new ValidationError(path, field, alias,
        `expected an AL2023 alias pinned to an amazon-eks-ami release, e.g. "${AmiAliases.EKS_AL2023}" ("al2023@vYYYYMMDD"; "al2023@latest" is accepted but not for production); the NVIDIA variant is chosen for GPU instances`);
    }
    return alias;
  }

  private static isDate(year: number, month: number, day: number): boolean {
    const date = new Date(Date.UTC(year, month - 1, day));
    return year >= 2023 && date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  }

  /**
   * A root volume size Karpenter accepts (`Gi`, `G`, `Ti` or `T`: EC2NodeClass `volumeSize`) within what a gp3
   * volume can be: 1 GiB to 16 TiB (Amazon EBS volume types; the EC2NodeClass CRD: "gp2 and gp3: 1-16,384").
   */
  private static validateRootVolume(path: string, field: string, size: string): string {
    const bytes = typeof size === 'string' && /^\d+(Gi|Ti|G|T)$/.test(size) ? Quantities.parse(size) : undefined;
    if (bytes === undefined || bytes < GIB || bytes > 16 * 1024 * GIB) {
      throw new ValidationError(path, field, size, 'expected a gp3 volume size from 1Gi to 16Ti, written in Gi, G, Ti or T, such as "200Gi"');
    }
    return size;
  }

  private nodePool(options: KarpenterOptions, nodeClass: Ec2NodeClass): NodePool {
    const field = 'GpuNodePoolProps.karpenter';
    const consolidateAfter = options.consolidateAfter ?? '10m';
    const expireAfter = options.expireAfter ?? '720h';
    for (const [name, value] of [['consolidateAfter', consolidateAfter], ['expireAfter', expireAfter]]) {
      if (typeof value !== 'string' || !DURATION.test(value)) {
        throw new ValidationError(this.node.path, `${field}.${name}`, value, 'expected a duration such as "30s", "10m", "720h", or "Never"');
      }
    }
    const consolidation = Checks.oneOf(this.node.path, `${field}.consolidation`, options.consolidation,
      Object.values(KarpenterConsolidation), KarpenterConsolidation.WHEN_EMPTY);
    const pool = this.pool;
    const inValues = (key: string, values: string[]) => ({ key, operator: NodePoolSpecTemplateSpecRequirementsOperator.IN, values });
    return new NodePool(this, 'node-pool', {
      metadata: { name: pool.name, labels: this.poolLabels() },
      spec: {
        template: {
          metadata: { labels: pool.nodeLabels },
          spec: {
            nodeClassRef: { group: Ec2NodeClass.GVK.apiVersion.split('/')[0], kind: Ec2NodeClass.GVK.kind, name: nodeClass.name },
            requirements: [
              inValues('node.kubernetes.io/instance-type', [pool.machineType!]),
              inValues('karpenter.sh/capacity-type', [pool.capacityType!]),
              inValues('kubernetes.io/arch', ['amd64']),
              inValues('kubernetes.io/os', ['linux']),
            ],
            taints: pool.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect as NodePoolSpecTemplateSpecTaintsEffect })),
            expireAfter,
          },
        },
        disruption: {
          consolidationPolicy: consolidation as string as NodePoolSpecDisruptionConsolidationPolicy,
          consolidateAfter,
        },
        limits: { [GpuResources.NVIDIA_GPU]: NodePoolSpecLimits.fromNumber(pool.maxGpus) },
      },
    });
  }
}
