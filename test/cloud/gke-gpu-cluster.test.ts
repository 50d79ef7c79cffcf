import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import { AwsPlatformStack } from '../../lib/cloud/aws/aws-platform-stack';
import { GcpPlatformStack } from '../../lib/cloud/gcp/gcp-platform-stack';
import { GkeGpuCluster, GkeGpuClusterProps } from '../../lib/cloud/gcp/gke-gpu-cluster';
import { Versions } from '../../lib/core/versions';
import { GpuPool } from '../../lib/gpu/gpu-pool';
import { GpuSharing } from '../../lib/gpu/gpu-sharing';
import { GpuType } from '../../lib/gpu/gpu-type';
import { expectValidationError } from '../helpers/errors';

type Json = { [key: string]: any };

const PROJECT = 'my-project-1';
const REGION = 'us-central1';

const l4 = () => GpuPool.gke({ name: 'l4', gpuType: GpuType.L4, spot: true, maxNodes: 4 });
const a100Mig = () => GpuPool.gke({ name: 'a100', gpuType: GpuType.A100_40GB, sharing: GpuSharing.mig('1g.5gb') });
const t4Shared = () => GpuPool.gke({ name: 't4', gpuType: GpuType.T4, sharing: GpuSharing.timeSlicing(4), gpusPerNode: 2, minNodes: 1, maxNodes: 6 });

function stack(): GcpPlatformStack {
  return new GcpPlatformStack(Testing.app(), 'gcp', { project: PROJECT, region: REGION });
}

function build(props: Partial<GkeGpuClusterProps> = {}): { gke: GkeGpuCluster; json: Json } {
  const s = stack();
  const gke = new GkeGpuCluster(s, 'gke', { name: 'ml', gpuPools: [l4(), a100Mig(), t4Shared()], ...props });
  return { gke, json: JSON.parse(Testing.synth(s, true)) };
}

/** The one resource of a type. */
function only(json: Json, type: string): Json {
  const all = Object.values(json.resource[type] ?? {}) as Json[];
  expect(all).toHaveLength(1);
  return all[0];
}

