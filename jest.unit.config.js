/** Pure-logic tests only, without starting Temporal or PostgreSQL: `npx jest -c jest.unit.config.js`. */
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
  globalSetup: undefined,
  globalTeardown: undefined,
  reporters: ['default'],
};
