import { IConstruct } from 'constructs';
import { Addon } from '../addons/addon';
import { AddonRequirements } from '../addons/addon-requirements';
import { KueueIntegration, MultiKueueDispatcher } from '../addons/kueue-integration';
import { ValidationError } from '../core/errors';
import { ITeamSpace } from '../teams/team-space';
import { BurstCluster } from './burst-cluster';
import { KueueObjects } from './kueue-objects';

/** The job kinds of the Kubeflow training operator (`kubeflow.org/v1`). */
const TRAINING_OPERATOR_KINDS = [KueueIntegration.TF_JOB, KueueIntegration.PYTORCH_JOB, KueueIntegration.XGBOOST_JOB, KueueIntegration.PADDLE_JOB];

/**
 * What the manager and the workers of a burst share.
 * @internal not part of the public API
 */
export class BurstSupport {
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
    if (burst.jobIntegrations.some((k) => TRAINING_OPERATOR_KINDS.includes(k))) AddonRequirements.require(scope, { addon: Addon.TRAINING_OPERATOR, reason });
  }
}
