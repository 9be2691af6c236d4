export { BillingRepository } from './billing.repository.js';
