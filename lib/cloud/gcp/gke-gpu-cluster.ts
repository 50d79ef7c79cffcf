import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { ContainerNodePool, ContainerNodePoolNodeConfig } from '@cdktf/provider-google/lib/container-node-pool';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { Construct } from 'constructs';
import { Checks } from '../../core/checks';
import { Cidr } from '../../core/cidr';
import { ValidationError } from '../../core/errors';
import { KubernetesVersions } from '../../core/kubernetes-versions';
import { Names } from '../../core/names';
import { Quantities } from '../../core/quantity';
import { Versions } from '../../core/versions';
import { CapacityType, GpuCloud, GpuPool } from '../../gpu/gpu-pool';
import { GpuSharingMode } from '../../gpu/gpu-sharing';
import { NodeTaints } from '../node-taints';
import { GcpPlatformStack } from './gcp-platform-stack';

/** A network allowed to reach the cluster's public control-plane endpoint. */
export interface GkeAuthorizedNetwork {
  /** IPv4 CIDR block, e.g. `203.0.113.0/24` (never `0.0.0.0/0`). */
  readonly cidr: string;
  /** A display name, e.g. `office-vpn`. */
  readonly name: string;
}

/** The system node pool: kube-system, ingress, operators; everything that needs no GPU. */
export interface GkeSystemNodesProps {
  /**
   * GCE machine type.
   * @default "e2-standard-4"
   */
  readonly machineType?: string;
  /**
   * Minimum nodes per zone of the region, at least 1 (a regional pool spans the region's zones, usually three,
   * so the default runs three nodes). Also the initial size.
   * @default 1
   */
  readonly minNodes?: number;
  /**
   * Maximum nodes per zone of the region.
   * @default 3
   */
  readonly maxNodes?: number;
}

