import { Cron } from '../../lib/core/cron';
import { expectValidationError } from '../helpers/errors';

describe('Cron: schedules as the API server parses them (robfig/cron standard parser)', () => {
  test.each([
    '*/15 * * * *', '0 3 * * *', '0 0 1 1 *', '30 2 * * mon-fri', '0 0 * JAN,jul SUN', '5-55/10 * * * *', '0 */2 1-15 * 0',
    '? * * * *', '10/5 * * * *', '@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually', '@every 1h30m',
  ])('accepts %j', (schedule) => {
    expect(Cron.problem(schedule)).toBeUndefined();
    expect(Cron.validate('p', 'X.schedule', schedule)).toBe(schedule);
  });

  test.each([
    ['', /not a string/],
    ['* * * *', /expected 5 fields, got 4/],
    ['* * * * * *', /expected 5 fields, got 6/],
    ['60 * * * *', /minute "60"/],
    ['* 24 * * *', /hour "24"/],
    ['* * 0 * *', /day of month "0"/],
    ['* * 32 * *', /day of month "32"/],
    ['* * * 13 *', /month "13"/],
    ['* * * * 7', /day of week "7"/],
    ['* * * foo *', /month "foo"/],
    ['*/0 * * * *', /step "0"/],
    ['*/x * * * *', /step "x"/],
    ['10-5 * * * *', /backwards/],
    ['1-2-3 * * * *', /more than one "-"/],
    ['*/2/3 * * * *', /more than one "\/"/],
    ['@sometimes', /unknown descriptor/],
    ['@HOURLY', /unknown descriptor/],
    ['@every 1 day', /unknown descriptor/],
    ['CRON_TZ=UTC 0 * * * *', /timeZone field/],
    ['TZ=Europe/Paris 0 * * * *', /timeZone field/],
  ])('refuses %j', (schedule, why) => {
    expect(Cron.problem(schedule)).toMatch(why);
    const e = expectValidationError(() => Cron.validate('lake', 'MinioDataLakeProps.mirrorSchedule', schedule), 'MinioDataLakeProps.mirrorSchedule', 'lake');
    expect(e.message).toMatch(why);
  });

  test('a value that is not a string is refused, not a TypeError', () => {
    expectValidationError(() => Cron.validate('p', 'X.schedule', 42 as unknown as string), 'X.schedule', 'p');
  });
});
