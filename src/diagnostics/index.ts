export * from './diagnostic.js';
export * from './did-you-mean.js';
export * from './secrets.js';
export * from './events.js';
