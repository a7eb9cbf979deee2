-- Nothing changes here: SQLite's 0018 moves its check-in counts from triggers to its one
-- writer; PostgreSQL keeps its triggers (several servers may write the same day). The number
-- is taken so that both backends count their migrations alike.
SELECT 1;
