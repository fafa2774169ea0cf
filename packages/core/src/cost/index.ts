export type { CallCost, CostBreakdown } from './call-cost.js';
export { priceUsage, pricesFor, sumCosts } from './price-usage.js';
export { CostCalculator } from './cost-calculator.js';
export { countTokens, estimatePromptTokens, preloadTokenizer, type TokenCount, type TokenCountMethod } from './token-estimate.js';
export { estimateStreamUsage, type StreamEstimate } from './stream-estimate.js';
