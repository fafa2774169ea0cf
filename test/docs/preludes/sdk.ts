/**
 * Doc-example prelude `sdk`: the SDK clients, adapters and gateway factory that provider and
 * config snippets use without importing them, and a few clients already built.
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { anthropic } from '@switchyard/anthropic';
import { createGateway, type ProviderAdapter } from '@switchyard/core';
import { google } from '@switchyard/google';
import { openai } from '@switchyard/openai';
import OpenAI from 'openai';

export { Anthropic, GoogleGenAI, GoogleGenerativeAI, OpenAI, anthropic, createGateway, google, openai };

/** An `openai` client. */
export declare const client: OpenAI;
/** An `@anthropic-ai/sdk` client. */
export declare const claude: Anthropic;
/** A `@google/genai` client. */
export declare const gemini: GoogleGenAI;
/** A Gemini API key. */
export declare const apiKey: string;
/** The `providers` of a gateway config. */
export declare const providers: Record<string, ProviderAdapter>;
