import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { AwsPlatformStack } from '../../lib/cloud/aws/aws-platform-stack';
import { EksGpuCluster, EksGpuClusterProps } from '../../lib/cloud/aws/eks-gpu-cluster';
import { EksContract } from '../../lib/core/eks-contract';
import { ValidationError } from '../../lib/core/errors';
import { EksAddonVersions, Versions } from '../../lib/core/versions';
import { GcpPlatformStack } from '../../lib/cloud/gcp/gcp-platform-stack';
import { expectValidationError } from '../helpers/errors';
import { CapacityType, EksProvisioning, GpuPool } from '../../lib/gpu/gpu-pool';
import { GpuSharing } from '../../lib/gpu/gpu-sharing';
import { GpuType } from '../../lib/gpu/gpu-type';

type Json = { [key: string]: any };

const CLUSTER = 'ml-eks';
const spotA10g = () => GpuPool.eks({ name: 'a10g', gpuType: GpuType.A10G, clusterName: CLUSTER, capacityType: CapacityType.SPOT, maxNodes: 3 });
const karpenterH100 = () => GpuPool.eks({ name: 'h100', gpuType: GpuType.H100_80GB, clusterName: CLUSTER, provisioning: EksProvisioning.KARPENTER });

function build(props: Partial<EksGpuClusterProps> = {}): { cluster: EksGpuCluster; json: Json } {
  const stack = new AwsPlatformStack(Testing.app(), 'aws', { region: 'eu-west-1' });
  const cluster = new EksGpuCluster(stack, 'eks', { name: CLUSTER, gpuPools: [spotA10g()], ...props });
  return { cluster, json: JSON.parse(Testing.synth(stack, true)) };
}

/** Every resource (or data source) of a type, in synth order. */
const all = (json: Json, type: string, kind: 'resource' | 'data' = 'resource'): Json[] => Object.values(json[kind]?.[type] ?? {});
const one = (json: Json, type: string, kind: 'resource' | 'data' = 'resource'): Json => {
  const found = all(json, type, kind);
  expect(found).toHaveLength(1);
  return found[0];
};
const nodeGroup = (json: Json, name: string): Json => all(json, 'aws_eks_node_group').find((g) => g.node_group_name === name)!;
/** The resource a `${type.id.attr}` reference points at. */
const deref = (json: Json, ref: string): Json => {
  const [, type, id] = /^\$\{(aws_[a-z0-9_]+)\.([^.]+)\./.exec(ref)!;
  return json.resource[type][id];
};
const throwsOn = (props: Partial<EksGpuClusterProps>, field: string, message?: RegExp) => {
  let error: unknown;
  try {
    build(props);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).field).toBe(field);
  expect((error as Error).message).toContain(`${field}: `);
  expect((error as Error).message).toContain('[aws/eks]');
  if (message) expect((error as Error).message).toMatch(message);
};

