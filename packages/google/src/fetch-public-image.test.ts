import { InvalidRequestError } from '@switchyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { addressPolicy, type PrivateNetworkAllowance } from './address-policy.js';
import { publicImageFetcher, type ResolvedAddress } from './fetch-public-image.js';
import { inlineImage } from './inline-image.js';
import { closeTestServers, PNG, startImageServer, startTestServer, type TestServer } from './test-image-server.js';
import { rejection } from './test-rejection.js';

afterEach(closeTestServers);

/**
 * DNS for these tests: names map to whatever address a test needs, and any other name
 * fails, so no query ever leaves the machine. `lookups` records every name resolved.
 */
function fakeDns(names: Record<string, readonly string[]>) {
  const lookups: string[] = [];
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    lookups.push(hostname);
    const addresses = names[hostname];
    if (addresses === undefined) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { lookups, resolve };
}

function fetchWith(allowance: PrivateNetworkAllowance | undefined, dns = fakeDns({})) {
  return (url: string) => inlineImage(url, { maxBytes: 1_024, timeoutMs: 5_000, fetcher: publicImageFetcher({ allows: addressPolicy(allowance), resolve: dns.resolve }) });
}

const refusal = (promise: Promise<unknown>) => rejection(promise, InvalidRequestError);

const REFUSED = /was refused: it resolves to a non-public address .*images\.allowPrivateNetworks/;
const REDIRECT_REFUSED = /was refused: a redirect from it leads to a non-public address/;

describe('publicImageFetcher: by default, public addresses only', () => {
  it('refuses an image server on 127.0.0.1 without connecting, and says how to opt in', async () => {
    const server = await startImageServer();
    const error = await refusal(fetchWith(undefined)(`${server.url}/cat.png?sig=secret`));
    expect(error.message).toMatch(REFUSED);
    expect(error.message).toContain(`127.0.0.1:${server.port}`);
    expect(error.message).not.toMatch(/cat\.png|secret/);
    expect(error.retryable).toBe(false);
    expect(server.connections).toBe(0);
  });

  it.each([
    ['decimal', (port: number) => `http://2130706433:${port}/`],
    ['hex', (port: number) => `http://0x7f.1:${port}/`],
    ['octal', (port: number) => `http://0177.0.0.1:${port}/`],
    ['short', (port: number) => `http://127.1:${port}/`],
    ['IPv4-mapped IPv6, dotted', (port: number) => `http://[::ffff:127.0.0.1]:${port}/`],
    ['IPv4-mapped IPv6, hex', (port: number) => `http://[::ffff:7f00:1]:${port}/`],
    ['IPv6 loopback', (port: number) => `http://[::1]:${port}/`],
    ['unspecified IPv4', (port: number) => `http://0.0.0.0:${port}/`],
    ['unspecified IPv4, as 0', (port: number) => `http://0:${port}/`],
    ['unspecified IPv6', (port: number) => `http://[::]:${port}/`],
    ['localhost', (port: number) => `http://localhost:${port}/`],
    ['localhost with a trailing dot', (port: number) => `http://localhost.:${port}/`],
    ['LOCALHOST', (port: number) => `http://LOCALHOST:${port}/`],
    ['a name under localhost', (port: number) => `http://images.localhost:${port}/`],
    ['https to loopback', (port: number) => `https://127.0.0.1:${port}/`],
  ])('refuses loopback spelt %s, before any DNS or connection', async (_name, url) => {
    const server = await startImageServer();
    const dns = fakeDns({});
    const error = await refusal(fetchWith(undefined, dns)(url(server.port)));
    expect(error.message).toMatch(REFUSED);
    expect(dns.lookups).toEqual([]);
    expect(server.connections).toBe(0);
  });

  it.each([
    ['metadata.google.internal', '169.254.169.254'],
    ['imds.test', 'fd00:ec2::254'],
    ['intranet.test', '10.0.0.7'],
    ['cgnat.test', '100.64.1.1'],
    ['ula.test', 'fd12:3456::1'],
    ['mapped.test', '::ffff:127.0.0.1'],
    ['nat64.test', '64:ff9b::a9fe:a9fe'],
  ])('refuses %s, which resolves to %s, after DNS and before connecting', async (name, address) => {
    const dns = fakeDns({ [name]: [address] });
    const error = await refusal(fetchWith(undefined, dns)(`http://${name}/latest/meta-data/`));
    expect(error.message).toMatch(REFUSED);
    expect(error.message).toContain(name);
    // Neither the address it resolved to nor the path is repeated.
    expect(error.message).not.toContain(address);
    expect(error.message).not.toContain('meta-data');
    expect(dns.lookups).toEqual([name]);
  });

  it('refuses a name with several addresses when none is public', async () => {
    const server = await startImageServer();
    const dns = fakeDns({ 'both.test': ['10.0.0.1', '127.0.0.1', 'fe80::1'] });
    expect((await refusal(fetchWith(undefined, dns)(`http://both.test:${server.port}/`))).message).toMatch(REFUSED);
    expect(server.connections).toBe(0);
  });

  it('names a long host cut short, as core excerpts a caller\'s text, with its full length', async () => {
    const name = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.test`;
    const error = await refusal(fetchWith(undefined, fakeDns({ [name]: ['10.0.0.1'] }))(`http://${name}/`));
    expect(error.message).toContain(`${name.slice(0, 100)}… (${name.length} characters) was refused`);
    expect(error.message).not.toContain(name);
  });

  it('reports a name that does not resolve by its error code, not as a refusal', async () => {
    const error = await refusal(fetchWith(undefined)('http://nowhere.test/cat.png'));
    expect(error.message).toBe('Could not fetch image_url from nowhere.test (ENOTFOUND).');
  });
});

