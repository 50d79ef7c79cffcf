import { AutoscalingGroupTagA } from '@cdktf/provider-aws/lib/autoscaling-group-tag';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksNodeGroup, EksNodeGroupConfig } from '@cdktf/provider-aws/lib/eks-node-group';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Fn, ITerraformDependable, Token } from 'cdktf';
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { Checks } from '../../core/checks';
import { Cidr } from '../../core/cidr';
import { EksContract } from '../../core/eks-contract';
import { ValidationError } from '../../core/errors';
import { KubernetesVersions } from '../../core/kubernetes-versions';
import { Labels } from '../../core/labels';
import { Names } from '../../core/names';
import { Quantities } from '../../core/quantity';
import { EksAddonVersions, Versions } from '../../core/versions';
import { CapacityType, EksProvisioning, GpuCloud, GpuPool } from '../../gpu/gpu-pool';
import { NodeTaints } from '../node-taints';
import { AwsPlatformStack } from './aws-platform-stack';
import { KARPENTER_INTERRUPTION_EVENTS, KarpenterIam, KarpenterIamScope } from './karpenter-iam';

/** Size of the system node group, which runs everything that is not a GPU workload (CoreDNS, controllers, ...). */
export interface EksSystemNodesProps {
  /**
   * EC2 instance type of the system nodes. The AMI follows its architecture: AL2023 x86_64 for Intel and AMD types
   * (`m6i.large`), AL2023 ARM for Graviton types (`m7g.large`, `c7gn.xlarge`, `a1.large`): then every image that
   * runs on the system nodes must have an arm64 variant (the add-ons EKS manages have).
   * @default "m6i.large"
   */
  readonly instanceType?: string;
  /**
   * Minimum (and initial) number of system nodes; at least 1.
   * @default 2
   */
  readonly minNodes?: number;
  /**
   * Maximum number of system nodes.
   * @default 4
   */
  readonly maxNodes?: number;
}

/**
 * Versions of the EKS managed add-ons (`aws_eks_addon.addon_version`, e.g. `v1.20.4-eksbuild.2`). Each must be
 * compatible with the cluster's Kubernetes version: `aws eks describe-addon-versions --kubernetes-version <v>
 * --addon-name <name>`.
 */
export interface EksAddonVersionsProps {
  /**
   * `vpc-cni` (pod networking; network policy enforcement is turned on).
   * @default EksAddonVersions.VPC_CNI for the default Kubernetes version; required for another one
   */
  readonly vpcCni?: string;
  /**
   * `coredns`.
   * @default EksAddonVersions.COREDNS for the default Kubernetes version; required for another one
   */
  readonly coreDns?: string;
  /**
   * `kube-proxy` (its minor version is the cluster's).
   * @default EksAddonVersions.KUBE_PROXY for the default Kubernetes version; required for another one
   */
  readonly kubeProxy?: string;
  /**
   * `eks-pod-identity-agent`.
   * @default EksAddonVersions.POD_IDENTITY_AGENT for the default Kubernetes version; required for another one
   */
  readonly podIdentityAgent?: string;
  /**
   * `aws-ebs-csi-driver`.
   * @default EksAddonVersions.EBS_CSI_DRIVER for the default Kubernetes version; required for another one
   */
  readonly ebsCsiDriver?: string;
}

/** Props of {@link EksGpuCluster}. */
export interface EksGpuClusterProps {
  /**
   * Name of the EKS cluster: a DNS-1123 label. Also names the IAM roles (`<name>-cluster`, `<name>-node`,
   * `<name>-ebs-csi`, with Karpenter pools `<name>-karpenter-node` and `<name>-karpenter-controller`, with
   * managed-node-group pools `<name>-cluster-autoscaler`; see {@link EksContract}), so it must leave room for them in
   * IAM's 64 characters, and Karpenter's interruption queue (the name itself).
   */
  readonly name: string;
  /**
   * Kubernetes version of the control plane (`major.minor`); node groups follow it. Another version than the
   * default needs `addonVersions` for every add-on (EKS refuses add-on versions of another Kubernetes version).
   * @default Versions.EKS_KUBERNETES
   */
  readonly kubernetesVersion?: string;
  /**
   * The Kubernetes version the cluster's add-ons and workloads need (`major.minor` or `major.minor.patch`), e.g.
   * the Kubernetes side's `ClusterAddons.minimumKubernetesVersion` (Knative 1.23 needs 1.34.0, Kueue 0.19 needs
   * 1.29). `kubernetesVersion` must be at least its minor: EKS runs the newest patch of a minor and offers no
   * choice of patch, so `"1.34.0"` and `"1.34.5"` both accept `"1.34"`.
   * @default - no minimum is checked
   */
  readonly minimumKubernetesVersion?: string;
  /**
   * Versions of the EKS managed add-ons.
   * @default - the versions of {@link EksAddonVersions}, for Versions.EKS_KUBERNETES
   */
  readonly addonVersions?: EksAddonVersionsProps;
  /**
   * IPv4 CIDR of the VPC, from /16 to /20. Private subnets are 8 times smaller (/19 of a /16), public subnets
   * 256 times smaller (/24 of a /16).
   * @default "10.0.0.0/16"
   */
  readonly vpcCidr?: string;
  /**
   * Number of availability zones (one private and one public subnet in each), 2 to 6. The region must have that
   * many available zones (checked by Terraform at plan time).
   * @default 3
   */
  readonly availabilityZones?: number;
  /**
   * IPv4 CIDRs that may reach the Kubernetes API endpoint from the internet. Empty: the endpoint is private only
   * (reachable from the VPC and networks peered with it). `0.0.0.0/0` is refused.
   * @default [] - private endpoint only
   */
  readonly endpointPublicAccessCidrs?: string[];
  /**
   * GPU pools of the cluster: `GpuPool.eks(...)` pools whose `clusterName` is this cluster's name, with unique
   * names. Managed-node-group pools become EKS managed node groups here; Karpenter pools get their node role and
   * access entry here and their NodePool / EC2NodeClass on the Kubernetes side.
   */
  readonly gpuPools: GpuPool[];
  /**
   * Size and instance type of the system node group.
   * @default - m6i.large, 2 to 4 nodes
   */
  readonly systemNodes?: EksSystemNodesProps;
  /**
   * Terraform `prevent_destroy` on the cluster and the KMS key (provider 5.100.0 has no EKS `deletion_protection`
   * argument): `terraform destroy` or a change that replaces them fails until this is turned off.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Retention of the control plane logs, in days: one of the values CloudWatch Logs accepts (1, 3, 5, 7, 14, 30,
   * 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653).
   * @default 90
   */
  readonly logRetentionDays?: number;
}

