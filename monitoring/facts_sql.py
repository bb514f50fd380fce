"""The SQL that keeps the monitoring facts (``monitoring.models``: StepFact, DurationFact,
PauseFact, AppFact) equal to what the raw queries of ``monitoring.stats`` compute.

Why PostgreSQL triggers rather than a call where a step ends: a task, an application or a
service clock changes in many places (the engine, returns, withdrawals, the deemed-approval
sweep, the admin, bulk loads, data fixes in SQL such as ``bench/dashboard.py``'s), and a trigger
sees every one of them, in the same transaction, whatever wrote it (PostgreSQL manual, "Trigger
Functions" https://www.postgresql.org/docs/15/plpgsql-trigger.html). Nothing in Python has to
remember to call it, and no helper's module (``workflows/engine.py``) changes.

Each upsert takes its fact rows in key order (``ORDER BY``), and every trigger writes the tables
in the same order, so two transactions ending steps that share fact rows mostly wait for each
other; a transaction holds its fact rows until it commits (the price of exact figures written
with the step). Two transactions each ending several steps in opposite orders can still meet
in a deadlock, which PostgreSQL breaks by failing one of them.

How each contribution stays exact:

* a task's step counts and office-time histogram depend on its own row (and its application's
  service and version, which never change): the trigger subtracts what ``OLD`` contributed and
  adds what ``NEW`` does;
* a paused step's reason (its first pause event) and an application's figures depend on other
  rows (events, the service clock, the applicant's steps, the agencies it has tasks at): a
  ledger keeps what each one contributes now; any change recomputes it from the current state,
  takes the old ledger away and adds the new one. Recomputing twice changes nothing, so the
  order of row triggers in one statement does not matter;
* an application counts once for all agencies (``agency_id`` 0) and once per agency it has a
  task at (``AppAgency``), which is the dashboard's agency filter (``stats.applications``).

Every fact change bumps the sequence ``monitoring_facts_version`` from a deferred constraint
trigger, i.e. at commit: the cache key of the transparency page (``monitoring.facts.version``).
On a database other than PostgreSQL (development with SQLite) nothing is installed and the
dashboard reads the raw queries.
"""

#: The office's day: every fact is per WITA day (``workflows.calendar.ZONE``), the unit of the
#: dashboard's periods (``monitoring.filters``).
ZONE = "Asia/Makassar"


def local_day(column: str) -> str:
    return f"(({column}) AT TIME ZONE '{ZONE}')::date"


ACTIVE = "('submitted', 'in_progress', 'returned', 'approved', 'deemed_approved')"
#: The files a satisfaction survey's population counts (``feedback.stats.FINISHED_STATUSES``).
SKM_FINISHED = "('completed', 'rejected', 'issued')"

# --- per task -----------------------------------------------------------------------------------

#: The office steps of ``{source}`` (alias ``t``) that ended: stats.ended_tasks(office=True).
_ENDED = """
  FROM {source} t JOIN permits_application a ON a.id = t.application_id
 WHERE t.status = 'done' AND t.role <> 'applicant' AND t.completed_at IS NOT NULL
"""

STEP_SELECT = f"""
SELECT {local_day("t.completed_at")} AS day, a.service_id, a.sop_version_id AS version_id,
       coalesce(t.agency_id, 0) AS agency_id, t.step_id,
       count(*) AS ended,
       count(*) FILTER (WHERE t.due_at IS NOT NULL) AS measured,
       count(*) FILTER (WHERE t.completed_at <= t.due_at) AS on_time,
       count(*) FILTER (WHERE t.completed_at > t.due_at) AS late,
       count(*) FILTER (WHERE t.office_time IS NOT NULL) AS timed
{_ENDED}
 GROUP BY 1, 2, 3, 4, 5
"""

DURATION_SELECT = f"""
SELECT {local_day("t.completed_at")} AS day, a.service_id, a.sop_version_id AS version_id,
       coalesce(t.agency_id, 0) AS agency_id, t.step_id,
       round(extract(epoch FROM t.office_time))::bigint AS seconds, count(*) AS n
{_ENDED}
   AND t.office_time IS NOT NULL
 GROUP BY 1, 2, 3, 4, 5, 6
"""

PAUSE_SELECT = f"""
SELECT t.id AS task_id, {local_day("t.completed_at")} AS day, a.service_id,
       a.sop_version_id AS version_id, coalesce(t.agency_id, 0) AS agency_id,
       coalesce((SELECT e.reason FROM workflows_stepevent e
                  WHERE e.task_id = t.id AND e.kind = 'paused'
                  ORDER BY e.at, e.id LIMIT 1), '') AS reason,
       t.paused_time AS paused
{_ENDED}
   AND t.paused_time > interval '0'
"""

