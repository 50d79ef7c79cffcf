/**
 * A fake MinIO client (`mc`) that keeps state between runs, so that a generated script can be run twice and its
 * idempotence checked. It models what the lake's scripts rely on, as the pinned releases do it
 * (minio/mc@RELEASE.2025-08-13T08-35-41Z, minio/minio@RELEASE.2025-09-07T16-13-09Z):
 *
 * - `alias set` without `--api` probes the server (cmd/alias-set.go BuildS3Config → probeS3Signature) and fails
 *   while the server is not up; with `--api` it only writes the alias.
 * - `ready` fails until it has been called `readyAfter` times (then the lake is up).
 * - `event add`: an ARN equal to one the bucket has fails ("Overlapping Queue configs": cmd/client-s3.go
 *   AddNotificationConfig, before --ignore-existing is consulted); any other ARN is stored with the server's region
 *   filled in (internal/event/config.go ParseConfig → SetRegion), so a region-less ARN is a new, duplicate,
 *   notification every time.
 * - `event ls <bucket> <arn> --json`: the bucket's notifications with exactly that ARN, as indented JSON
 *   (cmd/event-list.go, json.MarshalIndent(u, "", " ")).
 * - `admin user info --json`: indented JSON, `"policyName": "a,b"` only when policies are attached
 *   (cmd/admin-user-add.go userMessage.JSON, `omitempty`); `admin policy attach` of an attached policy fails.
 * - `ilm rule ls` fails (no rules); `sleep` is a no-op, so waiting loops cost nothing.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/output';

const FAKE_MC = `#!/bin/sh
S="$FAKE_STATE"
echo "$*" >> "$S/calls.log"
case "$1 $2" in
"alias set")
  case " $* " in *" --api "*) ;; *) [ -f "$S/up" ] || { echo "mc: <ERROR> Unable to initialize new alias from the provided credentials." >&2; exit 1; } ;; esac ;;
"ready "*)
  n=$(cat "$S/ready" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$S/ready"
  [ "$n" -ge "$FAKE_READY_AFTER" ] && touch "$S/up"
  [ -f "$S/up" ] || exit 1 ;;
"event ls")
  f="$S/events/\${3#lake/}"
  [ -f "$f" ] || exit 0
  while read -r a; do
    [ "$a" = "$4" ] && printf '{\\n "status": "success",\\n "id": "",\\n "event": [\\n  "s3:ObjectCreated:*",\\n  "s3:ObjectRemoved:*"\\n ],\\n "prefix": "",\\n "suffix": "",\\n "arn": "%s"\\n}\\n' "$a"
  done < "$f"
  exit 0 ;;
"event add")
  f="$S/events/\${3#lake/}"; arn="$4"
  if [ -f "$f" ] && grep -qxF "$arn" "$f"; then echo "mc: <ERROR> Unable to enable notification on the specified bucket. Overlapping Queue configs." >&2; exit 1; fi
  case "$arn" in arn:minio:sqs::*) arn="arn:minio:sqs:$FAKE_REGION:\${arn#arn:minio:sqs::}" ;; esac
  echo "$arn" >> "$f" ;;
"admin user")
  case "$3" in
  add) [ -f "$S/users/$5" ] || : > "$S/users/$5" ;;
  info)
    p=$(cat "$S/users/$5" 2>/dev/null || true)
    printf '{\\n "status": "success",\\n "accessKey": "%s",\\n' "$5"
    [ -n "$p" ] && printf ' "policyName": "%s",\\n' "$p"
    printf ' "userStatus": "enabled"\\n}\\n' ;;
  esac ;;
"admin policy")
  if [ "$3" = attach ]; then
    f="$S/users/$7"; p=$(cat "$f" 2>/dev/null || true)
    case ",$p," in *",$5,"*) echo "mc: <ERROR> policy $5 is already attached to $7" >&2; exit 1 ;; esac
    if [ -n "$p" ]; then echo "$p,$5" > "$f"; else echo "$5" > "$f"; fi
  fi ;;
"ilm rule")
  [ "$3" = ls ] && exit 1 ;;
esac
exit 0
`;

/** Options of {@link FakeMc.run}. */
export interface RunOptions {
  /** Calls of `mc ready` that fail before the lake is up. */
  readonly readyAfter?: number;
  /** The environment of the script (key pairs...). */
  readonly env?: Record<string, string>;
}

/** A fake `mc` with its state directory; run scripts against it, then read what it holds. */
export class FakeMc {
  public readonly dir = tempDir('fake-mc');
  private readonly bin = join(this.dir, 'bin');
  private readonly state = join(this.dir, 'state');

  public constructor(private readonly region: string = 'us-east-1') {
    mkdirSync(this.bin);
    mkdirSync(join(this.state, 'events'), { recursive: true });
    mkdirSync(join(this.state, 'users'), { recursive: true });
    writeFileSync(join(this.bin, 'mc'), FAKE_MC);
    writeFileSync(join(this.bin, 'sleep'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(this.bin, 'mc'), 0o755);
    chmodSync(join(this.bin, 'sleep'), 0o755);
  }

  /**
   * Runs `script` (a file's content) with the files of `files` placed where `/config/` points; returns the mc calls
   * of this run (with the temporary directory written back as `/config/`). Throws when the script fails.
   */
  public run(script: string, files: Record<string, string> = {}, options: RunOptions = {}): string[] {
    const run = tempDir('fake-mc-run');
    for (const [name, content] of Object.entries(files)) writeFileSync(join(run, name), content.split('/config/').join(`${run}/`));
    const path = join(run, 'script.sh');
    writeFileSync(path, script.split('/config/').join(`${run}/`));
    const log = join(this.state, 'calls.log');
    const before = existsSync(log) ? readFileSync(log, 'utf8').length : 0;
    execFileSync('/bin/sh', [path], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: `${this.bin}:/usr/bin:/bin`, FAKE_STATE: this.state, FAKE_REGION: this.region,
        FAKE_READY_AFTER: String(options.readyAfter ?? 1), ...options.env,
      },
    });
    return readFileSync(log, 'utf8').slice(before).trim().split('\n').map((c) => c.split(`${run}/`).join('/config/'));
  }

  /** The notification ARNs the server holds for `bucket`, one per notification. */
  public notifications(bucket: string): string[] {
    const f = join(this.state, 'events', bucket);
    return existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').filter((l) => l) : [];
  }

  /** The policies attached to each user. */
  public users(): Record<string, string[]> {
    const dir = join(this.state, 'users');
    return Object.fromEntries(readdirSync(dir).map((u) => [u, readFileSync(join(dir, u), 'utf8').trim().split(',').filter((p) => p)]));
  }

  /** Marks the lake up (as after a first run). */
  public up(): void {
    writeFileSync(join(this.state, 'up'), '');
  }

  /** Seeds a user with attached policies. */
  public seedUser(accessKey: string, policies: string[]): void {
    writeFileSync(join(this.state, 'users', accessKey), policies.join(','));
  }
}