const DEFAULT_VPC_CIDR = '10.0.0.0/16';
const PRIVATE_NEWBITS = 3;
const PUBLIC_NEWBITS = 8;
/** Public subnets take the last /24s of the VPC's last eighth, which no private subnet (at most 6) uses. */
const PUBLIC_NETNUM_BASE = 240;
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const NODE_POLICIES = ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryReadOnly', 'AmazonSSMManagedInstanceCore'];
const SYSTEM_NODE_GROUP = 'system';
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const K8S_VERSION = /^1\.\d{2,}$/;
const IAM_ROLE_NAME_MAX = 64;
const AUTOSCALER = 'k8s.io/cluster-autoscaler';
const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;
/** AWS tags: keys at most 128 characters, values at most 256 (the Cluster Autoscaler tags of the node groups). */
const TAG_KEY_MAX = 128;
const TAG_VALUE_MAX = 256;
/**
 * EC2 instance types with AWS Graviton (arm64) processors: the processor attribute `g` after the generation
 * (`m7g`, `c7gn`, `r8gd`, `im4gn`, `is4gen`, `x2gd`, `t4g`), and the first generation `a1` ("Amazon EC2 instance
 * type naming conventions").
 */
const GRAVITON = /^(a1|[a-z]+\d+[a-z]*g[a-z]*)(-[a-z0-9]+)?\.[a-z0-9]+$/;
/** The EBS CSI driver's controller service account (created by the add-on, in kube-system). */
const EBS_CSI_SERVICE_ACCOUNT = 'ebs-csi-controller-sa';
const KUBE_SYSTEM = 'kube-system';
/** Pod Identity's service principal, which assumes the roles of associated service accounts (EKS User Guide, "EKS Pod Identity"). */
const POD_IDENTITY_PRINCIPAL = 'pods.eks.amazonaws.com';
/** EventBridge rule names: at most 64 characters. */
const EVENT_RULE_NAME_MAX = 64;

/**
 * An EKS cluster for GPU workloads, in Terraform (cdktf), placed in an `AwsPlatformStack`:
 *
 * - a VPC over `availabilityZones` zones: private subnets (nodes, internal load balancers, tagged for Karpenter
 *   discovery), small public subnets (internet-facing load balancers, the NAT gateway; no public IPs on launch),
 *   one internet gateway, one NAT gateway (a single NAT is a cost choice: its zone is a point of failure for egress);
 * - a KMS key (rotated yearly) that encrypts Kubernetes Secrets (envelope encryption) and the control plane log
 *   group `/aws/eks/<name>/cluster` (api, audit, authenticator logs);
 * - the cluster: private API endpoint unless `endpointPublicAccessCidrs` is set, access entries only
 *   (`authentication_mode = API`, no aws-auth ConfigMap), the creator of the cluster admin;
 * - a system managed node group (AL2023, on-demand) and one managed node group per managed-node-group GPU pool
 *   (AL2023 NVIDIA AMI, the pool's labels and taints, Cluster Autoscaler discovery and scale-from-zero tags on the
 *   node group and its Auto Scaling group). Every node group has its own launch template: IMDSv2 only with a hop
 *   limit of 1 (pods cannot reach the instance metadata: they use IRSA or Pod Identity), encrypted gp3 root volume.
 *   Node groups span all private subnets: a GPU instance type missing from one of the zones fails at apply.
 * - for Karpenter pools: the node role Karpenter's EC2NodeClass names (`EksContract.karpenterNodeRoleName`) with
 *   an EC2_LINUX access entry, and the discovery tag on the cluster security group; and what Karpenter 1.14's
 *   CloudFormation template creates for its controller: the controller role (`EksContract.karpenterControllerRoleName`)
 *   with upstream's six managed policies (node lifecycle, IAM integration with `iam:PassRole` on the node role only,
 *   EKS integration, interruption, resource discovery, zonal shift; upstream's tag and region conditions kept),
 *   passed by EKS Pod Identity to `EksContract.KARPENTER_NAMESPACE` / `KARPENTER_SERVICE_ACCOUNT`, and the
 *   interruption queue (`EksContract.interruptionQueueName`: SSE, 300 s retention, TLS only) fed by the five
 *   EventBridge rules upstream lists. The controller itself (its Helm chart), the NodePool and the EC2NodeClass
 *   come from the Kubernetes side.
 * - for managed-node-group pools: the Cluster Autoscaler's role (`EksContract.clusterAutoscalerRoleName`), passed
 *   by EKS Pod Identity to `EksContract.CLUSTER_AUTOSCALER_NAMESPACE` / `CLUSTER_AUTOSCALER_SERVICE_ACCOUNT`, that
 *   may describe everything and scale only this cluster's Auto Scaling groups. Its chart comes from the Kubernetes
 *   side.
 * - `minimumKubernetesVersion` (what the add-ons need) checked against `kubernetesVersion`.
 *
 * - the EKS managed add-ons, pinned (`addonVersions`, {@link EksAddonVersions}): `vpc-cni` with network policy
 *   enforcement on (`{"enableNetworkPolicy":"true"}`: without it the VPC CNI enforces no NetworkPolicy, and every
 *   TeamSpace default-deny is a no-op), `kube-proxy`, `eks-pod-identity-agent`, `coredns`, and `aws-ebs-csi-driver`
 *   (without it no PersistentVolumeClaim binds) with its IAM role (`AmazonEBSCSIDriverPolicy`), passed by EKS Pod
 *   Identity (an association for `kube-system/ebs-csi-controller-sa`; no OIDC provider needed). Conflicts with the
 *   self-managed copies EKS installs are overwritten on create and preserved on update. The node groups wait for
 *   vpc-cni, kube-proxy and the Pod Identity agent (pods need the CNI); coredns and the EBS CSI driver, which run
 *   Deployments, wait for the system node group. The default encrypted gp3 StorageClass is on the Kubernetes side
 *   (`EbsStorageClass`).
 *
 * The AL2023 NVIDIA AMI brings the driver and the container toolkit; the NVIDIA device plugin runs from the
 * Kubernetes side (`GpuNodePool`).
 */
