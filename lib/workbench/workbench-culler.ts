import { Chart } from 'cdk8s';
import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { ClusterScope } from '../core/cluster-scope';
import { ApiServer } from '../core/k8s/api-server';
import { Labels } from '../core/labels';
import { DefaultImages } from '../core/versions';
import { ITeamSpace } from '../teams/team-space';
import { WorkloadPod } from '../workloads/workload-pod';
import { CULLER_SCRIPT } from './culler-script';
import { WorkbenchCulling, WorkbenchCullingMode } from './workbench-culling';
import { WorkbenchKind } from './workbench-kind';

/** What the culler of one workbench needs to know. */
export interface WorkbenchCullerProps {
  readonly team: ITeamSpace;
  /** The workbench's StatefulSet (and Service) name. */
  readonly workbench: string;
  readonly culling: WorkbenchCulling;
  /** Jupyter: the server's URL inside the cluster and its token (`secret/key`). */
  readonly url?: string;
  readonly tokenSecret?: string;
  readonly tokenKey?: string;
}

const NAME = 'workbench-culler';
const SCRIPT_DIR = '/opt/culler';
const RESOURCES = { cpu: '20m', memory: '48Mi', cpuLimit: '200m', memoryLimit: '96Mi' };

/**
 * The idle culler of one workbench (internal to {@link Workbench}): a CronJob whose ServiceAccount may only get and
 * patch the `scale` of that one StatefulSet (`resourceNames`), running the culler program (culler-script.ts) with a
 * pinned Python image. Per team namespace, once: the program's ConfigMap and the NetworkPolicy that lets culler
 * pods reach the API server and the Jupyter servers.
 * @internal
 */
export class WorkbenchCuller extends Construct {
  /** Labels of every culler pod (the workbench's NetworkPolicy admits them). */
  public static podSelector(workbench: string): Record<string, string> {
    return { [Labels.NAME]: NAME, [Labels.INSTANCE]: workbench };
  }

  public readonly cronJob: k8s.KubeCronJob;

  public constructor(scope: Construct, id: string, props: WorkbenchCullerProps) {
    super(scope, id);
    const ns = props.team.namespaceName;
    const name = `${props.workbench}-culler`;
    const labels = Labels.standard({ name: NAME, instance: props.workbench, component: 'culler' });
    const meta = (n: string): k8s.ObjectMeta => ({ name: n, namespace: ns, labels });
    this.namespaceObjects(props.team);

    const sa = new k8s.KubeServiceAccount(this, 'service-account', { metadata: meta(name), automountServiceAccountToken: false });
    new k8s.KubeRole(this, 'role', {
      metadata: meta(name),
      // least privilege: read and set the replicas of this one StatefulSet; nothing else, never delete
      rules: [{ apiGroups: ['apps'], resources: ['statefulsets/scale'], resourceNames: [props.workbench], verbs: ['get', 'patch'] }],
    });
    new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata: meta(name),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name: sa.name, namespace: ns }],
    });

    const idle = props.culling.mode === WorkbenchCullingMode.IDLE;
    const config = {
      namespace: ns,
      workbenches: [idle
        ? { statefulSet: props.workbench, kind: 'jupyter', url: props.url, idleSeconds: props.culling.idleSeconds, tokenEnv: 'WORKBENCH_TOKEN' }
        : { statefulSet: props.workbench, kind: 'schedule' }],
    };
    const pod = WorkloadPod.of(this, {
      field: 'Workbench.culler',
      team: props.team,
      containerName: 'culler',
      image: DefaultImages.PYTHON,
      command: ['python3', `${SCRIPT_DIR}/cull.py`],
      env: { CULLER_CONFIG: JSON.stringify(config), PYTHONDONTWRITEBYTECODE: '1' },
      secretEnv: idle ? { WORKBENCH_TOKEN: `${props.tokenSecret}/${props.tokenKey}` } : undefined,
      resources: RESOURCES,
      apiAccess: true,
      serviceAccountName: sa.name,
      restartPolicy: 'Never',
      volumes: [{ name: 'program', configMap: { name: NAME } }],
      volumeMounts: [{ name: 'program', mountPath: SCRIPT_DIR, readOnly: true }],
    });
    this.cronJob = new k8s.KubeCronJob(this, 'cron-job', {
      metadata: meta(name),
      spec: {
        schedule: props.culling.schedule!,
        timeZone: props.culling.timeZone,
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 300,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 1,
            activeDeadlineSeconds: 300,
            ttlSecondsAfterFinished: 3600,
            template: { metadata: { labels }, spec: pod.podSpec },
          },
        },
      },
    });
  }

  /** The culler program and the culler pods' egress, once per team namespace of the cluster. */
  private namespaceObjects(team: ITeamSpace): void {
    const ns = team.namespaceName;
    ClusterScope.singleton(this, `workbench-culler/${ns}`, () => {
      const chart = Chart.of(this);
      const labels = Labels.standard({ name: NAME, instance: ns, component: 'culler' });
      new k8s.KubeConfigMap(chart, `workbench-culler-${ns}`, {
        metadata: { name: NAME, namespace: ns, labels },
        data: { 'cull.py': CULLER_SCRIPT },
      });
      new k8s.KubeNetworkPolicy(chart, `workbench-culler-egress-${ns}`, {
        metadata: { name: NAME, namespace: ns, labels },
        spec: {
          podSelector: { matchLabels: { [Labels.NAME]: NAME } },
          policyTypes: ['Egress'],
          egress: [
            ApiServer.egressRule(),
            // the team's Jupyter servers
            { to: [{ podSelector: { matchLabels: { [Labels.NAME]: 'workbench' } } }], ports: [{ protocol: 'TCP', port: k8s.IntOrString.fromNumber(WorkbenchKind.JUPYTER.port) }] },
          ],
        },
      });
      return true;
    });
  }
}
