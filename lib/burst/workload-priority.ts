import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { WorkloadPriorityClassV1Beta2 } from '../../imports/kueue-workloadpriorityclasses-kueue.x-k8s.io';
import { Checks } from '../core/checks';
import { ClusterScope } from '../core/cluster-scope';
import { KueueContract } from '../core/kueue-contract';
import { Labels } from '../core/labels';
import { Names } from '../core/names';
import { ObjectOrder } from '../core/k8s/object-order';

/** A Kueue priority of queued jobs. */
export interface WorkloadPriorityProps {
  /**
   * Name, as jobs name it (`priorityClass` of a job: the `kueue.x-k8s.io/priority-class` label). A DNS label.
   * @default - the construct id
   */
  readonly name?: string;
  /** Priority: higher is admitted first, and preempts lower ones in the same ClusterQueue. */
  readonly value: number;
  /**
   * What the priority is for.
   * @default - none
   */
  readonly description?: string;
}

/**
 * A Kueue `WorkloadPriorityClass` (`kueue.x-k8s.io/v1beta2`): the order in which Kueue admits queued jobs and which
 * it preempts, apart from the Pod priority the scheduler uses. Cluster-scoped: one name per cluster. A MultiKueue
 * worker needs the same classes as its manager, since the dispatched job keeps its priority label.
 */
export class WorkloadPriority extends Construct {
  public readonly name: string;
  public readonly value: number;
  /** Escape hatch: the WorkloadPriorityClass. */
  public readonly priorityClass: ApiObject;

  public constructor(scope: Construct, id: string, props: WorkloadPriorityProps) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    Checks.object(path, 'WorkloadPriorityProps', props, 'WorkloadPriorityProps ({ value, ... })');
    this.name = Names.validateDnsLabel(path, 'WorkloadPriorityProps.name', props.name ?? id);
    // int32, as the CRD's `value`
    this.value = Checks.number(path, 'WorkloadPriorityProps.value', props.value, -(2 ** 31), 2 ** 31 - 1);
    const description = props.description === undefined ? undefined : Checks.string(path, 'WorkloadPriorityProps.description', props.description);
    ClusterScope.claimUnique(this, 'WorkloadPriority', this.name, 'WorkloadPriorityProps.name');
    KueueContract.recordPriority(this, this.name);
    this.priorityClass = new WorkloadPriorityClassV1Beta2(this, 'class', {
      metadata: { name: this.name, labels: Labels.standard({ name: 'kueue', instance: this.name, component: 'priority' }) },
      value: this.value,
      description,
    });
  }
}
