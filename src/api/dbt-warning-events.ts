/**
 * The names dbt's `warn_error_options` takes: dbt's warning events (dbt-core's, its adapters' and dbt-common's
 * classes at warn or dynamic level, as in dbt 1.11), and `Deprecations`, the group of every deprecation event.
 * A name outside this list and Strata's own warning codes is a usage error, as dbt's "is not a valid dbt error name".
 */
export const DBT_WARNING_EVENTS: ReadonlySet<string> = new Set([
  'AdapterDeprecationWarning', 'AdapterEventWarning', 'ArgumentsPropertyInGenericTestDeprecation',
  'BehaviorChangeEvent', 'CatalogGenerationError', 'CollectFreshnessReturnSignature', 'ConfigDataPathDeprecation',
  'ConfigLogPathDeprecation', 'ConfigSourcePathDeprecation', 'ConfigTargetPathDeprecation', 'ConstraintNotEnforced',
  'ConstraintNotSupported', 'CustomKeyInConfigDeprecation', 'CustomKeyInObjectDeprecation',
  'CustomOutputPathInSourceFreshnessDeprecation', 'CustomTopLevelKeyDeprecation', 'DeprecatedModel',
  'DeprecatedReference', 'DeprecationsSummary', 'DepsScrubbedPackageName', 'DepsUnpinned',
  'DuplicateNameDistinctNodeTypesDeprecation', 'DuplicateYAMLKeysDeprecation',
  'EnvironmentVariableNamespaceDeprecation', 'EnvironmentVariableRenamed', 'ExposureNameDeprecation',
  'FreshnessConfigProblem', 'GenericJSONSchemaValidationDeprecation', 'GetMetaKeyWarning', 'InternalDeprecation',
  'InvalidConcurrentBatchesConfig', 'InvalidMacroAnnotation', 'InvalidValueForField', 'JinjaLogWarning',
  'LogBatchResult', 'LogFreshnessResult', 'LogFunctionResult', 'LogModelResult', 'LogNodeResult', 'LogSeedResult',
  'LogSnapshotResult', 'LogTestResult', 'MFCumulativeTypeParamsDeprecation',
  'MFTimespineWithoutYamlConfigurationDeprecation', 'MacroNotFoundForPatch', 'MetricAttributesRenamed',
  'MicrobatchMacroOutsideOfBatchesDeprecation', 'MicrobatchModelNoEventTimeInputs',
  'MissingArgumentsPropertyInGenericTestDeprecation', 'MissingPlusPrefixDeprecation', 'ModelParamUsageDeprecation',
  'ModulesItertoolsUsageDeprecation', 'NoNodeForYamlKey', 'NoNodesForSelectionCriteria', 'NoNodesSelected',
  'NodeNotFoundOrDisabled', 'NothingToDo', 'PackageInstallPathDeprecation',
  'PackageMaterializationOverrideDeprecation', 'PackageNodeDependsOnRootProjectNode', 'PackageRedirectDeprecation',
  'ProjectFlagsMovedDeprecation', 'PropertyMovedToConfigDeprecation', 'ResourceNamesWithSpacesDeprecation',
  'RunResultWarning', 'RunResultWarningMessage', 'SeedExceedsLimitAndPathChanged', 'SeedExceedsLimitChecksumChanged',
  'SeedExceedsLimitSamePath', 'SeedIncreased', 'SemanticValidationFailure', 'SnapshotTimestampWarning',
  'SourceFreshnessProjectHooksNotRun', 'SourceOverrideDeprecation', 'SpacesInResourceNameDeprecation',
  'TestsConfigDeprecation', 'UnexpectedJinjaBlockDeprecation', 'UnsupportedConstraintMaterialization',
  'UnusedResourceConfigPath', 'UnusedTables', 'UnversionedBreakingChange', 'UpcomingReferenceDeprecation',
  'ValidationWarning', 'WEOIncludeExcludeDeprecation', 'WarnStateTargetEqual', 'WrongResourceSchemaFile',
  'Deprecations',
]);
