// Every workflow the worker runs. Deterministic code only: no Node built-ins, only types from activities.
export { letterWorkflow } from './letter.js';
export { dailyDigestWorkflow } from './digest.js';
export { reviewWorkflow } from './review.js';
export { disclosureWorkflow } from './disclosure.js';
export { disclosureRequestWorkflow } from './disclosure-request.js';
export { linkApplicationWorkflow, linkWatchWorkflow } from './link.js';
export { homeProbeWorkflow } from './home-probe.js';
