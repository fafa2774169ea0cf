import { describe, expect, it } from 'vitest';
import { endpointOf } from './adapter-endpoint.js';

describe('endpointOf', () => {
  it('takes the host and the port, or the scheme default', () => {
    expect(endpointOf('https://api.openai.com/v1')).toEqual({ address: 'api.openai.com', port: 443 });
    expect(endpointOf('http://127.0.0.1:8080/v1')).toEqual({ address: '127.0.0.1', port: 8080 });
    expect(endpointOf('http://localhost/v1')).toEqual({ address: 'localhost', port: 80 });
    expect(endpointOf('http://[::1]:9000')).toEqual({ address: '::1', port: 9000 });
  });

  it('gives nothing for a missing or unparsable URL', () => {
    expect(endpointOf(undefined)).toBeUndefined();
    expect(endpointOf('')).toBeUndefined();
    expect(endpointOf('not a url')).toBeUndefined();
  });
});
