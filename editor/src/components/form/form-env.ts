import { createContext, useContext } from 'react';

/** What widgets inside a form need to know besides their own value. */
export interface FormEnv {
  /** The node whose config is edited (topic and path pickers look at its wiring). */
  nodeId?: string;
  /** The whole object edited at the top of the form (a node's config, a broker entry). */
  root: Record<string, unknown>;
  /** Show a broker entry in the Brokers tab (from a node's broker select). */
  openBroker?: (id: string) => void;
}

export const FormEnvContext = createContext<FormEnv>({ root: {} });

export function useFormEnv(): FormEnv {
  return useContext(FormEnvContext);
}

/** An id usable in the DOM for a field path inside a form (`ops.1.path` → `f1-ops-1-path`). */
export function fieldDomId(formId: string, path: string): string {
  return `${formId}-${path.replace(/[^A-Za-z0-9_-]/g, '-') || 'root'}`;
}
