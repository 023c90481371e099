-- crmkit integrations, version 4: scheduled jobs (dev.crmkit.integrations.IntegrationJobs).
-- crmkit_scheduled_tasks is db-scheduler's table (https://github.com/kagkarlsson/db-scheduler, 16.x DDL for
-- this database) under crmkit's name: one row per task instance, picked by one node at a time, with
-- a heartbeat so another node revives an execution whose node died.
CREATE TABLE crmkit_scheduled_tasks (
  task_name            TEXT NOT NULL,
  task_instance        TEXT NOT NULL,
  task_data            BYTEA,
  execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
  picked               BOOLEAN NOT NULL,
  picked_by            TEXT,
  last_success         TIMESTAMP WITH TIME ZONE,
  last_failure         TIMESTAMP WITH TIME ZONE,
  consecutive_failures INT,
  last_heartbeat       TIMESTAMP WITH TIME ZONE,
  version              BIGINT NOT NULL,
  priority             SMALLINT,
  PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX crmkit_scheduled_tasks_execution_time ON crmkit_scheduled_tasks (execution_time);
CREATE INDEX crmkit_scheduled_tasks_last_heartbeat ON crmkit_scheduled_tasks (last_heartbeat);
CREATE INDEX crmkit_scheduled_tasks_priority ON crmkit_scheduled_tasks (priority DESC, execution_time ASC);

-- crmkit_job_run is the job outcome log: one row per job and instance (the period it ran for, or the
-- integration and period), inserted when a node claims the run, so a period runs once across nodes.
-- outcome: RUNNING, SUCCEEDED, FAILED, SKIPPED. attempts counts takeovers of a RUNNING row whose node
-- died. Times are epoch milliseconds.
CREATE TABLE crmkit_job_run (
  job         VARCHAR(64)  NOT NULL,
  instance    VARCHAR(200) NOT NULL,
  node        VARCHAR(100) NOT NULL,
  started_at  BIGINT       NOT NULL,
  finished_at BIGINT,
  outcome     VARCHAR(16)  NOT NULL,
  attempts    INTEGER      NOT NULL,
  detail      TEXT,
  PRIMARY KEY (job, instance)
);
CREATE INDEX crmkit_job_run_started ON crmkit_job_run (started_at);
