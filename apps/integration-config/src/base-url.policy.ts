import { isIP } from 'node:net';
import { AppError } from '@incident-sync/contracts';

export interface BaseUrlPolicyOptions {
  /** Hostnames allowed over https; `*.example.com` allows subdomains of example.com. */
  allowList: readonly string[];
  /** Local mode: loopback hosts (http or https) are allowed too. */
  allowLocal: boolean;
  /** Exact plain-http origins allowed as well (a simulator on a private network: `http://pagerduty-sim:8090`). */
  httpOrigins?: readonly string[];
}

/** `http://host[:port]` in URL's own normal form (default port dropped, host lower-cased). */
function originOf(entry: string): string | null {
  try {
    const url = new URL(entry);
    return url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}

function isHttpOrigin(url: URL, options: BaseUrlPolicyOptions): boolean {
  return url.protocol === 'http:' && (options.httpOrigins ?? []).some((entry) => originOf(entry) === url.origin);
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

function allowListed(hostname: string, allowList: readonly string[]): boolean {
  const host = hostname.toLowerCase();
  return allowList.some((entry) => {
    const e = entry.toLowerCase();
    return e.startsWith('*.') ? host.endsWith(e.slice(1)) && host.length > e.length - 1 : host === e;
  });
}

/**
 * Guards every URL the service will call with a customer's token (ARCHITECTURE §4: no SSRF
 * proxy): https to an allow-listed host (PagerDuty's US and EU API hosts by default), no
 * credentials, query or fragment. Loopback (and plain http to it) only in local mode, for
 * the simulator; plain http otherwise only to an exact origin of `httpOrigins` (a simulator
 * in docker compose). Returns the normalized URL (no trailing slash) or a 400 naming `field`.
 */
export function validateBaseUrl(raw: string, options: BaseUrlPolicyOptions, field = 'base_url'): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw AppError.validation(field, `${field} must be an absolute URL such as https://api.pagerduty.com`);
  }
  if (url.username || url.password) throw AppError.validation(field, `${field} must not contain credentials`);
  if (url.search || url.hash) throw AppError.validation(field, `${field} must not have a query or fragment`);
  // An origin the operator listed exactly (BASE_URL_HTTP_ALLOW_LIST) needs no further check.
  if (!isHttpOrigin(url, options)) {
    if (isLoopback(url.hostname)) {
      if (!options.allowLocal) {
        throw AppError.validation(field, `${field} must not point at this machine (loopback is allowed only when ALLOW_LOCAL_BASE_URLS is on)`);
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw AppError.validation(field, `${field} must use http or https`);
    } else {
      if (url.protocol !== 'https:') throw AppError.validation(field, `${field} must use https (plain http only to an origin listed in BASE_URL_HTTP_ALLOW_LIST)`);
      if (!allowListed(url.hostname, options.allowList)) {
        throw AppError.validation(field, `${field} host ${url.hostname} is not allowed; allowed hosts: ${options.allowList.join(', ')}`);
      }
    }
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** The configured policy, injected where base URLs (and webhook public URLs) are accepted. */
export class BaseUrlPolicy {
  constructor(readonly options: BaseUrlPolicyOptions) {}

  check(raw: string, field = 'base_url'): string {
    return validateBaseUrl(raw, this.options, field);
  }

  /**
   * Our own public URL that PagerDuty will deliver to: any https host (it is not a host we
   * call with a token), http only in local mode or when the deliverer (`deliveredBy`, the
   * integration's base URL) is a listed http origin: a simulator, since PagerDuty itself
   * delivers over https only.
   */
  checkPublicUrl(raw: string, field = 'public_url', deliveredBy?: string): string {
    let url: URL;
    try {
      url = new URL(raw.trim());
    } catch {
      throw AppError.validation(field, `${field} must be an absolute URL such as https://sync.example.com`);
    }
    if (url.username || url.password || url.search || url.hash) throw AppError.validation(field, `${field} must not contain credentials, a query or a fragment`);
    const simulatorDelivers = deliveredBy !== undefined && URL.canParse(deliveredBy) && isHttpOrigin(new URL(deliveredBy), this.options);
    if (url.protocol !== 'https:' && !((this.options.allowLocal || simulatorDelivers) && url.protocol === 'http:')) {
      throw AppError.validation(field, `${field} must use https (PagerDuty delivers webhooks over https only)`);
    }
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  }
}
