import { Checks } from '../core/checks';
import { Cron } from '../core/cron';
import { ValidationError } from '../core/errors';

/** How a workbench culling stops workbenches. */
export enum WorkbenchCullingMode {
  /** When the server has been idle for a while (Jupyter). */
  IDLE = 'idle',
  /** At fixed times (every kind; Zeppelin and RStudio report no activity). */
  SCHEDULE = 'schedule',
  /** Never. */
  DISABLED = 'disabled',
}

/**
 * When an unused workbench is stopped: its StatefulSet is scaled to 0 (its GPU is released; the home volume and
 * everything in it stay). Its owner resumes it with `kubectl scale statefulset <name> --replicas=1`.
 */
export class WorkbenchCulling {
  /**
   * Stop a Jupyter workbench idle for `minutes`: no activity on the server and no busy kernel (checked every
   * `checkEveryMinutes` with the server's token).
   * @param minutes idle time before it stops, 10 to 10080 (a week)
   * @param checkEveryMinutes how often to check, 1 to 60
   */
  public static idleFor(minutes: number, checkEveryMinutes: number = 10): WorkbenchCulling {
    Checks.number('', 'WorkbenchCulling.idleFor.minutes', minutes, 10, 7 * 24 * 60);
    Checks.number('', 'WorkbenchCulling.idleFor.checkEveryMinutes', checkEveryMinutes, 1, 60);
    if (checkEveryMinutes > minutes) {
      throw new ValidationError('', 'WorkbenchCulling.idleFor.checkEveryMinutes', checkEveryMinutes, `expected at most the idle time (${minutes} minutes)`);
    }
    return new WorkbenchCulling(WorkbenchCullingMode.IDLE, minutes * 60, `*/${checkEveryMinutes} * * * *`, undefined);
  }

  /**
   * Stop the workbench at fixed times, used or not (for Zeppelin and RStudio, which report no activity).
   * @param schedule cron schedule, e.g. `0 20 * * *` (every day at 20:00)
   * @param timeZone IANA time zone of the schedule
   */
  public static onSchedule(schedule: string, timeZone: string = 'Etc/UTC'): WorkbenchCulling {
    Cron.validate('', 'WorkbenchCulling.onSchedule.schedule', schedule);
    if (typeof timeZone !== 'string' || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) {
      throw new ValidationError('', 'WorkbenchCulling.onSchedule.timeZone', timeZone, 'expected an IANA time zone such as "Europe/Paris" or "Etc/UTC"');
    }
    return new WorkbenchCulling(WorkbenchCullingMode.SCHEDULE, undefined, schedule, timeZone);
  }

  /** Never stop the workbench (its GPU stays allocated while it runs). */
  public static disabled(): WorkbenchCulling {
    return new WorkbenchCulling(WorkbenchCullingMode.DISABLED, undefined, undefined, undefined);
  }

  /** The default of a kind: idle for an hour for Jupyter; every evening at 20:00 UTC for the others. */
  public static defaultFor(reportsActivity: boolean): WorkbenchCulling {
    return reportsActivity ? WorkbenchCulling.idleFor(60) : WorkbenchCulling.onSchedule('0 20 * * *');
  }

  public readonly mode: WorkbenchCullingMode;
  /** Idle seconds before a stop (IDLE). */
  public readonly idleSeconds?: number;
  /** The culler's cron schedule (IDLE: how often it checks; SCHEDULE: when it stops). */
  public readonly schedule?: string;
  /** The schedule's time zone (SCHEDULE). */
  public readonly timeZone?: string;

  private constructor(mode: WorkbenchCullingMode, idleSeconds: number | undefined, schedule: string | undefined, timeZone: string | undefined) {
    this.mode = mode;
    this.idleSeconds = idleSeconds;
    this.schedule = schedule;
    this.timeZone = timeZone;
  }
}
