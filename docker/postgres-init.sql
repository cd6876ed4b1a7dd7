-- Temporal's auto-setup creates its own schemas; it needs the databases to be creatable by this user.
ALTER USER closedloop CREATEDB;
