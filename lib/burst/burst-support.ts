import { IConstruct } from 'constructs';
import { Addon } from '../addons/addon';
import { AddonRequirements } from '../addons/addon-requirements';
import { KueueIntegration, MultiKueueDispatcher } from '../addons/kueue-integration';
import { ValidationError } from '../core/errors';
import { ITeamSpace } from '../teams/team-space';
import type { BurstCluster } from './burst-cluster';
import { KueueObjects } from './kueue-objects';

/** A job kind MultiKueue can dispatch: the resource the manager creates and watches on a worker, and who runs it. */
export interface DispatchableJob {
  readonly group: string;
  readonly resource: string;
  /** Run by the Kubeflow training operator (`kubeflow.org/v1`). */
  readonly trainingOperator: boolean;
}

/**
 * What the manager and the workers of a burst share.
 * @internal not part of the public API
 */
export class BurstSupport {
  /**
   * The job kinds MultiKueue dispatches through their `managedBy` field in the APIs we target (a batch Job needs
   * `spec.managedBy`, which the Kubernetes 1.28 API does not have), with their resources (the rules of Kueue
   * v0.19.2's create-multikueue-kubeconfig.sh).
   */
  public static readonly DISPATCHABLE = new Map<KueueIntegration, DispatchableJob>([
    [KueueIntegration.TF_JOB, { group: 'kubeflow.org', resource: 'tfjobs', trainingOperator: true }],
    [KueueIntegration.PYTORCH_JOB, { group: 'kubeflow.org', resource: 'pytorchjobs', trainingOperator: true }],
    [KueueIntegration.XGBOOST_JOB, { group: 'kubeflow.org', resource: 'xgboostjobs', trainingOperator: true }],
    [KueueIntegration.PADDLE_JOB, { group: 'kubeflow.org', resource: 'paddlejobs', trainingOperator: true }],
    [KueueIntegration.MPI_JOB, { group: 'kubeflow.org', resource: 'mpijobs', trainingOperator: false }],
    [KueueIntegration.JOBSET, { group: 'jobset.x-k8s.io', resource: 'jobsets', trainingOperator: false }],
  ]);

  /**
   * The team namespaces a burst construct was given, checked against the burst's: exactly those, so that the
   * manager and every worker hold the same namespaces and LocalQueues.
   */
  public static checkTeams(path: string, field: string, burst: BurstCluster, teams: ITeamSpace[]): string[] {
    const namespaces = KueueObjects.namespaces(path, field, teams);
    namespaces.forEach((ns, i) => {
      if (!burst.teams.includes(ns)) throw new ValidationError(path, `${field}[${i}]`, ns, `expected a team of the burst (BurstClusterProps.teams): ${burst.teams.join(', ')}`);
    });
    const missing = burst.teams.filter((t) => !namespaces.includes(t));
    if (missing.length) {
      throw new ValidationError(path, field, namespaces, `expected every team of the burst: ${missing.join(', ')} missing (workers must mirror the manager's namespaces and LocalQueues)`);
    }
    return namespaces;
  }

  /**
   * The add-ons a burst cluster needs: Kueue with the burst's job integrations (off by default for Kubeflow jobs,
   * and MultiKueue only dispatches the kinds whose integration is on, on the manager and on the worker), and the
   * training operator for its kinds (on a worker it runs the job; on the manager its CRD must exist, and it leaves
   * jobs whose `managedBy` is MultiKueue alone).
   */
  public static requireAddons(scope: IConstruct, burst: BurstCluster, reason: string, manager: boolean): void {
    AddonRequirements.require(scope, { addon: Addon.KUEUE, kueueIntegrations: burst.jobIntegrations, reason });
    if (manager) {
      // the order of the MultiKueueConfigs is the order the incremental dispatcher nominates workers in
      AddonRequirements.require(scope, { addon: Addon.KUEUE, multiKueueDispatcher: MultiKueueDispatcher.INCREMENTAL, multiKueueStepSize: burst.stepSize, reason });
    }
    if (burst.jobIntegrations.some((k) => BurstSupport.DISPATCHABLE.get(k)?.trainingOperator)) AddonRequirements.require(scope, { addon: Addon.TRAINING_OPERATOR, reason });
  }
}
