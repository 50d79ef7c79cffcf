import { Construct } from 'constructs';
import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';
import { ITeamSpace } from '../teams/team-space';
import { Workbench, WorkbenchOptions } from './workbench';
import { WorkbenchKind } from './workbench-kind';

/** One user of a {@link WorkbenchFleet}. */
export interface WorkbenchUser {
  /** The user name (the workbench's owner). */
  readonly owner: string;
  /**
   * The kind, if not the fleet's.
   * @default - the fleet's kind
   */
  readonly kind?: WorkbenchKind;
  /**
   * Settings of this user's workbench, over the fleet's defaults (each field replaces the default's).
   * @default - the fleet's defaults
   */
  readonly options?: WorkbenchOptions;
}

/** Props of {@link WorkbenchFleet}. */
export interface WorkbenchFleetProps {
  /** The team: its namespace and quota. */
  readonly team: ITeamSpace;
  /** The kind every user gets unless their entry says otherwise. */
  readonly kind: WorkbenchKind;
  /** The users, one workbench each. */
  readonly users: WorkbenchUser[];
  /**
   * The team's defaults (resources, GPU, data lake, culling, ...).
   * @default - the Workbench defaults
   */
  readonly defaults?: WorkbenchOptions;
}

/** One workbench per user of a team, with the team's defaults: what a platform team writes for a whole team. */
export class WorkbenchFleet extends Construct {
  /** The workbenches, by owner (and kind, for a user listed with two kinds: `<owner>-<kind>`). */
  public readonly workbenches: { [owner: string]: Workbench } = {};

  public constructor(scope: Construct, id: string, props: WorkbenchFleetProps) {
    super(scope, id);
    const path = this.node.path;
    Checks.object(path, 'WorkbenchFleetProps', props, 'WorkbenchFleetProps ({ team, kind, users })');
    const users = Checks.array(path, 'WorkbenchFleetProps.users', props.users, 'a list of { owner, kind?, options? }');
    if (users.length === 0) throw new ValidationError(path, 'WorkbenchFleetProps.users', users, 'expected at least one user');
    const defaults = Checks.optionalObject(path, 'WorkbenchFleetProps.defaults', props.defaults, 'WorkbenchOptions') ?? {};
    users.forEach((user, i) => {
      Checks.object(path, `WorkbenchFleetProps.users[${i}]`, user, 'a { owner, kind?, options? }');
      const options = Checks.optionalObject(path, `WorkbenchFleetProps.users[${i}].options`, user.options, 'WorkbenchOptions') ?? {};
      const kind = user.kind ?? props.kind;
      const id = `${Checks.string(path, `WorkbenchFleetProps.users[${i}].owner`, user.owner)}-${(kind as WorkbenchKind | undefined)?.id}`;
      const workbench = new Workbench(this, id, { ...defaults, ...options, kind, owner: user.owner, team: props.team });
      const key = this.workbenches[user.owner] ? workbench.name : user.owner;
      this.workbenches[key] = workbench;
    });
  }
}
