"""The one table of every lint rule: code -> (module under builder.lint.rules, instructions).

The instructions are those the rule reports on, space-separated: a file with none of them is not
given to the rule, whose module is then not even imported (a file without RUN skips the 33 RUN
rules and their shell parser). Empty: the rule reports on every file's FROM lines or on the file
as a whole (a missing HEALTHCHECK), so it always runs. A file with ONBUILD gets every rule, its
triggers being any instruction.

Rules are imported lazily from this table, so linting one file imports only what runs.
`tests/lint/test_registry.py` checks that every module here is listed and every code unique, and
that no rule loses a finding to its instructions on hadolint's cases and the shared corpus.
Keep the table sorted by code; add one line per rule.
"""

from __future__ import annotations

RULE_MODULES: dict[str, tuple[str, str]] = {
    # DL rules (hadolint-compatible)
    "DL1001": ("dl1001", ""),
    "DL3000": ("dl3000", "WORKDIR"),
    "DL3001": ("dl3001", "RUN"),
    "DL3002": ("dl3002", "USER"),
    "DL3003": ("dl3003", "RUN"),
    "DL3004": ("dl3004", "RUN"),
    "DL3006": ("dl3006", ""),
    "DL3007": ("dl3007", ""),
    "DL3008": ("dl3008", "RUN"),
    "DL3009": ("dl3009", "RUN"),
    "DL3010": ("dl3010", "COPY"),
    "DL3011": ("dl3011", "EXPOSE"),
    "DL3012": ("dl3012", "HEALTHCHECK"),
    "DL3013": ("dl3013", "RUN"),
    "DL3014": ("dl3014", "RUN"),
    "DL3015": ("dl3015", "RUN"),
    "DL3016": ("dl3016", "RUN"),
    "DL3018": ("dl3018", "RUN"),
    "DL3019": ("dl3019", "RUN"),
    "DL3020": ("dl3020", "ADD"),
    "DL3021": ("dl3021", "COPY"),
    "DL3022": ("dl3022", "COPY"),
    "DL3023": ("dl3023", "COPY"),
    "DL3024": ("dl3024", ""),
    "DL3025": ("dl3025", "CMD ENTRYPOINT HEALTHCHECK"),
    "DL3026": ("dl3026", ""),
    "DL3027": ("dl3027", "RUN"),
    "DL3028": ("dl3028", "RUN"),
    "DL3029": ("dl3029", ""),
    "DL3030": ("dl3030", "RUN"),
    "DL3032": ("dl3032", "RUN"),
    "DL3033": ("dl3033", "RUN"),
    "DL3034": ("dl3034", "RUN"),
    "DL3035": ("dl3035", "RUN"),
    "DL3036": ("dl3036", "RUN"),
    "DL3037": ("dl3037", "RUN"),
    "DL3038": ("dl3038", "RUN"),
    "DL3040": ("dl3040", "RUN"),
    "DL3041": ("dl3041", "RUN"),
    "DL3042": ("dl3042", "RUN"),
    "DL3043": ("dl3043", "ONBUILD"),
    "DL3044": ("dl3044", "ENV"),
    "DL3045": ("dl3045", "COPY"),
    "DL3046": ("dl3046", "RUN"),
    "DL3047": ("dl3047", "RUN"),
    "DL3048": ("dl3048", "LABEL"),
    "DL3049": ("dl3049", ""),
    "DL3050": ("dl3050", "LABEL"),
    "DL3051": ("dl3051", "LABEL"),
    "DL3052": ("dl3052", "LABEL"),
    "DL3053": ("dl3053", "LABEL"),
    "DL3054": ("dl3054", "LABEL"),
    "DL3055": ("dl3055", "LABEL"),
    "DL3056": ("dl3056", "LABEL"),
    "DL3057": ("dl3057", ""),
    "DL3058": ("dl3058", "LABEL"),
    "DL3059": ("dl3059", "RUN"),
    "DL3060": ("dl3060", "RUN"),
    "DL3061": ("dl3061", ""),
    "DL3062": ("dl3062", "RUN"),
    "DL3063": ("dl3063", ""),
    "DL3064": ("dl3064", "ARG ENV"),
    "DL3065": ("dl3065", ""),
    "DL3066": ("dl3066", "USER"),
    "DL3067": ("dl3067", "COPY"),
    "DL4000": ("dl4000", "MAINTAINER"),
    "DL4001": ("dl4001", "RUN"),
    "DL4003": ("dl4003", "CMD"),
    "DL4004": ("dl4004", "ENTRYPOINT"),
    "DL4005": ("dl4005", "RUN"),
    "DL4006": ("dl4006", "RUN"),
    # IB rules (imgbuild's own)
    "IB001": ("ib001", ""),
    "IB002": ("ib002", ""),
    "IB003": ("ib003", ""),
    "IB004": ("ib004", "ENV LABEL"),
    "IB005": ("ib005", "ADD ARG COPY ENV LABEL RUN STOPSIGNAL USER VOLUME WORKDIR"),
    "IB006": ("ib006", ""),
    "IB007": ("ib007", ""),
    "IB008": ("ib008", "ADD COPY"),
    "IB009": ("ib009", "EXPOSE"),
    "IB010": ("ib010", ""),
    "IB011": ("ib011", "ARG ENV LABEL RUN"),
    "IB012": ("ib012", "RUN"),
    "IB013": ("ib013", "ADD"),
    "IB014": ("ib014", ""),
    "IB015": ("ib015", ""),
    "IB016": ("ib016", ""),
    "IB017": ("ib017", "CMD ENTRYPOINT"),
    "IB018": ("ib018", "MAINTAINER"),
    "IB019": ("ib019", "WORKDIR"),
    "IB020": ("ib020", "CMD ENTRYPOINT HEALTHCHECK"),
    "IB021": ("ib021", ""),
    "IB022": ("ib022", "ARG ENV"),
    "IB023": ("ib023", ""),
    "IB024": ("ib024", ""),
    "IB025": ("ib025", "EXPOSE"),
}

