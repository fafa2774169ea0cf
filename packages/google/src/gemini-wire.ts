import { z } from 'zod';

/**
 * Gemini's REST shapes, which both `@google/generative-ai` and `@google/genai` send and
 * return. Requests are built with these types; responses are checked with the loose
 * schemas below, so new fields pass and are ignored.
 */
export interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  functionCall?: { name: string; args?: Record<string, unknown> };
  functionResponse?: { name: string; response: Record<string, unknown> };
}

export interface GeminiContent {
  role: 'user' | 'model';
  parts: GeminiPart[];
}

export interface GeminiGenerationConfig {
  temperature?: number;
  topP?: number;
  topK?: number;
  candidateCount?: number;
  maxOutputTokens?: number;
  stopSequences?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseMimeType?: string;
  responseSchema?: unknown;
  thinkingConfig?: { thinkingBudget?: number; includeThoughts?: boolean };
}

export interface GeminiRequest {
  contents: GeminiContent[];
  systemInstruction?: { role: 'user'; parts: GeminiPart[] };
  tools?: Array<{ functionDeclarations: Array<{ name: string; description?: string; parameters?: unknown }> }>;
  toolConfig?: { functionCallingConfig: { mode: 'AUTO' | 'ANY' | 'NONE'; allowedFunctionNames?: string[] } };
  generationConfig?: GeminiGenerationConfig;
}

const wirePartSchema = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  functionCall: z
    .looseObject({
      name: z.string().optional(),
      args: z.record(z.string(), z.unknown()).nullish(),
      willContinue: z.boolean().optional(),
      partialArgs: z
        .array(
          z.looseObject({
            jsonPath: z.string(),
            stringValue: z.string().optional(),
            numberValue: z.number().optional(),
            boolValue: z.boolean().optional(),
            nullValue: z.unknown().optional(),
            willContinue: z.boolean().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});

export const wireUsageSchema = z.looseObject({
  promptTokenCount: z.number().nullish(),
  candidatesTokenCount: z.number().nullish(),
  totalTokenCount: z.number().nullish(),
  cachedContentTokenCount: z.number().nullish(),
  thoughtsTokenCount: z.number().nullish(),
  toolUsePromptTokenCount: z.number().nullish(),
});

export const wireResponseSchema = z.looseObject({
  candidates: z
    .array(
      z.looseObject({
        index: z.number().nullish(),
        content: z.looseObject({ parts: z.array(wirePartSchema).nullish() }).nullish(),
        finishReason: z.string().nullish(),
        finishMessage: z.string().nullish(),
      }),
    )
    .nullish(),
  promptFeedback: z.looseObject({ blockReason: z.string().nullish(), blockReasonMessage: z.string().nullish() }).nullish(),
  usageMetadata: wireUsageSchema.nullish(),
  modelVersion: z.string().nullish(),
  responseId: z.string().nullish(),
});

export const wireEmbeddingSchema = z.looseObject({ values: z.array(z.number()) });

export type WirePart = z.infer<typeof wirePartSchema>;
export type WireUsage = z.infer<typeof wireUsageSchema>;
export type WireResponse = z.infer<typeof wireResponseSchema>;
export type WireCandidate = NonNullable<WireResponse['candidates']>[number];
