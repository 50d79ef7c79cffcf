import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Application } from '../../imports/argocd-application-argoproj.io';
import { Checks } from '../core/checks';
import { KueueContract } from '../core/kueue-contract';
import { ValidationError } from '../core/errors';
import { ObjectOrder } from '../core/k8s/object-order';
import { Labels } from '../core/labels';
import { Names } from '../core/names';

/** Props of {@link GitOpsRoot}. */
export interface GitOpsRootProps {
  /** Name of the cluster in the platform: the root delivers `dist/<clusterName>` (see `path`). */
  readonly clusterName: string;
  /**
   * Git URL of the platform's repository (`spec.source.repoURL`): `https://host/org/repo.git`, or SSH
   * (`git@host:org/repo.git`, `ssh://git@host/org/repo.git`). No credentials in it: register them with Argo CD
   * (a repository Secret, see the README). No default: every platform has its own repository.
   */
  readonly repoUrl: string;
  /**
   * Git revision Argo CD delivers (`spec.source.targetRevision`): a branch (`main`), a tag or a commit. Not `HEAD`,
   * which follows whatever the repository's default branch is.
   */
  readonly targetRevision: string;
  /**
   * Folder of the cluster's synthesized manifests in the repository.
   * @default "dist/<clusterName>"
   */
  readonly path?: string;
  /**
   * Namespace of Argo CD.
   * @default "argocd"
   */
  readonly argoCdNamespace?: string;
  /**
   * Argo CD project of the root Application.
   * @default "default"
   */
  readonly project?: string;
  /**
   * API server of the cluster, as Argo CD knows it (`spec.destination.server`).
   * @default "https://kubernetes.default.svc"
   */
  readonly destinationServer?: string;
}

/** What Kueue changes in the jobs it manages (jobframework: suspend on creation, unsuspend on admission). */
const QUEUED_JOB_FIELDS = [
  { group: 'kubeflow.org', kind: 'TFJob', jsonPointers: ['/spec/runPolicy/suspend'] },
  { group: 'batch', kind: 'Job', jsonPointers: ['/spec/suspend'] },
];
const HTTPS_GIT = /^https:\/\/[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~%+-]+)+\/?$/;
const SSH_GIT = /^ssh:\/\/[A-Za-z0-9._-]+@[A-Za-z0-9.-]+(:\d+)?(\/[A-Za-z0-9._~%+-]+)+\/?$/;
const SCP_GIT = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~%+-][A-Za-z0-9._~%+/-]*$/;
const HTTPS_URL = /^https:\/\/[a-z0-9.-]+(:\d+)?(\/[^\s]*)?$/i;
/** A git ref name (git check-ref-format, simplified): no spaces, `..`, `~^:?*[\`, leading `-`, trailing `/`, `.lock`. */
const GIT_REF = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!.*\.lock$)(?!.*\/$)[A-Za-z0-9._/-]+$/;
const REPO_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/**
 * The root Application of one cluster ("app of apps", Argo CD docs operator-manual/cluster-bootstrapping.md): it syncs
 * the cluster's folder of the platform's repository, `dist/<cluster>`, which holds the add-ons' Applications
 * (`ClusterAddons`), their configuration and every workload. Argo CD applies them in sync-wave order (add-ons first,
 * see `GitOps`), automatically, pruning what left Git and undoing drift (self-heal). Custom resources whose CRD an
 * earlier wave installs skip the dry run (`SkipDryRunOnMissingResource=true`).
 *
 * Apply it once by hand (`kubectl apply -f` its file); from then on it is in Git like everything else. It carries
 * no resources finalizer: deleting the root leaves the cluster as it is (a finalizer would cascade to every
 * add-on and workload).
 */
export class GitOpsRoot extends Construct {
  /** The root Application (escape hatch). */
  public readonly application: ApiObject;
  /** Name of the root Application. */
  public readonly name: string;
  /** Folder it delivers. */
  public readonly path: string;

