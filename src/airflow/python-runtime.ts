import type { Execution } from './types.js';

/** The imports of a generated file: each tries Airflow 3's module first, then Airflow 2.7+'s. */
export function pythonImports(execution: Execution): string {
  const operator = {
    local: `try:  # Airflow 3
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:  # Airflow 2.7+
    from airflow.operators.bash import BashOperator`,
    docker: 'from airflow.providers.docker.operators.docker import DockerOperator',
    kubernetes: `try:
    from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
except ImportError:  # cncf.kubernetes provider before 7.0
    from airflow.providers.cncf.kubernetes.operators.kubernetes_pod import KubernetesPodOperator`,
  }[execution];
  return `from __future__ import annotations

import json
import shlex
from datetime import datetime, timedelta, timezone

try:  # Airflow 3
    from airflow.sdk import DAG, Asset, TaskGroup
except ImportError:  # Airflow 2.7+
    from airflow import DAG
    from airflow.datasets import Dataset as Asset
    from airflow.utils.task_group import TaskGroup
${operator}`;
}

/** The operator call of one task, by execution. */
function operatorCall(execution: Execution): string {
  if (execution === 'local') return '    return BashOperator(bash_command=script, **kwargs)';
  if (execution === 'docker') return '    return DockerOperator(image=STRATA["image"], command=["bash", "-c", script], mount_tmp_dir=False, **kwargs)';
  return `    pod = {"namespace": STRATA["namespace"]} if STRATA["namespace"] else {}
    name = kwargs["task_id"].lower().replace("_", "-").replace(".", "-")[:63].strip("-")
    return KubernetesPodOperator(name=name, image=STRATA["image"], cmds=["bash", "-c"], arguments=[script], get_logs=True, **pod, **kwargs)`;
}

/**
 * The code every generated file shares: the shell script of a task (its own target path under a run-scoped folder,
 * a warm parse cache copied in, Airflow's dates as vars, the run_results.json summary in the log) and the loop that
 * adds the tasks, their TaskGroups and their edges. No `{{`, `{%` or `{#` outside the intended templates: Airflow
 * renders the script with Jinja.
 */
export function pythonRuntime(execution: Execution): string {
  return `# Parse caches a task copies into its own target path, so it starts warm.
_CACHE_FILES = ["graph_snapshot.strata.json", "graph_snapshot_body.strata.json", "partial_parse.strata.json"]

# Prints each node's status from run_results.json into the task log.
_SUMMARY = (
    'const fs=require("fs");const f=process.argv[1];'
    'if(!fs.existsSync(f)){console.log("strata: no run_results.json");process.exit(0)}'
    'const r=JSON.parse(fs.readFileSync(f,"utf8"));'
    'for(const x of r.results)console.log("strata result: "+x.status+" "+x.unique_id+" "'
    '+(x.execution_time||0).toFixed(2)+"s"+(x.message?" ("+x.message+")":""))'
)


# Airflow's dates, passed as vars; each becomes a JSON string when Airflow renders the script: empty in a run without
# a logical date (a manual run on Airflow 3: undefined or None), else the date as Airflow prints it. tojson escapes
# any single quote (as \\u0027), so the rendered value cannot end the shell's quoting around it.
_DATES = ("data_interval_end", "data_interval_start", "ds")
_DATE_TEMPLATE = '{{ %s | default("", true) | string | tojson }}'


def _in_quotes(text):
    """Text as it reads between single quotes in bash: each ' closes them, is quoted in double quotes, reopens them."""
    return text.replace("'", "'" + '"' + "'" + '"' + "'")


def _vars_word():
    """The --vars argument as one single-quoted shell word. The Jinja of the dates is written between the quotes,
    not passed through shlex.quote: quoting is for the text the shell reads, which is what Airflow renders."""
    fixed = {k: v for k, v in STRATA["vars"].items() if k not in _DATES}
    keys = sorted(set(fixed) | set(_DATES))
    parts = []
    for i, key in enumerate(keys):
        literal = ("{" if i == 0 else ", ") + json.dumps(key) + ": "
        value = json.dumps(fixed[key], sort_keys=True) if key in fixed else None
        parts.append(_in_quotes(literal))
        parts.append(_DATE_TEMPLATE % key if value is None else _in_quotes(value))
    return "'" + "".join(parts) + "}'"


def _script(task, group_id):
    """The bash script of one task; Airflow renders its {{ }} templates at run time."""
    q = shlex.quote
    run_dir = STRATA["runs_dir"] + "/{{ dag.dag_id }}/{{ run_id }}" + ("/" + group_id if group_id else "")
    cache = run_dir + "/strata_parse" if STRATA["parse_task"] else STRATA["parse_cache"]
    args = list(task["args"]) + ["--project-dir", STRATA["project_dir"]]
    if STRATA["profiles_dir"]:
        args += ["--profiles-dir", STRATA["profiles_dir"]]
    if STRATA["target"]:
        args += ["--target", STRATA["target"]]
    lines = ["T=" + q(run_dir + "/" + task["task_id"]), 'mkdir -p "$T" || exit 2']
    if task["kind"] != "parse":
        lines.append("cp " + " ".join(q(cache + "/" + f) for f in _CACHE_FILES) + ' "$T"/ 2>/dev/null || true')
    lines += [
        STRATA["command"] + " " + " ".join(q(a) for a in args) + " --vars " + _vars_word() + ' --target-path "$T"',
        "rc=$?",
        "node -e " + q(_SUMMARY) + ' "$T/run_results.json"',
        "exit $rc",
    ]
    return "\\n".join(lines)


def _operator(task, group_id, **kwargs):
    script = _script(task, group_id)
    kwargs["outlets"] = [Asset(uri=uri) for uri in task["outlets"]]
    if STRATA["pool"]:
        kwargs["pool"] = STRATA["pool"]
${operatorCall(execution)}


def _add_tasks(group_id=None):
    """Adds every task of TASKS, in its TaskGroup, to the DAG or TaskGroup being defined; returns them by task id."""
    groups = {}

    def group_of(path):
        if not path:
            return None
        key = tuple(path)
        if key not in groups:
            groups[key] = TaskGroup(group_id=path[-1], parent_group=group_of(path[:-1]))
        return groups[key]

    created = {}
    for task in TASKS:
        parent = group_of(task["group"])
        extra = {"task_group": parent} if parent is not None else {}
        created[task["task_id"]] = _operator(task, group_id, task_id=task["task_id"], doc_md=task["doc"], **extra)
    for task in TASKS:
        for upstream in task["upstream"]:
            created[upstream] >> created[task["task_id"]]
    return created
`;
}
