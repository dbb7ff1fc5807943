export { builtinTestMacros, ROW_LEVEL_TESTS } from './builtin-tests.js';
export { generateTestNodes, testName, type GenerateTestsInput } from './generate-test-nodes.js';
export { testQuery, evaluateTest } from './test-query.js';
export { pyRepr, hashable } from './python-repr.js';
export { recordTestHistory, HISTORY_SCHEMA, HISTORY_TABLE, type TestHistoryRow } from './test-history.js';
export { rowLevelTests, quarantineRules, buildWithQuarantine, relationshipTarget, type QuarantineRule } from './quarantine.js';
export { mergeWithQuarantine, type ApplyIncremental } from './quarantine-incremental.js';
export { unitTestNodes, givenTableSql, expectedRowsSql, compareRows, macroOverrides, normaliseInput, type UnitTestDefinition } from './unit-tests.js';
export { checkFreshness, hasFreshness, sourcesArtifact, type FreshnessResult } from './freshness.js';