  public constructor(scope: Construct, id: string, props: GitOpsRootProps) {
    super(scope, id);
    ObjectOrder.apply(this);
    const path = this.node.path;
    Checks.object(path, 'GitOpsRootProps', props);
    const clusterName = Names.validateDnsLabel(path, 'GitOpsRootProps.clusterName', props.clusterName);
    const repoUrl = Checks.string(path, 'GitOpsRootProps.repoUrl', props.repoUrl, 'the Git URL of the platform\'s repository');
    if (/^https:\/\/[^/]*@/.test(repoUrl)) {
      throw new ValidationError(path, 'GitOpsRootProps.repoUrl', repoUrl, 'expected a URL without credentials: register them with Argo CD as a repository Secret');
    }
    if (!HTTPS_GIT.test(repoUrl) && !SSH_GIT.test(repoUrl) && !SCP_GIT.test(repoUrl)) {
      throw new ValidationError(path, 'GitOpsRootProps.repoUrl', repoUrl, 'expected an https or SSH Git URL such as "https://github.com/acme/ai-platform.git" or "git@github.com:acme/ai-platform.git"');
    }
    const targetRevision = Checks.string(path, 'GitOpsRootProps.targetRevision', props.targetRevision, 'a branch, tag or commit');
    if (targetRevision.toUpperCase() === 'HEAD' || !GIT_REF.test(targetRevision)) {
      throw new ValidationError(path, 'GitOpsRootProps.targetRevision', targetRevision, 'expected a branch (e.g. "main"), a tag or a commit SHA, not HEAD');
    }
    this.path = props.path === undefined ? `dist/${clusterName}` : Checks.string(path, 'GitOpsRootProps.path', props.path);
    if (!REPO_PATH.test(this.path) || this.path.split('/').some((p) => p === '..' || p === '.')) {
      throw new ValidationError(path, 'GitOpsRootProps.path', this.path, 'expected a relative folder of the repository such as "dist/onprem"');
    }
    const argoCdNamespace = props.argoCdNamespace === undefined ? 'argocd' : Names.validateDnsLabel(path, 'GitOpsRootProps.argoCdNamespace', props.argoCdNamespace);
    const project = props.project === undefined ? 'default' : Names.validateDnsLabel(path, 'GitOpsRootProps.project', props.project);
    const server = props.destinationServer ?? 'https://kubernetes.default.svc';
    if (typeof server !== 'string' || !HTTPS_URL.test(server)) {
      throw new ValidationError(path, 'GitOpsRootProps.destinationServer', server, 'expected the https URL of the cluster\'s API server, e.g. "https://kubernetes.default.svc"');
    }
    this.name = Names.fit(clusterName, '-root', Names.MAX_LABEL_LENGTH);
    // read at synth, when every queue of the cluster is built
    const queued = () => KueueContract.localQueues(this).length > 0;

    this.application = new Application(this, 'application', {
      metadata: {
        name: this.name,
        namespace: argoCdNamespace,
        labels: Labels.standard({ name: 'gitops-root', instance: this.name, component: 'gitops' }),
      },
      spec: {
        project,
        source: { repoUrl, targetRevision, path: this.path },
        destination: { server, namespace: argoCdNamespace },
        // Kueue suspends a queued job when it is created and unsuspends it on admission: Argo CD must neither report
        // that as drift nor undo it (self-heal would unsuspend a job Kueue holds, or suspend one it admitted)
        ignoreDifferences: Lazy.any({ produce: () => (queued() ? QUEUED_JOB_FIELDS.map((f) => ({ ...f, jsonPointers: [...f.jsonPointers] })) : undefined) }),
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: Lazy.any({ produce: () => ['SkipDryRunOnMissingResource=true', ...(queued() ? ['RespectIgnoreDifferences=true'] : [])] }),
          retry: { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
        },
      },
    });
  }
}
