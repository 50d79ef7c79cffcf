import { ValidationError } from './errors';

/** An IPv4 block: network address (as a number) and prefix length. */
export interface ParsedCidr {
  readonly address: number;
  readonly prefix: number;
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** IPv4 CIDR blocks: parsing, validation, overlap. Shared by the cloud constructs. */
export class Cidr {
  /** The block, when `cidr` is `a.b.c.d/n` (no leading zeros) with no host bits set; undefined otherwise. */
  public static parse(cidr: string): ParsedCidr | undefined {
    const match = typeof cidr === 'string' ? IPV4_CIDR.exec(cidr) : null;
    if (!match) return undefined;
    const octets = match.slice(1, 5);
    const prefix = Number(match[5]);
    if (octets.some((o) => Number(o) > 255 || (o.length > 1 && o.startsWith('0'))) || prefix > 32) return undefined;
    const address = octets.reduce((acc, o) => acc * 256 + Number(o), 0);
    return address % 2 ** (32 - prefix) === 0 ? { address, prefix } : undefined;
  }

  /** Parses `cidr` or throws a {@link ValidationError} naming `field`. */
  public static validate(path: string, field: string, cidr: string): ParsedCidr {
    const parsed = Cidr.parse(cidr);
    if (!parsed) {
      throw new ValidationError(path, field, cidr,
        'expected an IPv4 CIDR block such as "10.10.0.0/20": four octets without leading zeros, the network address (no host bits set)');
    }
    return parsed;
  }

  /** True when the two blocks share an address. */
  public static overlaps(a: ParsedCidr, b: ParsedCidr): boolean {
    const size = 2 ** (32 - Math.min(a.prefix, b.prefix));
    return Math.floor(a.address / size) === Math.floor(b.address / size);
  }
}
