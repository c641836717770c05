/** Jest for the cluster suite (test/cluster): Suprovid on Temporal Server on PostgreSQL with two
 * workers and two API replicas. Each file starts its own cluster; they run one at a time, after the
 * main suite (npm test), since a cluster takes the machine's two cores. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/cluster'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 600_000,
  maxWorkers: 1,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