/** Props of {@link GkeGpuCluster}. */
export interface GkeGpuClusterProps {
  /**
   * Cluster name: a DNS-1123 label of at most 40 characters starting with a letter. It also names the network
   * (`<name>-vpc`), subnetwork (`<name>-nodes`), router (`<name>-router`), NAT (`<name>-nat`) and node service
   * account (`<name>-nodes`, shortened with a hash beyond 30 characters), which must be unique in the project.
   */
  readonly name: string;
  /**
   * Primary range of the nodes' subnetwork.
   * @default "10.10.0.0/20"
   */
  readonly nodeCidr?: string;
  /**
   * Secondary range for pod IPs (VPC-native); a /14 holds 1024 nodes at 110 pods each.
   * @default "10.20.0.0/14"
   */
  readonly podCidr?: string;
  /**
   * Secondary range for Service IPs.
   * @default "10.24.0.0/20"
   */
  readonly serviceCidr?: string;
  /**
   * The control plane's private range: a /28 that overlaps no other range of the network.
   * @default "172.16.0.0/28"
   */
  readonly masterCidr?: string;
  /**
   * Networks allowed to reach the control plane's public endpoint (kubectl from an office, a CI runner's egress).
   * Nodes are always private; the public endpoint stays enabled but, with master authorized networks on and
   * Google Cloud's public ranges off, the empty default lets no one in through it: the control plane is then
   * reachable only on its private endpoint, from inside the VPC (the nodes' subnetwork, a bastion, a VPN).
   * `0.0.0.0/0` is refused.
   * @default []
   */
  readonly masterAuthorizedNetworks?: GkeAuthorizedNetwork[];
  /**
   * GKE release channel: `RAPID`, `REGULAR` or `STABLE`. GKE picks and upgrades the Kubernetes version.
   * @default Versions.GKE_RELEASE_CHANNEL ("REGULAR")
   */
  readonly releaseChannel?: string;
  /**
   * The Kubernetes version the cluster's add-ons and workloads need (`major.minor` or `major.minor.patch`), e.g.
   * the Kubernetes side's `ClusterAddons.minimumKubernetesVersion` (Knative 1.23 needs 1.34.0). GKE picks the
   * version within the release channel, so it must be at most the channel's floor (the oldest minor the channel
   * offers, {@link GkeGpuCluster.releaseChannelFloor}): a minimum above it could be refused a cluster on the floor.
   * @default - no minimum is checked
   */
  readonly minimumKubernetesVersion?: string;
  /**
   * GPU node pools, each from `GpuPool.gke(...)` with a unique name (not `system`). Each becomes one autoscaled
   * node pool named after it, with the pool's labels and taint, in the pool's `zones` (default: the cluster's).
   * A pool's `minNodes` / `maxNodes` bound its total node count across all its zones (GKE's
   * `total_min_node_count` / `total_max_node_count`, not the per-zone `min_node_count`), so that `maxNodes` and
   * `GpuPool.maxGpus` are the real ceiling; the location policy `ANY` lets the autoscaler take GPUs in whichever
   * zone has capacity. Pools are created empty and scale up when GPU pods are pending.
   */
  readonly gpuPools: GpuPool[];
  /**
   * The system node pool.
   * @default - e2-standard-4, 1 to 3 nodes per zone
   */
  readonly systemNodes?: GkeSystemNodesProps;
  /**
   * Protect the cluster from deletion: the cluster's `deletion_protection` and Terraform's `prevent_destroy`.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

const RELEASE_CHANNELS = ['RAPID', 'REGULAR', 'STABLE'];
/**
 * The oldest Kubernetes minor each release channel offers (its floor): the "Current versions" table of the GKE
 * release notes (https://docs.cloud.google.com/kubernetes-engine/docs/release-notes), read 2026-08: Rapid 1.34-1.37,
 * Regular 1.34-1.36, Stable 1.34-1.35 (Extended, 1.31-1.36, is not offered here). Floors only rise over time, so an
 * old table errs on the strict side. To check today: `gcloud container get-server-config --location=<region>
 * --flatten=channels --format="yaml(channels.channel,channels.validVersions)"`.
 */
const RELEASE_CHANNEL_FLOORS: { [channel: string]: string } = { RAPID: '1.34', REGULAR: '1.34', STABLE: '1.34' };
const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const POD_RANGE = 'pods';
const SERVICE_RANGE = 'services';
const SYSTEM_POOL = 'system';
const MAX_CLUSTER_NAME = 40;
const MACHINE_TYPE = /^[a-z][a-z0-9]*-[a-z0-9-]*[a-z0-9]$/;
/** Node metadata of every pool: no legacy (v0.1/v1beta1) metadata endpoints. */
const NODE_METADATA = { 'disable-legacy-endpoints': 'true' };

/**
 * A private, regional GKE Standard cluster for GPU workloads, with its own network:
 *
 * - VPC (no auto subnets), one subnetwork with pod and Service secondary ranges, Private Google Access and flow
 *   logs; Cloud Router + Cloud NAT for the private nodes' egress.
 * - A dedicated node service account (`roles/container.defaultNodeServiceAccount`, `roles/artifactregistry.reader`);
 *   the Compute Engine default service account is never used, not even by the default pool GKE creates and removes.
 * - The cluster: private nodes, master authorized networks, Workload Identity, Dataplane V2 (which enforces
 *   NetworkPolicy), a release channel, shielded nodes, no legacy ABAC, no client certificate, system and workload
 *   logging, managed Prometheus, deletion protection.
 * - A system node pool, and one node pool per {@link GpuPool}: GPUs with GKE-managed drivers, time-sharing or MIG
 *   from the pool's sharing, spot when asked, the pool's labels and taints, scaling from zero.
 *
 * Every node runs with shielded VM (secure boot, integrity monitoring), the GKE metadata server (Workload Identity)
 * and the legacy metadata endpoints disabled. Place it in a {@link GcpPlatformStack}: it takes the project and
 * region from there.
 */
export class GkeGpuCluster extends Construct {
  /** The VPC. */
  public readonly network: ComputeNetwork;
  /** The nodes' subnetwork (with the `pods` and `services` secondary ranges). */
  public readonly subnetwork: ComputeSubnetwork;
  /** The Cloud Router of the NAT. */
  public readonly router: ComputeRouter;
  /** Cloud NAT: egress for the private nodes. */
  public readonly nat: ComputeRouterNat;
  /** The GKE cluster. */
  public readonly cluster: ContainerCluster;
  /** The service account every node runs as. */
  public readonly nodeServiceAccount: ServiceAccount;
  /** The system node pool. */
  public readonly systemNodePool: ContainerNodePool;
  /** The node pool of each GPU pool, by pool name. */
  public readonly gpuNodePools: { [poolName: string]: ContainerNodePool };
  /** The cluster name. */
  public readonly clusterName: string;
  /** The minimum Kubernetes version checked (`GkeGpuClusterProps.minimumKubernetesVersion`), if any. */
  public readonly minimumKubernetesVersion?: string;

