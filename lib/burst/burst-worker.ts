import { Chart } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { Checks } from '../core/checks';
import { ClusterScope } from '../core/cluster-scope';
import { ValidationError } from '../core/errors';
import { Labels } from '../core/labels';
import { SystemNamespaces } from '../core/system-namespaces';
import { Versions } from '../core/versions';
import { ObjectOrder } from '../core/k8s/object-order';
import { ITeamSpace } from '../teams/team-space';
import { KueueContract } from '../core/kueue-contract';
import { TrainingContract } from '../core/training-contract';
import { BurstCluster, BurstWorkerCluster } from './burst-cluster';
import { BurstSupport } from './burst-support';
import { GpuQueue } from './gpu-queue';
import { WorkloadPriority } from './workload-priority';
import { NamespaceSelectors } from '../core/k8s/namespace-selectors';

/** Props of {@link BurstWorker}. */
export interface BurstWorkerProps {
  /** The burst, described once. */
  readonly burst: BurstCluster;
  /** This cluster's name among the burst's workers. */
  readonly cluster: string;
  /** The team namespaces of this cluster: exactly the burst's teams. */
  readonly teams: ITeamSpace[];
}

const P = 'BurstWorkerProps';
const FULL = ['create', 'delete', 'get', 'list', 'watch'];

/**
 * A worker cluster of a {@link BurstCluster}, in that cluster's cdk8s App: what the manager dispatches to, made from
 * the same description as the manager so that the two cannot drift.
 *
 * - per class the worker runs, a {@link GpuQueue} with the manager's queue name, over this cluster's pools of the
 *   class's GPU type (quota: their capacity), with a LocalQueue in each team namespace;
 * - the burst's WorkloadPriorityClasses (a dispatched job keeps its priority label);
 * - the manager's identity: the ServiceAccount `multikueue-sa` in the `multikueue` namespace, a ClusterRole over
 *   the dispatched job kinds and Kueue's workloads and queues (the rules of Kueue v0.19.2's
 *   site/static/examples/multikueue/create-multikueue-kubeconfig.sh, narrowed to the burst's job kinds), its
 *   binding, and a token Secret the API server fills in (no token is synthesized). The manager's kubeconfig is
 *   made from that token by hand (see the README).
 *
 * Declares the Kueue add-on with the burst's job integrations and the training operator.
 */
export class BurstWorker extends Construct {
  /** The namespace of the manager's identity. */
  public static readonly NAMESPACE = SystemNamespaces.MULTIKUEUE;
  /** The manager's ServiceAccount, and the name of its token Secret. */
  public static readonly SERVICE_ACCOUNT = 'multikueue-sa';

