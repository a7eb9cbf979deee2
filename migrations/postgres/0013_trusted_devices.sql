-- Browsers a login has been used from. A browser that logged in to a login carries a random
-- device cookie; the sha256 of it is kept here with the login. Its later attempts at that
-- login are throttled by themselves (key 'device:<hash>' in login_throttle), not with the
-- login's or the client address's: a colleague's typos behind the same office address, or
-- someone guessing at the login from elsewhere, do not lock its holder out. Rows whose
-- last login is older than the trust (90 days) are deleted.
CREATE TABLE trusted_devices (
    token_hash TEXT NOT NULL,
    login      TEXT NOT NULL,
    last_login TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (token_hash, login)
);
CREATE INDEX trusted_devices_last ON trusted_devices (last_login);
