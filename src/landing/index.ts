export { landingNodeFor } from './landing-node.js';
