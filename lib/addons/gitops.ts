import { ApiObject } from 'cdk8s';
import { Checks } from '../core/checks';
import { ValidationError } from '../core/errors';

/**
 * Argo CD conventions of the platform's GitOps delivery (argoproj/argo-cd v3.5.1 docs: user-guide/sync-waves.md,
 * user-guide/sync-options.md, user-guide/app_deletion.md).
 *
 * Sync waves: the root Application of a cluster (`GitOpsRoot`) syncs `dist/<cluster>`; Argo CD applies a lower wave
 * first and waits for it to be healthy (for child Applications: with the argocd-cm health customization in the
 * README). The add-ons' CRD charts go first, then the operators, then what extends them (trust-manager on
 * cert-manager), then their configuration custom resources (KnativeServing after the operator that owns its CRD),
 * and every workload last, in the default wave 0.
 */
export class GitOps {
  /** Annotation holding an object's sync wave. */
  public static readonly SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
  /** Annotation holding an object's sync options (comma-separated). */
  public static readonly SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';
  /** Finalizer that makes deleting an Application delete its resources (foreground cascade). */
  public static readonly RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
  /** Wave of Applications that install only CRDs (Karpenter's CRD chart). */
  public static readonly WAVE_ADDON_CRDS = -30;
  /** Wave of the operators' Applications (cert-manager, Kueue, the Knative Operator, ...). */
  public static readonly WAVE_ADDONS = -20;
  /** Wave of add-ons that run on other add-ons (trust-manager needs cert-manager's webhook). */
  public static readonly WAVE_ADDON_EXTENSIONS = -15;
  /** Wave of the add-ons' configuration custom resources (KnativeServing, KnativeEventing) and their namespaces. */
  public static readonly WAVE_ADDON_CONFIGURATION = -10;
  /** Wave of every workload (Argo CD's default: objects without the annotation). */
  public static readonly WAVE_WORKLOADS = 0;

  /**
   * Protects a stateful object from Argo CD: `argocd.argoproj.io/sync-options: Prune=false,Delete=false`, merged with
   * the object's other sync options. Argo CD then never prunes it when it disappears from Git and never deletes it
   * when its Application is deleted: remove it by hand when it really must go. Returns the object.
   *
   * For a StatefulSet, the PersistentVolumeClaims of its `volumeClaimTemplates` are created by the StatefulSet
   * controller, not by Argo CD, and are never pruned or deleted by it in any case.
   */
  public static protect(apiObject: ApiObject): ApiObject {
    Checks.instance('', 'GitOps.protect.apiObject', apiObject, ApiObject, 'a cdk8s ApiObject (e.g. the StatefulSet of a construct)');
    const current = (apiObject.metadata.toJson().annotations ?? {})[GitOps.SYNC_OPTIONS_ANNOTATION] as string | undefined;
    const kept = (current ?? '').split(',').map((o) => o.trim()).filter((o) => o && !/^(Prune|Delete)=/.test(o));
    apiObject.metadata.addAnnotation(GitOps.SYNC_OPTIONS_ANNOTATION, [...kept, 'Prune=false', 'Delete=false'].join(','));
    return apiObject;
  }

  /** True when `apiObject` carries the protection of {@link protect}. */
  public static isProtected(apiObject: ApiObject): boolean {
    const options = ((apiObject.metadata.toJson().annotations ?? {})[GitOps.SYNC_OPTIONS_ANNOTATION] as string | undefined ?? '').split(',').map((o) => o.trim());
    return options.includes('Prune=false') && options.includes('Delete=false');
  }

  /** Puts `apiObject` in sync wave `wave` (an integer; lower waves sync first). Returns the object. */
  public static syncWave(apiObject: ApiObject, wave: number): ApiObject {
    Checks.instance('', 'GitOps.syncWave.apiObject', apiObject, ApiObject, 'a cdk8s ApiObject');
    if (!Number.isInteger(wave) || Math.abs(wave) > 1_000_000) throw new ValidationError('', 'GitOps.syncWave.wave', wave, 'expected an integer sync wave (e.g. -10, 0, 5)');
    apiObject.metadata.addAnnotation(GitOps.SYNC_WAVE_ANNOTATION, String(wave));
    return apiObject;
  }
}
