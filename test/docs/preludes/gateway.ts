/** Doc-example prelude `gateway`: a gateway built as in docs/getting-started.md, and a call's params. */
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam, Gateway } from '@switchyard/core';

export declare const gateway: Gateway;
/** A non-stream chat request. */
export declare const params: ChatCompletionCreateParamsNonStreaming;
export declare const messages: ChatCompletionMessageParam[];
export declare const controller: AbortController;
