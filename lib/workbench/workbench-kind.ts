import { DefaultImages } from '../core/versions';

/** What one kind of workbench is: its image, user, port, home and how its owner signs in. */
interface WorkbenchKindSpec {
  readonly id: string;
  readonly displayName: string;
  readonly defaultImage: string;
  readonly port: number;
  readonly uid: number;
  readonly gid: number;
  readonly dataDir: string;
  readonly credentialsKey: string;
  readonly reportsActivity: boolean;
}

/**
 * The kinds of workbench (jsii-style enum): Jupyter, Zeppelin, RStudio. Each knows its pinned default image, the
 * port it serves, the user it runs as, where its persistent data lives and which Secret key signs its owner in.
 * Every fact is taken from the image's own Dockerfile and start scripts (cited per kind).
 */
export class WorkbenchKind {
  /**
   * JupyterLab from the Jupyter Docker Stacks (quay.io/jupyter). User `jovyan`, uid 1000, gid 100, home
   * `/home/jovyan`, port 8888 (docker-stacks images/docker-stacks-foundation/Dockerfile: NB_USER, NB_UID, NB_GID,
   * `USER ${NB_UID}`; base-notebook: `JUPYTER_PORT=8888`). Signs in with a token (Secret key `token`).
   */
  public static readonly JUPYTER = new WorkbenchKind({
    id: 'jupyter', displayName: 'Jupyter', defaultImage: `${DefaultImages.JUPYTER_REGISTRY}/scipy-notebook:${DefaultImages.JUPYTER_TAG}`,
    port: 8888, uid: 1000, gid: 100, dataDir: '/home/jovyan', credentialsKey: 'token', reportsActivity: true,
  });

  /**
   * Apache Zeppelin. uid 1000, `ZEPPELIN_HOME=/opt/zeppelin`, port 8080 (apache/zeppelin
   * scripts/docker/zeppelin/bin/Dockerfile at v0.12.1: `USER 1000`, `EXPOSE 8080`). Signs in through Apache Shiro:
   * a whole `shiro.ini` in the Secret (key `shiro.ini`); without one Zeppelin lets everyone in (ZeppelinConfiguration
   * getShiroPath), so the Secret is required. Notebooks live under `/var/lib/zeppelin` (a volume).
   */
  public static readonly ZEPPELIN = new WorkbenchKind({
    id: 'zeppelin', displayName: 'Zeppelin', defaultImage: DefaultImages.ZEPPELIN,
    port: 8080, uid: 1000, gid: 1000, dataDir: '/var/lib/zeppelin', credentialsKey: 'shiro.ini', reportsActivity: false,
  });

  /**
   * RStudio Server from the Rocker project. User `rstudio` (uid 1000: rocker's default_user.sh after removing any
   * uid-1000 user), home `/home/rstudio`, port 8787 (dockerfiles/rstudio_4.6.1.Dockerfile: `EXPOSE 8787`). Signs in
   * with the owner's password (Secret key `password`) through rocker's pam-helper.
   */
  public static readonly RSTUDIO = new WorkbenchKind({
    id: 'rstudio', displayName: 'RStudio', defaultImage: DefaultImages.RSTUDIO,
    port: 8787, uid: 1000, gid: 1000, dataDir: '/home/rstudio', credentialsKey: 'password', reportsActivity: false,
  });

  /** Every kind. */
  public static all(): WorkbenchKind[] {
    return [WorkbenchKind.JUPYTER, WorkbenchKind.ZEPPELIN, WorkbenchKind.RSTUDIO];
  }

  /** `jupyter`, `zeppelin` or `rstudio`: part of the workbench's name. */
  public readonly id: string;
  public readonly displayName: string;
  /** The pinned image used when none is given. */
  public readonly defaultImage: string;
  /** The port the server listens on. */
  public readonly port: number;
  /** The image's user and group. */
  public readonly uid: number;
  public readonly gid: number;
  /** Where the persistent volume is mounted (the user's home, or Zeppelin's notebook and config directory). */
  public readonly dataDir: string;
  /** The key of the workbench's Secret that signs its owner in. */
  public readonly credentialsKey: string;
  /**
   * True when the server reports its last activity (Jupyter's `/api/status`), so that it can be stopped when idle;
   * the others are stopped on a schedule.
   */
  public readonly reportsActivity: boolean;

  private constructor(spec: WorkbenchKindSpec) {
    this.id = spec.id;
    this.displayName = spec.displayName;
    this.defaultImage = spec.defaultImage;
    this.port = spec.port;
    this.uid = spec.uid;
    this.gid = spec.gid;
    this.dataDir = spec.dataDir;
    this.credentialsKey = spec.credentialsKey;
    this.reportsActivity = spec.reportsActivity;
  }
}
