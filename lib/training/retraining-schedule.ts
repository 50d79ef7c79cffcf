import * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { Checks } from '../core/checks';
import { Cron } from '../core/cron';
import { ValidationError } from '../core/errors';
import { Images } from '../core/images';
import { DefaultImages } from '../core/versions';
import { ApiServer } from '../core/k8s/api-server';
import { ObjectOrder } from '../core/k8s/object-order';
import { Labels } from '../core/labels';
import { ITeamSpace } from '../teams/team-space';
import { WorkloadPod } from '../workloads/workload-pod';
import { DistributedTFJob } from './distributed-tf-job';
import { TrainingBackend } from './training-backend';


/** Props of {@link RetrainingSchedule}. */
export interface RetrainingScheduleProps {
  /** The job to run again (TFJob backend): each run is a copy of it with a generated name. */
  readonly job: DistributedTFJob;
  /** The team of the job (the schedule runs in its namespace). */
  readonly team: ITeamSpace;
  /** Cron schedule (five fields or `@daily`; no `TZ=`), e.g. `"0 2 * * *"`. */
  readonly schedule: string;
  /**
   * IANA time zone of the schedule.
   * @default - the controller manager's (UTC on managed clusters)
   */
  readonly timeZone?: string;
  /**
   * The schedule's own Jobs (each one `kubectl create`) kept after success, as `successfulJobsHistoryLimit`.
   * @default 3
   */
  readonly keepRuns?: number;
  /**
   * Seconds a finished training run (TFJob) is kept before the operator deletes it. The run's model stays in the
   * lake at `models/<job>/<run name>/`.
   * @default 259200 (3 days)
   */
  readonly runTtlSecondsAfterFinished?: number;
  /**
   * kubectl image, pinned.
   * @default DefaultImages.KUBECTL
   */
  readonly clientImage?: string;
}

const RESOURCES = { cpu: '20m', memory: '64Mi', cpuLimit: '200m', memoryLimit: '128Mi' };
const P = 'RetrainingScheduleProps';
const MANIFEST_DIR = '/etc/retraining';

/**
 * Training again on new data: a CronJob that creates a new run of a {@link DistributedTFJob} (a TFJob with
 * `generateName: <job>-`), so every run gets its own name, which is also its model version
 * (`models/<job>/<run name>/`).
 *
 * - Least privilege: a ServiceAccount whose Role may only `create` TFJobs in the team namespace. RBAC cannot
 *   restrict `create` by `resourceNames` (the name is not known at authorization time), so the namespace is the
 *   boundary; the Role has no get, list, update or delete.
 * - The run's manifest is a ConfigMap; the kubectl image has no shell (`kubectl create -f`).
 * - Runs kept: the CronJob's own Jobs by `keepRuns`; the TFJobs by `ttlSecondsAfterFinished` (the operator deletes
 *   a finished run after it). Runs carry the label `ai-platform/run-of: <job>`: `kubectl get tfjobs -l
 *   ai-platform/run-of=<job>` lists them.
 * - A NetworkPolicy lets only these pods reach the API server.
 */
export class RetrainingSchedule extends Construct {
  public readonly cronJob: k8s.KubeCronJob;
  public readonly role: k8s.KubeRole;
  public readonly configMap: k8s.KubeConfigMap;

  public constructor(scope: Construct, id: string, props: RetrainingScheduleProps) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    Checks.object(path, P, props, 'RetrainingScheduleProps ({ job, team, schedule })');
    const job = Checks.instance(path, `${P}.job`, props.job, DistributedTFJob, 'a DistributedTFJob');
    if (job.backend !== TrainingBackend.TFJOB) {
      throw new ValidationError(path, `${P}.job`, job.node.path, 'expected a job on TrainingBackend.TFJOB: the indexed backend\'s roles address each other by Job name, which a generated name makes unknown to the other roles');
    }
    const team = props.team;
    if (team?.namespaceName !== job.namespaceName) throw new ValidationError(path, `${P}.team`, team?.namespaceName, `expected the job's team (namespace ${job.namespaceName})`);
    const schedule = Cron.validate(path, `${P}.schedule`, props.schedule);
    const timeZone = props.timeZone === undefined ? undefined : Checks.string(path, `${P}.timeZone`, props.timeZone);
    const keepRuns = Checks.number(path, `${P}.keepRuns`, props.keepRuns ?? 3, 0, 100);
    const ttl = Checks.number(path, `${P}.runTtlSecondsAfterFinished`, props.runTtlSecondsAfterFinished ?? 3 * 24 * 3600, 0, 2 ** 31 - 1);
    const image = Images.validatePinned(path, `${P}.clientImage`, props.clientImage ?? DefaultImages.KUBECTL);
    const ns = job.namespaceName;
    const name = `${job.name}-retrain`;
    const labels = Labels.standard({ name: 'retraining-schedule', instance: job.name, component: 'retraining' });
    const meta = (n: string): k8s.ObjectMeta => ({ name: n, namespace: ns, labels });

    const run = job.runManifest();
    run.spec.runPolicy.ttlSecondsAfterFinished = ttl;
    this.configMap = new k8s.KubeConfigMap(this, 'manifest', { metadata: meta(name), data: { 'run.json': JSON.stringify(run, undefined, 2) } });
    const sa = new k8s.KubeServiceAccount(this, 'service-account', { metadata: meta(name), automountServiceAccountToken: false });
    this.role = new k8s.KubeRole(this, 'role', {
      metadata: meta(name),
      rules: [{ apiGroups: ['kubeflow.org'], resources: ['tfjobs'], verbs: ['create'] }],
    });
    new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata: meta(name),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name: sa.name, namespace: ns }],
    });
    const podLabels = { ...labels, 'ai-platform/retraining': job.name };
    const pod = WorkloadPod.of(this, {
      field: P,
      team,
      containerName: 'kubectl',
      image,
      command: ['kubectl'],
      args: ['create', '-f', `${MANIFEST_DIR}/run.json`, '-o', 'name'],
      env: { HOME: '/tmp' },
      resources: RESOURCES,
      apiAccess: true,
      serviceAccountName: sa.name,
      restartPolicy: 'Never',
      volumes: [{ name: 'manifest', configMap: { name } }],
      volumeMounts: [{ name: 'manifest', mountPath: MANIFEST_DIR, readOnly: true }],
    });
    this.cronJob = new k8s.KubeCronJob(this, 'cron-job', {
      metadata: meta(name),
      spec: {
        schedule,
        timeZone,
        // one create per schedule; a missed one is not made up for hours later
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: keepRuns,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: 300,
            template: { metadata: { labels: podLabels }, spec: pod.podSpec },
          },
        },
      },
    });
    new k8s.KubeNetworkPolicy(this, 'api-egress', {
      metadata: meta(name),
      spec: {
        podSelector: { matchLabels: { 'ai-platform/retraining': job.name } },
        policyTypes: ['Egress'],
        egress: [ApiServer.egressRule()],
      },
    });
  }
}
