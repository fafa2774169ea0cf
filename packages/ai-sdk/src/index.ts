// PLACEHOLDER (being built): the AI SDK provider.
export {};
