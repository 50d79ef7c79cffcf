import { DataAwsIamPolicyDocumentStatement, DataAwsIamPolicyDocumentStatementCondition } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';

/**
 * What the policies of one cluster's Karpenter controller are written for. Values may be Terraform tokens (the
 * partition, region and account come from data sources).
 */
export interface KarpenterIamScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterName: string;
  /** ARN of the role of the nodes Karpenter launches: the only role the controller may pass. */
  readonly nodeRoleArn: string;
  /** ARN of the interruption queue. */
  readonly queueArn: string;
}

/** The EventBridge rules whose events Karpenter handles, by our short name: [source, detail-type]. */
export const KARPENTER_INTERRUPTION_EVENTS: ReadonlyArray<[string, string, string]> = [
  ['scheduled-change', 'aws.health', 'AWS Health Event'],
  ['spot-interruption', 'aws.ec2', 'EC2 Spot Instance Interruption Warning'],
  ['rebalance', 'aws.ec2', 'EC2 Instance Rebalance Recommendation'],
  ['instance-state-change', 'aws.ec2', 'EC2 Instance State-change Notification'],
  ['capacity-reservation-interruption', 'aws.ec2', 'EC2 Capacity Reservation Instance Interruption Warning'],
];

const eq = (variable: string, ...values: string[]): DataAwsIamPolicyDocumentStatementCondition => ({ test: 'StringEquals', variable, values });
const like = (variable: string, ...values: string[]): DataAwsIamPolicyDocumentStatementCondition => ({ test: 'StringLike', variable, values });

/**
 * The Karpenter controller's IAM, as Karpenter v1.14 defines it for its Helm chart: the managed policies of
 * aws/karpenter-provider-aws@v1.14.1 website/content/en/preview/getting-started/getting-started-with-karpenter/
 * cloudformation.yaml (the same file as main's v1.14/ copy), statement by statement with their conditions, written
 * as Terraform policy documents. One method per upstream managed policy, named after it; the statement ids are
 * upstream's, so a diff against a new release stays readable.
 *
 * Scoping, as upstream: instances, launch templates, fleets and instance profiles only when they carry this
 * cluster's tags (`kubernetes.io/cluster/<name>: owned`, `eks:eks-cluster-name`, `karpenter.sh/nodepool`,
 * `karpenter.k8s.aws/ec2nodeclass`, `topology.kubernetes.io/region`), reads in this region only, `iam:PassRole` on
 * the Karpenter node role only and only to EC2.
 */
