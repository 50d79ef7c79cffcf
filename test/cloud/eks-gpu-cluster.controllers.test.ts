// Issue 9, Terraform side: what EksGpuCluster creates for Karpenter and the Cluster Autoscaler, and the minimum
// Kubernetes version check. The Kubernetes side finds all of it through EksContract.
import { Testing } from 'cdktf';
import { AwsPlatformStack } from '../../lib/cloud/aws/aws-platform-stack';
import { EksGpuCluster, EksGpuClusterProps } from '../../lib/cloud/aws/eks-gpu-cluster';
import { EksContract } from '../../lib/core/eks-contract';
import { CapacityType, EksProvisioning, GpuPool } from '../../lib/gpu/gpu-pool';
import { GpuType } from '../../lib/gpu/gpu-type';
import { expectValidationError } from '../helpers/errors';

type Json = { [key: string]: any };

const CLUSTER = 'ml-eks';
const mng = (cluster = CLUSTER) => GpuPool.eks({ name: 'a10g', gpuType: GpuType.A10G, clusterName: cluster, capacityType: CapacityType.SPOT, maxNodes: 3 });
const karpenter = (cluster = CLUSTER) => GpuPool.eks({ name: 'h100', gpuType: GpuType.H100_80GB, clusterName: cluster, provisioning: EksProvisioning.KARPENTER });

function build(props: Partial<EksGpuClusterProps> = {}): { cluster: EksGpuCluster; json: Json } {
  const stack = new AwsPlatformStack(Testing.app(), 'aws', { region: 'eu-west-1' });
  const cluster = new EksGpuCluster(stack, 'eks', { name: CLUSTER, gpuPools: [karpenter()], ...props });
  return { cluster, json: JSON.parse(Testing.synth(stack, true)) };
}

const all = (json: Json, type: string): Json[] => Object.values(json.resource?.[type] ?? {});
const idOf = (json: Json, type: string, resource: Json): string => Object.entries(json.resource[type]).find(([, r]) => r === resource)![0];
/** The policy document a `${data.aws_iam_policy_document.<id>.json}` reference names. */
const doc = (json: Json, ref: string): Json => {
  const [, id] = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(ref)!;
  return json.data.aws_iam_policy_document[id];
};
const roleNamed = (json: Json, name: string): Json => all(json, 'aws_iam_role').find((r) => r.name === name)!;
const cond = (statement: Json, test: string, variable: string): string[] | undefined =>
  (statement.condition ?? []).find((c: Json) => c.test === test && c.variable === variable)?.values;
const bySid = (document: Json): { [sid: string]: Json } => Object.fromEntries(document.statement.map((s: Json) => [s.sid, s]));

describe('EksContract: names the Kubernetes side uses', () => {
  test('derived from the cluster name; service accounts fixed', () => {
    expect(EksContract.karpenterControllerRoleName('c1')).toBe('c1-karpenter-controller');
    expect(EksContract.interruptionQueueName('c1')).toBe('c1');
    expect(EksContract.clusterAutoscalerRoleName('c1')).toBe('c1-cluster-autoscaler');
    expect([EksContract.KARPENTER_NAMESPACE, EksContract.KARPENTER_SERVICE_ACCOUNT]).toEqual(['kube-system', 'karpenter']);
    expect([EksContract.CLUSTER_AUTOSCALER_NAMESPACE, EksContract.CLUSTER_AUTOSCALER_SERVICE_ACCOUNT]).toEqual(['kube-system', 'cluster-autoscaler']);
  });
});