  /**
   * The oldest Kubernetes minor a release channel (`RAPID`, `REGULAR`, `STABLE`) offers, as of the table's date
   * (GKE release notes, "Current versions", 2026-08): a cluster on that channel may run it.
   */
  public static releaseChannelFloor(channel: string): string {
    const floor = RELEASE_CHANNEL_FLOORS[channel];
    if (floor === undefined) throw new ValidationError('', 'GkeGpuCluster.releaseChannelFloor.channel', channel, `expected one of ${RELEASE_CHANNELS.join(', ')}`);
    return floor;
  }

  public constructor(scope: Construct, id: string, props: GkeGpuClusterProps) {
    super(scope, id);
    const path = this.node.path;
    const stack = GcpPlatformStack.containing(this, 'GkeGpuCluster.scope');
    const { project, region } = stack;
    Checks.object(path, 'GkeGpuClusterProps', props);

    // ---- validation -------------------------------------------------------------------------------------------
    const name = Names.validateDnsLabel(path, 'GkeGpuClusterProps.name', props.name);
    if (name.length > MAX_CLUSTER_NAME || !Names.isDns1035Label(name)) {
      throw new ValidationError(path, 'GkeGpuClusterProps.name', name,
        `expected a GKE cluster name: at most ${MAX_CLUSTER_NAME} characters, starting with a letter`);
    }
    const ranges = [
      { field: 'nodeCidr', cidr: props.nodeCidr ?? '10.10.0.0/20' },
      { field: 'podCidr', cidr: props.podCidr ?? '10.20.0.0/14' },
      { field: 'serviceCidr', cidr: props.serviceCidr ?? '10.24.0.0/20' },
      { field: 'masterCidr', cidr: props.masterCidr ?? '172.16.0.0/28' },
    ].map((r) => ({ ...r, parsed: Cidr.validate(path, `GkeGpuClusterProps.${r.field}`, r.cidr) }));
    const [nodeRange, podRange, serviceRange, masterRange] = ranges;
    if (masterRange.parsed.prefix !== 28) {
      throw new ValidationError(path, 'GkeGpuClusterProps.masterCidr', masterRange.cidr, 'expected a /28 block, e.g. "172.16.0.0/28"');
    }
    ranges.forEach((a, i) => ranges.slice(i + 1).forEach((b) => {
      if (Cidr.overlaps(a.parsed, b.parsed)) {
        throw new ValidationError(path, `GkeGpuClusterProps.${b.field}`, b.cidr, `expected a range that does not overlap ${a.field} (${a.cidr})`);
      }
    }));

    const authorized = Checks.optionalArray(path, 'GkeGpuClusterProps.masterAuthorizedNetworks', props.masterAuthorizedNetworks, [], 'a list of { cidr, name }');
    authorized.forEach((n, i) => {
      const field = `GkeGpuClusterProps.masterAuthorizedNetworks[${i}]`;
      Checks.object(path, field, n, 'a network { cidr, name }');
      const cidr = Cidr.validate(path, `${field}.cidr`, n.cidr);
      if (cidr.prefix === 0) {
        throw new ValidationError(path, `${field}.cidr`, n.cidr,
          'expected a specific network: 0.0.0.0/0 would open the control plane endpoint to the whole internet');
      }
      if (typeof n.name !== 'string' || n.name.trim() === '') {
        throw new ValidationError(path, `${field}.name`, n.name, 'expected a non-empty display name');
      }
    });

    const releaseChannel = props.releaseChannel ?? Versions.GKE_RELEASE_CHANNEL;
    if (!RELEASE_CHANNELS.includes(releaseChannel)) {
      throw new ValidationError(path, 'GkeGpuClusterProps.releaseChannel', releaseChannel, `expected one of ${RELEASE_CHANNELS.join(', ')}`);
    }
    if (props.minimumKubernetesVersion !== undefined) {
      const field = 'GkeGpuClusterProps.minimumKubernetesVersion';
      const minimum = props.minimumKubernetesVersion;
      if (!KubernetesVersions.isVersion(minimum)) {
        throw new ValidationError(path, field, minimum, 'expected a Kubernetes version "major.minor" or "major.minor.patch", such as "1.34" or "1.34.0"');
      }
      // GKE runs a recent patch of each minor it offers: compare minors only.
      const floor = GkeGpuCluster.releaseChannelFloor(releaseChannel);
      if (!KubernetesVersions.atLeast(floor, /^v?(\d+\.\d+)/.exec(minimum)![1])) {
        throw new ValidationError(path, field, minimum,
          `expected at most ${floor}, the oldest minor the ${releaseChannel} release channel offers (GkeGpuClusterProps.releaseChannel; GKE release notes, 2026-08): a cluster on it may run ${floor}, which the cluster's add-ons refuse`);
      }
      this.minimumKubernetesVersion = minimum;
    }

    const system = Checks.optionalObject(path, 'GkeGpuClusterProps.systemNodes', props.systemNodes) ?? {};
    const systemMachine = system.machineType ?? 'e2-standard-4';
    if (typeof systemMachine !== 'string' || !MACHINE_TYPE.test(systemMachine)) {
      throw new ValidationError(path, 'GkeGpuClusterProps.systemNodes.machineType', systemMachine, 'expected a GCE machine type such as "e2-standard-4"');
    }
    const { min: systemMin, max: systemMax } = Quantities.validateRange(path, 'GkeGpuClusterProps.systemNodes.minNodes',
      'GkeGpuClusterProps.systemNodes.maxNodes', system.minNodes ?? 1, system.maxNodes ?? 3, 1);

    if (!Array.isArray(props.gpuPools)) {
      throw new ValidationError(path, 'GkeGpuClusterProps.gpuPools', props.gpuPools, 'expected an array of pools from GpuPool.gke(...)');
    }
    const poolNames = new Set<string>();
    props.gpuPools.forEach((pool, i) => this.validatePool(pool, `GkeGpuClusterProps.gpuPools[${i}]`, region, poolNames));

    const deletionProtection = Checks.boolean(path, 'GkeGpuClusterProps.deletionProtection', props.deletionProtection, true);
    this.clusterName = name;

    // ---- network ----------------------------------------------------------------------------------------------
    this.network = new ComputeNetwork(this, 'network', {
      name: `${name}-vpc`,
      autoCreateSubnetworks: false,
      routingMode: 'REGIONAL',
    });
    this.subnetwork = new ComputeSubnetwork(this, 'subnetwork', {
      name: `${name}-nodes`,
      network: this.network.id,
      region,
      ipCidrRange: nodeRange.cidr,
      secondaryIpRange: [
        { rangeName: POD_RANGE, ipCidrRange: podRange.cidr },
        { rangeName: SERVICE_RANGE, ipCidrRange: serviceRange.cidr },
      ],
      privateIpGoogleAccess: true,
      logConfig: { aggregationInterval: 'INTERVAL_5_SEC', flowSampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' },
    });
    this.router = new ComputeRouter(this, 'router', { name: `${name}-router`, network: this.network.id, region });
    this.nat = new ComputeRouterNat(this, 'nat', {
      name: `${name}-nat`,
      router: this.router.name,
      region,
      natIpAllocateOption: 'AUTO_ONLY',
      sourceSubnetworkIpRangesToNat: 'LIST_OF_SUBNETWORKS',
      subnetwork: [{ name: this.subnetwork.id, sourceIpRangesToNat: ['ALL_IP_RANGES'] }],
      logConfig: { enable: true, filter: 'ERRORS_ONLY' },
    });

    // ---- node identity ----------------------------------------------------------------------------------------
    this.nodeServiceAccount = new ServiceAccount(this, 'node-sa', {
      accountId: GkeGpuCluster.serviceAccountId(name),
      displayName: `GKE nodes of ${name}`,
    });
    const member = `serviceAccount:${this.nodeServiceAccount.email}`;
    const grants = ['roles/container.defaultNodeServiceAccount', 'roles/artifactregistry.reader'].map((role) =>
      new ProjectIamMember(this, `node-sa-${role.split('/')[1].replace(/\./g, '-')}`, { project, role, member }));

    // ---- cluster ----------------------------------------------------------------------------------------------
    const nodeSecurity = {
      serviceAccount: this.nodeServiceAccount.email,
      oauthScopes: [CLOUD_PLATFORM_SCOPE],
      shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
      workloadMetadataConfig: { mode: 'GKE_METADATA' },
      metadata: NODE_METADATA,
    };
    this.cluster = new ContainerCluster(this, 'cluster', {
      name,
      location: region,
      network: this.network.id,
      subnetwork: this.subnetwork.id,
      // GKE requires a default pool at creation; it is removed at once. Its node_config makes it run as the node
      // service account, so the Compute Engine default service account is never used.
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      nodeConfig: nodeSecurity,
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy: { clusterSecondaryRangeName: POD_RANGE, servicesSecondaryRangeName: SERVICE_RANGE },
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: false,
        masterIpv4CidrBlock: masterRange.cidr,
      },
      masterAuthorizedNetworksConfig: {
        gcpPublicCidrsAccessEnabled: false,
        cidrBlocks: authorized.map((n) => ({ cidrBlock: n.cidr, displayName: n.name })),
      },
      workloadIdentityConfig: { workloadPool: `${project}.svc.id.goog` },
      datapathProvider: 'ADVANCED_DATAPATH',
      releaseChannel: { channel: releaseChannel },
      enableShieldedNodes: true,
      enableLegacyAbac: false,
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      loggingConfig: { enableComponents: ['SYSTEM_COMPONENTS', 'WORKLOADS'] },
      monitoringConfig: { enableComponents: ['SYSTEM_COMPONENTS'], managedPrometheus: { enabled: true } },
      deletionProtection,
      dependsOn: grants,
      lifecycle: {
        preventDestroy: deletionProtection,
        // node_config describes the default pool only, and forces replacement: once GKE has removed that pool the
        // API no longer returns it, and without this every plan would replace the cluster.
        ignoreChanges: ['node_config'],
      },
    });

    // ---- node pools -------------------------------------------------------------------------------------------
    this.systemNodePool = new ContainerNodePool(this, 'system-pool', {
      name: SYSTEM_POOL,
      cluster: this.cluster.id,
      location: region,
      initialNodeCount: systemMin,
      autoscaling: { minNodeCount: systemMin, maxNodeCount: systemMax },
      management: { autoRepair: true, autoUpgrade: true },
      nodeConfig: { ...nodeSecurity, machineType: systemMachine, diskType: 'pd-balanced', diskSizeGb: 100 },
    });

    this.gpuNodePools = {};
    for (const [index, pool] of props.gpuPools.entries()) {
      this.gpuNodePools[pool.name] = new ContainerNodePool(this, `gpu-${pool.name}`, {
        name: pool.name,
        cluster: this.cluster.id,
        location: region,
        nodeLocations: pool.zones && pool.zones.length > 0 ? pool.zones : undefined,
        // Created empty; totals across zones, so that maxNodes (and GpuPool.maxGpus) is the pool's real ceiling.
        // ANY: the autoscaler takes GPUs in whichever zone has them (and uses reservations first).
        autoscaling: { totalMinNodeCount: pool.minNodes, totalMaxNodeCount: pool.maxNodes, locationPolicy: 'ANY' },
        management: { autoRepair: true, autoUpgrade: true },
        nodeConfig: this.gpuNodeConfig(pool, index, nodeSecurity),
      });
    }
  }