# --- per application ----------------------------------------------------------------------------

#: What the applications matching ``{where}`` (alias ``a``) contribute, one row per kind and day.
APP_SELECT = f"""
WITH a AS (
  SELECT a.id, a.status, a.submitted_at, a.completed_at, a.service_id,
         a.sop_version_id AS version_id, c.id AS clock_id, c.started_at, c.decided_at,
         c.due_at AS clock_due
    FROM permits_application a LEFT JOIN workflows_serviceclock c ON c.application_id = a.id
   WHERE {{where}}
)
SELECT id, 'received', {local_day("submitted_at")}, NULL::date, service_id, version_id,
       1, interval '0'
  FROM a WHERE status <> 'draft' AND submitted_at IS NOT NULL
UNION ALL
SELECT id, 'completed', {local_day("completed_at")}, NULL::date, service_id, version_id,
       1, interval '0'
  FROM a WHERE status NOT IN ('draft', 'withdrawn') AND submitted_at IS NOT NULL
           AND completed_at IS NOT NULL
UNION ALL
SELECT id, 'open', {local_day("submitted_at")}, {local_day("started_at")}, service_id,
       version_id, 1, interval '0'
  FROM a WHERE status IN {ACTIVE} AND submitted_at IS NOT NULL
UNION ALL
SELECT id, 'finished', {local_day("completed_at")}, {local_day("started_at")}, service_id,
       version_id, 1, interval '0'
  FROM a WHERE completed_at IS NOT NULL AND clock_id IS NOT NULL AND status <> 'withdrawn'
UNION ALL
SELECT id, 'skm_finished', {local_day("completed_at")}, NULL::date, service_id, version_id,
       1, interval '0'
  FROM a WHERE status IN {SKM_FINISHED} AND completed_at IS NOT NULL
UNION ALL
SELECT id, 'decided', {local_day("decided_at")}, NULL::date, service_id, version_id,
       1, interval '0'
  FROM a WHERE decided_at IS NOT NULL AND clock_due IS NOT NULL
           AND status <> 'draft' AND submitted_at IS NOT NULL
UNION ALL
SELECT id, 'within', {local_day("decided_at")}, NULL::date, service_id, version_id,
       1, interval '0'
  FROM a WHERE decided_at IS NOT NULL AND decided_at <= clock_due
           AND status <> 'draft' AND submitted_at IS NOT NULL
UNION ALL
SELECT a.id, 'applicant_pause', {local_day("t.completed_at")}, NULL::date, a.service_id,
       a.version_id, count(*), sum(t.paused_time)
  FROM a JOIN workflows_task t ON t.application_id = a.id
 WHERE t.role = 'applicant' AND t.status = 'done' AND t.completed_at IS NOT NULL
   AND t.paused_time > interval '0'
 GROUP BY 1, 2, 3, 4, 5, 6
"""

LEDGER_COLUMNS = "application_id, kind, day, day2, service_id, version_id, n, total"


def _upsert_step(source: str, sign: str) -> str:
    return f"""
INSERT INTO monitoring_stepfact
       (day, service_id, version_id, agency_id, step_id, ended, measured, on_time, late, timed)
SELECT day, service_id, version_id, agency_id, step_id,
       {sign} * ended, {sign} * measured, {sign} * on_time, {sign} * late, {sign} * timed
  FROM ({STEP_SELECT.format(source=source)}) s
 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ON CONSTRAINT stepfact_key DO UPDATE
   SET ended = monitoring_stepfact.ended + excluded.ended,
       measured = monitoring_stepfact.measured + excluded.measured,
       on_time = monitoring_stepfact.on_time + excluded.on_time,
       late = monitoring_stepfact.late + excluded.late,
       timed = monitoring_stepfact.timed + excluded.timed;
INSERT INTO monitoring_durationfact
       (day, service_id, version_id, agency_id, step_id, seconds, n)
SELECT day, service_id, version_id, agency_id, step_id, seconds, {sign} * n
  FROM ({DURATION_SELECT.format(source=source)}) s
 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ON CONSTRAINT durationfact_key DO UPDATE
   SET n = monitoring_durationfact.n + excluded.n;
"""


