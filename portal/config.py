"""Every environment variable the portal reads, declared once.

`docs/configuration.md` documents each of them; a test fails when one is missing there.
"""

from portal.lib.env import (
    Setting,
    parse_bool,
    parse_database_url,
    parse_int,
    parse_list,
    parse_log_level,
    parse_redis_url,
    parse_size,
    parse_str,
    parse_time_zone,
    parse_url,
)
from portal.ops.rates import parse_rate

SETTINGS: list[Setting] = [
    Setting("DEBUG", parse_bool, "false",
            "Show Django's debug pages. Never in production."),
    Setting("SECRET_KEY", parse_str, None,
            "Key that signs sessions and tokens. If unset, one is generated on first run and kept "
            "in `VAR_DIR/secret_key`.", secret=True),
    Setting("DATABASE_URL", parse_database_url, None,
            "Metadata database: `sqlite:///path` or `postgres://user:pass@host:5432/name`. "
            "Default: the SQLite file `VAR_DIR/portal.sqlite3`.", secret=True),
    Setting("VAR_DIR", parse_str, "var",
            "Folder for the SQLite database, uploaded files, the job queue and the secret key."),
    Setting("ALLOWED_HOSTS", parse_list, "localhost,127.0.0.1,[::1]",
            "Comma-separated host names the portal answers to."),
    Setting("SITE_URL", parse_url, "",
            "Public base URL, e.g. `https://data.ninhbinh.gov.vn`, used for absolute links in the "
            "APIs. Default: taken from each request."),
    Setting("HTTPS", parse_bool, "false",
            "The portal is served over HTTPS (behind a proxy that sets X-Forwarded-Proto): secure "
            "cookies and redirects to HTTPS."),
    Setting("TRUSTED_PROXY", parse_bool, "false",
            "The portal runs behind a proxy that appends the client's address to "
            "X-Forwarded-For: the audit trail records that address instead of the proxy's."),
    Setting("PROVINCE_CODE", parse_int, "37",
            "Code of the province the portal serves, as in the `vietnam-provinces` package "
            "(37 = Ninh Bình)."),
    Setting("MAX_UPLOAD_SIZE", parse_size, "1GiB",
            "Largest file an agency may upload (bytes, or with a unit: 512M, 1GiB). Larger uploads "
            "are refused before anything is stored."),
    Setting("API_MAX_ROWS", parse_int, "1000",
            "Largest number of rows a CKAN API list or search returns in one call."),
    Setting("REDIS_URL", parse_redis_url, "",
            "Redis for the job queue, e.g. `redis://127.0.0.1:6379/0`. Default: an embedded "
            "SQLite queue in `VAR_DIR`."),
    Setting("TIME_ZONE", parse_time_zone, "Asia/Ho_Chi_Minh",
            "Time zone for dates shown and deadlines."),
    Setting("LOG_LEVEL", parse_log_level, "INFO", "Level of the portal's log on standard error."),
    Setting("PASSWORD_LINK_DAYS", parse_int, "3",
            "Days a one-time link to set a password (printed by `portal users create`) stays "
            "valid."),
    Setting("RATE_LIMIT_ANONYMOUS", parse_rate, "120/m",
            "Requests to the APIs (and posts to public forms) one address may make without a "
            "token: a count per `s`, `m`, `h` or `d`. Past it: HTTP 429 with Retry-After."),
    Setting("RATE_LIMIT_TOKEN", parse_rate, "600/m",
            "Requests to the APIs one API token may make (also the most one address may make "
            "with tokens)."),
    Setting("RATE_LIMIT_LOGIN", parse_rate, "10/m",
            "Login form submissions one address may make, whatever the username."),
    Setting("LOGIN_FAILURE_LIMIT", parse_int, "5",
            "Failed logins in a row (for one username from one address) before the login is "
            "locked."),
    Setting("LOGIN_LOCKOUT_MINUTES", parse_int, "15",
            "How long a locked login stays locked; a sysadmin can unlock it sooner."),
    Setting("SESSION_HOURS", parse_int, "12",
            "A staff session ends this many hours after login."),
]
