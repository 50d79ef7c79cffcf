import { AutoscalingGroupTagA } from '@cdktf/provider-aws/lib/autoscaling-group-tag';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamPolicyDocument, DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { Ec2Tag } from '@cdktf/provider-aws/lib/ec2-tag';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksNodeGroup, EksNodeGroupConfig } from '@cdktf/provider-aws/lib/eks-node-group';
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
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Fn, ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { Cidr } from '../../core/cidr';
import { EksContract } from '../../core/eks-contract';
import { ValidationError } from '../../core/errors';
import { Labels } from '../../core/labels';
import { Names } from '../../core/names';
import { Quantities } from '../../core/quantity';
import { Versions } from '../../core/versions';
import { CapacityType, EksProvisioning, GpuCloud, GpuPool } from '../../gpu/gpu-pool';
import { NodeTaints } from '../node-taints';

/** Size of the system node group, which runs everything that is not a GPU workload (CoreDNS, controllers, ...). */
export interface EksSystemNodesProps {
  /**
   * EC2 instance type of the system nodes (x86_64: the group uses the AL2023 x86_64 AMI).
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

/** Props of {@link EksGpuCluster}. */
export interface EksGpuClusterProps {
  /**
   * Name of the EKS cluster: a DNS-1123 label. Also names the IAM roles (`<name>-cluster`, `<name>-node`,
   * `<name>-karpenter-node`), so it must leave room for them in IAM's 64 characters.
   */
  readonly name: string;
  /**
   * Kubernetes version of the control plane (`major.minor`); node groups follow it.
   * @default Versions.EKS_KUBERNETES
   */
  readonly kubernetesVersion?: string;
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
 *   an EC2_LINUX access entry, and the discovery tag on the cluster security group. Karpenter's controller, its
 *   IAM role (IRSA or Pod Identity) and its interruption queue are installed out of band (Helm chart and its
 *   CloudFormation / Terraform), as is the Cluster Autoscaler for managed node groups; the NodePool and
 *   EC2NodeClass come from the Kubernetes side (`GpuNodePool`).
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

  private readonly partition: DataAwsPartition;
  private readonly protect: boolean;