describe('EksGpuCluster', () => {
  describe('defaults', () => {
    const { json, cluster } = build();

    test('VPC over 3 zones: private /19 subnets tagged for internal ELBs and Karpenter, public /24 subnets without public IPs', () => {
      expect(one(json, 'aws_vpc')).toMatchObject({ cidr_block: '10.0.0.0/16', enable_dns_support: true, enable_dns_hostnames: true });
      const zones = one(json, 'aws_availability_zones', 'data');
      expect(zones.state).toBe('available');
      expect(zones.lifecycle.postcondition[0].condition).toBe('${length(self.names) >= 3}');
      const subnets = all(json, 'aws_subnet');
      const priv = subnets.filter((s) => s.tags['kubernetes.io/role/internal-elb'] === '1');
      const pub = subnets.filter((s) => s.tags['kubernetes.io/role/elb'] === '1');
      expect(priv).toHaveLength(3);
      expect(pub).toHaveLength(3);
      priv.forEach((s, i) => {
        expect(s.cidr_block).toBe(`\${cidrsubnet("10.0.0.0/16", 3, ${i})}`);
        expect(s.availability_zone).toMatch(new RegExp(`^\\$\\{element\\(data\\.aws_availability_zones\\..*\\.names, ${i}\\)\\}$`));
        expect(s.tags[EksContract.DISCOVERY_TAG]).toBe(CLUSTER);
        expect(s.map_public_ip_on_launch).toBe(false);
      });
      pub.forEach((s, i) => {
        expect(s.cidr_block).toBe(`\${cidrsubnet("10.0.0.0/16", 8, ${240 + i})}`);
        expect(s.tags[EksContract.DISCOVERY_TAG]).toBeUndefined();
        expect(s.map_public_ip_on_launch).toBe(false);
      });
      expect(cluster.privateSubnets).toHaveLength(3);
      expect(cluster.publicSubnets).toHaveLength(3);
    });

    test('one internet gateway, one NAT gateway with its EIP in a public subnet, routes for both tiers', () => {
      one(json, 'aws_internet_gateway');
      expect(one(json, 'aws_eip').domain).toBe('vpc');
      const nat = one(json, 'aws_nat_gateway');
      expect(deref(json, nat.subnet_id).tags['kubernetes.io/role/elb']).toBe('1');
      const routes = all(json, 'aws_route');
      expect(routes).toHaveLength(2);
      expect(routes.every((r) => r.destination_cidr_block === '0.0.0.0/0')).toBe(true);
      expect(routes.filter((r) => r.gateway_id?.includes('aws_internet_gateway'))).toHaveLength(1);
      expect(routes.filter((r) => r.nat_gateway_id?.includes('aws_nat_gateway'))).toHaveLength(1);
      expect(all(json, 'aws_route_table')).toHaveLength(2);
      expect(all(json, 'aws_route_table_association')).toHaveLength(6);
    });

    test('KMS key with rotation and a 30-day window, an alias, and a key policy allowing CloudWatch Logs for the cluster log group', () => {
      const key = one(json, 'aws_kms_key');
      expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30, lifecycle: { prevent_destroy: true } });
      expect(one(json, 'aws_kms_alias').name).toBe(`alias/eks/${CLUSTER}`);
      const policy = all(json, 'aws_iam_policy_document', 'data').find((d) => d.statement.some((s: Json) => s.principals?.[0]?.type === 'Service' && s.principals[0].identifiers[0].startsWith('logs.')))!;
      expect(key.policy).toContain('data.aws_iam_policy_document.');
      const logs = policy.statement.find((s: Json) => s.condition)!;
      expect(logs.condition[0]).toMatchObject({ test: 'ArnEquals', variable: 'kms:EncryptionContext:aws:logs:arn' });
      expect(logs.condition[0].values[0]).toMatch(/^arn:\$\{data\.aws_partition\..*\.partition\}:logs:\$\{data\.aws_region\..*\}:\$\{data\.aws_caller_identity\..*\.account_id\}:log-group:\/aws\/eks\/ml-eks\/cluster$/);
      expect(policy.statement[0]).toMatchObject({ actions: ['kms:*'], resources: ['*'] });
    });

    test('control plane log group: encrypted with the key, 90 days', () => {
      const logGroup = one(json, 'aws_cloudwatch_log_group');
      expect(logGroup).toMatchObject({ name: '/aws/eks/ml-eks/cluster', retention_in_days: 90 });
      expect(logGroup.kms_key_id).toMatch(/^\$\{aws_kms_key\..*\.arn\}$/);
    });

    test('cluster: version, private endpoint only, API access entries, secrets encryption, logs, deletion protection', () => {
      const eks = one(json, 'aws_eks_cluster');
      expect(eks).toMatchObject({
        name: CLUSTER,
        version: Versions.EKS_KUBERNETES,
        enabled_cluster_log_types: ['api', 'audit', 'authenticator'],
        vpc_config: { endpoint_private_access: true, endpoint_public_access: false },
        access_config: { authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: true },
        encryption_config: { resources: ['secrets'] },
        lifecycle: { prevent_destroy: true },
      });
      expect(eks.vpc_config.public_access_cidrs).toBeUndefined();
      expect(eks.vpc_config.subnet_ids.map((ref: string) => deref(json, ref).tags['kubernetes.io/role/internal-elb'])).toEqual(['1', '1', '1']);
      expect(eks.encryption_config.provider.key_arn).toMatch(/^\$\{aws_kms_key\..*\.arn\}$/);
      expect(eks.depends_on.some((d: string) => d.startsWith('aws_cloudwatch_log_group.'))).toBe(true);
      expect(eks.deletion_protection).toBeUndefined(); // not an argument of aws_eks_cluster in provider 5.100.0
    });

    test('IAM: the cluster role has AmazonEKSClusterPolicy and may use the key; the node role has the four node policies', () => {
      const attachments = all(json, 'aws_iam_role_policy_attachment');
      const policiesOf = (role: Json) => {
        const roleId = Object.entries(json.resource.aws_iam_role).find(([, r]) => r === role)![0];
        return attachments.filter((a) => a.role === `\${aws_iam_role.${roleId}.name}`).map((a) => a.policy_arn).sort();
      };
      const roles = all(json, 'aws_iam_role');
      // the default pool is a managed node group: the Cluster Autoscaler's role too (issue 9)
      expect(roles.map((r) => r.name).sort()).toEqual([`${CLUSTER}-cluster`, EksContract.clusterAutoscalerRoleName(CLUSTER), `${CLUSTER}-ebs-csi`, `${CLUSTER}-node`]);
      const aws = (p: string) => expect.stringMatching(new RegExp(`^arn:\\$\\{data\\.aws_partition\\..*\\.partition\\}:iam::aws:policy/${p}$`));
      expect(policiesOf(roles.find((r) => r.name === `${CLUSTER}-cluster`)!)).toEqual([aws('AmazonEKSClusterPolicy')]);
      expect(policiesOf(roles.find((r) => r.name === `${CLUSTER}-node`)!)).toEqual([
        aws('AmazonEC2ContainerRegistryReadOnly'), aws('AmazonEKSWorkerNodePolicy'), aws('AmazonEKS_CNI_Policy'), aws('AmazonSSMManagedInstanceCore'),
      ]);
      expect(all(json, 'aws_iam_role_policy').find((p) => p.name === 'secrets-envelope-encryption')!.role).toMatch(/^\$\{aws_iam_role\.eks_cluster-role_.*\.name\}$/);
    });

    test('system node group: AL2023, on-demand, m6i.large, 2 to 4 nodes', () => {
      const system = nodeGroup(json, 'system');
      expect(system).toMatchObject({
        ami_type: 'AL2023_x86_64_STANDARD', capacity_type: 'ON_DEMAND', instance_types: ['m6i.large'],
        scaling_config: { min_size: 2, max_size: 4, desired_size: 2 },
        update_config: { max_unavailable: 1 },
        lifecycle: { ignore_changes: ['scaling_config[0].desired_size'] },
      });
      expect(system.taint).toBeUndefined();
      expect(cluster.systemNodeGroup.nodeGroupNameInput).toBe('system');
    });

    test('launch templates: IMDSv2 only with hop limit 1, encrypted gp3 root volume (50 GiB system, 200 GiB GPU)', () => {
      const templates = all(json, 'aws_launch_template');
      expect(templates).toHaveLength(2);
      for (const t of templates) {
        expect(t.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1 });
        expect(t.tag_specifications.map((s: Json) => s.resource_type)).toEqual(['instance', 'volume', 'network-interface']);
      }
      const rootOf = (group: string) => deref(json, nodeGroup(json, group).launch_template.id).block_device_mappings;
      expect(rootOf('system')).toEqual([{ device_name: '/dev/xvda', ebs: { volume_size: 50, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' } }]);
      expect(rootOf('a10g')).toEqual([{ device_name: '/dev/xvda', ebs: { volume_size: 200, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' } }]);
      expect(nodeGroup(json, 'a10g').launch_template.version).toMatch(/\.latest_version\}$/);
    });

    test('GPU pool node group: NVIDIA AMI, the pool instance type, spot, scaling from the pool, labels and taints of the pool', () => {
      const pool = spotA10g();
      const group = nodeGroup(json, 'a10g');
      expect(group).toMatchObject({
        ami_type: 'AL2023_x86_64_NVIDIA', instance_types: ['g5.xlarge'], capacity_type: 'SPOT',
        scaling_config: { min_size: 0, max_size: 3, desired_size: 0 },
        update_config: { max_unavailable: 1 },
        lifecycle: { ignore_changes: ['scaling_config[0].desired_size'] },
      });
      expect(group.labels).toEqual(pool.nodeLabels);
      expect(group.taint).toEqual(pool.taints.map((t) => ({ key: t.key, value: t.value, effect: 'NO_SCHEDULE' })));
      expect(Object.keys(cluster.gpuNodeGroups)).toEqual(['a10g']);
    });

    test('Cluster Autoscaler tags: discovery and scale-from-zero node template, on the node group and its Auto Scaling group', () => {
      const expected = {
        'k8s.io/cluster-autoscaler/enabled': 'true',
        'k8s.io/cluster-autoscaler/ml-eks': 'owned',
        'k8s.io/cluster-autoscaler/node-template/label/ai-platform/gpu-pool': 'a10g',
        'k8s.io/cluster-autoscaler/node-template/label/ai-platform/gpu-type': 'a10g',
        'k8s.io/cluster-autoscaler/node-template/label/k8s.amazonaws.com/accelerator': 'nvidia-a10g',
        'k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu': 'present:NoSchedule',
        'k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu': '1',
      };
      expect(nodeGroup(json, 'a10g').tags).toEqual(expected);
      const asgTags = all(json, 'aws_autoscaling_group_tag');
      expect(Object.fromEntries(asgTags.map((t) => [t.tag.key, t.tag.value]))).toEqual(expected);
      for (const t of asgTags) {
        expect(t.autoscaling_group_name).toMatch(/^\$\{aws_eks_node_group\.eks_a10g-node-group_.*\.resources\[0\]\.autoscaling_groups\[0\]\.name\}$/);
        expect(t.tag.propagate_at_launch).toBe(false);
      }
    });

    test('no Karpenter pool: no Karpenter role, access entry or security group tag', () => {
      expect(all(json, 'aws_eks_access_entry')).toEqual([]);
      expect(all(json, 'aws_ec2_tag')).toEqual([]);
      expect(cluster.karpenterNodeRole).toBeUndefined();
    });
  });

  test('Karpenter pool: node role named by the contract with the node policies, EC2_LINUX access entry, discovery tag on the cluster SG; no node group', () => {
    const { json, cluster } = build({ gpuPools: [spotA10g(), karpenterH100()] });
    const role = all(json, 'aws_iam_role').find((r) => r.name === EksContract.karpenterNodeRoleName(CLUSTER))!;
    expect(role).toBeDefined();
    const roleId = Object.entries(json.resource.aws_iam_role).find(([, r]) => r === role)![0];
    expect(all(json, 'aws_iam_role_policy_attachment').filter((a) => a.role.includes(roleId)).map((a) => a.policy_arn.split('/').pop()).sort())
      .toEqual(['AmazonEC2ContainerRegistryReadOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonSSMManagedInstanceCore']);
    const entry = one(json, 'aws_eks_access_entry');
    expect(entry).toMatchObject({ type: 'EC2_LINUX', principal_arn: `\${aws_iam_role.${roleId}.arn}` });
    expect(entry.cluster_name).toMatch(/^\$\{aws_eks_cluster\..*\.name\}$/);
    const tag = one(json, 'aws_ec2_tag');
    expect(tag).toMatchObject({ key: EksContract.DISCOVERY_TAG, value: CLUSTER });
    expect(tag.resource_id).toMatch(/^\$\{aws_eks_cluster\..*\.vpc_config\[0\]\.cluster_security_group_id\}$/);
    expect(all(json, 'aws_eks_node_group').map((g) => g.node_group_name).sort()).toEqual(['a10g', 'system']);
    expect(Object.keys(cluster.gpuNodeGroups)).toEqual(['a10g']);
    expect(cluster.karpenterNodeRole).toBeDefined();
  });

  test('on-demand pool and MIG pool: capacity type, MIG label and MIG resource count for scale from zero', () => {
    const mig = GpuPool.eks({ name: 'a100-mig', gpuType: GpuType.A100_40GB, clusterName: CLUSTER, sharing: GpuSharing.mig('1g.5gb'), minNodes: 1, maxNodes: 2 });
    const { json } = build({ gpuPools: [mig] });
    const group = nodeGroup(json, 'a100-mig');
    expect(group).toMatchObject({ capacity_type: 'ON_DEMAND', instance_types: ['p4d.24xlarge'], scaling_config: { min_size: 1, max_size: 2, desired_size: 1 } });
    expect(group.labels).toEqual(mig.nodeLabels);
    expect(group.labels['nvidia.com/mig.config']).toBe('all-1g.5gb');
    expect(group.tags['k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/mig-1g.5gb']).toBe('56');
    expect(group.tags['k8s.io/cluster-autoscaler/node-template/label/nvidia.com/mig.config']).toBe('all-1g.5gb');
  });

  test('options: version, VPC CIDR, zones, public endpoint CIDRs, system nodes, retention, no deletion protection', () => {
    const { json } = build({
      kubernetesVersion: '1.33',
      addonVersions: { vpcCni: 'v1.20.4-eksbuild.2', coreDns: 'v1.12.4-eksbuild.1', kubeProxy: 'v1.33.5-eksbuild.2', podIdentityAgent: 'v1.3.10-eksbuild.2', ebsCsiDriver: 'v1.56.0-eksbuild.1' },
      vpcCidr: '172.20.0.0/18', availabilityZones: 2, endpointPublicAccessCidrs: ['203.0.113.0/24', '198.51.100.7/32'],
      systemNodes: { instanceType: 'm7i.xlarge', minNodes: 3, maxNodes: 6 }, logRetentionDays: 365, deletionProtection: false, gpuPools: [],
    });
    const eks = one(json, 'aws_eks_cluster');
    expect(eks.version).toBe('1.33');
    expect(eks.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24', '198.51.100.7/32'] });
    expect(eks.lifecycle?.prevent_destroy).not.toBe(true);
    expect(one(json, 'aws_kms_key').lifecycle?.prevent_destroy).not.toBe(true);
    expect(one(json, 'aws_vpc').cidr_block).toBe('172.20.0.0/18');
    expect(all(json, 'aws_subnet').map((s) => s.cidr_block).sort()).toEqual([
      '${cidrsubnet("172.20.0.0/18", 3, 0)}', '${cidrsubnet("172.20.0.0/18", 3, 1)}',
      '${cidrsubnet("172.20.0.0/18", 8, 240)}', '${cidrsubnet("172.20.0.0/18", 8, 241)}',
    ]);
    expect(one(json, 'aws_availability_zones', 'data').lifecycle.postcondition[0].condition).toBe('${length(self.names) >= 2}');
    expect(one(json, 'aws_eks_node_group')).toMatchObject({ node_group_name: 'system', instance_types: ['m7i.xlarge'], scaling_config: { min_size: 3, max_size: 6, desired_size: 3 } });
    expect(one(json, 'aws_cloudwatch_log_group').retention_in_days).toBe(365);
    expect(all(json, 'aws_autoscaling_group_tag')).toEqual([]);
  });

  describe('bad input is refused, naming the field', () => {
    test.each(['ML-EKS', 'ml_eks', '-ml', ''])('name %j', (name) => throwsOn({ name, gpuPools: [] }, 'EksGpuClusterProps.name', /DNS-1123/));

    test('a name too long for the Karpenter node role', () => {
      const name = 'a'.repeat(50);
      const pool = GpuPool.eks({ name: 'h100', gpuType: GpuType.H100_80GB, clusterName: name, provisioning: EksProvisioning.KARPENTER });
      throwsOn({ name, gpuPools: [pool] }, 'EksGpuClusterProps.name', /expected at most 49 characters: the IAM role name "a+-karpenter-node" would exceed 64/);
      expect(() => build({ name, gpuPools: [] })).not.toThrow(); // without Karpenter, 50 characters fit
    });

    test.each(['1.3', 'v1.34', '1.34.1', 'latest'])('kubernetesVersion %j', (v) => throwsOn({ kubernetesVersion: v }, 'EksGpuClusterProps.kubernetesVersion'));

    test.each(['10.0.0.0', '10.0.0.0/8', '10.0.0.0/24', '10.0.1.0/16', '300.0.0.0/16', 'fd00::/48'])('vpcCidr %j', (cidr) =>
      throwsOn({ vpcCidr: cidr }, 'EksGpuClusterProps.vpcCidr', /from \/16 to \/20/));

    test.each([1, 7, 2.5])('availabilityZones %j', (n) => throwsOn({ availabilityZones: n }, 'EksGpuClusterProps.availabilityZones', /from 2 to 6/));

    test.each(['203.0.113.0', '203.0.113.1/24', 'my-office'])('endpointPublicAccessCidrs entry %j', (cidr) =>
      throwsOn({ endpointPublicAccessCidrs: ['198.51.100.0/24', cidr] }, 'EksGpuClusterProps.endpointPublicAccessCidrs[1]', /IPv4 network CIDR/));

    test('endpointPublicAccessCidrs 0.0.0.0/0 is refused, saying why', () =>
      throwsOn({ endpointPublicAccessCidrs: ['0.0.0.0/0'] }, 'EksGpuClusterProps.endpointPublicAccessCidrs[0]', /opens the Kubernetes API endpoint to the whole internet/));

    test('a GKE pool', () => {
      const gke = GpuPool.gke({ name: 'l4', gpuType: GpuType.L4 });
      throwsOn({ gpuPools: [spotA10g(), gke] }, 'EksGpuClusterProps.gpuPools[1]', /GpuPool\.eks/);
    });

    test('an on-prem pool', () => {
      const onPrem = GpuPool.onPrem({ name: 'dgx', gpuType: GpuType.A100_80GB, gpusPerNode: 8, nodes: 2 });
      throwsOn({ gpuPools: [onPrem] }, 'EksGpuClusterProps.gpuPools[0]', /GpuPool\.eks/);
    });

    test.each([EksProvisioning.MANAGED_NODE_GROUP, EksProvisioning.KARPENTER])('a %s pool of another cluster', (provisioning) => {
      const other = GpuPool.eks({ name: 't4', gpuType: GpuType.T4, clusterName: 'other-eks', provisioning });
      throwsOn({ gpuPools: [spotA10g(), other] }, 'EksGpuClusterProps.gpuPools[1]', /clusterName "ml-eks"/);
    });

    test('two pools with the same name', () =>
      throwsOn({ gpuPools: [spotA10g(), karpenterH100(), GpuPool.eks({ name: 'a10g', gpuType: GpuType.A10G, clusterName: CLUSTER })] },
        'EksGpuClusterProps.gpuPools[2].name', /unique/));

    test('a pool named like the system node group', () =>
      throwsOn({ gpuPools: [GpuPool.eks({ name: 'system', gpuType: GpuType.T4, clusterName: CLUSTER })] }, 'EksGpuClusterProps.gpuPools[0].name', /system node group/));

    test.each(['', 'm6i', 'M6I.LARGE'])('systemNodes.instanceType %j', (instanceType) =>
      throwsOn({ systemNodes: { instanceType } }, 'EksGpuClusterProps.systemNodes.instanceType'));

    test.each([0, -1, 1.5])('systemNodes.minNodes %j', (minNodes) => throwsOn({ systemNodes: { minNodes } }, 'EksGpuClusterProps.systemNodes.minNodes'));

    test('systemNodes.maxNodes below minNodes', () =>
      throwsOn({ systemNodes: { minNodes: 3, maxNodes: 2 } }, 'EksGpuClusterProps.systemNodes.maxNodes', /at least minNodes \(3\)/));

    test.each([0, 45, -7, 2.5])('logRetentionDays %j', (days) => throwsOn({ logRetentionDays: days }, 'EksGpuClusterProps.logRetentionDays', /CloudWatch Logs retentions/));
  });

  test('the module imports each provider resource from its own module, never the package root', () => {
    const source = readFileSync(join(__dirname, '..', '..', 'lib', 'cloud', 'aws', 'eks-gpu-cluster.ts'), 'utf8');
    const providerImports = [...source.matchAll(/from\s+'(@cdktf\/provider-[^']+)'/g)].map((m) => m[1]);
    expect(providerImports.length).toBeGreaterThan(10);
    for (const i of providerImports) expect(i).toMatch(/^@cdktf\/provider-aws\/lib\/[a-z0-9-]+$/);
    expect(Object.keys(require.cache).some((f) => /@cdktf[\\/]provider-aws[\\/]lib[\\/]index\.js$/.test(f))).toBe(false);
  });
});

describe('EKS add-ons (issue 7, defect 4)', () => {
  const { json } = build();
  const addons = (): Record<string, Json> => Object.fromEntries(all(json, 'aws_eks_addon').map((a) => [a.addon_name, a]));
  const idOf = (type: string, resource: Json) => Object.entries(json.resource[type]).find(([, r]) => r === resource)![0];

  test('the five add-ons, each pinned to the versions module, conflicts overwritten on create and preserved on update', () => {
    expect(Object.keys(addons()).sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    expect(Object.fromEntries(Object.entries(addons()).map(([n, a]) => [n, a.addon_version]))).toEqual({
      'vpc-cni': EksAddonVersions.VPC_CNI, 'coredns': EksAddonVersions.COREDNS, 'kube-proxy': EksAddonVersions.KUBE_PROXY,
      'eks-pod-identity-agent': EksAddonVersions.POD_IDENTITY_AGENT, 'aws-ebs-csi-driver': EksAddonVersions.EBS_CSI_DRIVER,
    });
    expect(EksAddonVersions.KUBE_PROXY.startsWith(`v${Versions.EKS_KUBERNETES}.`)).toBe(true);
    for (const a of Object.values(addons())) {
      expect(a.addon_version).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
      expect(a).toMatchObject({ resolve_conflicts_on_create: 'OVERWRITE', resolve_conflicts_on_update: 'PRESERVE' });
      expect(a.cluster_name).toMatch(/^\$\{aws_eks_cluster\./);
    }
  });

  test('vpc-cni enforces NetworkPolicy (enableNetworkPolicy), so that every default-deny is real', () => {
    expect(JSON.parse(addons()['vpc-cni'].configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
  });

  test('node groups wait for the CNI, kube-proxy and the Pod Identity agent; coredns and the EBS CSI driver wait for nodes', () => {
    const ref = (name: string) => `aws_eks_addon.${idOf('aws_eks_addon', addons()[name])}`;
    for (const group of all(json, 'aws_eks_node_group')) {
      expect(group.depends_on).toEqual(expect.arrayContaining([ref('vpc-cni'), ref('kube-proxy'), ref('eks-pod-identity-agent')]));
    }
    const system = `aws_eks_node_group.${idOf('aws_eks_node_group', nodeGroup(json, 'system'))}`;
    expect(addons().coredns.depends_on).toEqual([system]);
    expect(addons()['aws-ebs-csi-driver'].depends_on).toEqual(expect.arrayContaining([system, ref('eks-pod-identity-agent')]));
  });

  test('the EBS CSI driver gets AmazonEBSCSIDriverPolicy through EKS Pod Identity, for kube-system/ebs-csi-controller-sa', () => {
    const role = all(json, 'aws_iam_role').find((r) => r.name === `${CLUSTER}-ebs-csi`)!;
    const [, docId] = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(role.assume_role_policy)!;
    const doc = json.data.aws_iam_policy_document[docId];
    expect(doc.statement[0].principals).toEqual([{ type: 'Service', identifiers: ['pods.eks.amazonaws.com'] }]);
    expect(doc.statement[0].actions).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    const roleId = idOf('aws_iam_role', role);
    const attachment = all(json, 'aws_iam_role_policy_attachment').find((a) => a.role === `\${aws_iam_role.${roleId}.name}`)!;
    expect(attachment.policy_arn).toMatch(/:iam::aws:policy\/service-role\/AmazonEBSCSIDriverPolicy$/);
    const association = all(json, 'aws_eks_pod_identity_association').find((a) => a.service_account === 'ebs-csi-controller-sa')!;
    expect(association).toMatchObject({ namespace: 'kube-system', service_account: 'ebs-csi-controller-sa', role_arn: `\${aws_iam_role.${roleId}.arn}` });
    expect(addons()['aws-ebs-csi-driver'].depends_on).toEqual(expect.arrayContaining([`aws_eks_pod_identity_association.${idOf('aws_eks_pod_identity_association', association)}`]));
  });

  test('another Kubernetes version needs its own add-on versions; versions are checked', () => {
    const e = expectValidationError(() => build({ kubernetesVersion: '1.35' }), 'EksGpuClusterProps.addonVersions.vpcCni', 'aws/eks');
    expect(e.message).toMatch(/the pinned defaults are for 1\.34/);
    expectValidationError(() => build({ addonVersions: { coreDns: 'latest' } }), 'EksGpuClusterProps.addonVersions.coreDns', 'aws/eks');
    expectValidationError(() => build({ addonVersions: { kubeProxy: 'v1.33.5-eksbuild.2' } }), 'EksGpuClusterProps.addonVersions.kubeProxy', 'aws/eks');
    expectValidationError(() => build({ addonVersions: 'v1' as never }), 'EksGpuClusterProps.addonVersions', 'aws/eks');
    const custom = build({ addonVersions: { ebsCsiDriver: 'v1.57.1-eksbuild.1' } }).json;
    expect(all(custom, 'aws_eks_addon').find((a) => a.addon_name === 'aws-ebs-csi-driver')!.addon_version).toBe('v1.57.1-eksbuild.1');
  });
});

describe('EksGpuCluster: the accelerator label, taints as tags, architecture, scopes and kinds (issue 7)', () => {
  test('GPU node groups carry k8s.amazonaws.com/accelerator from the catalog, in their labels and the node-template tags', () => {
    const { json } = build();
    expect(nodeGroup(json, 'a10g').labels['k8s.amazonaws.com/accelerator']).toBe(GpuType.A10G.eksAccelerator);
    expect(nodeGroup(json, 'a10g').tags['k8s.io/cluster-autoscaler/node-template/label/k8s.amazonaws.com/accelerator']).toBe(GpuType.A10G.eksAccelerator);
    expect(nodeGroup(json, 'system').labels).toBeUndefined();
  });

  test('taint keys that sanitize to the same construct id still get one Auto Scaling group tag each', () => {
    const pool = GpuPool.eks({
      name: 'a10g', gpuType: GpuType.A10G, clusterName: CLUSTER,
      taints: [GpuPool.GPU_TAINT, { key: 'team.a', value: 'x', effect: 'NoSchedule' }, { key: 'team_a', value: 'y', effect: 'NoSchedule' }],
    });
    const { json } = build({ gpuPools: [pool] });
    const tags = all(json, 'aws_autoscaling_group_tag').map((t) => t.tag.key);
    expect(tags).toEqual(expect.arrayContaining(['k8s.io/cluster-autoscaler/node-template/taint/team.a', 'k8s.io/cluster-autoscaler/node-template/taint/team_a']));
    expect(new Set(tags).size).toBe(tags.length);
    // the ids of tags that do not collide are unchanged (Terraform addresses stay stable)
    expect(Object.keys(json.resource.aws_autoscaling_group_tag).some((id) => id.startsWith('eks_a10g-asg-tag-enabled_'))).toBe(true);
  });

  test.each([['m7g.large'], ['c7gn.xlarge'], ['t4g.medium'], ['r8gd.2xlarge'], ['a1.large']])('a Graviton system instance type (%s) gets the ARM AMI', (instanceType) => {
    expect(nodeGroup(build({ systemNodes: { instanceType } }).json, 'system').ami_type).toBe('AL2023_ARM_64_STANDARD');
  });

  test.each([['m6i.large'], ['m7a.xlarge'], ['c6in.2xlarge'], ['g5.xlarge']])('an x86_64 system instance type (%s) keeps the x86_64 AMI', (instanceType) => {
    expect(nodeGroup(build({ systemNodes: { instanceType } }).json, 'system').ami_type).toBe('AL2023_x86_64_STANDARD');
  });

  test('placed directly in the app, or in a Google stack: a ValidationError saying where it belongs', () => {
    const app = Testing.app();
    const e = expectValidationError(() => new EksGpuCluster(app, 'eks', { name: CLUSTER, gpuPools: [] }), 'EksGpuCluster.scope', 'eks');
    expect(e.message).toMatch(/AwsPlatformStack.*placed directly in the app/);
    const gcp = new GcpPlatformStack(Testing.app(), 'gcp', { project: 'my-project-1', region: 'us-central1' });
    expect(expectValidationError(() => new EksGpuCluster(gcp, 'eks', { name: CLUSTER, gpuPools: [] }), 'EksGpuCluster.scope', 'gcp/eks').message)
      .toMatch(/inside the GcpPlatformStack "gcp"/);
  });

  test.each([
    ['props', undefined, 'EksGpuClusterProps'],
    ['gpuPools', { gpuPools: 'a10g' }, 'EksGpuClusterProps.gpuPools'],
    ['endpointPublicAccessCidrs', { endpointPublicAccessCidrs: '203.0.113.0/24' }, 'EksGpuClusterProps.endpointPublicAccessCidrs'],
    ['systemNodes', { systemNodes: 'm6i.large' }, 'EksGpuClusterProps.systemNodes'],
    ['deletionProtection', { deletionProtection: 'no' }, 'EksGpuClusterProps.deletionProtection'],
  ])('%s of the wrong kind', (_what, props, field) => {
    const stack = new AwsPlatformStack(Testing.app(), 'aws', { region: 'eu-west-1' });
    const full = props === undefined ? undefined : { name: CLUSTER, gpuPools: [spotA10g()], ...props };
    expectValidationError(() => new EksGpuCluster(stack, 'eks', full as never), field, 'aws/eks');
  });

  test('a GpuNodePool-like construct where a GpuPool goes names the index (and the message renders)', () => {
    const notAPool = new (require('constructs').Construct)(new (require('constructs').RootConstruct)(), 'pool');
    const e = expectValidationError(() => build({ gpuPools: [notAPool] }), 'EksGpuClusterProps.gpuPools[0]', 'aws/eks');
    expect(e.message).toMatch(/<construct pool>|"pool"|\{\}/);
  });
});