export class EksGpuCluster extends Construct {
  /** The cluster name. */
  public readonly name: string;
  public readonly vpc: Vpc;
  /** One private subnet per availability zone (nodes, internal load balancers). */
  public readonly privateSubnets: Subnet[];
  /** One public subnet per availability zone (internet-facing load balancers, NAT gateway). */
  public readonly publicSubnets: Subnet[];
  public readonly cluster: EksCluster;
  /** The KMS key of Secrets envelope encryption and of the control plane log group. */
  public readonly kmsKey: KmsKey;
  public readonly logGroup: CloudwatchLogGroup;
  /** The IAM role of the cluster (control plane). */
  public readonly clusterRole: IamRole;
  /** The IAM role of every managed node group. */
  public readonly nodeRole: IamRole;
  public readonly systemNodeGroup: EksNodeGroup;
  /** The managed node group of each managed-node-group GPU pool, by pool name. */
  public readonly gpuNodeGroups: { [poolName: string]: EksNodeGroup };
  /** The launch template of each node group, by node group name (`system` and the pool names). */
  public readonly launchTemplates: { [nodeGroupName: string]: LaunchTemplate };
  /** The node role of Karpenter's nodes, when a pool uses Karpenter. */
  public readonly karpenterNodeRole?: IamRole;
  /** The EKS managed add-ons, by add-on name (`vpc-cni`, `kube-proxy`, `eks-pod-identity-agent`, `coredns`, `aws-ebs-csi-driver`). */
  public readonly addons: { [addonName: string]: EksAddon };
  /** The IAM role of the EBS CSI driver's controller (AmazonEBSCSIDriverPolicy). */
  public readonly ebsCsiDriverRole: IamRole;
  /** The Pod Identity association of the EBS CSI driver's controller service account with its role. */
  public readonly ebsCsiPodIdentity: EksPodIdentityAssociation;
  /**
   * The Karpenter controller's IAM role (`EksContract.karpenterControllerRoleName`), when a pool uses Karpenter.
   * EKS Pod Identity passes it to `EksContract.KARPENTER_NAMESPACE` / `KARPENTER_SERVICE_ACCOUNT`.
   */
  public readonly karpenterControllerRole?: IamRole;
  /**
   * The Karpenter controller's managed policies, by upstream's name without the `KarpenterController` prefix and
   * `Policy` suffix: `NodeLifecycle`, `IAMIntegration`, `EKSIntegration`, `Interruption`, `ResourceDiscovery`,
   * `ZonalShift` (empty without a Karpenter pool).
   */
  public readonly karpenterControllerPolicies: { [policyName: string]: IamPolicy };
  /** The Pod Identity association of Karpenter's service account with its controller role, when a pool uses Karpenter. */
  public readonly karpenterPodIdentity?: EksPodIdentityAssociation;
  /** Karpenter's interruption queue (`EksContract.interruptionQueueName`, the chart's `settings.interruptionQueue`). */
  public readonly interruptionQueue?: SqsQueue;
  /** The interruption queue's policy: EventBridge may send, TLS only. */
  public readonly interruptionQueuePolicy?: SqsQueuePolicy;
  /**
   * The EventBridge rules that feed the interruption queue, by kind: `scheduled-change`, `spot-interruption`,
   * `rebalance`, `instance-state-change`, `capacity-reservation-interruption` (empty without a Karpenter pool).
   */
  public readonly interruptionRules: { [kind: string]: CloudwatchEventRule };
  /** The targets (the interruption queue) of the {@link interruptionRules}, by the same kinds. */
  public readonly interruptionTargets: { [kind: string]: CloudwatchEventTarget };
  /**
   * The Cluster Autoscaler's IAM role (`EksContract.clusterAutoscalerRoleName`), when a pool is a managed node
   * group. EKS Pod Identity passes it to `EksContract.CLUSTER_AUTOSCALER_NAMESPACE` / `CLUSTER_AUTOSCALER_SERVICE_ACCOUNT`.
   */
  public readonly clusterAutoscalerRole?: IamRole;
  /** The Cluster Autoscaler's inline policy, when a pool is a managed node group. */
  public readonly clusterAutoscalerPolicy?: IamRolePolicy;
  /** The Pod Identity association of the Cluster Autoscaler's service account with its role. */
  public readonly clusterAutoscalerPodIdentity?: EksPodIdentityAssociation;
  /** The minimum Kubernetes version checked (`EksGpuClusterProps.minimumKubernetesVersion`), if any. */
  public readonly minimumKubernetesVersion?: string;

  private readonly partition: DataAwsPartition;
  private readonly protect: boolean;
  private validatedPools: GpuPool[] = [];