  private validatePool(pool: GpuPool, field: string, region: string, names: Set<string>): void {
    const path = this.node.path;
    if (!(pool instanceof GpuPool) || pool.cloud !== GpuCloud.GCP) {
      throw new ValidationError(path, field, pool instanceof GpuPool ? { name: pool.name, cloud: pool.cloud } : pool,
        'expected a GKE pool, from GpuPool.gke(...)');
    }
    if (pool.name.length > MAX_CLUSTER_NAME || !Names.isDns1035Label(pool.name) || pool.name === SYSTEM_POOL) {
      throw new ValidationError(path, `${field}.name`, pool.name,
        `expected a GKE node pool name: at most ${MAX_CLUSTER_NAME} characters, starting with a letter, other than "${SYSTEM_POOL}" (the system pool)`);
    }
    if (names.has(pool.name)) {
      throw new ValidationError(path, `${field}.name`, pool.name, 'expected a pool name unique in the cluster');
    }
    names.add(pool.name);
    // node_locations: zones of the cluster's region only (GKE refuses others); GpuPool.gke checked the names.
    (pool.zones ?? []).forEach((zone, z) => {
      if (typeof zone !== 'string' || !zone.startsWith(`${region}-`) || !/^[a-z]$/.test(zone.slice(region.length + 1))) {
        throw new ValidationError(path, `${field}.zones`, pool.zones,
          `expected zones of the cluster's region ${region}, e.g. "${region}-a": zones[${z}] "${zone}" is not (choose zones where the accelerator exists: gcloud compute accelerator-types list --filter="zone~${region}")`);
      }
    });
  }

