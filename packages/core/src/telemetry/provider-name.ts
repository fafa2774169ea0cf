// The `gen_ai.provider.name` of an adapter family: the convention's well-known value where there is one.

/** Adapter families whose convention name differs from the family itself. */
const CONVENTION_NAMES: Readonly<Record<string, string>> = {
  google: 'gcp.gemini',
  gemini: 'gcp.gemini',
  'vertex-ai': 'gcp.vertex_ai',
  bedrock: 'aws.bedrock',
  azure: 'azure.ai.openai',
  mistral: 'mistral_ai',
  xai: 'x_ai',
};

/**
 * `openai`, `anthropic` and compatible servers' own names (`vllm`, `groq`) pass as they are;
 * `google` is `gcp.gemini`, or `gcp.vertex_ai` when its client calls Vertex AI.
 */
export function genAiProviderName(family: string, address?: string): string {
  if (family === 'google' && address?.endsWith('aiplatform.googleapis.com')) return 'gcp.vertex_ai';
  return CONVENTION_NAMES[family] ?? family;
}
