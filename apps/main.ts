/**
 * `npm run synth`: the whole reference platform, no cloud account or cluster needed.
 * Writes dist/<cluster>/ (Kubernetes manifests) and cdktf.out/stacks/<stack>/ (Terraform JSON).
 */
import { synthCloud } from './cloud';
import { synthKubernetes } from './k8s';

for (const dir of synthKubernetes('dist')) console.log(`wrote ${dir}`);
console.log(`wrote ${synthCloud('cdktf.out')}`);