  public constructor(scope: Construct, id: string, props: EksGpuClusterProps) {
    super(scope, id);
    const path = this.node.path;
    this.name = Names.validateDnsLabel(path, 'EksGpuClusterProps.name', props.name);
    const name = this.name;
    const version = props.kubernetesVersion ?? Versions.EKS_KUBERNETES;
    if (typeof version !== 'string' || !K8S_VERSION.test(version)) {
      throw new ValidationError(path, 'EksGpuClusterProps.kubernetesVersion', version, 'expected a Kubernetes minor version such as "1.34"');
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
    const publicCidrs = props.endpointPublicAccessCidrs ?? [];
    publicCidrs.forEach((cidr, i) => {
      const field = `EksGpuClusterProps.endpointPublicAccessCidrs[${i}]`;
      const net = Cidr.parse(cidr);
      if (!net) throw new ValidationError(path, field, cidr, 'expected an IPv4 network CIDR with no host bits set, e.g. "203.0.113.0/24"');
      if (net.prefix === 0) {
        throw new ValidationError(path, field, cidr,
          'expected the CIDRs of your own networks: 0.0.0.0/0 opens the Kubernetes API endpoint to the whole internet (leave the list empty for a private endpoint)');
      }
    });
    const system = this.validateSystemNodes(props.systemNodes ?? {});
    const retention = props.logRetentionDays ?? 90;
    if (!LOG_RETENTION_DAYS.includes(retention)) {
      throw new ValidationError(path, 'EksGpuClusterProps.logRetentionDays', retention, `expected one of the CloudWatch Logs retentions: ${LOG_RETENTION_DAYS.join(', ')}`);
    }
    const pools = this.validatePools(props.gpuPools);
    const karpenterPools = pools.filter((p) => p.provisioning === EksProvisioning.KARPENTER);
    const roleNames = [`${name}-cluster`, `${name}-node`, ...(karpenterPools.length > 0 ? [EksContract.karpenterNodeRoleName(name)] : [])];
    const tooLong = roleNames.find((r) => r.length > IAM_ROLE_NAME_MAX);
    if (tooLong) {
      throw new ValidationError(path, 'EksGpuClusterProps.name', name,
        `expected at most ${name.length - (tooLong.length - IAM_ROLE_NAME_MAX)} characters: the IAM role name "${tooLong}" would exceed ${IAM_ROLE_NAME_MAX}`);
    }
    this.protect = props.deletionProtection ?? true;

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

    // --- managed node groups -------------------------------------------------------------------------------------
    this.nodeRole = this.newNodeRole('node-role', `${name}-node`);
    const nodePolicies = this.attachManagedPolicies('node-role', this.nodeRole, NODE_POLICIES);
    this.launchTemplates = {};
    const nodeGroupBase = { clusterName: this.cluster.name, nodeRoleArn: this.nodeRole.arn, subnetIds, dependsOn: nodePolicies };
    this.systemNodeGroup = this.newNodeGroup(SYSTEM_NODE_GROUP, 50, {
      ...nodeGroupBase,
      amiType: 'AL2023_x86_64_STANDARD',
      capacityType: 'ON_DEMAND',
      instanceTypes: [system.instanceType],
      scalingConfig: { minSize: system.minNodes, maxSize: system.maxNodes, desiredSize: system.minNodes },
    });
    this.gpuNodeGroups = {};
    for (const pool of pools.filter((p) => p.provisioning === EksProvisioning.MANAGED_NODE_GROUP)) {
      const autoscalerTags = this.autoscalerTags(pool);
      const group = this.newNodeGroup(pool.name, 200, {
        ...nodeGroupBase,
        amiType: 'AL2023_x86_64_NVIDIA',
        capacityType: pool.capacityType === CapacityType.SPOT ? 'SPOT' : 'ON_DEMAND',
        instanceTypes: [pool.machineType!],
        scalingConfig: { minSize: pool.minNodes, maxSize: pool.maxNodes, desiredSize: pool.minNodes },
        labels: pool.nodeLabels,
        taint: NodeTaints.toCloud(pool.taints),
        tags: autoscalerTags,
      });
      // EKS does not copy node group tags to the Auto Scaling group, where the Cluster Autoscaler reads them.
      const asgName = group.resources.get(0).autoscalingGroups.get(0).name;
      for (const [key, value] of Object.entries(autoscalerTags)) {
        const tagId = key.slice(AUTOSCALER.length + 1).replace(/[^A-Za-z0-9-]+/g, '-');
        new AutoscalingGroupTagA(this, `${pool.name}-asg-tag-${tagId}`, { autoscalingGroupName: asgName, tag: { key, value, propagateAtLaunch: false } });
      }
      this.gpuNodeGroups[pool.name] = group;
    }

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
    }
  }

  private validateSystemNodes(system: EksSystemNodesProps): { instanceType: string; minNodes: number; maxNodes: number } {
    const path = this.node.path;
    const instanceType = system.instanceType ?? 'm6i.large';
    if (typeof instanceType !== 'string' || !INSTANCE_TYPE.test(instanceType)) {
      throw new ValidationError(path, 'EksGpuClusterProps.systemNodes.instanceType', instanceType, 'expected an x86_64 EC2 instance type such as "m6i.large"');
    }
    const { min: minNodes, max: maxNodes } = Quantities.validateRange(path, 'EksGpuClusterProps.systemNodes.minNodes',
      'EksGpuClusterProps.systemNodes.maxNodes', system.minNodes ?? 2, system.maxNodes ?? 4, 1);
    return { instanceType, minNodes, maxNodes };
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
    return tags;
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
