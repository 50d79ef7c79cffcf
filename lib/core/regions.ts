import { ValidationError } from './errors';

const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const GCP_REGION = /^[a-z]+-[a-z]+\d$/;

/** Cloud region names, checked the same way wherever a construct takes one. */
export class Regions {
  /** Throws a {@link ValidationError} naming `field` unless `region` looks like an AWS region (`eu-west-1`). */
  public static validateAws(path: string, field: string, region: string): string {
    if (typeof region !== 'string' || !AWS_REGION.test(region)) {
      throw new ValidationError(path, field, region, 'expected an AWS region such as "eu-west-1"');
    }
    return region;
  }

  /** Throws a {@link ValidationError} naming `field` unless `region` looks like a Google Cloud region (`europe-west4`). */
  public static validateGcp(path: string, field: string, region: string): string {
    if (typeof region !== 'string' || !GCP_REGION.test(region)) {
      throw new ValidationError(path, field, region, 'expected a region such as "europe-west4"');
    }
    return region;
  }
}
