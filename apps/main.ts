/**
 * `npm run synth`: the whole reference platform, no cloud account or cluster needed.
 * Writes dist/<cluster>/ (Kubernetes manifests) and cdktf.out/stacks/<stack>/ (Terraform JSON).
 */
import { synthCloud } from './cloud';
import { synthKubernetes } from './k8s';

const clusters = synthKubernetes('dist');
for (const { dir } of clusters) console.log(`wrote ${dir}`);
// each cloud cluster is checked against the Kubernetes version its add-ons need (Knative 1.23: 1.34)
const minimum = (cluster: string) => clusters.find((c) => c.cluster === cluster)?.minimumKubernetesVersion;
console.log(`wrote ${synthCloud('cdktf.out', { eks: minimum('aws'), gke: minimum('gcp') })}`);
