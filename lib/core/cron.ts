import { ValidationError } from './errors';

/** One field of a standard cron schedule: its bounds and the names it accepts (robfig/cron's standard parser). */
interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: string[];
}

const FIELDS: CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];
const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];
/** `@every <duration>`: Go durations (robfig/cron parses them with time.ParseDuration). */
const EVERY = /^@every\s+(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/**
 * Cron schedules as the Kubernetes API server checks a CronJob's `spec.schedule`: it parses them with
 * robfig/cron v3's standard parser (pkg/apis/batch/validation/validation.go, `cron.ParseStandard`), which takes
 * five fields (minute, hour, day of month, month, day of week) or a descriptor (`@hourly`, `@every 1h30m`, ...),
 * and it refuses a `TZ=` / `CRON_TZ=` prefix (the time zone goes in `spec.timeZone`).
 */
export class Cron {
  /** Throws a {@link ValidationError} naming `field` unless `schedule` is a valid schedule. Returns it unchanged. */
  public static validate(path: string, field: string, schedule: string): string {
    const problem = Cron.problem(schedule);
    if (problem) {
      throw new ValidationError(path, field, schedule, `expected a cron schedule the API server accepts, e.g. "*/15 * * * *" or "@daily" (${problem})`);
    }
    return schedule;
  }

  /** What is wrong with `schedule`, or undefined when it is valid. */
  public static problem(schedule: unknown): string | undefined {
    if (typeof schedule !== 'string' || schedule.trim() === '') return 'not a string';
    const s = schedule.trim();
    if (s.includes('TZ')) return 'TZ / CRON_TZ are not allowed in a schedule: use the timeZone field';
    if (s.startsWith('@')) return DESCRIPTORS.includes(s) || EVERY.test(s) ? undefined : `unknown descriptor ${s.split(/\s/)[0]}`;
    const parts = s.split(/\s+/);
    if (parts.length !== FIELDS.length) return `expected ${FIELDS.length} fields, got ${parts.length}`;
    for (let i = 0; i < FIELDS.length; i++) {
      const fieldProblem = Cron.fieldProblem(parts[i], FIELDS[i]);
      if (fieldProblem) return `${FIELDS[i].name} "${parts[i]}": ${fieldProblem}`;
    }
    return undefined;
  }

  private static fieldProblem(expr: string, field: CronField): string | undefined {
    for (const item of expr.split(',')) {
      const [range, step, ...extra] = item.split('/');
      if (extra.length > 0) return 'more than one "/"';
      let low: number;
      let high: number;
      if (range === '*' || range === '?') {
        low = field.min;
        high = field.max;
      } else {
        const [a, b, ...more] = range.split('-');
        if (more.length > 0) return 'more than one "-"';
        const first = Cron.value(a, field);
        if (first === undefined) return `"${a}" is not a value from ${field.min} to ${field.max}`;
        low = first;
        if (b === undefined) {
          // robfig/cron: "N/step" means N through the field's maximum
          high = step === undefined ? first : field.max;
        } else {
          const last = Cron.value(b, field);
          if (last === undefined) return `"${b}" is not a value from ${field.min} to ${field.max}`;
          high = last;
        }
        if (low > high) return `range ${range} is backwards`;
      }
      if (step !== undefined) {
        if (!/^\d+$/.test(step) || Number(step) === 0) return `step "${step}" must be a positive integer`;
      }
    }
    return undefined;
  }

  private static value(text: string, field: CronField): number | undefined {
    const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
    if (named >= 0) return named + field.min;
    if (!/^\d+$/.test(text)) return undefined;
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : undefined;
  }
}
