// An adapter's endpoint from its SDK client's base URL: what telemetry reports as `server.address` and `server.port`.
import type { AdapterEndpoint } from './adapter.js';

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'https:': 443, 'http:': 80 };

/** The host and port of `baseURL` (the scheme's default port when none is given); `undefined` for no URL or one that does not parse. */
export function endpointOf(baseURL: unknown): AdapterEndpoint | undefined {
  if (typeof baseURL !== 'string' || baseURL.length === 0) return undefined;
  let url: URL;
  try {
    url = new URL(baseURL);
  } catch {
    return undefined;
  }
  const port = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
  // IPv6 hosts come bracketed; the attribute holds the address itself.
  const address = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return port === undefined ? { address } : { address, port };
}
