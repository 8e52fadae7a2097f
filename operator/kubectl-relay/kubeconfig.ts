/**
 * The kubeconfig and namespace the way kubectl picks them: `--kubeconfig`,
 * else $KUBECONFIG / ~/.kube/config / in-cluster (client-node's
 * loadFromDefault); `--context` over the current context; `-n` over the
 * context's namespace over "default".
 */
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

export function loadKubeConfig(f: KubeFlags): { kc: KubeConfig; namespace: string } {
  const kc = new KubeConfig();
  if (f.kubeconfig) kc.loadFromFile(f.kubeconfig);
  else kc.loadFromDefault();
  if (f.context) {
    if (!kc.getContextObject(f.context)) throw new Error(`context "${f.context}" does not exist in the kubeconfig`);
    kc.setCurrentContext(f.context);
  }
  const namespace = f.namespace || kc.getContextObject(kc.getCurrentContext())?.namespace || 'default';
  return { kc, namespace };
}
