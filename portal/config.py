"""Every environment variable the portal reads, declared once.

`docs/configuration.md` documents each of them; a test fails when one is missing there.
"""

from portal.audit.keys import parse_audit_key, parse_checkpoint_minutes
from portal.datastore.geo import parse_tile_url
from portal.lib.addresses import parse_allowed_hosts
from portal.lib.env import (
    Setting,
    parse_bool,
    parse_database_url,
    parse_email_sender,
    parse_int,
    parse_list,
    parse_log_level,
    parse_positive_int,
    parse_redis_url,
    parse_size,
    parse_str,
    parse_time_zone,
    parse_url,
)
from portal.ops.rates import parse_rate


def parse_memory_size(raw: str) -> str:
    """A memory size DuckDB reads (`768MB`, `2GB`) that the portal can read too: the spreadsheet
    reader's address space is limited to it (MB and GB read as 2^20 and 2^30 bytes)."""
    parse_size(raw)
    return raw.strip()


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
            "Folder for the SQLite database, uploaded files, the job queue, the secret and audit "
            "keys and the audit checkpoints."),
    Setting("ALLOWED_HOSTS", parse_list, "localhost,127.0.0.1,[::1]",
            "Comma-separated host names the portal answers to."),
    Setting("SITE_URL", parse_url, "",
            "Public base URL, e.g. `https://data.ninhbinh.gov.vn`, used for absolute links in the "
            "APIs and in e-mail. Default: taken from each request; the news e-mailed to "
            "followers comes from a change, not a request, and needs it for its links."),
    Setting("HTTPS", parse_bool, "false",
            "The portal is served over HTTPS (behind a proxy that sets X-Forwarded-Proto): secure "
            "cookies and redirects to HTTPS."),
    Setting("TRUSTED_PROXY", parse_bool, "false",
            "The portal runs behind a proxy that appends the client's address to "
            "X-Forwarded-For: the audit trail records that address instead of the proxy's."),
    Setting("AUDIT_KEY", parse_audit_key, "",
            "Key of the audit trail's MACs (at least 32 characters, e.g. `openssl rand -hex "
            "32`). If unset, one is generated on first run and kept in `VAR_DIR/audit_key`. "
            "Keep it out of the database and its backups (see `docs/security.md`).",
            secret=True),
    Setting("AUDIT_CHECKPOINT_FILE", parse_str, "",
            "Append-only file of the audit trail's checkpoints. Default: "
            "`VAR_DIR/audit/checkpoints.log`."),
    Setting("AUDIT_CHECKPOINT_MINUTES", parse_checkpoint_minutes, "5",
            "Minutes between the job worker's checkpoints of the audit trail (0 to 60; a "
            "divisor of 60 spaces them evenly). 0: none (run `portal audit checkpoint` from "
            "cron instead). Entries newer than the last checkpoint can be deleted unnoticed."),
    Setting("PROVINCE_CODE", parse_int, "37",
            "Code of the province the portal serves, as in the `vietnam-provinces` package "
            "(37 = Ninh Bình)."),
    Setting("MAX_UPLOAD_SIZE", parse_size, "1GiB",
            "Largest file an agency may upload (bytes, or with a unit: 512M, 1GiB). Larger uploads "
            "are refused before anything is stored."),
    Setting("API_MAX_ROWS", parse_int, "1000",
            "Largest number of rows a CKAN API list or search returns in one call."),
    Setting("OPENLIST_IMPORT_MAX_ROWS", parse_positive_int, "5000",
            "Largest number of items a spreadsheet imported into a list version may hold; a "
            "longer one is refused before any row is saved."),
    Setting("OPENLIST_IMPORT_MAX_SIZE", parse_size, "10MiB",
            "Largest spreadsheet (XLSX) that may be imported into a list version; unpacked, its "
            "parts may hold at most 20 times this."),
    Setting("OPENLIST_DECISION_MAX_SIZE", parse_size, "20MiB",
            "Largest PDF of a decision issuing a list version."),
    Setting("FETCH_ALLOWED_HOSTS", parse_allowed_hosts, "",
            "Comma-separated `host:port` the portal may download linked files from although "
            "they are private network addresses, e.g. `10.0.5.20:8080` or "
            "`files.so.local:443`, for a closed network's own servers. Matched as written in "
            "the link (a name does not match its address). Every other private, loopback or "
            "link-local address is refused (see `docs/security.md`)."),
    Setting("DATASTORE_MAX_ROWS", parse_int, "10000",
            "Largest `limit` of one page of records from the data API (`/records`, "
            "`datastore_search`)."),
    Setting("DATASTORE_SQL_MAX_ROWS", parse_int, "10000",
            "Rows an SQL query returns at most; beyond, the result says `records_truncated`."),
    Setting("DATASTORE_QUERY_TIMEOUT", parse_int, "10",
            "Seconds a data query (records, aggregate, SQL, its parsing included) may run "
            "before it is stopped; one still running 2 s later is killed with its process."),
    Setting("DATASTORE_QUERY_PROCESSES", parse_int, "2",
            "Query processes each web process keeps for the data queries the public shapes "
            "(SQL, records, aggregates, profiles): at most this many run at once per web "
            "process; others wait for one, up to `DATASTORE_QUERY_TIMEOUT`."),
    Setting("DATASTORE_PROCESS_MEMORY", parse_size, "1GiB",
            "Memory (address space) one query process may use: DuckDB's "
            "`DATASTORE_MEMORY_LIMIT`, the lists and long texts DuckDB does not count, Python "
            "and the answer. A query past it is stopped with a clear error; the web process "
            "never holds more than the answer."),
    Setting("DATASTORE_SQL_MAX_LENGTH", parse_int, "100000",
            "Characters an SQL statement may have (`/api/v1/sql`, `datastore_search_sql`)."),
    Setting("DATASTORE_SQL_MAX_DEPTH", parse_int, "100",
            "How deeply expressions and subqueries of an SQL statement may nest (DuckDB's "
            "`max_expression_depth`); deeper statements are refused while parsed."),
    Setting("DATASTORE_MAX_RESULT_SIZE", parse_size, "16MiB",
            "Largest answer of one data query (records, aggregate, SQL), counted as the JSON "
            "of its values. An SQL result past it is cut and flagged `records_truncated`; a "
            "page of records or aggregates past it is refused: ask for fewer rows."),
    Setting("DATASTORE_EXPORT_TIMEOUT", parse_int, "300",
            "Seconds an export (a table or a filtered selection as CSV, JSON, XLSX, Parquet, "
            "GeoJSON) may take to be written before it is stopped."),
    Setting("DATASTORE_XLSX_MAX_ROWS", parse_int, "200000",
            "Rows an XLSX export holds at most (never more than Excel's 1,048,575). An XLSX is "
            "written cell by cell, about 10,000 rows of ten columns a second; beyond this the "
            "caller is pointed to CSV or Parquet, which have no limit."),
    Setting("DATASTORE_MEMORY_LIMIT", parse_str, "512MB",
            "Memory DuckDB's buffers may use for one data query (its `memory_limit`, e.g. "
            "512MB, 2GB), inside the query process's `DATASTORE_PROCESS_MEMORY`."),
    Setting("DATASTORE_INGEST_MEMORY_LIMIT", parse_memory_size, "768MB",
            "Memory one ingestion may use: DuckDB spills to disk under `VAR_DIR` beyond it, and "
            "a spreadsheet is read in a process that may not grow past it."),
    Setting("DATASTORE_THREADS", parse_int, "2",
            "Threads DuckDB uses for one query or ingestion."),
    Setting("DATASTORE_EXACT_TOTAL_SECONDS", parse_int, "2",
            "Seconds a filtered query's total may take to be counted exactly; a count that "
            "takes longer is stopped and the total estimated from a sample instead (flagged "
            "`total_is_estimate`). 0: always estimate filtered totals."),
    Setting("DATASTORE_MAX_UNPACKED_SIZE", parse_size, "1GiB",
            "Largest size a zipped spreadsheet (XLSX, ODS) may unpack to; larger ones are "
            "refused as a possible zip bomb."),
    Setting("DATASTORE_MAX_COMPRESSION_RATIO", parse_int, "100",
            "How many times a part of a zipped spreadsheet larger than 1 MiB may be compressed "
            "(real ones: 5 to 25 times); more is refused as a zip bomb."),
    Setting("DATASTORE_MAX_CELLS", parse_int, "5000000",
            "Cells with data a spreadsheet may hold (all sheets together). They are counted "
            "before the spreadsheet is read and again while it is read, whatever its own "
            "header says; beyond, the agency is asked for CSV, which has no such limit. The "
            "reader holds a sheet in memory, some 70 bytes a cell besides its text: keep this "
            "under `DATASTORE_INGEST_MEMORY_LIMIT` / 100."),
    Setting("DATASTORE_CACHE_DIR", parse_str, "",
            "Local copies of Parquet files when storage is remote (S3). Default: "
            "`VAR_DIR/datastore-cache`."),
    Setting("DATASTORE_HEARTBEAT_TIMEOUT", parse_positive_int, "60",
            "Seconds a running ingestion may go without a heartbeat (it beats every twelfth of "
            "this, 5 s by default) before it is taken for dead (its worker was killed) and "
            "queued again. The sweep looks every minute, and when a job worker starts."),
    Setting("DATASTORE_MAX_ATTEMPTS", parse_positive_int, "3",
            "Times one request to read a file may be started. A file whose reading stopped the "
            "job worker this many times (killed, out of memory) is marked failed with a "
            "message instead of being tried again."),
    Setting("PRIVACY_MIN_GROUP_SIZE", parse_positive_int, "5",
            "k of the personal-data guard's re-identification warning: a table whose rows share "
            "a birth date, a commune and a sex with fewer than this many others is reported to "
            "its agency (k-anonymity)."),
    Setting("PRIVACY_SAMPLE_ROWS", parse_positive_int, "1000",
            "Rows of each table (each sheet) the personal-data guard reads, a random sample "
            "of each version; the re-identification check counts every row."),
    Setting("PRIVACY_TEXT_SCAN_BYTES", parse_size, "1MiB",
            "Bytes of a text resource (a TXT file, a CSV that is not a table) the personal-data "
            "guard reads from its beginning."),
    Setting("MAP_TILE_URL", parse_tile_url, "",
            "Tile server for the maps of the resource pages, e.g. "
            "`https://tiles.so.local/{z}/{x}/{y}.png` (or a path on this site). Default: no "
            "tiles, the data is drawn on a plain background, so maps work without internet."),
    Setting("MAP_TILE_ATTRIBUTION", parse_str, "",
            "Credit line the tile server's terms require, shown on the maps, e.g. "
            "`© OpenStreetMap contributors`."),
    Setting("REDIS_URL", parse_redis_url, "",
            "Redis for the job queue, e.g. `redis://127.0.0.1:6379/0`. Default: an embedded "
            "SQLite queue in `VAR_DIR`."),
    Setting("TIME_ZONE", parse_time_zone, "Asia/Ho_Chi_Minh",
            "Time zone for dates shown and deadlines."),
    Setting("LOG_LEVEL", parse_log_level, "INFO", "Level of the portal's log on standard error."),
    Setting("SHUTDOWN_GRACE_SECONDS", parse_positive_int, "5",
            "Seconds `portal serve` gives requests and jobs in flight to finish when it is asked "
            "to stop (SIGINT, SIGTERM, SIGHUP); then it kills what is left, and a job cut short "
            "is run again by the next job worker. Keep it below the time your supervisor waits "
            "before it kills (`docker stop`: 10 s; systemd: `TimeoutStopSec`, 90 s)."),
    Setting("PASSWORD_LINK_DAYS", parse_int, "3",
            "Days a one-time link to set a password (e-mailed to a new account, and on a "
            "reset) stays valid."),
    Setting("EMAIL_HOST", parse_str, "",
            "SMTP server the portal sends its mail through (one-time set-password links, "
            "feedback and data requests, follows). "
            "Empty: each message is written as a file under `VAR_DIR/mail` instead, for the "
            "operator to read."),
    Setting("EMAIL_PORT", parse_int, "587",
            "Port of the SMTP server: 587 with STARTTLS (`EMAIL_USE_TLS`), 465 with "
            "`EMAIL_USE_SSL`, 25 for a relay without encryption."),
    Setting("EMAIL_HOST_USER", parse_str, "",
            "User name on the SMTP server. Empty: send without logging in."),
    Setting("EMAIL_HOST_PASSWORD", parse_str, "",
            "Password on the SMTP server.", secret=True),
    Setting("EMAIL_USE_TLS", parse_bool, "true",
            "Upgrade the SMTP connection to TLS with STARTTLS."),
    Setting("EMAIL_USE_SSL", parse_bool, "false",
            "Connect to the SMTP server over TLS from the start (port 465); `EMAIL_USE_TLS` "
            "is then ignored."),
    Setting("EMAIL_TIMEOUT", parse_int, "10",
            "Seconds to wait for the SMTP server before a message counts as not sent."),
    Setting("DEFAULT_FROM_EMAIL", parse_email_sender, "",
            "Sender of the portal's mail, e.g. `Cổng dữ liệu mở <noreply@ninhbinh.gov.vn>`. "
            "Default: `noreply@` and the host name of `SITE_URL` (`noreply@localhost` without "
            "it)."),
    Setting("RATE_LIMIT_ANONYMOUS", parse_rate, "20000/h",
            "Budget of one address without a token (the APIs, and pages for anonymous "
            "visitors), in cost units per `s`, `m`, `h` or `d`: a catalogue read such as "
            "`package_show` costs 1, a page 2, a search 1 per 10 rows asked (the table in "
            "docs/security.md). Past it: HTTP 429 with Retry-After."),
    Setting("RATE_LIMIT_ANONYMOUS_COSTLY", parse_rate, "60/m",
            "Budget of one address without a token for costly work, in cost units: a data "
            "query that filters, searches or sorts (and every preview fragment) 1, an "
            "aggregate 2, an SQL statement 10, an export or a dump 20."),
    Setting("RATE_LIMIT_TOKEN", parse_rate, "100000/h",
            "Budget of one API token (and of one address using tokens), in cost units."),
    Setting("RATE_LIMIT_TOKEN_COSTLY", parse_rate, "600/m",
            "Budget of one API token (and of one address using tokens) for costly work, in "
            "cost units."),
    Setting("RATE_LIMIT_LOGIN", parse_rate, "10/m",
            "Login form submissions one address may make, whatever the username."),
    Setting("LOGIN_FAILURE_LIMIT", parse_int, "5",
            "Failed logins in a row (for one username from one address) before the login is "
            "locked."),
    Setting("LOGIN_LOCKOUT_MINUTES", parse_int, "15",
            "How long a locked login stays locked; a sysadmin can unlock it sooner."),
    Setting("SESSION_HOURS", parse_int, "12",
            "A staff session ends this many hours after login."),
    Setting("FEEDBACK_RESPONSE_DAYS", parse_positive_int, "10",
            "Days within which the agency should first answer a thread (feedback, data "
            "request, request between agencies, difficulty), counted from its arrival; past "
            "it an unanswered thread is flagged overdue. The regulation (article 12.2) sets no "
            "time; 10 follows the Law on Access to Information (2016), article 28, which gives "
            "10 working days to answer a request for information (calendar days here: "
            "stricter)."),
    Setting("FEEDBACK_RESOLUTION_DAYS", parse_positive_int, "30",
            "Days within which a thread should be closed, counted from its arrival; past it "
            "an open thread is flagged overdue. The portal's own target (no legal text sets "
            "one)."),
    Setting("FEEDBACK_CONTACT_RETENTION_DAYS", parse_int, "90",
            "Days a sender's name and e-mail address are kept after their thread is closed or "
            "rejected; then the job worker erases them (Decree 13/2023 on personal data: "
            "kept no longer than their purpose, answering, needs). 0: erased at closing."),
    Setting("FEEDBACK_MAX_LENGTH", parse_positive_int, "5000",
            "Characters a message of feedback or a data request may have; longer ones are "
            "refused (nothing is saved) with a message saying the limit."),
    Setting("FEEDBACK_MAX_LINKS", parse_int, "2",
            "Web links (`http://`, `https://`, `www.`) a message from the public may hold; "
            "more are refused as likely spam, with a message saying so. 0: none."),
    Setting("FOLLOW_CONFIRM_DAYS", parse_positive_int, "7",
            "Days the e-mailed link that confirms a new follow works; an unconfirmed follow "
            "is deleted after it."),
]
