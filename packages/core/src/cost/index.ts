export type { CallCost, CostBreakdown } from './call-cost.js';
export { priceUsage, pricesFor, sumCosts } from './price-usage.js';
export { CostCalculator } from './cost-calculator.js';
