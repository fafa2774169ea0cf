// The clients `gateway.wrap()` made: an adapter built on one would send the gateway's own calls back into it, so the config refuses them.
const WRAPPED = new WeakSet<object>();

export function markWrapped<Client extends object>(client: Client): Client {
  WRAPPED.add(client);
  return client;
}

export function isWrappedClient(client: unknown): boolean {
  return typeof client === 'object' && client !== null && WRAPPED.has(client);
}