  /** The class queues of this worker. */
  public readonly queues: GpuQueue[];
  /** In each team namespace: what the pods of dispatched jobs may reach. */
  public readonly networkPolicies: k8s.KubeNetworkPolicy[];
  /** Escape hatches: the manager's identity. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  public readonly clusterRole: k8s.KubeClusterRole;
  public readonly tokenSecret: k8s.KubeSecret;

  public constructor(scope: Construct, id: string, props: BurstWorkerProps) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    Checks.object(path, P, props, 'BurstWorkerProps ({ burst, cluster, teams })');
    const burst = Checks.instance(path, `${P}.burst`, props.burst, BurstCluster, 'a BurstCluster');
    if (typeof props.cluster !== 'string' || !burst.workers.some((w) => w.name === props.cluster)) {
      throw new ValidationError(path, `${P}.cluster`, props.cluster, `expected a worker of the burst: ${burst.workers.map((w) => w.name).join(', ')}${props.cluster === burst.manager ? ' (this is the manager: use BurstManager)' : ''}`);
    }
    BurstSupport.checkTeams(path, `${P}.teams`, burst, props.teams);
    ClusterScope.claimUnique(this, 'BurstWorker', 'worker', `${P}.cluster`);

    this.queues = burst.classesOf(props.cluster).map((className) => new GpuQueue(this, className, {
      name: burst.queueName(className),
      pools: burst.poolsOf(className, props.cluster),
      teams: props.teams,
      cpuPerGpu: burst.cpuPerGpu(className),
      memoryPerGpu: burst.memoryPerGpu(className),
    }));
    for (const priority of burst.priorities) new WorkloadPriority(this, `priority-${priority.name}`, priority);

    const labels = Labels.standard({ name: 'multikueue', instance: props.cluster, component: 'worker' });
    const namespace = BurstWorker.NAMESPACE;
    const pss = 'pod-security.kubernetes.io';
    // nothing runs here: the namespace only holds the manager's identity
    new k8s.KubeNamespace(Chart.of(this), 'multikueue-namespace', {
      metadata: { name: namespace, labels: { ...labels, [`${pss}/enforce`]: 'restricted', [`${pss}/enforce-version`]: Versions.POD_SECURITY } },
    });
    const name = BurstWorker.SERVICE_ACCOUNT;
    this.serviceAccount = new k8s.KubeServiceAccount(this, 'service-account', { metadata: { name, namespace, labels }, automountServiceAccountToken: false });
    const jobRules = burst.jobIntegrations.flatMap((k) => {
      const r = BurstSupport.DISPATCHABLE.get(k)!;
      return [{ apiGroups: [r.group], resources: [r.resource], verbs: FULL }, { apiGroups: [r.group], resources: [`${r.resource}/status`], verbs: ['get'] }];
    });
    this.clusterRole = new k8s.KubeClusterRole(this, 'cluster-role', {
      metadata: { name: `${name}-role`, labels },
      rules: [
        ...jobRules,
        { apiGroups: ['kueue.x-k8s.io'], resources: ['workloads'], verbs: [...FULL, 'update', 'patch'] },
        { apiGroups: ['kueue.x-k8s.io'], resources: ['workloads/status'], verbs: ['get', 'patch', 'update'] },
        { apiGroups: ['kueue.x-k8s.io'], resources: ['clusterqueues', 'localqueues'], verbs: ['get', 'list', 'watch'] },
      ],
    });
    new k8s.KubeClusterRoleBinding(this, 'cluster-role-binding', {
      metadata: { name: `${name}-crb`, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.clusterRole.name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    });
    // a long-lived token the API server's token controller writes into this Secret (`data.token`, `data.ca.crt`)
    this.tokenSecret = new k8s.KubeSecret(this, 'token', {
      metadata: { name, namespace, labels, annotations: { 'kubernetes.io/service-account.name': name } },
      type: 'kubernetes.io/service-account-token',
    });
    this.networkPolicies = this.dispatchedJobPolicies(burst.workers.find((w) => w.name === props.cluster)!, props.teams, labels);
    BurstSupport.requireAddons(this, burst, `MultiKueue worker ${props.cluster}`, false);
  }

  /**
   * The pods of a dispatched job arrive in a team namespace that denies everything but DNS, and the job's own
   * NetworkPolicy (peers on TensorFlow's port) stays on the manager: here the pods Kueue marks as dispatched
   * (`kueue.x-k8s.io/multikueue-worker-workload-pod: "true"`) of training jobs reach each other on that port, and the
   * worker's `egress` (their data).
   */
  private dispatchedJobPolicies(worker: BurstWorkerCluster, teams: ITeamSpace[], labels: { [key: string]: string }): k8s.KubeNetworkPolicy[] {
    const selector = {
      matchLabels: { [KueueContract.MULTIKUEUE_WORKER_POD_LABEL]: 'true' },
      matchExpressions: [{ key: TrainingContract.JOB_LABEL, operator: 'Exists' }],
    };
    const peerPorts = [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(TrainingContract.PORT) }];
    const data = (worker.egress ?? []).map((e): k8s.NetworkPolicyEgressRule => ({
      to: [e.cidr !== undefined ? { ipBlock: { cidr: e.cidr } } : { namespaceSelector: NamespaceSelectors.named(e.namespace!) }],
      ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(e.port) }],
    }));
    return teams.map((team) => new k8s.KubeNetworkPolicy(this, `dispatched-${team.namespaceName}`, {
      metadata: { name: 'multikueue-dispatched-training', namespace: team.namespaceName, labels },
      spec: {
        podSelector: selector,
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: selector }], ports: peerPorts }],
        egress: [{ to: [{ podSelector: selector }], ports: peerPorts }, ...data],
      },
    }));
  }
}
