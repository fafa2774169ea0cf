import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { AddressPolicy } from './address-policy.js';
import { ImageFetchRefusal, type FetchedImage, type ImageFetcher } from './image-fetcher.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has, as `dns.lookup(name, { all: true })` does. */
export type Resolve = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface PublicImageFetcherOptions {
  /** Which addresses may be connected to: checked on every address, on every hop. */
  allows: AddressPolicy;
  /** Stands in for DNS, so tests can "resolve" a name to any address without a resolver. */
  resolve?: Resolve | undefined;
}

/** Redirects followed per image: enough for http→https plus a CDN hop or two. */
export const MAX_IMAGE_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const systemResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true });

/**
 * The built-in fetcher for image URLs, safe to point at URLs that end users choose: it
 * connects only to addresses the policy allows, checked AFTER DNS resolution on the very
 * address the socket connects to (the checked addresses are handed to the socket through
 * `lookup`, so a name cannot resolve once for the check and again, elsewhere, for the
 * connection), and again on every redirect, which it follows itself. It connects directly,
 * never through a proxy or a pooled socket: a proxy's address is not the image's.
 */
export function publicImageFetcher(options: PublicImageFetcherOptions): ImageFetcher {
  const resolve = options.resolve ?? systemResolve;
  return async (url, { signal, headers }) => {
    let current = url;
    for (let redirects = 0; ; redirects++) {
      const response = await get(current, { signal, headers, allows: options.allows, resolve, redirected: redirects > 0 });
      const location = REDIRECT_STATUSES.has(response.statusCode ?? 0) ? response.headers.location : undefined;
      if (location === undefined) return fetched(response);
      response.destroy();
      if (redirects === MAX_IMAGE_REDIRECTS) throw new ImageFetchRefusal('too-many-redirects', true);
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw new ImageFetchRefusal('redirect-location', true);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') throw new ImageFetchRefusal('redirect-scheme', true);
      current = next;
    }
  };
}

interface GetOptions {
  signal: AbortSignal;
  headers: Record<string, string>;
  allows: AddressPolicy;
  resolve: Resolve;
  redirected: boolean;
}

function get(url: URL, options: GetOptions): Promise<IncomingMessage> {
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  // Node connects to an IP literal without calling `lookup`, so literals are checked here.
  if (isIP(hostname) !== 0 && !options.allows(hostname)) return Promise.reject(new ImageFetchRefusal('non-public-address', options.redirected));
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request({
      protocol: url.protocol,
      hostname,
      port: url.port,
      // Credentials in the URL are not sent: this fetcher sends nothing but the Accept header.
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: options.headers,
      signal: options.signal,
      lookup: checkedLookup(options),
      agent: false,
    });
    outgoing.once('response', resolve);
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function fetched(response: IncomingMessage): FetchedImage {
  const status = response.statusCode ?? 0;
  const header = (name: string) => {
    const value = response.headers[name];
    return typeof value === 'string' ? value : null;
  };
  return {
    ok: status >= 200 && status < 300,
    contentType: header('content-type'),
    contentLength: header('content-length'),
    body: response,
    discard: () => response.destroy(),
  };
}

/** RFC 6761: `localhost` and names under it are loopback, whatever a resolver says. */
const LOCALHOST = /^(?:.+\.)?localhost\.?$/i;

/**
 * A `lookup` for `http.request` that resolves the name, keeps only the addresses the policy
 * allows and hands those, and only those, to the socket. With none left it fails with an
 * `ImageFetchRefusal`, before any connection is attempted.
 */
function checkedLookup({ allows, resolve, redirected }: GetOptions): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
    const resolving = LOCALHOST.test(hostname)
      ? Promise.resolve([
          { address: '127.0.0.1', family: 4 },
          { address: '::1', family: 6 },
        ])
      : resolve(hostname);
    resolving.then(
      (addresses) => {
        const usable = addresses.filter((entry) => (family === 0 || entry.family === family) && allows(entry.address));
        const [first] = usable;
        if (first === undefined) {
          const error: NodeJS.ErrnoException = addresses.length === 0 ? Object.assign(new Error(`${hostname} has no addresses`), { code: 'ENOTFOUND' }) : new ImageFetchRefusal('non-public-address', redirected);
          callback(error, []);
        } else if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}