  private gpuNodeConfig(pool: GpuPool, index: number, security: ContainerNodePoolNodeConfig): ContainerNodePoolNodeConfig {
    const sharing = pool.sharing;
    return {
      ...security,
      machineType: pool.machineType,
      spot: pool.capacityType === CapacityType.SPOT,
      diskType: 'pd-balanced',
      diskSizeGb: 200,
      gvnic: { enabled: true },
      guestAccelerator: [{
        type: pool.gpuType.gke!.acceleratorType,
        count: pool.gpusPerNode,
        gpuDriverInstallationConfig: { gpuDriverVersion: 'LATEST' },
        gpuSharingConfig: sharing.mode === GpuSharingMode.TIME_SLICING
          ? { gpuSharingStrategy: 'TIME_SHARING', maxSharedClientsPerGpu: sharing.replicas }
          : undefined,
        gpuPartitionSize: sharing.mode === GpuSharingMode.MIG ? sharing.migProfile : undefined,
      }],
      labels: pool.nodeLabels,
      taint: NodeTaints.toCloud(pool.taints, this.node.path, `GkeGpuClusterProps.gpuPools[${index}].taints`),
    };
  }

  /** `<name>-nodes`, or, beyond the 30 characters of a service account id, a prefix plus a hash of the name. */
  private static serviceAccountId(name: string): string {
    return Names.fit(name, '-nodes', 30);
  }
}