  public constructor(scope: Construct, id: string, props: EksGpuClusterProps) {
    super(scope, id);
    const path = this.node.path;
    AwsPlatformStack.containing(this, 'EksGpuCluster.scope');
    Checks.object(path, 'EksGpuClusterProps', props);
    this.name = Names.validateDnsLabel(path, 'EksGpuClusterProps.name', props.name);
    const name = this.name;
    const version = props.kubernetesVersion ?? Versions.EKS_KUBERNETES;
    if (typeof version !== 'string' || !K8S_VERSION.test(version)) {
      throw new ValidationError(path, 'EksGpuClusterProps.kubernetesVersion', version, 'expected a Kubernetes minor version such as "1.34"');
    }
    if (props.minimumKubernetesVersion !== undefined) {
      const field = 'EksGpuClusterProps.minimumKubernetesVersion';
      const minimum = props.minimumKubernetesVersion;
      if (!KubernetesVersions.isVersion(minimum)) {
        throw new ValidationError(path, field, minimum, 'expected a Kubernetes version "major.minor" or "major.minor.patch", such as "1.34" or "1.34.0"');
      }
      // EKS runs the newest patch of its minor: compare minors only.
      const minimumMinor = /^v?(\d+\.\d+)/.exec(minimum)![1];
      if (!KubernetesVersions.atLeast(version, minimumMinor)) {
        throw new ValidationError(path, field, minimum,
          `expected at most the cluster's Kubernetes version ${version} (EksGpuClusterProps.kubernetesVersion): the cluster's add-ons need ${minimum}; raise kubernetesVersion (with addonVersions for it) or drop the add-on that needs it`);
      }
      this.minimumKubernetesVersion = minimum;
    }
    const vpcCidr = props.vpcCidr ?? DEFAULT_VPC_CIDR;
    const vpcNet = Cidr.parse(vpcCidr);
    if (!vpcNet || vpcNet.prefix < 16 || vpcNet.prefix > 20) {
      throw new ValidationError(path, 'EksGpuClusterProps.vpcCidr', vpcCidr,
        'expected an IPv4 network CIDR from /16 to /20 with no host bits set, e.g. "10.0.0.0/16" (private subnets are 8 times smaller, public ones 256 times)');
    }
    const zoneCount = props.availabilityZones ?? 3;
    if (!Number.isInteger(zoneCount) || zoneCount < 2 || zoneCount > 6) {
      throw new ValidationError(path, 'EksGpuClusterProps.availabilityZones', zoneCount, 'expected an integer from 2 to 6 (EKS needs subnets in at least 2 zones)');
    }
    const publicCidrs = Checks.optionalArray(path, 'EksGpuClusterProps.endpointPublicAccessCidrs', props.endpointPublicAccessCidrs, [], 'a list of IPv4 CIDRs');
    publicCidrs.forEach((cidr, i) => {
      const field = `EksGpuClusterProps.endpointPublicAccessCidrs[${i}]`;
      const net = Cidr.parse(cidr);
      if (!net) throw new ValidationError(path, field, cidr, 'expected an IPv4 network CIDR with no host bits set, e.g. "203.0.113.0/24"');
      if (net.prefix === 0) {
        throw new ValidationError(path, field, cidr,
          'expected the CIDRs of your own networks: 0.0.0.0/0 opens the Kubernetes API endpoint to the whole internet (leave the list empty for a private endpoint)');
      }
    });
    const system = this.validateSystemNodes(Checks.optionalObject(path, 'EksGpuClusterProps.systemNodes', props.systemNodes) ?? {});
    const addonVersions = this.validateAddonVersions(version, Checks.optionalObject(path, 'EksGpuClusterProps.addonVersions', props.addonVersions) ?? {});
    const retention = props.logRetentionDays ?? 90;
    if (!LOG_RETENTION_DAYS.includes(retention)) {
      throw new ValidationError(path, 'EksGpuClusterProps.logRetentionDays', retention, `expected one of the CloudWatch Logs retentions: ${LOG_RETENTION_DAYS.join(', ')}`);
    }
    const pools = this.validatePools(props.gpuPools);
    this.validatedPools = pools;
    const karpenterPools = pools.filter((p) => p.provisioning === EksProvisioning.KARPENTER);
    const managedPools = pools.filter((p) => p.provisioning === EksProvisioning.MANAGED_NODE_GROUP);
    const roleNames = [
      `${name}-cluster`, `${name}-node`, `${name}-ebs-csi`,
      ...(karpenterPools.length > 0 ? [EksContract.karpenterNodeRoleName(name), EksContract.karpenterControllerRoleName(name)] : []),
      ...(managedPools.length > 0 ? [EksContract.clusterAutoscalerRoleName(name)] : []),
    ];
    const tooLong = roleNames.find((r) => r.length > IAM_ROLE_NAME_MAX);
    if (tooLong) {
      throw new ValidationError(path, 'EksGpuClusterProps.name', name,
        `expected at most ${name.length - (tooLong.length - IAM_ROLE_NAME_MAX)} characters: the IAM role name "${tooLong}" would exceed ${IAM_ROLE_NAME_MAX}`);
    }
    this.protect = Checks.boolean(path, 'EksGpuClusterProps.deletionProtection', props.deletionProtection, true);
    this.karpenterControllerPolicies = {};
    this.interruptionRules = {};
    this.interruptionTargets = {};

    // --- account facts -------------------------------------------------------------------------------------------
    this.partition = new DataAwsPartition(this, 'partition');
    const account = new DataAwsCallerIdentity(this, 'caller');
    const region = new DataAwsRegion(this, 'region');
    const zones = new DataAwsAvailabilityZones(this, 'zones', {
      state: 'available',
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }], // no Local / Wavelength Zones
      lifecycle: {
        postcondition: [{
          condition: `\${length(self.names) >= ${zoneCount}}`,
          errorMessage: `EKS cluster ${name} needs ${zoneCount} available availability zones in the region (EksGpuClusterProps.availabilityZones).`,
        }],
      },
    });

    // --- network -------------------------------------------------------------------------------------------------
    this.vpc = new Vpc(this, 'vpc', { cidrBlock: vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: { Name: name } });
    this.privateSubnets = [];
    this.publicSubnets = [];
    for (let i = 0; i < zoneCount; i++) {
      const az = Fn.element(zones.names, i);
      this.privateSubnets.push(new Subnet(this, `private-subnet-${i}`, {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: Fn.cidrsubnet(vpcCidr, PRIVATE_NEWBITS, i),
        mapPublicIpOnLaunch: false,
        tags: { 'Name': `${name}-private-${i}`, 'kubernetes.io/role/internal-elb': '1', [EksContract.DISCOVERY_TAG]: name },
      }));
      this.publicSubnets.push(new Subnet(this, `public-subnet-${i}`, {
        vpcId: this.vpc.id,
        availabilityZone: az,
        cidrBlock: Fn.cidrsubnet(vpcCidr, PUBLIC_NEWBITS, PUBLIC_NETNUM_BASE + i),
        mapPublicIpOnLaunch: false,
        tags: { 'Name': `${name}-public-${i}`, 'kubernetes.io/role/elb': '1' },
      }));
    }
    const igw = new InternetGateway(this, 'igw', { vpcId: this.vpc.id, tags: { Name: name } });
    const natIp = new Eip(this, 'nat-ip', { domain: 'vpc', tags: { Name: `${name}-nat` }, dependsOn: [igw] });
    const nat = new NatGateway(this, 'nat', { allocationId: natIp.id, subnetId: this.publicSubnets[0].id, tags: { Name: name }, dependsOn: [igw] });
    const publicRoutes = new RouteTable(this, 'public-routes', { vpcId: this.vpc.id, tags: { Name: `${name}-public` } });
    new Route(this, 'public-default-route', { routeTableId: publicRoutes.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
    const privateRoutes = new RouteTable(this, 'private-routes', { vpcId: this.vpc.id, tags: { Name: `${name}-private` } });
    new Route(this, 'private-default-route', { routeTableId: privateRoutes.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id });
    for (let i = 0; i < zoneCount; i++) {
      new RouteTableAssociation(this, `public-routes-${i}`, { routeTableId: publicRoutes.id, subnetId: this.publicSubnets[i].id });
      new RouteTableAssociation(this, `private-routes-${i}`, { routeTableId: privateRoutes.id, subnetId: this.privateSubnets[i].id });
    }
    const subnetIds = this.privateSubnets.map((s) => s.id);

    // --- encryption and logs -------------------------------------------------------------------------------------
    const logGroupName = `/aws/eks/${name}/cluster`;
    const logGroupArn = `arn:${this.partition.partition}:logs:${region.name}:${account.accountId}:log-group:${logGroupName}`;
    const keyPolicy = this.policyDocument('kms-key-policy', [
      {
        sid: 'AccountAdministersTheKeyThroughIam',
        actions: ['kms:*'],
        resources: ['*'],
        principals: [{ type: 'AWS', identifiers: [`arn:${this.partition.partition}:iam::${account.accountId}:root`] }],
      },
      {
        sid: 'CloudWatchLogsEncryptsTheClusterLogGroup',
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        principals: [{ type: 'Service', identifiers: [`logs.${region.name}.${this.partition.dnsSuffix}`] }],
        condition: [{ test: 'ArnEquals', variable: 'kms:EncryptionContext:aws:logs:arn', values: [logGroupArn] }],
      },
    ]);
    this.kmsKey = new KmsKey(this, 'kms-key', {
      description: `EKS cluster ${name}: Kubernetes Secrets envelope encryption and control plane logs`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: keyPolicy.json,
      lifecycle: { preventDestroy: this.protect },
    });
    new KmsAlias(this, 'kms-alias', { name: `alias/eks/${name}`, targetKeyId: this.kmsKey.keyId });
    this.logGroup = new CloudwatchLogGroup(this, 'log-group', { name: logGroupName, retentionInDays: retention, kmsKeyId: this.kmsKey.arn });

    // --- control plane -------------------------------------------------------------------------------------------
    this.clusterRole = new IamRole(this, 'cluster-role', {
      name: `${name}-cluster`,
      assumeRolePolicy: this.policyDocument('cluster-assume-role', [assumeRole('eks.amazonaws.com')]).json,
    });
    const clusterPolicy = this.attachManagedPolicies('cluster-role', this.clusterRole, ['AmazonEKSClusterPolicy']);
    const clusterKmsPolicy = new IamRolePolicy(this, 'cluster-role-kms', {
      name: 'secrets-envelope-encryption',
      role: this.clusterRole.name,
      policy: this.policyDocument('cluster-kms-policy', [{
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
        resources: [this.kmsKey.arn],
      }]).json,
    });
    this.cluster = new EksCluster(this, 'cluster', {
      name,
      version,
      roleArn: this.clusterRole.arn,
      enabledClusterLogTypes: ['api', 'audit', 'authenticator'],
      vpcConfig: {
        subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs.length > 0,
        publicAccessCidrs: publicCidrs.length > 0 ? publicCidrs : undefined,
      },
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: true },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: this.kmsKey.arn } },
      dependsOn: [this.logGroup, ...clusterPolicy, clusterKmsPolicy],
      lifecycle: { preventDestroy: this.protect },
    });

    // --- add-ons on every node: the CNI first (pods get no network without it) ---------------------------------
    // Create: OVERWRITE the self-managed copies EKS installs with the cluster; update: PRESERVE what was changed
    // outside Terraform (EKS User Guide, "Create an Amazon EKS add-on" / "Update an Amazon EKS add-on").
    this.addons = {};
    const addon = (addonName: string, addonVersion: string, extra: Partial<ConstructorParameters<typeof EksAddon>[2]> = {}): EksAddon => {
      const created = new EksAddon(this, `addon-${addonName}`, {
        clusterName: this.cluster.name,
        addonName,
        addonVersion,
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'PRESERVE',
        ...extra,
      });
      this.addons[addonName] = created;
      return created;
    };
    // enableNetworkPolicy: the VPC CNI add-on's switch for NetworkPolicy enforcement (its node agent), a string
    // "true" in the add-on's configuration schema (EKS User Guide, "Restrict Pod network traffic with Kubernetes
    // network policies": Configuration values {"enableNetworkPolicy": "true"}).
    const vpcCni = addon('vpc-cni', addonVersions.vpcCni, { configurationValues: JSON.stringify({ enableNetworkPolicy: 'true' }) });
    const kubeProxy = addon('kube-proxy', addonVersions.kubeProxy);
    const podIdentityAgent = addon('eks-pod-identity-agent', addonVersions.podIdentityAgent);
    const nodeAddons = [vpcCni, kubeProxy, podIdentityAgent];

    // --- managed node groups -------------------------------------------------------------------------------------
    this.nodeRole = this.newNodeRole('node-role', `${name}-node`);
    const nodePolicies = this.attachManagedPolicies('node-role', this.nodeRole, NODE_POLICIES);
    this.launchTemplates = {};
    const nodeGroupBase = { clusterName: this.cluster.name, nodeRoleArn: this.nodeRole.arn, subnetIds, dependsOn: [...nodePolicies, ...nodeAddons] };
    this.systemNodeGroup = this.newNodeGroup(SYSTEM_NODE_GROUP, 50, {
      ...nodeGroupBase,
      amiType: system.amiType,
      capacityType: 'ON_DEMAND',
      instanceTypes: [system.instanceType],
      scalingConfig: { minSize: system.minNodes, maxSize: system.maxNodes, desiredSize: system.minNodes },
    });
    this.gpuNodeGroups = {};
    for (const pool of managedPools) {
      const autoscalerTags = this.autoscalerTags(pool);
      const group = this.newNodeGroup(pool.name, 200, {
        ...nodeGroupBase,
        amiType: 'AL2023_x86_64_NVIDIA',
        capacityType: pool.capacityType === CapacityType.SPOT ? 'SPOT' : 'ON_DEMAND',
        instanceTypes: [pool.machineType!],
        scalingConfig: { minSize: pool.minNodes, maxSize: pool.maxNodes, desiredSize: pool.minNodes },
        labels: pool.nodeLabels,
        taint: NodeTaints.toCloud(pool.taints, path, `EksGpuClusterProps.gpuPools[${pools.indexOf(pool)}].taints`),
        tags: autoscalerTags,
      });
      // EKS does not copy node group tags to the Auto Scaling group, where the Cluster Autoscaler reads them.
      const asgName = group.resources.get(0).autoscalingGroups.get(0).name;
      for (const [key, tagId] of EksGpuCluster.tagIds(Object.keys(autoscalerTags))) {
        new AutoscalingGroupTagA(this, `${pool.name}-asg-tag-${tagId}`, { autoscalingGroupName: asgName, tag: { key, value: autoscalerTags[key], propagateAtLaunch: false } });
      }
      this.gpuNodeGroups[pool.name] = group;
    }

    // --- add-ons that run Deployments: they become ACTIVE only once nodes run them -------------------------------
    addon('coredns', addonVersions.coreDns, { dependsOn: [this.systemNodeGroup] });
    this.ebsCsiDriverRole = new IamRole(this, 'ebs-csi-role', {
      name: `${name}-ebs-csi`,
      assumeRolePolicy: this.policyDocument('ebs-csi-assume-role', [{
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        principals: [{ type: 'Service', identifiers: [POD_IDENTITY_PRINCIPAL] }],
      }]).json,
    });
    const ebsCsiPolicy = new IamRolePolicyAttachment(this, 'ebs-csi-role-AmazonEBSCSIDriverPolicy', {
      role: this.ebsCsiDriverRole.name,
      // The AWS managed policy lives under service-role/ (EKS User Guide, "Create an Amazon EBS CSI driver IAM role").
      policyArn: `arn:${this.partition.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`,
    });
    this.ebsCsiPodIdentity = new EksPodIdentityAssociation(this, 'ebs-csi-pod-identity', {
      clusterName: this.cluster.name,
      namespace: KUBE_SYSTEM,
      serviceAccount: EBS_CSI_SERVICE_ACCOUNT,
      roleArn: this.ebsCsiDriverRole.arn,
    });
    // The controller starts with its credentials: the association and the agent exist before the add-on.
    addon('aws-ebs-csi-driver', addonVersions.ebsCsiDriver, { dependsOn: [this.systemNodeGroup, this.ebsCsiPodIdentity, ebsCsiPolicy, podIdentityAgent] });

    // --- Karpenter -----------------------------------------------------------------------------------------------
    if (karpenterPools.length > 0) {
      this.karpenterNodeRole = this.newNodeRole('karpenter-node-role', EksContract.karpenterNodeRoleName(name));
      this.attachManagedPolicies('karpenter-node-role', this.karpenterNodeRole, NODE_POLICIES);
      new EksAccessEntry(this, 'karpenter-node-access', { clusterName: this.cluster.name, principalArn: this.karpenterNodeRole.arn, type: 'EC2_LINUX' });
      new Ec2Tag(this, 'karpenter-discovery-sg-tag', {
        resourceId: this.cluster.vpcConfig.clusterSecurityGroupId,
        key: EksContract.DISCOVERY_TAG,
        value: name,
      });
      const karpenter = this.createKarpenterController(account, region);
      this.interruptionQueue = karpenter.queue;
      this.interruptionQueuePolicy = karpenter.queuePolicy;
      this.karpenterControllerRole = karpenter.role;
      this.karpenterPodIdentity = karpenter.podIdentity;
    }

    // --- Cluster Autoscaler (managed node groups) ----------------------------------------------------------------
    if (managedPools.length > 0) {
      const autoscaler = this.createClusterAutoscalerIdentity();
      this.clusterAutoscalerRole = autoscaler.role;
      this.clusterAutoscalerPolicy = autoscaler.policy;
      this.clusterAutoscalerPodIdentity = autoscaler.podIdentity;
    }
  }

  /**
   * What the Karpenter chart needs from AWS (aws/karpenter-provider-aws@v1.14.1, cloudformation.yaml of the
   * getting-started guide): the controller role with its six managed policies, passed by EKS Pod Identity, and the
   * interruption queue fed by EventBridge.
   */
  private createKarpenterController(account: DataAwsCallerIdentity, region: DataAwsRegion):
  { queue: SqsQueue; queuePolicy: SqsQueuePolicy; role: IamRole; podIdentity: EksPodIdentityAssociation } {
    const name = this.name;
    // Upstream: QueueName = the cluster name, MessageRetentionPeriod 300 (s), SqsManagedSseEnabled.
    const queue = new SqsQueue(this, 'karpenter-interruption-queue', {
      name: EksContract.interruptionQueueName(name),
      messageRetentionSeconds: 300,
      sqsManagedSseEnabled: true,
    });
    const scope: KarpenterIamScope = {
      partition: this.partition.partition,
      region: region.name,
      accountId: account.accountId,
      clusterName: name,
      nodeRoleArn: this.karpenterNodeRole!.arn,
      queueArn: queue.arn,
    };
    const queuePolicy = new SqsQueuePolicy(this, 'karpenter-interruption-queue-policy', {
      queueUrl: queue.url,
      policy: this.policyDocument('karpenter-interruption-queue-policy-document', KarpenterIam.queuePolicy(scope)).json,
    });
    for (const [kind, source, detailType] of KARPENTER_INTERRUPTION_EVENTS) {
      const rule = new CloudwatchEventRule(this, `karpenter-${kind}-rule`, {
        name: Names.fit(name, `-karpenter-${kind}`, EVENT_RULE_NAME_MAX),
        description: `Karpenter interruption handling of EKS cluster ${name}: ${detailType}`,
        eventPattern: JSON.stringify({ 'source': [source], 'detail-type': [detailType] }),
      });
      this.interruptionRules[kind] = rule;
      this.interruptionTargets[kind] = new CloudwatchEventTarget(this, `karpenter-${kind}-target`, {
        rule: rule.name,
        targetId: 'KarpenterInterruptionQueueTarget',
        arn: queue.arn,
      });
    }

    const role = this.newPodIdentityRole('karpenter-controller-role', EksContract.karpenterControllerRoleName(name),
      EksContract.KARPENTER_NAMESPACE, EksContract.KARPENTER_SERVICE_ACCOUNT);
    const policies: Array<[string, string]> = [
      ['NodeLifecycle', 'node-lifecycle'], ['IAMIntegration', 'iam-integration'], ['EKSIntegration', 'eks-integration'],
      ['Interruption', 'interruption'], ['ResourceDiscovery', 'resource-discovery'], ['ZonalShift', 'zonal-shift'],
    ];
    const statements: { [policyName: string]: (s: KarpenterIamScope) => DataAwsIamPolicyDocumentStatement[] } = {
      NodeLifecycle: KarpenterIam.nodeLifecycle,
      IAMIntegration: KarpenterIam.iamIntegration,
      EKSIntegration: KarpenterIam.eksIntegration,
      Interruption: KarpenterIam.interruption,
      ResourceDiscovery: KarpenterIam.resourceDiscovery,
      ZonalShift: KarpenterIam.zonalShift,
    };
    for (const [policyName, suffix] of policies) {
      const policy = new IamPolicy(this, `karpenter-controller-${suffix}-policy`, {
        name: `${name}-karpenter-${suffix}`,
        description: `Karpenter controller of EKS cluster ${name}: upstream's KarpenterController${policyName}Policy (v1.14)`,
        policy: this.policyDocument(`karpenter-controller-${suffix}-policy-document`, statements[policyName](scope)).json,
      });
      this.karpenterControllerPolicies[policyName] = policy;
      new IamRolePolicyAttachment(this, `karpenter-controller-${suffix}-attachment`, { role: role.name, policyArn: policy.arn });
    }
    const podIdentity = new EksPodIdentityAssociation(this, 'karpenter-pod-identity', {
      clusterName: this.cluster.name,
      namespace: EksContract.KARPENTER_NAMESPACE,
      serviceAccount: EksContract.KARPENTER_SERVICE_ACCOUNT,
      roleArn: role.arn,
    });
    return { queue, queuePolicy, role, podIdentity };
  }

  /**
   * The Cluster Autoscaler's role, passed by EKS Pod Identity, with the "Full Cluster Autoscaler Features Policy
   * (Recommended)" of kubernetes/autoscaler@cluster-autoscaler-1.34.2 cluster-autoscaler/cloudprovider/aws/README.md:
   * the describe actions on every resource, and, as the README asks, the two that change capacity restricted: only
   * Auto Scaling groups tagged `k8s.io/cluster-autoscaler/<cluster>: owned` (the tag this construct, and EKS, put on
   * the node groups' Auto Scaling groups).
   */
  private createClusterAutoscalerIdentity(): { role: IamRole; policy: IamRolePolicy; podIdentity: EksPodIdentityAssociation } {
    const name = this.name;
    const role = this.newPodIdentityRole('cluster-autoscaler-role', EksContract.clusterAutoscalerRoleName(name),
      EksContract.CLUSTER_AUTOSCALER_NAMESPACE, EksContract.CLUSTER_AUTOSCALER_SERVICE_ACCOUNT);
    const policy = new IamRolePolicy(this, 'cluster-autoscaler-policy', {
      name: 'cluster-autoscaler',
      role: role.name,
      policy: this.policyDocument('cluster-autoscaler-policy-document', [
        {
          sid: 'DescribeNodeGroups',
          actions: [
            'autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeLaunchConfigurations',
            'autoscaling:DescribeScalingActivities', 'ec2:DescribeImages', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplateVersions',
            'ec2:GetInstanceTypesFromInstanceRequirements', 'eks:DescribeNodegroup',
          ],
          resources: ['*'],
        },
        {
          sid: 'ScaleThisClustersNodeGroups',
          actions: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
          resources: ['*'],
          condition: [{ test: 'StringEquals', variable: `aws:ResourceTag/${AUTOSCALER}/${name}`, values: ['owned'] }],
        },
      ]).json,
    });
    const podIdentity = new EksPodIdentityAssociation(this, 'cluster-autoscaler-pod-identity', {
      clusterName: this.cluster.name,
      namespace: EksContract.CLUSTER_AUTOSCALER_NAMESPACE,
      serviceAccount: EksContract.CLUSTER_AUTOSCALER_SERVICE_ACCOUNT,
      roleArn: role.arn,
    });
    return { role, policy, podIdentity };
  }

  /**
   * A role that EKS Pod Identity may assume (sts:AssumeRole + sts:TagSession, EKS User Guide "Create IAM role with
   * trust policy required by EKS Pod Identity") for one service account of this cluster only: the session tags Pod
   * Identity sets (`eks-cluster-name`, `kubernetes-namespace`, `kubernetes-service-account`; EKS User Guide, "Enable
   * or disable session tags") are conditions of the trust, so no other association in the account can use the role.
   * The association must therefore keep session tags on (`disable_session_tags` false, the default).
   */
  private newPodIdentityRole(id: string, roleName: string, namespace: string, serviceAccount: string): IamRole {
    return new IamRole(this, id, {
      name: roleName,
      assumeRolePolicy: this.policyDocument(`${id}-assume-role`, [{
        sid: 'AllowEksAuthToAssumeRoleForPodIdentity',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        principals: [{ type: 'Service', identifiers: [POD_IDENTITY_PRINCIPAL] }],
        condition: [
          { test: 'StringEquals', variable: 'aws:RequestTag/eks-cluster-name', values: [this.name] },
          { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-namespace', values: [namespace] },
          { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-service-account', values: [serviceAccount] },
        ],
      }]).json,
    });
  }

  private validateSystemNodes(system: EksSystemNodesProps): { instanceType: string; minNodes: number; maxNodes: number; amiType: string } {
    const path = this.node.path;
    const instanceType = system.instanceType ?? 'm6i.large';
    if (typeof instanceType !== 'string' || !INSTANCE_TYPE.test(instanceType)) {
      throw new ValidationError(path, 'EksGpuClusterProps.systemNodes.instanceType', instanceType, 'expected an EC2 instance type such as "m6i.large" or "m7g.large"');
    }
    const { min: minNodes, max: maxNodes } = Quantities.validateRange(path, 'EksGpuClusterProps.systemNodes.minNodes',
      'EksGpuClusterProps.systemNodes.maxNodes', system.minNodes ?? 2, system.maxNodes ?? 4, 1);
    const amiType = GRAVITON.test(instanceType) ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD';
    return { instanceType, minNodes, maxNodes, amiType };
  }

  /** The add-on versions: given ones checked, the pinned defaults only for the Kubernetes version they are for. */
  private validateAddonVersions(kubernetesVersion: string, given: EksAddonVersionsProps): Required<EksAddonVersionsProps> {
    const path = this.node.path;
    const defaults: Required<EksAddonVersionsProps> = {
      vpcCni: EksAddonVersions.VPC_CNI,
      coreDns: EksAddonVersions.COREDNS,
      kubeProxy: EksAddonVersions.KUBE_PROXY,
      podIdentityAgent: EksAddonVersions.POD_IDENTITY_AGENT,
      ebsCsiDriver: EksAddonVersions.EBS_CSI_DRIVER,
    };
    const result = { ...defaults };
    for (const key of Object.keys(defaults) as Array<keyof EksAddonVersionsProps>) {
      const field = `EksGpuClusterProps.addonVersions.${key}`;
      const value = given[key];
      if (value === undefined) {
        if (kubernetesVersion !== Versions.EKS_KUBERNETES) {
          throw new ValidationError(path, field, value,
            `expected the add-on version for Kubernetes ${kubernetesVersion}: the pinned defaults are for ${Versions.EKS_KUBERNETES} (aws eks describe-addon-versions --kubernetes-version ${kubernetesVersion})`);
        }
        continue;
      }
      if (typeof value !== 'string' || !ADDON_VERSION.test(value)) {
        throw new ValidationError(path, field, value, 'expected an EKS add-on version such as "v1.20.4-eksbuild.2"');
      }
      if (key === 'kubeProxy' && !value.startsWith(`v${kubernetesVersion}.`)) {
        throw new ValidationError(path, field, value, `expected a kube-proxy of the cluster's minor version: v${kubernetesVersion}.<patch>-eksbuild.<n>`);
      }
      result[key] = value;
    }
    return result;
  }

  private validatePools(pools: GpuPool[]): GpuPool[] {
    const path = this.node.path;
    if (!Array.isArray(pools)) throw new ValidationError(path, 'EksGpuClusterProps.gpuPools', pools, 'expected an array of GpuPool.eks(...) pools');
    const seen = new Set<string>();
    pools.forEach((pool, i) => {
      const field = `EksGpuClusterProps.gpuPools[${i}]`;
      if (!(pool instanceof GpuPool) || pool.cloud !== GpuCloud.AWS) {
        throw new ValidationError(path, field, pool instanceof GpuPool ? `${pool.name} (${pool.cloud})` : pool, 'expected an EKS pool, made with GpuPool.eks(...)');
      }
      if (pool.clusterName !== this.name) {
        throw new ValidationError(path, field, `${pool.name} (clusterName ${pool.clusterName})`, `expected a pool of this cluster: clusterName "${this.name}"`);
      }
      if (pool.name === SYSTEM_NODE_GROUP) {
        throw new ValidationError(path, `${field}.name`, pool.name, `expected another name: "${SYSTEM_NODE_GROUP}" is the system node group`);
      }
      if (seen.has(pool.name)) {
        throw new ValidationError(path, `${field}.name`, pool.name, 'expected pool names unique in the cluster');
      }
      seen.add(pool.name);
    });
    return pools;
  }

  /** Cluster Autoscaler auto-discovery tags, and the node template (labels, taints, GPUs) for scale from zero. */
  private autoscalerTags(pool: GpuPool): { [key: string]: string } {
    const tags: { [key: string]: string } = { [`${AUTOSCALER}/enabled`]: 'true', [`${AUTOSCALER}/${this.name}`]: 'owned' };
    for (const [key, value] of Object.entries(pool.nodeLabels)) tags[`${AUTOSCALER}/node-template/label/${key}`] = value;
    for (const t of pool.taints) tags[`${AUTOSCALER}/node-template/taint/${t.key}`] = `${t.value}:${t.effect}`;
    tags[`${AUTOSCALER}/node-template/resources/${pool.resourceName}`] = String(pool.schedulableGpusPerNode);
    const index = this.validatedPools.indexOf(pool);
    for (const [key, value] of Object.entries(tags)) {
      if (key.length > TAG_KEY_MAX || value.length > TAG_VALUE_MAX) {
        throw new ValidationError(this.node.path, `EksGpuClusterProps.gpuPools[${index}]`, key,
          `expected node labels and taints whose Cluster Autoscaler tags fit AWS's limits (keys of at most ${TAG_KEY_MAX} characters, values of at most ${TAG_VALUE_MAX})`);
      }
    }
    return tags;
  }

  /**
   * Construct ids of the Auto Scaling group tags, by tag key: the key after `k8s.io/cluster-autoscaler/` with every
   * run of other characters than letters, digits and '-' made '-' (ids are part of the Terraform addresses: kept
   * stable), and, for keys that come out the same (`a.b` and `a_b`), a hash of the full key, so that two tags never
   * share an id.
   */
  private static tagIds(keys: string[]): Array<[string, string]> {
    const plain = keys.map((key) => key.slice(AUTOSCALER.length + 1).replace(/[^A-Za-z0-9-]+/g, '-'));
    const count = new Map<string, number>();
    for (const id of plain) count.set(id, (count.get(id) ?? 0) + 1);
    return keys.map((key, i) => [key, count.get(plain[i])! > 1 ? `${plain[i]}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}` : plain[i]]);
  }

  /** A managed node group with its own launch template (IMDSv2, hop limit 1, encrypted gp3 root volume). */
  private newNodeGroup(groupName: string, rootVolumeGiB: number, config: Omit<EksNodeGroupConfig, 'nodeGroupName' | 'launchTemplate' | 'updateConfig' | 'lifecycle'>): EksNodeGroup {
    const tags = { ...Labels.cloud(), 'Name': `${this.name}-${groupName}`, 'eks-cluster': this.name };
    const template = new LaunchTemplate(this, `${groupName}-launch-template`, {
      name: `${this.name}-${groupName}`,
      description: `EKS cluster ${this.name}, node group ${groupName}`,
      updateDefaultVersion: true,
      metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{
        deviceName: '/dev/xvda',
        ebs: { volumeSize: rootVolumeGiB, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' },
      }],
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({ resourceType, tags })),
    });
    this.launchTemplates[groupName] = template;
    return new EksNodeGroup(this, `${groupName}-node-group`, {
      ...config,
      nodeGroupName: groupName,
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
      updateConfig: { maxUnavailable: 1 },
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size'] },
    });
  }

  private newNodeRole(id: string, roleName: string): IamRole {
    return new IamRole(this, id, {
      name: roleName,
      assumeRolePolicy: this.policyDocument(`${id}-assume-role`, [assumeRole(`ec2.${this.partition.dnsSuffix}`)]).json,
    });
  }

  private attachManagedPolicies(id: string, role: IamRole, policies: string[]): ITerraformDependable[] {
    return policies.map((policy) => new IamRolePolicyAttachment(this, `${id}-${policy}`, {
      role: role.name,
      policyArn: `arn:${this.partition.partition}:iam::aws:policy/${policy}`,
    }));
  }

  private policyDocument(id: string, statement: DataAwsIamPolicyDocumentStatement[]): DataAwsIamPolicyDocument {
    return new DataAwsIamPolicyDocument(this, id, { statement });
  }
}

function assumeRole(service: string): DataAwsIamPolicyDocumentStatement {
  return { actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: [service] }] };
}