_PAUSE_UPSERT = """
INSERT INTO monitoring_pausefact (day, service_id, version_id, agency_id, reason, steps, paused)
SELECT day, service_id, version_id, agency_id, reason, {sign} * count(*), {sign} * sum(paused)
  FROM monitoring_taskpause WHERE {where}
 GROUP BY 1, 2, 3, 4, 5
 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT ON CONSTRAINT pausefact_key DO UPDATE
   SET steps = monitoring_pausefact.steps + excluded.steps,
       paused = monitoring_pausefact.paused + excluded.paused;
"""

_APP_UPSERT = """
INSERT INTO monitoring_appfact (kind, day, day2, service_id, version_id, agency_id, n, total)
SELECT l.kind, l.day, l.day2, l.service_id, l.version_id, g.agency_id,
       {sign} * sum(l.n), {sign} * sum(l.total)
  FROM monitoring_appledger l
  JOIN ({agencies}) g ON g.application_id = l.application_id
 WHERE {where}
 GROUP BY 1, 2, 3, 4, 5, 6
 ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ON CONSTRAINT appfact_key DO UPDATE
   SET n = monitoring_appfact.n + excluded.n, total = monitoring_appfact.total + excluded.total;
"""

#: Every application's rows for "all agencies" (0) and for each of its agencies.
_ALL_AGENCIES = """
SELECT id AS application_id, 0::bigint AS agency_id FROM permits_application
 UNION ALL SELECT application_id, agency_id FROM monitoring_appagency
"""

FUNCTIONS = f"""
CREATE SEQUENCE IF NOT EXISTS monitoring_facts_version;

-- PL/pgSQL, not SQL: its statements' plans are kept for the session (an SQL function called
-- from a row trigger is planned again on every call: 4 ms a row where this takes a fraction).
CREATE OR REPLACE FUNCTION monitoring_step_apply(p_t workflows_task, p_sign integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
{_upsert_step("(SELECT (p_t).*)", "p_sign")}
END $$;

CREATE OR REPLACE FUNCTION monitoring_refresh_pause(p_task bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  {_PAUSE_UPSERT.format(sign="-1", where="task_id = p_task")}
  DELETE FROM monitoring_taskpause WHERE task_id = p_task;
  INSERT INTO monitoring_taskpause
         (task_id, day, service_id, version_id, agency_id, reason, paused)
  SELECT * FROM ({PAUSE_SELECT.format(source="workflows_task")}) p WHERE p.task_id = p_task;
  {_PAUSE_UPSERT.format(sign="1", where="task_id = p_task")}
END $$;

-- Add (p_sign 1) or take away (-1) one application's ledger, for all agencies and each of
-- its agencies, or for the agency p_agency only.
CREATE OR REPLACE FUNCTION monitoring_app_apply(p_app bigint, p_sign integer,
                                                p_agency bigint DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
{
    _APP_UPSERT.format(
        sign="p_sign",
        agencies="SELECT p_app AS application_id, 0::bigint AS agency_id WHERE p_agency IS NULL "
        "UNION ALL SELECT application_id, agency_id FROM monitoring_appagency "
        "WHERE application_id = p_app AND (p_agency IS NULL OR agency_id = p_agency)",
        where="l.application_id = p_app",
    )
}
END $$;

CREATE OR REPLACE FUNCTION monitoring_refresh_app(p_app bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM monitoring_app_apply(p_app, -1);
  DELETE FROM monitoring_appledger WHERE application_id = p_app;
  INSERT INTO monitoring_appledger ({LEDGER_COLUMNS})
  {APP_SELECT.format(where="a.id = p_app")};
  PERFORM monitoring_app_apply(p_app, 1);
END $$;

CREATE OR REPLACE FUNCTION monitoring_task_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND (OLD.status, OLD.role, OLD.agency_id, OLD.step_id, OLD.application_id,
          OLD.completed_at, OLD.due_at, OLD.office_time, OLD.paused_time)
         IS NOT DISTINCT FROM
         (NEW.status, NEW.role, NEW.agency_id, NEW.step_id, NEW.application_id,
          NEW.completed_at, NEW.due_at, NEW.office_time, NEW.paused_time) THEN
    RETURN NULL;  -- claimed, assigned, notes: no figure changes
  END IF;
  IF TG_OP <> 'INSERT' AND OLD.status = 'done' THEN
    PERFORM monitoring_step_apply(OLD, -1);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status = 'done' THEN
    PERFORM monitoring_step_apply(NEW, 1);
  END IF;
  IF (TG_OP <> 'INSERT' AND OLD.status = 'done' AND OLD.paused_time > interval '0')
     OR (TG_OP <> 'DELETE' AND NEW.status = 'done' AND NEW.paused_time > interval '0') THEN
    PERFORM monitoring_refresh_pause(coalesce(NEW.id, OLD.id));
  END IF;
  -- The application's agencies: a task at a new agency adds the application to its figures,
  -- the last task leaving one takes it away.
  IF TG_OP <> 'DELETE' AND NEW.agency_id IS NOT NULL
     AND (TG_OP = 'INSERT' OR OLD.agency_id IS DISTINCT FROM NEW.agency_id
          OR OLD.application_id <> NEW.application_id) THEN
    INSERT INTO monitoring_appagency (application_id, agency_id)
    VALUES (NEW.application_id, NEW.agency_id) ON CONFLICT DO NOTHING;
    IF FOUND THEN
      PERFORM monitoring_app_apply(NEW.application_id, 1, NEW.agency_id);
    END IF;
  END IF;
  IF TG_OP <> 'INSERT' AND OLD.agency_id IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM workflows_task
                      WHERE application_id = OLD.application_id AND agency_id = OLD.agency_id)
  THEN
    PERFORM monitoring_app_apply(OLD.application_id, -1, OLD.agency_id);
    DELETE FROM monitoring_appagency
     WHERE application_id = OLD.application_id AND agency_id = OLD.agency_id;
  END IF;
  -- The applicant's paused steps count in the application's figures.
  IF (TG_OP <> 'INSERT' AND OLD.role = 'applicant' AND OLD.status = 'done')
     OR (TG_OP <> 'DELETE' AND NEW.role = 'applicant' AND NEW.status = 'done') THEN
    PERFORM monitoring_refresh_app(coalesce(NEW.application_id, OLD.application_id));
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION monitoring_app_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND (OLD.status, OLD.submitted_at, OLD.completed_at, OLD.service_id, OLD.sop_version_id)
         IS NOT DISTINCT FROM
         (NEW.status, NEW.submitted_at, NEW.completed_at, NEW.service_id, NEW.sop_version_id)
  THEN
    RETURN NULL;
  END IF;
  PERFORM monitoring_refresh_app(coalesce(NEW.id, OLD.id));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION monitoring_clock_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM monitoring_refresh_app(OLD.application_id);
  END IF;
  IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.application_id <> OLD.application_id
                            OR (NEW.started_at, NEW.due_at, NEW.decided_at)
                               IS DISTINCT FROM (OLD.started_at, OLD.due_at, OLD.decided_at))
  THEN
    PERFORM monitoring_refresh_app(NEW.application_id);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION monitoring_event_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.kind = 'paused' AND OLD.task_id IS NOT NULL THEN
    PERFORM monitoring_refresh_pause(OLD.task_id);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.kind = 'paused' AND NEW.task_id IS NOT NULL THEN
    PERFORM monitoring_refresh_pause(NEW.task_id);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION monitoring_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('monitoring_facts_version');
  RETURN NULL;
END $$;
"""

