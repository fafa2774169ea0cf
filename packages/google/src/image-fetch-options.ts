import { ConfigError, type ConfigIssue } from '@switchyard/core';
import { MAX_TIMER_MS } from '@switchyard/core/adapter';
import { addressPolicy, type PrivateNetworkAllowance } from './address-policy.js';

export interface ImageFetchOptions {
  /** Largest image, in bytes, from a data URL or an http(s) URL. */
  maxBytes: number;
  /** How long fetching one image may take, redirects included, in milliseconds. */
  timeoutMs: number;
  /** Most http(s) image URLs one request may carry; the request is refused before any is fetched. Default 16. */
  maxCount?: number | undefined;
  /** Most bytes one request's http(s) images may download in all. Default 40 MiB. */
  maxTotalBytes?: number | undefined;
  /**
   * By default only public (globally routable) addresses are fetched from, checked after DNS
   * and on every redirect. `true` allows every other address too, except link-local and cloud
   * metadata addresses; a list of IP addresses and CIDR ranges (`['10.20.0.0/16', '::1']`)
   * allows just those on top of the public internet (and may name a metadata address).
   */
  allowPrivateNetworks?: PrivateNetworkAllowance | undefined;
  /**
   * `false` refuses http(s) image URLs instead of fetching them. A function replaces the
   * built-in fetcher, e.g. to go through a proxy: it then decides alone what may be reached,
   * redirects included, as no address check applies to it.
   */
  fetch?: typeof fetch | false | undefined;
}

/**
 * Per image 20 MiB, Gemini's long-standing inline limit. Per request 16 URLs and 40 MiB:
 * room for a set of screenshots or two full-size photos, while one request can neither make
 * the gateway open dozens of connections nor hold more than 40 MiB of downloads (about
 * 56 MB once base64-encoded, inside Gemini's 100 MB inline payload limit).
 */
export const DEFAULT_IMAGE_FETCH_OPTIONS = {
  maxBytes: 20 * 1024 * 1024,
  timeoutMs: 10_000,
  maxCount: 16,
  maxTotalBytes: 40 * 1024 * 1024,
} as const satisfies ImageFetchOptions;

/**
 * The adapter's `images` option with defaults filled in, checked once at construction so
 * that a mistake fails at startup, as a `ConfigError` listing every problem, rather than on
 * every request.
 */
export function imageFetchOptions(given: Partial<ImageFetchOptions> = {}): ImageFetchOptions {
  // An option given as undefined means the default, as if it were left out.
  const set = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
  const options: ImageFetchOptions = { ...DEFAULT_IMAGE_FETCH_OPTIONS, ...set };
  const issues: ConfigIssue[] = [];
  for (const key of ['maxBytes', 'timeoutMs', 'maxCount', 'maxTotalBytes'] as const) {
    const value = options[key];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      issues.push({ path: `images.${key}`, message: `must be a positive whole number (default ${DEFAULT_IMAGE_FETCH_OPTIONS[key]}).` });
    }
  }
  // It arms a timer, and Node fires longer timers after 1 ms.
  if (typeof options.timeoutMs === 'number' && options.timeoutMs > MAX_TIMER_MS) {
    issues.push({ path: 'images.timeoutMs', message: `must be at most ${MAX_TIMER_MS} ms (about 24.8 days), the longest a Node.js timer can wait.` });
  }
  if (options.fetch !== undefined && options.fetch !== false && typeof options.fetch !== 'function') {
    issues.push({ path: 'images.fetch', message: 'must be a fetch-compatible function, or false to refuse http(s) image URLs.' });
  }
  if (options.allowPrivateNetworks !== undefined && options.allowPrivateNetworks !== false && typeof options.fetch === 'function') {
    issues.push({
      path: 'images.allowPrivateNetworks',
      message: 'has no effect with a custom images.fetch, which alone decides what may be fetched: drop one of the two.',
    });
  }
  try {
    addressPolicy(options.allowPrivateNetworks);
  } catch (error) {
    issues.push({ path: 'images.allowPrivateNetworks', message: error instanceof Error ? error.message : String(error) });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return options;
}