export class KarpenterIam {
  /** `KarpenterControllerNodeLifecyclePolicy`: launch, tag and terminate this cluster's instances. */
  public static nodeLifecycle(s: KarpenterIamScope): DataAwsIamPolicyDocumentStatement[] {
    const arn = (resource: string, account = '*') => `arn:${s.partition}:ec2:${s.region}:${account}:${resource}`;
    const cluster = `kubernetes.io/cluster/${s.clusterName}`;
    const taggedByKarpenter = [
      arn('fleet/*'), arn('instance/*'), arn('volume/*'), arn('network-interface/*'), arn('launch-template/*'), arn('spot-instances-request/*'),
    ];
    const ownedResource = [eq(`aws:ResourceTag/${cluster}`, 'owned'), like('aws:ResourceTag/karpenter.sh/nodepool', '*')];
    const ownedRequest = [
      eq(`aws:RequestTag/${cluster}`, 'owned'),
      eq('aws:RequestTag/eks:eks-cluster-name', s.clusterName),
      like('aws:RequestTag/karpenter.sh/nodepool', '*'),
    ];
    return [
      {
        sid: 'AllowScopedEC2InstanceAccessActions',
        actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
        resources: [
          arn('image/*', ''), arn('snapshot/*', ''), arn('security-group/*'), arn('subnet/*'), arn('capacity-reservation/*'), arn('placement-group/*'),
        ],
      },
      {
        sid: 'AllowScopedEC2LaunchTemplateAccessActions',
        actions: ['ec2:RunInstances', 'ec2:CreateFleet'],
        resources: [arn('launch-template/*')],
        condition: ownedResource,
      },
      {
        sid: 'AllowScopedEC2InstanceActionsWithTags',
        actions: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
        resources: taggedByKarpenter,
        condition: ownedRequest,
      },
      {
        sid: 'AllowScopedResourceCreationTagging',
        actions: ['ec2:CreateTags'],
        resources: taggedByKarpenter,
        condition: [...ownedRequest, eq('ec2:CreateAction', 'RunInstances', 'CreateFleet', 'CreateLaunchTemplate')],
      },
      {
        sid: 'AllowScopedResourceTagging',
        actions: ['ec2:CreateTags'],
        resources: [arn('instance/*')],
        condition: [
          ...ownedResource,
          { test: 'StringEqualsIfExists', variable: 'aws:RequestTag/eks:eks-cluster-name', values: [s.clusterName] },
          { test: 'ForAllValues:StringEquals', variable: 'aws:TagKeys', values: ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
        ],
      },
      {
        sid: 'AllowScopedDeletion',
        actions: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
        resources: [arn('instance/*'), arn('launch-template/*')],
        condition: ownedResource,
      },
    ];
  }

  /** `KarpenterControllerIAMIntegrationPolicy`: pass the node role to EC2, manage this cluster's instance profiles. */
  public static iamIntegration(s: KarpenterIamScope): DataAwsIamPolicyDocumentStatement[] {
    const profiles = [`arn:${s.partition}:iam::${s.accountId}:instance-profile/*`];
    const cluster = `kubernetes.io/cluster/${s.clusterName}`;
    const resourceTags = [
      eq(`aws:ResourceTag/${cluster}`, 'owned'),
      eq('aws:ResourceTag/topology.kubernetes.io/region', s.region),
      like('aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass', '*'),
    ];
    const requestTags = [
      eq(`aws:RequestTag/${cluster}`, 'owned'),
      eq('aws:RequestTag/eks:eks-cluster-name', s.clusterName),
      eq('aws:RequestTag/topology.kubernetes.io/region', s.region),
      like('aws:RequestTag/karpenter.k8s.aws/ec2nodeclass', '*'),
    ];
    return [
      {
        sid: 'AllowPassingInstanceRole',
        actions: ['iam:PassRole'],
        resources: [s.nodeRoleArn],
        condition: [eq('iam:PassedToService', 'ec2.amazonaws.com', 'ec2.amazonaws.com.cn')],
      },
      { sid: 'AllowScopedInstanceProfileCreationActions', actions: ['iam:CreateInstanceProfile'], resources: profiles, condition: requestTags },
      { sid: 'AllowScopedInstanceProfileTagActions', actions: ['iam:TagInstanceProfile'], resources: profiles, condition: [...resourceTags, ...requestTags] },
      {
        sid: 'AllowScopedInstanceProfileActions',
        actions: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
        resources: profiles,
        condition: resourceTags,
      },
    ];
  }

  /** `KarpenterControllerEKSIntegrationPolicy`: discover this cluster's API endpoint. */
  public static eksIntegration(s: KarpenterIamScope): DataAwsIamPolicyDocumentStatement[] {
    return [{ sid: 'AllowAPIServerEndpointDiscovery', actions: ['eks:DescribeCluster'], resources: [KarpenterIam.clusterArn(s)] }];
  }

  /** `KarpenterControllerInterruptionPolicy`: read and delete the interruption queue's messages. */
  public static interruption(s: KarpenterIamScope): DataAwsIamPolicyDocumentStatement[] {
    return [{ sid: 'AllowInterruptionQueueActions', actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'], resources: [s.queueArn] }];
  }

  /** `KarpenterControllerZonalShiftPolicy`: read the zonal shift status of this cluster (`settings.enableZonalShift`). */
  public static zonalShift(s: KarpenterIamScope): DataAwsIamPolicyDocumentStatement[] {
    return [{
      sid: 'AllowZonalShiftStatusReadOnly',
      actions: ['arc-zonal-shift:GetManagedResource'],
      resources: ['*'],
      condition: [eq('arc-zonal-shift:ResourceIdentifier', KarpenterIam.clusterArn(s))],
    }];
  }

  /** `KarpenterControllerResourceDiscoveryPolicy`: the reads (regional EC2, AMI parameters, prices, instance profiles). */
  public static resourceDiscovery(s: KarpenterIamScope): DataAwsIamPolicyDocumentStatement[] {
    return [
      {
        sid: 'AllowRegionalReadActions',
        actions: [
          'ec2:DescribeCapacityReservations', 'ec2:DescribeImages', 'ec2:DescribeInstances', 'ec2:DescribeInstanceStatus',
          'ec2:DescribeInstanceTypeOfferings', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplates', 'ec2:DescribePlacementGroups',
          'ec2:DescribeSecurityGroups', 'ec2:DescribeSpotPriceHistory', 'ec2:DescribeSubnets',
        ],
        resources: ['*'],
        condition: [eq('aws:RequestedRegion', s.region)],
      },
      { sid: 'AllowSSMReadActions', actions: ['ssm:GetParameter'], resources: [`arn:${s.partition}:ssm:${s.region}::parameter/aws/service/*`] },
      { sid: 'AllowPricingReadActions', actions: ['pricing:GetProducts'], resources: ['*'] },
      { sid: 'AllowUnscopedInstanceProfileListAction', actions: ['iam:ListInstanceProfiles'], resources: ['*'] },
      { sid: 'AllowInstanceProfileReadActions', actions: ['iam:GetInstanceProfile'], resources: [`arn:${s.partition}:iam::${s.accountId}:instance-profile/*`] },
    ];
  }

  /**
   * The interruption queue's policy (upstream's `KarpenterInterruptionQueuePolicy`): EventBridge (and SQS) may
   * send to it; nothing may use it without TLS.
   */
  public static queuePolicy(s: KarpenterIamScope): DataAwsIamPolicyDocumentStatement[] {
    return [
      {
        sid: 'EventBridgeSendsInterruptionEvents',
        actions: ['sqs:SendMessage'],
        resources: [s.queueArn],
        principals: [{ type: 'Service', identifiers: ['events.amazonaws.com', 'sqs.amazonaws.com'] }],
      },
      {
        sid: 'DenyHTTP',
        effect: 'Deny',
        actions: ['sqs:*'],
        resources: [s.queueArn],
        principals: [{ type: '*', identifiers: ['*'] }],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      },
    ];
  }

  private static clusterArn(s: KarpenterIamScope): string {
    return `arn:${s.partition}:eks:${s.region}:${s.accountId}:cluster/${s.clusterName}`;
  }
}