#: Tables whose changes also replace the cached figures (they feed no fact).
VERSIONED = (
    "agencies_agency",
    "permits_service",
    "workflows_sopversion",
    "feedback_surveyresponse",
    "feedback_complaint",
    "feedback_complaintreply",
)

TRIGGERS = """
CREATE TRIGGER monitoring_task_facts AFTER INSERT OR UPDATE OR DELETE ON workflows_task
  FOR EACH ROW EXECUTE FUNCTION monitoring_task_changed();
CREATE TRIGGER monitoring_app_facts AFTER INSERT OR UPDATE OR DELETE ON permits_application
  FOR EACH ROW EXECUTE FUNCTION monitoring_app_changed();
CREATE TRIGGER monitoring_clock_facts AFTER INSERT OR UPDATE OR DELETE ON workflows_serviceclock
  FOR EACH ROW EXECUTE FUNCTION monitoring_clock_changed();
CREATE TRIGGER monitoring_event_facts AFTER INSERT OR UPDATE OR DELETE ON workflows_stepevent
  FOR EACH ROW EXECUTE FUNCTION monitoring_event_changed();
CREATE CONSTRAINT TRIGGER monitoring_stepfact_version AFTER INSERT OR UPDATE ON monitoring_stepfact
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION monitoring_bump_version();
CREATE CONSTRAINT TRIGGER monitoring_appfact_version AFTER INSERT OR UPDATE ON monitoring_appfact
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION monitoring_bump_version();
CREATE CONSTRAINT TRIGGER monitoring_pausefact_version
  AFTER INSERT OR UPDATE ON monitoring_pausefact
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION monitoring_bump_version();
""" + "".join(
    # The transparency page also shows the public services, their published SOP and the survey
    # (IKM), the dashboard the complaints: a change there replaces the cached figures as well.
    f"""
CREATE CONSTRAINT TRIGGER monitoring_version_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION monitoring_bump_version();
"""
    for table in VERSIONED
)

