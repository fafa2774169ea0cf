#!/usr/bin/env node
// PLACEHOLDER (being built): the switchyard command.
export {};
