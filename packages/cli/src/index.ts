// PLACEHOLDER (being built): the usage report.
export {};
