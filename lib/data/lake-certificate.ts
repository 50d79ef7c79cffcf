import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy, CertificateSpecUsages } from '../../imports/cert-manager-certificates-cert-manager.io';
import { Bundle } from '../../imports/trust-manager-bundles-trust.cert-manager.io';
import { Addon } from '../addons/addon';
import { AddonRequirements } from '../addons/addon-requirements';
import { ClusterScope } from '../core/cluster-scope';
import type { LakeContext } from './lake-context';
import { NamespaceSelectors } from '../core/k8s/namespace-selectors';

/** What the lake's certificate is made of. @internal */
export interface LakeCertificateProps {
  /** The Secret the certificate is written to (the lake's `tls.secretName`). */
  readonly secretName: string;
  /** The DNS names: the client Service and, by wildcard, every server. */
  readonly dnsNames: string[];
  readonly issuerName: string;
  readonly issuerKind: string;
  /** The CA certificate to distribute: a Secret in trust-manager's trust namespace, and its key. */
  readonly caSecret: string;
  readonly caSecretKey: string;
  /** The ConfigMap the CA lands in, in every granted namespace (trust-manager names it after the Bundle). */
  readonly caConfigMap: string;
  /** The namespaces granted access to the lake, known at synth. */
  readonly grantedNamespaces: () => string[];
}

/**
 * The lake's TLS from cert-manager and trust-manager (internal to MinioDataLake): a `Certificate` naming every DNS
 * name the servers and clients use, written to the Secret the servers mount, and a cluster-scoped trust-manager
 * `Bundle` that writes the issuing CA into each granted team's namespace as the ConfigMap workloads mount
 * (trust-manager v0.24: `spec.target.configMap`, the ConfigMap takes the Bundle's name; `spec.sources[].secret` is
 * read from trust-manager's trust namespace, `cert-manager` by default). Declares that the cluster needs both
 * add-ons.
 * @internal
 */
export class LakeCertificate {
  public readonly certificate: Certificate;
  public readonly bundle: Bundle;

  public constructor(ctx: LakeContext, props: LakeCertificateProps) {
    const scope: Construct = ctx.scope;
    AddonRequirements.require(scope, { addon: Addon.CERT_MANAGER, reason: 'the data lake\'s TLS certificate' });
    AddonRequirements.require(scope, { addon: Addon.TRUST_MANAGER, reason: 'the data lake\'s CA in the granted namespaces' });
    this.certificate = new Certificate(scope, 'certificate', {
      metadata: ctx.meta(props.secretName, 'server'),
      spec: {
        secretName: props.secretName,
        dnsNames: props.dnsNames,
        issuerRef: { name: props.issuerName, kind: props.issuerKind, group: 'cert-manager.io' },
        // servers are clients of each other (MinIO's peers speak TLS to the same names)
        usages: [CertificateSpecUsages.SERVER_AUTH, CertificateSpecUsages.CLIENT_AUTH, CertificateSpecUsages.DIGITAL_SIGNATURE, CertificateSpecUsages.KEY_ENCIPHERMENT],
        privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256, rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS },
        duration: '2160h',
        renewBefore: '360h',
      },
    });
    // Bundles are cluster-scoped: two lakes must not write the same ConfigMap name
    ClusterScope.claimUnique(scope, 'trust-manager Bundle', props.caConfigMap, 'MinioDataLakeProps.tls.teamCaConfigMap');
    this.bundle = new Bundle(scope, 'ca-bundle', {
      metadata: { name: props.caConfigMap, labels: ctx.labels('server') },
      spec: {
        sources: [{ secret: { name: props.caSecret, key: props.caSecretKey } }],
        target: {
          configMap: { key: 'ca.crt' },
          namespaceSelector: Lazy.any({
            produce: () => {
              const granted = props.grantedNamespaces();
              // no grant yet: the lake's own namespace (harmless), never every namespace (an empty selector)
              return NamespaceSelectors.among(granted.length ? granted : [ctx.namespaceName]);
            },
          }),
        },
      },
    });
  }
}