DROP = (
    """
DROP TRIGGER IF EXISTS monitoring_task_facts ON workflows_task;
DROP TRIGGER IF EXISTS monitoring_app_facts ON permits_application;
DROP TRIGGER IF EXISTS monitoring_clock_facts ON workflows_serviceclock;
DROP TRIGGER IF EXISTS monitoring_event_facts ON workflows_stepevent;
DROP TRIGGER IF EXISTS monitoring_stepfact_version ON monitoring_stepfact;
DROP TRIGGER IF EXISTS monitoring_appfact_version ON monitoring_appfact;
DROP TRIGGER IF EXISTS monitoring_pausefact_version ON monitoring_pausefact;
"""
    + "".join(
        f"DROP TRIGGER IF EXISTS monitoring_version_{table} ON {table};\n" for table in VERSIONED
    )
    + """DROP FUNCTION IF EXISTS monitoring_task_changed(), monitoring_app_changed(),
  monitoring_clock_changed(), monitoring_event_changed(), monitoring_bump_version(),
  monitoring_refresh_app(bigint), monitoring_app_apply(bigint, integer, bigint),
  monitoring_refresh_pause(bigint), monitoring_step_apply(workflows_task, integer);
DROP SEQUENCE IF EXISTS monitoring_facts_version;
"""
)

FACT_TABLES = (
    "monitoring_stepfact",
    "monitoring_durationfact",
    "monitoring_pausefact",
    "monitoring_taskpause",
    "monitoring_appfact",
    "monitoring_appledger",
    "monitoring_appagency",
)

#: Every fact from the source rows, set-based (``manage.py rebuild_facts``). The writers are
#: locked out for the duration (SHARE mode: readers go on), so no change slips between.
_VERSION_TRIGGERS = "monitoring_stepfact_version, monitoring_appfact_version, " + (
    "monitoring_pausefact_version"
)
REBUILD = [
    # A TRUNCATE cannot wait for the commit-time version triggers of this transaction's changes.
    f"SET CONSTRAINTS {_VERSION_TRIGGERS} IMMEDIATE",
    "LOCK TABLE workflows_task, permits_application, workflows_serviceclock, workflows_stepevent "
    "IN SHARE MODE",
    f"TRUNCATE {', '.join(FACT_TABLES)}",
    "INSERT INTO monitoring_appagency (application_id, agency_id) "
    "SELECT DISTINCT application_id, agency_id FROM workflows_task WHERE agency_id IS NOT NULL",
    _upsert_step("workflows_task", "1"),
    "INSERT INTO monitoring_taskpause "
    "(task_id, day, service_id, version_id, agency_id, reason, paused) "
    + PAUSE_SELECT.format(source="workflows_task"),
    _PAUSE_UPSERT.format(sign="1", where="true"),
    f"INSERT INTO monitoring_appledger ({LEDGER_COLUMNS}) " + APP_SELECT.format(where="true"),
    _APP_UPSERT.format(sign="1", agencies=_ALL_AGENCIES, where="true"),
    "SELECT nextval('monitoring_facts_version')",
    f"SET CONSTRAINTS {_VERSION_TRIGGERS} DEFERRED",
]


def _statements(connection, statements) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(apps, schema_editor) -> None:
    """Migration step: the functions, the triggers, then the facts of the rows already there."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    _statements(connection, [FUNCTIONS, TRIGGERS, *REBUILD])


def refresh(apps, schema_editor) -> None:
    """Migration step after a change of the functions' SQL: the functions again (the triggers
    stay), then every fact rebuilt so the rows already there count the same way."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    _statements(connection, [FUNCTIONS, *REBUILD])


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        _statements(schema_editor.connection, [DROP])


def rebuild(connection=None) -> None:
    """Every fact again from the tasks, applications, clocks and events (one transaction)."""
    from django.db import connection as default
    from django.db import transaction

    connection = connection or default
    with transaction.atomic(using=connection.alias):
        _statements(connection, REBUILD)