describe('EksGpuCluster: Karpenter controller (Karpenter 1.14 CloudFormation, in Terraform)', () => {
  const { json, cluster } = build();
  const role = roleNamed(json, EksContract.karpenterControllerRoleName(CLUSTER));
  const roleId = idOf(json, 'aws_iam_role', role);
  const nodeRoleId = idOf(json, 'aws_iam_role', roleNamed(json, EksContract.karpenterNodeRoleName(CLUSTER)));
  const queue = all(json, 'aws_sqs_queue')[0];
  const queueArn = `\${aws_sqs_queue.${idOf(json, 'aws_sqs_queue', queue)}.arn}`;
  const policies: { [name: string]: Json } = Object.fromEntries(all(json, 'aws_iam_policy').map((p) => [p.name, doc(json, p.policy)]));

  test('controller role: Pod Identity trust (AssumeRole + TagSession) for this cluster\'s kube-system/karpenter only', () => {
    expect(role).toBeDefined();
    const trust = doc(json, role.assume_role_policy).statement;
    expect(trust).toHaveLength(1);
    expect(trust[0].principals).toEqual([{ type: 'Service', identifiers: ['pods.eks.amazonaws.com'] }]);
    expect(trust[0].actions).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(cond(trust[0], 'StringEquals', 'aws:RequestTag/eks-cluster-name')).toEqual([CLUSTER]);
    expect(cond(trust[0], 'StringEquals', 'aws:RequestTag/kubernetes-namespace')).toEqual([EksContract.KARPENTER_NAMESPACE]);
    expect(cond(trust[0], 'StringEquals', 'aws:RequestTag/kubernetes-service-account')).toEqual([EksContract.KARPENTER_SERVICE_ACCOUNT]);
    const association = all(json, 'aws_eks_pod_identity_association').find((a) => a.service_account === EksContract.KARPENTER_SERVICE_ACCOUNT)!;
    expect(association).toMatchObject({ namespace: EksContract.KARPENTER_NAMESPACE, role_arn: `\${aws_iam_role.${roleId}.arn}` });
    expect(association.cluster_name).toMatch(/^\$\{aws_eks_cluster\..*\.name\}$/);
  });

  test('six managed policies as upstream, each attached to the controller role', () => {
    const names = ['node-lifecycle', 'iam-integration', 'eks-integration', 'interruption', 'resource-discovery', 'zonal-shift'].map((p) => `${CLUSTER}-karpenter-${p}`);
    expect(Object.keys(policies).sort()).toEqual([...names].sort());
    const attached = all(json, 'aws_iam_role_policy_attachment').filter((a) => a.role === `\${aws_iam_role.${roleId}.name}`).map((a) => a.policy_arn);
    expect(attached.sort()).toEqual(all(json, 'aws_iam_policy').map((p) => `\${aws_iam_policy.${idOf(json, 'aws_iam_policy', p)}.arn}`).sort());
    expect(Object.keys(cluster.karpenterControllerPolicies).sort()).toEqual(['EKSIntegration', 'IAMIntegration', 'Interruption', 'NodeLifecycle', 'ResourceDiscovery', 'ZonalShift']);
    // nothing is granted on everything except reads
    for (const d of Object.values(policies)) {
      for (const s of d.statement) expect(s.actions.filter((a: string) => a.includes('*'))).toEqual([]);
    }
  });

  test('node lifecycle: launches, tags and terminates only what carries this cluster\'s tags', () => {
    const s = bySid(policies[`${CLUSTER}-karpenter-node-lifecycle`]);
    expect(Object.keys(s)).toEqual(['AllowScopedEC2InstanceAccessActions', 'AllowScopedEC2LaunchTemplateAccessActions', 'AllowScopedEC2InstanceActionsWithTags',
      'AllowScopedResourceCreationTagging', 'AllowScopedResourceTagging', 'AllowScopedDeletion']);
    const owned = `kubernetes.io/cluster/${CLUSTER}`;
    expect(s.AllowScopedEC2InstanceActionsWithTags.actions).toEqual(['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate']);
    expect(cond(s.AllowScopedEC2InstanceActionsWithTags, 'StringEquals', `aws:RequestTag/${owned}`)).toEqual(['owned']);
    expect(cond(s.AllowScopedEC2InstanceActionsWithTags, 'StringEquals', 'aws:RequestTag/eks:eks-cluster-name')).toEqual([CLUSTER]);
    expect(cond(s.AllowScopedEC2InstanceActionsWithTags, 'StringLike', 'aws:RequestTag/karpenter.sh/nodepool')).toEqual(['*']);
    expect(cond(s.AllowScopedResourceCreationTagging, 'StringEquals', 'ec2:CreateAction')).toEqual(['RunInstances', 'CreateFleet', 'CreateLaunchTemplate']);
    expect(cond(s.AllowScopedResourceTagging, 'ForAllValues:StringEquals', 'aws:TagKeys')).toEqual(['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name']);
    expect(cond(s.AllowScopedResourceTagging, 'StringEqualsIfExists', 'aws:RequestTag/eks:eks-cluster-name')).toEqual([CLUSTER]);
    expect(s.AllowScopedDeletion.actions).toEqual(['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate']);
    expect(cond(s.AllowScopedDeletion, 'StringEquals', `aws:ResourceTag/${owned}`)).toEqual(['owned']);
    for (const r of s.AllowScopedEC2InstanceAccessActions.resources) expect(r).toMatch(/^arn:\$\{data\.aws_partition\..*\}:ec2:\$\{data\.aws_region\..*\.name\}:(\*)?:[a-z-]+\/\*$/);
  });

  test('IAM integration: iam:PassRole on the Karpenter node role only, to EC2 only; instance profiles by tag', () => {
    const s = bySid(policies[`${CLUSTER}-karpenter-iam-integration`]);
    expect(s.AllowPassingInstanceRole).toMatchObject({ actions: ['iam:PassRole'], resources: [`\${aws_iam_role.${nodeRoleId}.arn}`] });
    expect(cond(s.AllowPassingInstanceRole, 'StringEquals', 'iam:PassedToService')).toEqual(['ec2.amazonaws.com', 'ec2.amazonaws.com.cn']);
    const passRole = Object.values(policies).flatMap((d) => d.statement).filter((st: Json) => st.actions.some((a: string) => a.startsWith('iam:PassRole')));
    expect(passRole).toHaveLength(1);
    expect(cond(s.AllowScopedInstanceProfileCreationActions, 'StringEquals', 'aws:RequestTag/topology.kubernetes.io/region')).toEqual([expect.stringMatching(/^\$\{data\.aws_region\./)]);
    expect(cond(s.AllowScopedInstanceProfileActions, 'StringLike', 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass')).toEqual(['*']);
    expect(s.AllowScopedInstanceProfileActions.actions).toEqual(['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile']);
  });

  test('EKS integration, interruption, resource discovery, zonal shift: this cluster, this queue, this region', () => {
    const eks = policies[`${CLUSTER}-karpenter-eks-integration`].statement[0];
    expect(eks.actions).toEqual(['eks:DescribeCluster']);
    expect(eks.resources[0]).toMatch(new RegExp(`:cluster/${CLUSTER}$`));
    expect(policies[`${CLUSTER}-karpenter-interruption`].statement[0]).toMatchObject({
      actions: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'], resources: [queueArn],
    });
    const discovery = bySid(policies[`${CLUSTER}-karpenter-resource-discovery`]);
    expect(cond(discovery.AllowRegionalReadActions, 'StringEquals', 'aws:RequestedRegion')).toEqual([expect.stringMatching(/^\$\{data\.aws_region\./)]);
    expect(discovery.AllowRegionalReadActions.actions).toContain('ec2:DescribeCapacityReservations');
    expect(discovery.AllowSSMReadActions.resources[0]).toMatch(/::parameter\/aws\/service\/\*$/);
    const zonal = policies[`${CLUSTER}-karpenter-zonal-shift`].statement[0];
    expect(cond(zonal, 'StringEquals', 'arc-zonal-shift:ResourceIdentifier')![0]).toMatch(new RegExp(`:cluster/${CLUSTER}$`));
  });

  test('interruption queue: named by the contract, SSE, 300 s retention; EventBridge may send, TLS only', () => {
    expect(all(json, 'aws_sqs_queue')).toHaveLength(1);
    expect(queue).toEqual({ name: EksContract.interruptionQueueName(CLUSTER), message_retention_seconds: 300, sqs_managed_sse_enabled: true });
    const policy = all(json, 'aws_sqs_queue_policy')[0];
    expect(policy.queue_url).toBe(`\${aws_sqs_queue.${idOf(json, 'aws_sqs_queue', queue)}.url}`);
    const [allow, deny] = doc(json, policy.policy).statement;
    expect(allow).toMatchObject({ actions: ['sqs:SendMessage'], resources: [queueArn], principals: [{ type: 'Service', identifiers: ['events.amazonaws.com', 'sqs.amazonaws.com'] }] });
    expect(allow.effect).toBeUndefined(); // Allow
    expect(deny).toMatchObject({ effect: 'Deny', actions: ['sqs:*'], resources: [queueArn] });
    expect(cond(deny, 'Bool', 'aws:SecureTransport')).toEqual(['false']);
    expect(cluster.interruptionQueue).toBeDefined();
    expect(cluster.interruptionQueuePolicy).toBeDefined();
  });

  test('the five EventBridge rules upstream lists, each targeting the queue', () => {
    const patterns = all(json, 'aws_cloudwatch_event_rule').map((r) => JSON.parse(r.event_pattern)).sort((a, b) => a['detail-type'][0].localeCompare(b['detail-type'][0]));
    expect(patterns).toEqual([
      { 'source': ['aws.health'], 'detail-type': ['AWS Health Event'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Capacity Reservation Instance Interruption Warning'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Instance Rebalance Recommendation'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
      { 'source': ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] },
    ]);
    expect(Object.keys(cluster.interruptionRules).sort()).toEqual(['capacity-reservation-interruption', 'instance-state-change', 'rebalance', 'scheduled-change', 'spot-interruption']);
    const targets = all(json, 'aws_cloudwatch_event_target');
    expect(targets).toHaveLength(5);
    for (const rule of all(json, 'aws_cloudwatch_event_rule')) {
      expect(rule.name.length).toBeLessThanOrEqual(64);
      const target = targets.find((t) => t.rule === `\${aws_cloudwatch_event_rule.${idOf(json, 'aws_cloudwatch_event_rule', rule)}.name}`)!;
      expect(target).toMatchObject({ arn: queueArn, target_id: 'KarpenterInterruptionQueueTarget' });
    }
  });

  test('no managed-node-group pool: no Cluster Autoscaler role', () => {
    expect(roleNamed(json, EksContract.clusterAutoscalerRoleName(CLUSTER))).toBeUndefined();
    expect(cluster.clusterAutoscalerRole).toBeUndefined();
    expect(all(json, 'aws_eks_pod_identity_association').map((a) => a.service_account).sort()).toEqual(['ebs-csi-controller-sa', 'karpenter']);
  });

  test('long cluster names: rule names stay within 64 characters; role names are checked', () => {
    const long = 'a'.repeat(43); // 43 + "-karpenter-controller" = 64
    const stack = new AwsPlatformStack(Testing.app(), 'aws', { region: 'eu-west-1' });
    new EksGpuCluster(stack, 'eks', { name: long, gpuPools: [karpenter(long)] });
    const rules = all(JSON.parse(Testing.synth(stack, true)), 'aws_cloudwatch_event_rule').map((r) => r.name);
    expect(new Set(rules).size).toBe(5);
    for (const r of rules) expect(r.length).toBeLessThanOrEqual(64);
    const tooLong = 'a'.repeat(44);
    const e = expectValidationError(() => new EksGpuCluster(new AwsPlatformStack(Testing.app(), 'aws', { region: 'eu-west-1' }), 'eks',
      { name: tooLong, gpuPools: [karpenter(tooLong)] }), 'EksGpuClusterProps.name', 'aws/eks');
    expect(e.message).toMatch(/karpenter-controller/);
  });
});

describe('EksGpuCluster: Cluster Autoscaler identity', () => {
  const { json, cluster } = build({ gpuPools: [mng()] });
  const role = roleNamed(json, EksContract.clusterAutoscalerRoleName(CLUSTER));

  test('role with Pod Identity for kube-system/cluster-autoscaler', () => {
    const trust = doc(json, role.assume_role_policy).statement[0];
    expect(trust.principals).toEqual([{ type: 'Service', identifiers: ['pods.eks.amazonaws.com'] }]);
    expect(trust.actions).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(cond(trust, 'StringEquals', 'aws:RequestTag/kubernetes-service-account')).toEqual([EksContract.CLUSTER_AUTOSCALER_SERVICE_ACCOUNT]);
    const association = all(json, 'aws_eks_pod_identity_association').find((a) => a.service_account === EksContract.CLUSTER_AUTOSCALER_SERVICE_ACCOUNT)!;
    expect(association).toMatchObject({ namespace: EksContract.CLUSTER_AUTOSCALER_NAMESPACE, role_arn: `\${aws_iam_role.${idOf(json, 'aws_iam_role', role)}.arn}` });
    expect(cluster.clusterAutoscalerPodIdentity).toBeDefined();
  });

  test('upstream\'s recommended policy: describes on *, scaling only this cluster\'s owned Auto Scaling groups', () => {
    const policy = all(json, 'aws_iam_role_policy').find((p) => p.role === `\${aws_iam_role.${idOf(json, 'aws_iam_role', role)}.name}`)!;
    const [describe, scale] = doc(json, policy.policy).statement;
    expect(describe.resources).toEqual(['*']);
    expect(describe.actions).toEqual(expect.arrayContaining(['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeScalingActivities',
      'ec2:DescribeLaunchTemplateVersions', 'ec2:GetInstanceTypesFromInstanceRequirements', 'eks:DescribeNodegroup']));
    expect(describe.actions.filter((a: string) => !/:(Describe|Get)/.test(a))).toEqual([]);
    expect(scale.actions).toEqual(['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup']);
    expect(cond(scale, 'StringEquals', `aws:ResourceTag/k8s.io/cluster-autoscaler/${CLUSTER}`)).toEqual(['owned']);
    // the node group's Auto Scaling group carries exactly that tag
    expect(all(json, 'aws_autoscaling_group_tag').some((t) => t.tag.key === `k8s.io/cluster-autoscaler/${CLUSTER}` && t.tag.value === 'owned')).toBe(true);
  });

  test('no Karpenter pool: no Karpenter controller, queue or rules', () => {
    expect(roleNamed(json, EksContract.karpenterControllerRoleName(CLUSTER))).toBeUndefined();
    expect(all(json, 'aws_sqs_queue')).toEqual([]);
    expect(all(json, 'aws_cloudwatch_event_rule')).toEqual([]);
    expect(all(json, 'aws_iam_policy')).toEqual([]);
    expect(cluster.karpenterControllerRole).toBeUndefined();
    expect(cluster.interruptionRules).toEqual({});
  });

  test('no GPU pool: neither controller gets anything', () => {
    const none = build({ gpuPools: [] }).json;
    expect(all(none, 'aws_eks_pod_identity_association').map((a) => a.service_account)).toEqual(['ebs-csi-controller-sa']);
  });
});

describe('EksGpuCluster: minimumKubernetesVersion', () => {
  test('at or below the cluster\'s minor is accepted (patch ignored: EKS runs the newest patch)', () => {
    for (const minimum of ['1.29', '1.34', '1.34.0', '1.34.7']) {
      expect(build({ minimumKubernetesVersion: minimum }).cluster.minimumKubernetesVersion).toBe(minimum);
    }
    expect(build().cluster.minimumKubernetesVersion).toBeUndefined();
  });

  test('above the cluster\'s version is refused, naming the field and the version', () => {
    const e = expectValidationError(() => build({ minimumKubernetesVersion: '1.35.0' }), 'EksGpuClusterProps.minimumKubernetesVersion', 'aws/eks');
    expect(e.message).toMatch(/1\.34/);
    expect(e.message).toMatch(/kubernetesVersion/);
    expectValidationError(() => build({ minimumKubernetesVersion: '2.0' }), 'EksGpuClusterProps.minimumKubernetesVersion', 'aws/eks');
  });

  test('bad version strings are refused, naming the field', () => {
    for (const bad of ['latest', '1', '1.x', '', 'one.two', 42 as never, null as never]) {
      expectValidationError(() => build({ minimumKubernetesVersion: bad }), 'EksGpuClusterProps.minimumKubernetesVersion', 'aws/eks');
    }
  });
});
