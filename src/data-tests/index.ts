export { builtinTestMacros, ROW_LEVEL_TESTS } from './builtin-tests.js';
export { generateTestNodes, testName, type GenerateTestsInput } from './generate-test-nodes.js';
export { testQuery, evaluateTest } from './test-query.js';
export { pyRepr, hashable } from './python-repr.js';
