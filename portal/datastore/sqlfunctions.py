"""The functions public SQL may call: an allow-list, by DuckDB's own names.

Anything not listed here is refused, so a function a new DuckDB adds is refused until someone
reads what it does and lists it. The names are those in DuckDB's parse of a statement
(`json_serialize_sql`): operators are functions there too (`+`, `||`, `~~` for LIKE), and
`count(*)` is `count_star`. Nothing here reads files, settings, the catalogue or variables, runs
SQL, sleeps or writes. Functions that build lists and texts (`range`, `list_*`, `string_agg`,
`lpad`, `unnest`...) are allowed because the query process's memory and time limits bound
them (processes.py); `repeat` is not (nothing a data user needs that `lpad` or `bar` lacks).
"""

OPERATORS = (
    "+", "-", "*", "/", "//", "%", "**", "^", "!", "@", "&", "|", "~", "<<", ">>", "||",
    "~~", "!~~", "~~*", "!~~*", "~~~", "^@", "->>", "@>", "<@", "&&", "<=>",
    "like_escape", "not_like_escape", "ilike_escape", "not_ilike_escape",
)
CONDITIONALS = ("if", "nullif", "greatest", "least", "typeof")
MATH = (
    "abs", "acos", "acosh", "add", "asin", "asinh", "atan", "atan2", "atanh", "bit_count",
    "cbrt", "ceil", "ceiling", "cos", "cosh", "cot", "degrees", "divide", "even", "exp",
    "factorial", "floor", "fmod", "gamma", "gcd", "greatest_common_divisor", "isfinite", "isinf",
    "isnan", "lcm", "least_common_multiple", "lgamma", "ln", "log", "log10", "log2", "mod",
    "multiply", "nextafter", "pi", "pow", "power", "radians", "random", "round", "round_even",
    "roundbankers", "sign", "signbit", "sin", "sinh", "sqrt", "subtract", "tan", "tanh", "trunc",
    "xor", "equi_width_bins", "format_bytes", "formatreadabledecimalsize", "formatreadablesize",
)
TEXT = (
    "ascii", "bar", "base64", "bit_length", "char_length", "character_length", "chr",
    "concat", "concat_ws", "contains", "damerau_levenshtein", "decode", "editdist3", "encode",
    "ends_with", "format", "from_base64", "hamming", "hash", "instr", "jaccard",
    "jaro_similarity", "jaro_winkler_similarity", "lcase", "left", "left_grapheme", "len",
    "length", "length_grapheme", "levenshtein", "lower", "lpad", "ltrim", "md5", "mismatches",
    "nfc_normalize", "octet_length", "ord", "position", "prefix", "printf", "regexp_escape",
    "regexp_extract", "regexp_extract_all", "regexp_full_match", "regexp_matches",
    "regexp_replace", "regexp_split_to_array", "replace", "reverse", "right", "right_grapheme",
    "rpad", "rtrim", "sha1", "sha256", "split", "split_part", "starts_with", "str_split",
    "str_split_regex", "string_split", "string_split_regex", "string_to_array",
    "strip_accents", "strlen", "strpos", "substr", "substring", "substring_grapheme", "suffix",
    "to_base64", "translate", "trim", "ucase", "unicode", "upper", "url_decode", "url_encode",
    "hex", "to_hex", "unhex", "from_hex", "bin", "unbin", "to_base",
)
DATES = (
    "age", "ago", "century", "date_add", "date_diff", "date_part", "date_sub", "date_trunc",
    "datediff", "datepart", "datesub", "datetrunc", "day", "dayname", "dayofmonth", "dayofweek",
    "dayofyear", "days_in_month", "decade", "epoch", "epoch_ms", "epoch_ns", "epoch_us", "era",
    "get_current_time", "get_current_timestamp", "hour", "isodow", "isoyear", "julian",
    "last_day", "make_date", "make_time", "make_timestamp", "make_timestamp_ms",
    "make_timestamp_ns", "make_timestamptz", "microsecond", "millennium", "millisecond",
    "minute", "month", "monthname", "nanosecond", "normalized_interval", "now", "quarter",
    "second", "strftime", "strptime", "time_bucket", "timezone", "timezone_hour",
    "timezone_minute", "to_centuries", "to_days", "to_decades", "to_hours", "to_microseconds",
    "to_millennia", "to_milliseconds", "to_minutes", "to_months", "to_quarters", "to_seconds",
    "to_timestamp", "to_weeks", "to_years", "today", "transaction_timestamp", "try_strptime",
    "week", "weekday", "weekofyear", "year", "yearweek", "current_date", "current_localtime",
    "current_localtimestamp",
)
LISTS_AND_STRUCTS = (
    "list_value", "array_value", "row", "struct_pack", "struct_extract", "struct_extract_at",
    "map", "map_extract", "map_keys", "map_values", "map_entries", "element_at",
    "unnest", "range", "generate_series", "flatten", "len", "array_length", "cardinality",
    "list_extract", "list_element", "array_extract", "list_slice", "array_slice",
    "list_contains", "list_has", "array_contains", "array_has", "list_has_any", "list_has_all",
    "array_has_any", "array_has_all", "list_position", "list_indexof", "array_position",
    "array_indexof", "list_concat", "list_cat", "array_concat", "array_cat", "list_append",
    "array_append", "list_prepend", "array_prepend", "list_sort", "array_sort",
    "list_reverse_sort", "array_reverse_sort", "list_reverse", "array_reverse", "list_distinct",
    "array_distinct", "list_unique", "array_unique", "list_intersect", "array_intersect",
    "list_transform", "array_transform", "list_apply", "array_apply", "apply", "list_filter",
    "array_filter", "filter", "list_reduce", "array_reduce", "reduce", "list_aggregate",
    "list_aggr", "array_aggregate", "array_aggr", "aggregate", "list_zip", "array_zip",
    "list_grade_up", "array_grade_up", "list_select", "array_select", "list_where",
    "array_where", "array_to_string", "list_sum", "list_avg", "list_min", "list_max",
    "list_count", "list_first", "list_last", "list_median", "list_mode", "list_string_agg",
    "list_product", "list_stddev_samp", "list_var_samp",
)
JSON = (
    "json_extract", "json_extract_string", "json_extract_path", "json_extract_path_text",
    "json_value", "json_exists", "json_valid", "json_type", "json_keys", "json_array_length",
    "json_contains", "to_json", "json_object", "json_array",
)
AGGREGATES = (
    "any_value", "approx_count_distinct", "approx_quantile", "approx_top_k", "arbitrary",
    "arg_max", "arg_min", "argmax", "argmin", "array_agg", "avg", "bit_and", "bit_or", "bit_xor",
    "bool_and", "bool_or", "corr", "count", "count_if", "count_star", "countif", "covar_pop",
    "covar_samp", "entropy", "favg", "first", "fsum", "geomean", "geometric_mean",
    "group_concat", "histogram", "kahan_sum", "kurtosis", "kurtosis_pop", "last", "list",
    "listagg", "mad", "max", "max_by", "mean", "median", "min", "min_by", "mode", "product",
    "quantile", "quantile_cont", "quantile_disc", "regr_avgx", "regr_avgy", "regr_count",
    "regr_intercept", "regr_r2", "regr_slope", "regr_sxx", "regr_sxy", "regr_syy", "sem",
    "skewness", "stddev", "stddev_pop", "stddev_samp", "string_agg", "sum", "sumkahan",
    "var_pop", "var_samp", "variance", "weighted_avg", "wavg",
)
WINDOWS = (
    "cume_dist", "dense_rank", "first_value", "lag", "last_value", "lead", "nth_value", "ntile",
    "percent_rank", "rank", "rank_dense", "row_number",
)

# Names DuckDB's parser gives that its list of functions does not hold: the postfix factorial
# (`5!`) and `unnest`, which its binder handles itself.
PARSER_NAMES = ("!", "unnest")

ALLOWED = frozenset(name.lower() for group in (
    OPERATORS, CONDITIONALS, MATH, TEXT, DATES, LISTS_AND_STRUCTS, JSON, AGGREGATES, WINDOWS,
) for name in group)