function nodePools(json: Json): { [name: string]: Json } {
  return Object.fromEntries((Object.values(json.resource.google_container_node_pool) as Json[]).map((p) => [p.name, p]));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The message of a ValidationError on `field` of the construct at gcp/gke. */
const fieldError = (field: string) => new RegExp(`^\\[gcp/gke\\] GkeGpuClusterProps\\.${escape(field)}: .* is invalid: expected`);

describe('GkeGpuCluster: network and identity', () => {
  const { json } = build();

  test('a custom-mode VPC, a subnetwork with pod and Service ranges, Private Google Access and flow logs', () => {
    expect(only(json, 'google_compute_network')).toMatchObject({ name: 'ml-vpc', auto_create_subnetworks: false });
    const subnet = only(json, 'google_compute_subnetwork');
    expect(subnet).toMatchObject({
      name: 'ml-nodes', region: REGION, ip_cidr_range: '10.10.0.0/20', private_ip_google_access: true,
      secondary_ip_range: [{ range_name: 'pods', ip_cidr_range: '10.20.0.0/14' }, { range_name: 'services', ip_cidr_range: '10.24.0.0/20' }],
    });
    expect(subnet.network).toMatch(/^\$\{google_compute_network\.[^.]+\.id\}$/);
    expect(subnet.log_config).toEqual(expect.objectContaining({ aggregation_interval: 'INTERVAL_5_SEC', metadata: 'INCLUDE_ALL_METADATA' }));
  });

  test('a Cloud Router and Cloud NAT give the private nodes egress', () => {
    const router = only(json, 'google_compute_router');
    const nat = only(json, 'google_compute_router_nat');
    expect(router).toMatchObject({ name: 'ml-router', region: REGION });
    expect(nat).toMatchObject({
      name: 'ml-nat', region: REGION, nat_ip_allocate_option: 'AUTO_ONLY', source_subnetwork_ip_ranges_to_nat: 'LIST_OF_SUBNETWORKS',
      subnetwork: [{ source_ip_ranges_to_nat: ['ALL_IP_RANGES'] }],
    });
    expect(nat.router).toMatch(/^\$\{google_compute_router\.[^.]+\.name\}$/);
    expect(nat.subnetwork[0].name).toMatch(/^\$\{google_compute_subnetwork\.[^.]+\.id\}$/);
  });

  test('a dedicated node service account with the minimal node roles', () => {
    expect(only(json, 'google_service_account')).toMatchObject({ account_id: 'ml-nodes' });
    const grants = Object.values(json.resource.google_project_iam_member) as Json[];
    expect(grants.map((g) => g.role).sort()).toEqual(['roles/artifactregistry.reader', 'roles/container.defaultNodeServiceAccount']);
    for (const g of grants) {
      expect(g.project).toBe(PROJECT);
      expect(g.member).toMatch(/^serviceAccount:\$\{google_service_account\.[^.]+\.email\}$/);
    }
  });

  test('long cluster names get a short, distinct service account id', () => {
    const ids = ['a'.repeat(40), `${'a'.repeat(39)}b`].map((name) => {
      const s = stack();
      new GkeGpuCluster(s, 'gke', { name, gpuPools: [] });
      return only(JSON.parse(Testing.synth(s)), 'google_service_account').account_id as string;
    });
    for (const id of ids) expect(id).toMatch(/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/);
    expect(ids[0]).not.toBe(ids[1]);
  });
});

describe('GkeGpuCluster: cluster', () => {
  const { json } = build();
  const cluster = only(json, 'google_container_cluster');

  test('regional, VPC-native, on the subnetwork and its secondary ranges', () => {
    expect(cluster).toMatchObject({
      name: 'ml', location: REGION, networking_mode: 'VPC_NATIVE',
      ip_allocation_policy: { cluster_secondary_range_name: 'pods', services_secondary_range_name: 'services' },
    });
    expect(cluster.network).toMatch(/^\$\{google_compute_network\./);
    expect(cluster.subnetwork).toMatch(/^\$\{google_compute_subnetwork\./);
  });

  test('private nodes; the public endpoint admits no one by default', () => {
    expect(cluster.private_cluster_config).toEqual({ enable_private_nodes: true, enable_private_endpoint: false, master_ipv4_cidr_block: '172.16.0.0/28' });
    expect(cluster.master_authorized_networks_config.gcp_public_cidrs_access_enabled).toBe(false);
    expect(cluster.master_authorized_networks_config.cidr_blocks ?? []).toEqual([]);
  });

  test('Workload Identity, Dataplane V2, release channel, shielded nodes, no legacy auth', () => {
    expect(cluster).toMatchObject({
      workload_identity_config: { workload_pool: `${PROJECT}.svc.id.goog` },
      datapath_provider: 'ADVANCED_DATAPATH',
      release_channel: { channel: Versions.GKE_RELEASE_CHANNEL },
      enable_shielded_nodes: true,
      enable_legacy_abac: false,
      master_auth: { client_certificate_config: { issue_client_certificate: false } },
      logging_config: { enable_components: ['SYSTEM_COMPONENTS', 'WORKLOADS'] },
    });
    expect(cluster.network_policy).toBeUndefined(); // Dataplane V2 enforces NetworkPolicy; Calico must stay off
  });

  test('the default pool is removed and never runs as the Compute Engine default service account', () => {
    expect(cluster).toMatchObject({ remove_default_node_pool: true, initial_node_count: 1 });
    expect(cluster.node_config).toMatchObject({
      service_account: expect.stringMatching(/^\$\{google_service_account\.[^.]+\.email\}$/),
      oauth_scopes: ['https://www.googleapis.com/auth/cloud-platform'],
      workload_metadata_config: { mode: 'GKE_METADATA' },
      shielded_instance_config: { enable_secure_boot: true, enable_integrity_monitoring: true },
    });
    // node_config forces replacement and is gone from the API once the default pool is removed.
    expect(cluster.lifecycle.ignore_changes).toEqual(['node_config']);
    // The node roles exist before any node boots.
    expect(cluster.depends_on).toHaveLength(2);
    for (const d of cluster.depends_on) expect(d).toMatch(/^google_project_iam_member\./);
  });

  test('deletion protection by default: the API flag and prevent_destroy', () => {
    expect(cluster.deletion_protection).toBe(true);
    expect(cluster.lifecycle.prevent_destroy).toBe(true);
  });

  test('deletion protection can be turned off', () => {
    const off = only(build({ deletionProtection: false }).json, 'google_container_cluster');
    expect(off.deletion_protection).toBe(false);
    expect(off.lifecycle.prevent_destroy).toBe(false);
  });

  test('release channel, ranges and authorized networks are configurable', () => {
    const { json: custom } = build({
      releaseChannel: 'STABLE', nodeCidr: '10.0.0.0/22', podCidr: '10.64.0.0/14', serviceCidr: '10.0.8.0/22', masterCidr: '192.168.255.240/28',
      masterAuthorizedNetworks: [{ cidr: '203.0.113.0/24', name: 'office' }, { cidr: '198.51.100.7/32', name: 'ci' }],
    });
    const c = only(custom, 'google_container_cluster');
    expect(c.release_channel).toEqual({ channel: 'STABLE' });
    expect(c.private_cluster_config.master_ipv4_cidr_block).toBe('192.168.255.240/28');
    expect(c.master_authorized_networks_config.cidr_blocks).toEqual([
      { cidr_block: '203.0.113.0/24', display_name: 'office' }, { cidr_block: '198.51.100.7/32', display_name: 'ci' },
    ]);
    expect(only(custom, 'google_compute_subnetwork')).toMatchObject({
      ip_cidr_range: '10.0.0.0/22',
      secondary_ip_range: [{ ip_cidr_range: '10.64.0.0/14' }, { ip_cidr_range: '10.0.8.0/22' }],
    });
  });
});

describe('GkeGpuCluster: node pools', () => {
  const { gke, json } = build();
  const pools = nodePools(json);

  test('one system pool and one pool per GPU pool, exposed by name', () => {
    expect(Object.keys(pools).sort()).toEqual(['a100', 'l4', 'system', 't4']);
    expect(Object.keys(gke.gpuNodePools).sort()).toEqual(['a100', 'l4', 't4']);
    expect(gke.systemNodePool.nameInput).toBe('system');
    expect(gke.gpuNodePools.l4.nameInput).toBe('l4');
  });

  test('every pool: node service account, cloud-platform scope, shielded VM, GKE metadata server, no legacy endpoints, auto repair and upgrade', () => {
    for (const pool of Object.values(pools)) {
      expect(pool.cluster).toMatch(/^\$\{google_container_cluster\.[^.]+\.id\}$/);
      expect(pool.location).toBe(REGION);
      expect(pool.management).toEqual({ auto_repair: true, auto_upgrade: true });
      expect(pool.node_config).toMatchObject({
        service_account: expect.stringMatching(/^\$\{google_service_account\./),
        oauth_scopes: ['https://www.googleapis.com/auth/cloud-platform'],
        shielded_instance_config: { enable_secure_boot: true, enable_integrity_monitoring: true },
        workload_metadata_config: { mode: 'GKE_METADATA' },
        metadata: { 'disable-legacy-endpoints': 'true' },
      });
    }
  });

  test('system pool defaults: e2-standard-4, 1 to 3 nodes per zone', () => {
    expect(pools.system).toMatchObject({
      initial_node_count: 1, autoscaling: { min_node_count: 1, max_node_count: 3 },
      node_config: { machine_type: 'e2-standard-4' },
    });
    expect(pools.system.node_config.guest_accelerator).toBeUndefined();
    expect(pools.system.node_config.taint).toBeUndefined();
  });

  test('system pool is configurable', () => {
    const system = nodePools(build({ systemNodes: { machineType: 'n2-standard-8', minNodes: 2, maxNodes: 5 } }).json).system;
    expect(system).toMatchObject({ initial_node_count: 2, autoscaling: { min_node_count: 2, max_node_count: 5 }, node_config: { machine_type: 'n2-standard-8' } });
  });

  test.each(GpuType.onGke().map((t) => [t.id, t] as [string, GpuType]))('%s: accelerator type, count and machine type from the catalog', (_id, gpuType) => {
    const pool = GpuPool.gke({ name: 'gpu', gpuType });
    const np = nodePools(build({ gpuPools: [pool] }).json).gpu;
    expect(np.node_config.machine_type).toBe(gpuType.gke!.machineTypes[0].name);
    expect(np.node_config.guest_accelerator).toEqual([{
      type: gpuType.gke!.acceleratorType,
      count: gpuType.gke!.machineTypes[0].gpus,
      gpu_driver_installation_config: { gpu_driver_version: 'LATEST' },
    }]);
  });

  test('attached GPU counts (T4 on N1) come from the pool', () => {
    expect(pools.t4.node_config).toMatchObject({ machine_type: 'n1-standard-4', guest_accelerator: [{ type: 'nvidia-tesla-t4', count: 2 }] });
  });

  test('time-sharing only on time-sliced pools, partitions only on MIG pools', () => {
    const acc = (name: string) => pools[name].node_config.guest_accelerator[0];
    expect(acc('t4').gpu_sharing_config).toEqual({ gpu_sharing_strategy: 'TIME_SHARING', max_shared_clients_per_gpu: 4 });
    expect(acc('t4').gpu_partition_size).toBeUndefined();
    expect(acc('a100').gpu_partition_size).toBe('1g.5gb');
    expect(acc('a100').gpu_sharing_config).toBeUndefined();
    expect(acc('l4').gpu_sharing_config).toBeUndefined();
    expect(acc('l4').gpu_partition_size).toBeUndefined();
    for (const name of ['t4', 'a100', 'l4']) expect(acc(name).gpu_driver_installation_config).toEqual({ gpu_driver_version: 'LATEST' });
  });

  test('spot only when the pool asks for it', () => {
    expect(pools.l4.node_config.spot).toBe(true);
    expect(pools.a100.node_config.spot).toBe(false);
  });

  test('autoscaling from zero; bounds are totals across zones', () => {
    expect(pools.l4.autoscaling).toEqual({ total_min_node_count: 0, total_max_node_count: 4, location_policy: 'ANY' });
    expect(pools.t4.autoscaling).toMatchObject({ total_min_node_count: 1, total_max_node_count: 6 });
    expect(pools.l4.initial_node_count).toBeUndefined();
  });

  test('labels and taint are exactly the pool\'s (label keys kept verbatim, effects in GKE terms)', () => {
    for (const pool of [l4(), a100Mig(), t4Shared()]) {
      const config = pools[pool.name].node_config;
      expect(config.labels).toEqual(pool.nodeLabels);
      expect(Object.keys(config.labels)).toContain(GpuPool.POOL_LABEL); // 'ai-platform/gpu-pool', not snake-cased
      expect(config.taint).toEqual(pool.taints.map((t) => ({ key: t.key, value: t.value, effect: 'NO_SCHEDULE' })));
    }
  });

  test('GPU nodes get a 200 GB boot disk and gVNIC', () => {
    expect(pools.l4.node_config).toMatchObject({ disk_type: 'pd-balanced', disk_size_gb: 200, gvnic: { enabled: true } });
  });

  test('node locations only when the pool names zones', () => {
    const np = nodePools(build({ gpuPools: [GpuPool.gke({ name: 'l4', gpuType: GpuType.L4, zones: ['us-central1-a', 'us-central1-c'] })] }).json).l4;
    expect(np.node_locations).toEqual(['us-central1-a', 'us-central1-c']);
    expect(pools.a100.node_locations).toBeUndefined();
  });
});

describe('GkeGpuCluster: synthesized arguments exist in the provider schema', () => {
  // The cdktf bindings are generated from the provider schema (google 6.50.0): every argument name the Google
  // provider accepts appears in them as `<name>: ...`. This catches names written by hand (overrides).
  const { json } = build({ masterAuthorizedNetworks: [{ cidr: '203.0.113.0/24', name: 'office' }] });
  const META = new Set(['depends_on', 'lifecycle']);
  const MAPS = new Set(['labels', 'metadata']); // user keys, not schema names

  const bindingSource = (type: string): string => {
    const dir = join(__dirname, '..', '..', 'node_modules', '@cdktf', 'provider-google', 'lib', type.replace(/^google_/, '').replace(/_/g, '-'));
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    return files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
  };
  const keys = (value: unknown, out: Set<string>): Set<string> => {
    if (Array.isArray(value)) value.forEach((v) => keys(v, out));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (META.has(k)) continue;
        out.add(k);
        if (!MAPS.has(k)) keys(v, out);
      }
    }
    return out;
  };

  test.each(Object.keys(json.resource))('%s', (type) => {
    const source = bindingSource(type);
    const names = [...keys(Object.values(json.resource[type]), new Set())];
    expect(names.filter((k) => !new RegExp(`\\b${k}: `).test(source))).toEqual([]);
  });
});

describe('GkeGpuCluster: bad input', () => {
  const attempt = (props: Partial<GkeGpuClusterProps>) => () => build(props);

  test('gpuPools must be a list', () => {
    expect(attempt({ gpuPools: 'l4' as unknown as GpuPool[] })).toThrow(fieldError('gpuPools'));
  });

  test.each(['ML', 'ml_cluster', '-ml', ''])('name %j is not a DNS label', (name) => {
    expect(attempt({ name })).toThrow(fieldError('name'));
  });

  test.each(['a'.repeat(41), '1ml'])('name %j is not a GKE cluster name', (name) => {
    expect(attempt({ name })).toThrow(fieldError('name'));
  });

  test.each([
    ['nodeCidr', '10.10.0.0'], ['nodeCidr', '10.10.0.0/33'], ['podCidr', '10.256.0.0/14'], ['serviceCidr', 'ten/20'],
    ['masterCidr', '172.016.0.0/28'], ['podCidr', '10.20.0.1/14'],
  ])('%s %j is not an IPv4 block', (field, cidr) => {
    expect(attempt({ [field]: cidr })).toThrow(fieldError(field));
  });

  test('masterCidr must be a /28', () => {
    expect(attempt({ masterCidr: '172.16.0.0/24' })).toThrow(fieldError('masterCidr'));
  });

  test.each([
    ['podCidr', '10.10.8.0/21', 'nodeCidr'], ['serviceCidr', '10.22.0.0/20', 'podCidr'], ['masterCidr', '10.24.0.16/28', 'serviceCidr'],
  ])('%s %j overlapping %s is refused', (field, cidr, other) => {
    expect(attempt({ [field]: cidr })).toThrow(new RegExp(`${fieldError(field).source}.*does not overlap ${other}`));
  });

  test('0.0.0.0/0 is refused as an authorized network, saying why', () => {
    expect(attempt({ masterAuthorizedNetworks: [{ cidr: '203.0.113.0/24', name: 'office' }, { cidr: '0.0.0.0/0', name: 'all' }] }))
      .toThrow(new RegExp(`${fieldError('masterAuthorizedNetworks[1].cidr').source}.*whole internet`));
  });

  test('an authorized network needs a valid block and a name', () => {
    expect(attempt({ masterAuthorizedNetworks: [{ cidr: '203.0.113/24', name: 'office' }] })).toThrow(fieldError('masterAuthorizedNetworks[0].cidr'));
    expect(attempt({ masterAuthorizedNetworks: [{ cidr: '203.0.113.0/24', name: ' ' }] })).toThrow(fieldError('masterAuthorizedNetworks[0].name'));
  });

  test.each(['regular', 'EXTENDED', 'UNSPECIFIED'])('releaseChannel %j is refused', (releaseChannel) => {
    expect(attempt({ releaseChannel })).toThrow(fieldError('releaseChannel'));
  });

  test.each([
    ['an EKS pool', () => GpuPool.eks({ name: 'g5', gpuType: GpuType.A10G, clusterName: 'aws-ml' })],
    ['an on-prem pool', () => GpuPool.onPrem({ name: 'dgx', gpuType: GpuType.A100_80GB, gpusPerNode: 8, nodes: 2 })],
  ])('%s is refused, naming its index', (_what, pool) => {
    expect(attempt({ gpuPools: [l4(), pool()] })).toThrow(new RegExp(`${fieldError('gpuPools[1]').source} a GKE pool`));
  });

  test('pool names are unique', () => {
    expect(attempt({ gpuPools: [l4(), a100Mig(), l4()] })).toThrow(new RegExp(`${fieldError('gpuPools[2].name').source} a pool name unique`));
  });

  test.each(['system', '1g', 'a'.repeat(41)])('pool name %j is not a GKE GPU pool name', (name) => {
    expect(attempt({ gpuPools: [GpuPool.gke({ name, gpuType: GpuType.L4 })] })).toThrow(fieldError('gpuPools[0].name'));
  });

  test('a zone of another region is refused by the cluster, naming the pool', () => {
    expect(attempt({ gpuPools: [GpuPool.gke({ name: 'l4', gpuType: GpuType.L4, zones: ['us-central1-a', 'europe-west4-a'] })] }))
      .toThrow(new RegExp(`${fieldError('gpuPools[0].zones').source} .*zones\\[1\\] "europe-west4-a" is not`));
  });

  test.each([['us-central1'], ['us-central1-ab'], ['US-CENTRAL1-A']])('zone %j is not a zone name: refused by GpuPool.gke, naming the index', (zone) => {
    expectValidationError(() => GpuPool.gke({ name: 'l4', gpuType: GpuType.L4, zones: ['us-central1-a', zone] }), 'GkeGpuPoolProps.zones[1]', 'gpu-pool/l4');
  });

  test('system nodes: machine type and bounds', () => {
    expect(attempt({ systemNodes: { machineType: 'E2 standard' } })).toThrow(fieldError('systemNodes.machineType'));
    expect(attempt({ systemNodes: { minNodes: 0 } })).toThrow(fieldError('systemNodes.minNodes'));
    expect(attempt({ systemNodes: { maxNodes: 1.5 } })).toThrow(fieldError('systemNodes.maxNodes'));
    expect(attempt({ systemNodes: { minNodes: 4, maxNodes: 2 } })).toThrow(fieldError('systemNodes.maxNodes'));
  });

  test('the cluster must live in a GcpPlatformStack', () => {
    const plain = new TerraformStack(Testing.app(), 'plain');
    expect(() => new GkeGpuCluster(plain, 'gke', { name: 'ml', gpuPools: [] })).toThrow(/\[plain\/gke\] GkeGpuCluster\.scope: .* GcpPlatformStack/);
  });
});

test('the construct imports provider resources from their own modules, never the package root', () => {
  const source = readFileSync(join(__dirname, '..', '..', 'lib', 'cloud', 'gcp', 'gke-gpu-cluster.ts'), 'utf8');
  const providerImports = [...source.matchAll(/from\s+'(@cdktf\/provider-google[^']*)'/g)].map((m) => m[1]);
  expect(providerImports.length).toBeGreaterThan(0);
  for (const i of providerImports) expect(i).toMatch(/^@cdktf\/provider-google\/lib\/[a-z0-9-]+$/);
  expect(source).not.toMatch(/require\(\s*'@cdktf\/provider-google'\s*\)/);
});

describe('GkeGpuCluster scopes and kinds (issue 7)', () => {
  test('directly in the app, or in an AWS stack: a ValidationError saying where it belongs', () => {
    expect(expectValidationError(() => new GkeGpuCluster(Testing.app(), 'gke', { name: 'ml', gpuPools: [] }), 'GkeGpuCluster.scope', 'gke').message)
      .toMatch(/GcpPlatformStack.*placed directly in the app/);
    const aws = new AwsPlatformStack(Testing.app(), 'aws', { region: 'eu-west-1' });
    expect(expectValidationError(() => new GkeGpuCluster(aws, 'gke', { name: 'ml', gpuPools: [] }), 'GkeGpuCluster.scope', 'aws/gke').message)
      .toMatch(/inside the AwsPlatformStack "aws"/);
  });

  test.each([
    ['props', undefined, 'GkeGpuClusterProps'],
    ['masterAuthorizedNetworks', { masterAuthorizedNetworks: '203.0.113.0/24' }, 'GkeGpuClusterProps.masterAuthorizedNetworks'],
    ['a network', { masterAuthorizedNetworks: ['203.0.113.0/24'] }, 'GkeGpuClusterProps.masterAuthorizedNetworks[0]'],
    ['systemNodes', { systemNodes: 'e2-standard-4' }, 'GkeGpuClusterProps.systemNodes'],
    ['deletionProtection', { deletionProtection: 'yes' }, 'GkeGpuClusterProps.deletionProtection'],
  ])('%s of the wrong kind', (_what, props, field) => {
    const full = props === undefined ? undefined : { name: 'ml', gpuPools: [], ...props };
    expectValidationError(() => new GkeGpuCluster(stack(), 'gke', full as never), field, 'gcp/gke');
  });
});

describe('GkeGpuCluster: minimumKubernetesVersion against the release channel\'s floor (issue 9)', () => {
  test('the floors of the channels (GKE release notes, 2026-08) are at least Knative 1.23\'s 1.34', () => {
    for (const channel of ['RAPID', 'REGULAR', 'STABLE']) expect(GkeGpuCluster.releaseChannelFloor(channel)).toBe('1.34');
    expectValidationError(() => GkeGpuCluster.releaseChannelFloor('EXTENDED'), 'GkeGpuCluster.releaseChannelFloor.channel', '');
  });

  test.each(['1.29', '1.34', '1.34.0', '1.34.5'])('minimum %j is within every channel\'s floor', (minimum) => {
    for (const releaseChannel of ['RAPID', 'REGULAR', 'STABLE']) {
      expect(build({ releaseChannel, minimumKubernetesVersion: minimum }).gke.minimumKubernetesVersion).toBe(minimum);
    }
  });

  test('a minimum above the channel\'s floor is refused, naming the field, the channel and the floor', () => {
    const e = expectValidationError(() => build({ minimumKubernetesVersion: '1.35.0' }), 'GkeGpuClusterProps.minimumKubernetesVersion', 'gcp/gke');
    expect(e.message).toMatch(/REGULAR/);
    expect(e.message).toMatch(/1\.34/);
  });

  test.each(['latest', '1', '1.x', '', 42 as never])('minimum %j is not a version', (minimum) => {
    expectValidationError(() => build({ minimumKubernetesVersion: minimum }), 'GkeGpuClusterProps.minimumKubernetesVersion', 'gcp/gke');
  });

  test('no minimum: nothing checked', () => {
    expect(build().gke.minimumKubernetesVersion).toBeUndefined();
  });
});