# Rules that report only where a RUN script names a program: code -> strings one of which the
# file must hold, quotes and backslashes aside (`ap"t-g"et` is apt-get to the shell), for the
# rule to have anything to say. A file with none of them is not given to the rule, whose module
# is then not imported (a file without a package manager skips most RUN rules). Each string is
# in every program name the rule looks for (`apt` in apt-get, apt and aptitude); the check of
# the instructions above, on hadolint's cases and the corpus, holds these too.
RULE_WORDS: dict[str, tuple[str, ...]] = {
    "DL3001": ("free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"),
    "DL3003": ("cd",),
    "DL3004": ("sudo",),
    "DL3008": ("apt-get",),
    "DL3009": ("apt",),
    "DL3013": ("pip",),
    "DL3014": ("apt-get",),
    "DL3015": ("apt-get",),
    "DL3016": ("npm",),
    "DL3018": ("apk",),
    "DL3019": ("apk",),
    "DL3027": ("apt",),
    "DL3028": ("gem",),
    "DL3030": ("yum",),
    "DL3032": ("yum",),
    "DL3033": ("yum",),
    "DL3034": ("zypper",),
    "DL3035": ("zypper",),
    "DL3036": ("zypper",),
    "DL3037": ("zypper",),
    "DL3038": ("dnf",),
    "DL3040": ("dnf",),
    "DL3041": ("dnf",),
    "DL3042": ("pip",),
    "DL3046": ("useradd",),
    "DL3047": ("wget",),
    "DL3060": ("yarn",),
    "DL3062": ("go",),
    "DL4001": ("wget",),  # with curl: either one would do
    "DL4005": ("ln",),
    "DL4006": ("|",),
    "IB005": ("$",),  # an undefined variable is a `$` reference
    "IB012": ("curl", "wget"),
}
