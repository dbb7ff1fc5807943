export { planTasks, nodeSelector, isTaskNode } from './plan-tasks.js';
export { renderPython, type OutputKind } from './render-python.js';
export { resolveAirflowSettings, AIRFLOW_KEYS, type AirflowInput, type AirflowKey } from './airflow-settings.js';
export { relationUri, type TargetInfo } from './relation-uri.js';
export type { AirflowPlan, AirflowSettings, PlannedTask, TestBehavior, Execution, GroupBy } from './types.js';
