export { seedDemoPharmacy } from './demo-pharmacy.js';
