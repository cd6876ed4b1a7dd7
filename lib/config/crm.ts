/** The CRM webhook's secrets, inbound and outbound, and where milestones are posted. */
import { isLoopbackUrl, optionalUrl, secret } from './variables';

export const crmVariables = {
  /** Shared secret of the CRM's closed-won webhook (HMAC-SHA256). `npm start` makes one in DATA_DIR if unset. */
  CRM_WEBHOOK_SECRET: secret,
  /** The inbound secret before the last rotation: accepted too until the CRM signs with the new one. */
  CRM_WEBHOOK_SECRET_PREVIOUS: secret,
  /** Where status milestones are posted; unset: milestones are only stored. https unless on this machine. */
  CRM_WEBHOOK_URL: optionalUrl(['http', 'https']).refine(
    (v) => v === undefined || !v.startsWith('http://') || isLoopbackUrl(v),
    {
      message: 'must start with https:// (http:// only for localhost, 127.0.0.1 or [::1])',
    },
  ),
  /**
   * Signs the milestones posted to CRM_WEBHOOK_URL; unset: CRM_WEBHOOK_SECRET signs them (with a warning
   * at start-up), as before this variable existed.
   */
  CRM_OUTBOUND_SECRET: secret,
};

interface CrmSecrets {
  CRM_WEBHOOK_SECRET?: string;
  CRM_WEBHOOK_SECRET_PREVIOUS?: string;
  CRM_OUTBOUND_SECRET?: string;
}

/**
 * Inbound and outbound secrets are separate, so a leaked receiver's secret cannot forge orders: an
 * outbound secret equal to an inbound one is refused, and so is a "previous" secret without a current one.
 */
export function crmSecretProblems(config: CrmSecrets): string[] {
  const problems: string[] = [];
  const { CRM_WEBHOOK_SECRET: current, CRM_WEBHOOK_SECRET_PREVIOUS: previous, CRM_OUTBOUND_SECRET: outbound } = config;
  if (previous !== undefined && current === undefined)
    problems.push(
      'CRM_WEBHOOK_SECRET_PREVIOUS: set only while rotating, together with the new CRM_WEBHOOK_SECRET (CRM_WEBHOOK_SECRET is not set)',
    );
  if (previous !== undefined && previous === current)
    problems.push(
      'CRM_WEBHOOK_SECRET_PREVIOUS: must differ from CRM_WEBHOOK_SECRET (unset it once the rotation is done)',
    );
  if (outbound !== undefined && (outbound === current || outbound === previous)) {
    problems.push(
      `CRM_OUTBOUND_SECRET: must differ from ${outbound === current ? 'CRM_WEBHOOK_SECRET' : 'CRM_WEBHOOK_SECRET_PREVIOUS'} (inbound and outbound signatures use separate secrets)`,
    );
  }
  return problems;
}