describe('publicImageFetcher: connects to the address it checked', () => {
  it('sends the request to the checked address under the name the URL gave', async () => {
    let host: string | undefined;
    const server = await startTestServer((request, response) => {
      host = request.headers.host;
      response.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    });
    const dns = fakeDns({ 'images.test': ['127.0.0.1'] });
    const image = await fetchWith(['127.0.0.1'], dns)(`http://images.test:${server.port}/cat.png`);
    expect(Buffer.from(image.data, 'base64')).toEqual(PNG);
    expect(host).toBe(`images.test:${server.port}`);
  });

  it('keeps only the allowed addresses of a name and connects to one of those', async () => {
    const server = await startImageServer();
    const dns = fakeDns({ 'mixed.test': ['10.0.0.1', '127.0.0.1', 'fd00::1'] });
    await expect(fetchWith(['127.0.0.1'], dns)(`http://mixed.test:${server.port}/`)).resolves.toMatchObject({ mimeType: 'image/png' });
    expect(server.connections).toBe(1);
  });

  it('resolves once per connection, so a name cannot pass the check and then rebind elsewhere', async () => {
    const server = await startImageServer();
    const answers = [['127.0.0.1'], ['10.0.0.1']];
    const lookups: string[] = [];
    const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
      lookups.push(hostname);
      return (answers.shift() ?? []).map((address) => ({ address, family: 4 }));
    };
    const fetcher = publicImageFetcher({ allows: addressPolicy(['127.0.0.1']), resolve });
    await expect(inlineImage(`http://rebind.test:${server.port}/`, { maxBytes: 1_024, timeoutMs: 5_000, fetcher })).resolves.toBeDefined();
    expect(lookups).toEqual(['rebind.test']);
  });

  it('does not send credentials written into the URL', async () => {
    let authorization: string | undefined;
    const server = await startTestServer((request, response) => {
      authorization = request.headers.authorization;
      response.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    });
    await fetchWith(true)(`http://user:password@127.0.0.1:${server.port}/`);
    expect(authorization).toBeUndefined();
  });
});

describe('publicImageFetcher: opting in', () => {
  it.each([
    ['true', true],
    ['a list naming the address', ['127.0.0.1']],
    ['a list with a range holding it', ['127.0.0.0/8']],
  ] as const)('fetches from 127.0.0.1 with allowPrivateNetworks %s', async (_name, allowance) => {
    const server = await startImageServer();
    const image = await fetchWith(allowance)(`${server.url}/cat.png`);
    expect(image).toEqual({ mimeType: 'image/png', data: PNG.toString('base64') });
    expect(server.requests).toEqual(['/cat.png']);
  });

  it('still refuses addresses a list leaves out', async () => {
    const server = await startImageServer();
    expect((await refusal(fetchWith(['10.0.0.0/8'])(`${server.url}/`))).message).toMatch(REFUSED);
    expect(server.connections).toBe(0);
  });

  it('with true, still refuses the metadata address (before connecting)', async () => {
    const dns = fakeDns({ 'metadata.google.internal': ['169.254.169.254'] });
    const error = await refusal(fetchWith(true, dns)('http://metadata.google.internal/computeMetadata/v1/'));
    expect(error.message).toMatch(REFUSED);
    expect((await refusal(fetchWith(true, dns)('http://169.254.169.254/latest/meta-data/'))).message).toMatch(REFUSED);
  });
});

