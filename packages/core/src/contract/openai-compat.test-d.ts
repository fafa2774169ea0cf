/**
 * Type-level proof that the contract is the OpenAI shape: every type here must be
 * assignable to and from the `openai` SDK's own type. `pnpm typecheck` fails otherwise.
 */
import type OpenAI from 'openai';
import type * as Contract from './index.js';

type Assert<T extends true> = T;
type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export type Checks = [
  Assert<Mutual<Contract.ChatCompletionCreateParams, OpenAI.Chat.ChatCompletionCreateParams>>,
  Assert<
    Mutual<Contract.ChatCompletionCreateParamsNonStreaming, OpenAI.Chat.ChatCompletionCreateParamsNonStreaming>
  >,
  Assert<Mutual<Contract.ChatCompletionCreateParamsStreaming, OpenAI.Chat.ChatCompletionCreateParamsStreaming>>,
  Assert<Mutual<Contract.ChatCompletionMessageParam, OpenAI.Chat.ChatCompletionMessageParam>>,
  Assert<Mutual<Contract.ChatCompletionContentPart, OpenAI.Chat.ChatCompletionContentPart>>,
  Assert<Mutual<Contract.ChatCompletionTool, OpenAI.Chat.ChatCompletionTool>>,
  Assert<Mutual<Contract.ChatCompletionToolChoiceOption, OpenAI.Chat.ChatCompletionToolChoiceOption>>,
  Assert<Mutual<Contract.ChatCompletion, OpenAI.Chat.ChatCompletion>>,
  Assert<Mutual<Contract.ChatCompletionChunk, OpenAI.Chat.ChatCompletionChunk>>,
  Assert<Mutual<Contract.CompletionUsage, OpenAI.CompletionUsage>>,
  Assert<Mutual<Contract.EmbeddingCreateParams, OpenAI.EmbeddingCreateParams>>,
  Assert<Mutual<Contract.CreateEmbeddingResponse, OpenAI.CreateEmbeddingResponse>>,
];
