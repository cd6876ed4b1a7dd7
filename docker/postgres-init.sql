-- Runs once, when the postgres service initialises an empty data volume (docker-entrypoint-initdb.d),
-- as the superuser, which only this script and the operator use. closedloop and Temporal each get a
-- login role of their own, without superuser, CREATEDB or CREATEROLE, owning only their own databases;
-- neither can connect to the other's. Passwords come from the service's environment (the .env file,
-- see docker/env.example), never from this file. Checked by test/unit/foundation/docker-compose.test.ts;
-- run by hand on PostgreSQL 15 (2026-11-28): prisma migrate deploy succeeds as closedloop_app, which
-- cannot connect to temporal or postgres nor create a database.
\set ON_ERROR_STOP on
\getenv app_password APP_DB_PASSWORD
\getenv temporal_password TEMPORAL_DB_PASSWORD

CREATE ROLE closedloop_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'app_password';
CREATE ROLE temporal LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'temporal_password';

-- The owner creates its tables (prisma migrate deploy; Temporal's schema set-up, which skips creating
-- databases: SKIP_DB_CREATE). Since PostgreSQL 15 the public schema belongs to the database's owner.
CREATE DATABASE closedloop OWNER closedloop_app;
CREATE DATABASE temporal OWNER temporal;
CREATE DATABASE temporal_visibility OWNER temporal;

-- Only the owner connects: PUBLIC may connect to a new database by default.
REVOKE ALL ON DATABASE closedloop FROM PUBLIC;
REVOKE ALL ON DATABASE temporal FROM PUBLIC;
REVOKE ALL ON DATABASE temporal_visibility FROM PUBLIC;
REVOKE ALL ON DATABASE postgres FROM PUBLIC;
