/**
 * What the EKS side of Terraform and the Kubernetes side (Karpenter) must agree on, derived from the cluster
 * name so that neither writes it twice.
 */
export class EksContract {
  /** Tag Karpenter's EC2NodeClass selects subnets and security groups by (value: the cluster name). */
  public static readonly DISCOVERY_TAG = 'karpenter.sh/discovery';

  /** IAM role of the nodes Karpenter launches (the EC2NodeClass `role`; it has an EKS access entry). */
  public static karpenterNodeRoleName(clusterName: string): string {
    return `${clusterName}-karpenter-node`;
  }
}