describe('publicImageFetcher: redirects are checked hop by hop', () => {
  /** A server that redirects `/start` to `location(its port)` and serves the PNG anywhere else. */
  function redirecting(location: (port: number) => string, status = 302): Promise<TestServer> {
    return startTestServer((request, response) => {
      if (request.url === '/start') response.writeHead(status, { location: location(request.socket.localPort ?? 0) }).end();
      else response.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    });
  }

  // Only 127.0.0.1 is allowed: it stands in for a public host, so the first hop may connect.
  const allowOne = ['127.0.0.1'];

  it.each([301, 302, 303, 307, 308])('follows a %i to an allowed address, relative locations included', async (status) => {
    const server = await redirecting(() => '/real.png', status);
    const image = await fetchWith(allowOne)(`${server.url}/start`);
    expect(Buffer.from(image.data, 'base64')).toEqual(PNG);
    expect(server.requests).toEqual(['/start', '/real.png']);
  });

  it.each([
    ['another loopback address', (port: number) => `http://127.0.0.2:${port}/secret`],
    ['IPv6 loopback', (port: number) => `http://[::1]:${port}/secret`],
    ['the metadata address', () => 'http://169.254.169.254/latest/meta-data/iam/'],
    ['a decimal loopback address', () => 'http://2130706434/secret'],
    ['a name that resolves to a private address', () => 'http://internal.test/secret'],
  ])('refuses a redirect to %s, before connecting to it', async (_name, location) => {
    const server = await redirecting(location);
    const dns = fakeDns({ 'internal.test': ['10.1.2.3'] });
    const error = await refusal(fetchWith(allowOne, dns)(`${server.url}/start`));
    expect(error.message).toMatch(REDIRECT_REFUSED);
    expect(error.message).toContain(`127.0.0.1:${server.port}`);
    // Where it redirected stays out of the message.
    expect(error.message).not.toMatch(/secret|meta-data|internal\.test|10\.1\.2\.3|169\.254/);
    expect(server.requests).toEqual(['/start']);
    expect(server.connections).toBe(1);
  });

  it('refuses a redirect to loopback from a public-looking name', async () => {
    const server = await redirecting((port) => `http://127.0.0.2:${port}/`);
    const dns = fakeDns({ 'cdn.test': ['127.0.0.1'] });
    const error = await refusal(fetchWith(allowOne, dns)(`http://cdn.test:${server.port}/start`));
    expect(error.message).toMatch(REDIRECT_REFUSED);
    expect(error.message).toContain('cdn.test');
  });

  it.each(['file:///etc/passwd', 'gopher://127.0.0.1:70/', 'data:image/png;base64,AAAA', 'javascript:alert(1)'])('refuses a redirect to %s', async (location) => {
    const server = await redirecting(() => location);
    const error = await refusal(fetchWith(true)(`${server.url}/start`));
    expect(error.message).toMatch(/was refused: it redirects to a URL that is not http\(s\)/);
    expect(server.requests).toEqual(['/start']);
  });

  it('refuses a malformed location', async () => {
    const server = await redirecting(() => 'http://[oops/');
    expect((await refusal(fetchWith(true)(`${server.url}/start`))).message).toMatch(/redirects to a malformed location/);
  });

  it('follows 3 redirects and refuses a 4th', async () => {
    const server = await startTestServer((request, response) => {
      const hop = Number(request.url?.slice(1));
      if (hop < 3) response.writeHead(302, { location: `/${hop + 1}` }).end();
      else response.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    });
    await expect(fetchWith(true)(`${server.url}/0`)).resolves.toBeDefined();
    expect(server.requests).toEqual(['/0', '/1', '/2', '/3']);

    const endless = await startTestServer((request, response) => response.writeHead(307, { location: `${request.url ?? ''}x` }).end());
    expect((await refusal(fetchWith(true)(`${endless.url}/`))).message).toMatch(/redirects too many times/);
    expect(endless.requests).toEqual(['/', '/x', '/xx', '/xxx']);
  });
});

describe('publicImageFetcher: errors say nothing of what the target answered', () => {
  it('leaves out the status, the body and the location of a failed answer', async () => {
    const server = await startTestServer((_request, response) => {
      response.writeHead(403, { 'content-type': 'text/plain', location: 'http://10.0.0.9/' }).end('internal-only: db01.corp');
    });
    const error = await refusal(fetchWith(true)(`${server.url}/admin?token=abc`));
    expect(error.message).toBe(`Could not fetch image_url from 127.0.0.1:${server.port}: the server did not answer with a success status.`);
  });

  it('does not name the media type when it is not a plain type/subtype', async () => {
    const server = await startTestServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'secret value from db01.corp' }).end('x');
    });
    const error = await refusal(fetchWith(true)(`${server.url}/`));
    expect(error.message).toBe(`image_url from 127.0.0.1:${server.port} is of an unrecognised type, not an image.`);
  });
});
