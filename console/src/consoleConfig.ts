/** Links the API tells the console about (GET /console/config.json): the Temporal Web UI, if any. */
import { useQuery } from '@tanstack/react-query';

export interface ConsoleConfig {
  temporalUiUrl: string | null;
  temporalNamespace: string;
}

export function useConsoleConfig() {
  return useQuery({
    queryKey: ['console-config'],
    queryFn: async (): Promise<ConsoleConfig> => {
      const response = await fetch('/console/config.json', { credentials: 'omit' });
      if (!response.ok) return { temporalUiUrl: null, temporalNamespace: 'default' };
      return (await response.json()) as ConsoleConfig;
    },
    staleTime: Infinity,
    refetchInterval: false,
  });
}

export function workflowUrl(config: ConsoleConfig | undefined, workflowId: string): string | null {
  if (!config?.temporalUiUrl) return null;
  return `${config.temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(config.temporalNamespace)}/workflows/${encodeURIComponent(workflowId)}`;
}
