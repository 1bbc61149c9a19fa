"""BuildKit's own test cases for its build checks, as data: the specification of our IB rules
that carry `buildkit`.

Transcribed from moby/buildkit `frontend/dockerfile/dockerfile_check_test.go` (commit 73ed682,
2026-08-21), Linux variants. Each case is one `checkLinterWarnings` call: the Dockerfile, the
.dockerignore and the BUILDKIT_DOCKERFILE_CHECK build arg it is linted with, and the warnings
`docker build --check` reports (its lint subrequest: `UnmarshalWarnings` where the test gives
them, else `Warnings`). `error_level`: the test expects "lint violation found" (error=true);
`parse_error`: the line of the error BuildKit stops at. The build args some cases pass
(`VERSION=latest`) are left out: the checks deliberately ignore them.

One deliberate correction: BuildKit's third LegacyKeyValueFormat case expects lines 3 and 4,
but its unmarshal check never compares lines; the instructions are on lines 5 and 6.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Warning:
    check: str
    line: int
    detail: str


@dataclass(frozen=True)
class Case:
    test: str  # the Go test function it comes from
    dockerfile: str
    warnings: tuple[Warning, ...] = ()
    dockerignore: str | None = None
    check_option: str | None = None  # build-arg:BUILDKIT_DOCKERFILE_CHECK
    error_level: bool = False
    parse_error: int | None = None


def _w(check: str, line: int, detail: str) -> Warning:
    return Warning(check, line, detail)


def _cic(line: int, command: str, casing: str) -> Warning:
    detail = f"Command '{command}' should match the case of the command majority ({casing})"
    return _w("ConsistentInstructionCasing", line, detail)


def _mid(instruction: str, line: int) -> Warning:
    detail = (
        f"Multiple {instruction} instructions should not be used in the same stage because only "
        "the last one will be used"
    )
    return _w("MultipleInstructionsDisallowed", line, detail)


def _secret(kind: str, name: str, line: int) -> Warning:
    detail = f'Do not use ARG or ENV instructions for sensitive data ({kind} "{name}")'
    return _w("SecretsUsedInArgOrEnv", line, detail)


def _copy_ignored(verb: str, path: str, line: int) -> Warning:
    detail = f'Attempting to {verb} file "{path}" that is excluded by .dockerignore'
    return _w("CopyIgnoredFile", line, detail)


_FROM_AS = "'as' and 'FROM' keywords' casing do not match"
_JSON = "JSON arguments recommended for {} to prevent unintended behavior related to OS signals"
_IDD = "Default value for ARG {} results in empty or invalid base image name"
_RTP = "Setting platform to predefined {} in FROM is redundant as this is the default behavior"
_EXPOSE = "EXPOSE instruction should not define an IP address or host-port mapping, found '{}'"
_IGNORE_DOCKERFILE = "\nDockerfile\n"
_RULE_CHECK = "FROM scratch as base\ncopy Dockerfile .\n"
_SECRETS = r"""# check=skip=InvalidDefinitionDescription

FROM scratch
ARG SECRET_PASSPHRASE
ENV SUPER_Secret=foo
ENV password=bar secret=baz
ARG super_duper_secret_token=foo auth=bar
ENV apikey=bar sunflower=foo
ENV git_key=
ENV PUBLIC_KEY=
ARG public_token
ARG SECRET_PASSPHRASE_FILE
ENV password_file=bar secret_File=baz
ARG AUTH_MODULE_VERSION
# check=skip=SecretsUsedInArgOrEnv // allow secret in environment
ENV password=bar
# check=skip=SecretsUsedInArgOrEnv // allow secret in arg
ARG password
# check=skip=all // is local to only this instruction
ENV alternate_password=bar
# check=skip=all // is local to only this instruction
ARG alternate_password
"""
_DEFINITIONS = r"""# check=experimental=InvalidDefinitionDescription
# bar this is the bar
ARG foo=bar
# BasE this is the BasE image
FROM scratch AS base
# definitely a bad comment
ARG version=latest
# definitely a bad comment
ARG foo=baz bar=qux baz=quux
"""
_IDD_DETAIL = "Comment for {} should follow the format: `# {} <description>`"

CASES: tuple[Case, ...] = (
    Case(
        "testDefinitionDescription",
        "# check=skip=all;experimental=InvalidDefinitionDescription\n# foo this is the foo\n"
        "ARG foo=bar\n\n# base this is the base image\nFROM scratch AS base\n\n"
        "# version this is the version number\nARG version=latest\n\n# baz this is the baz\n"
        "ARG foo=baz bar=qux baz=quux\n#\nARG bit=bat\n\n"
        "# comment for something other than ARG or FROM\nCOPY Dockerfile .\n",
    ),
    Case(
        "testDefinitionDescription",
        _DEFINITIONS,
        (
            _w("InvalidDefinitionDescription", 3, _IDD_DETAIL.format("ARG", "foo")),
            _w("InvalidDefinitionDescription", 5, _IDD_DETAIL.format("FROM", "base")),
            _w("InvalidDefinitionDescription", 7, _IDD_DETAIL.format("ARG", "version")),
            _w("InvalidDefinitionDescription", 9, _IDD_DETAIL.format("ARG", "<arg_key>")),
        ),
    ),
    Case(
        "testCopyIgnoredFiles",
        "\nFROM scratch\nCOPY Dockerfile .\nADD Dockerfile /windy\n",
        (_copy_ignored("Copy", "Dockerfile", 3), _copy_ignored("Add", "Dockerfile", 4)),
        dockerignore=_IGNORE_DOCKERFILE,
    ),
    Case(
        "testCopyIgnoredFiles",
        "# check=skip=CopyIgnoredFile\n\nFROM scratch\nCOPY Dockerfile .\nADD Dockerfile /windy\n",
        dockerignore=_IGNORE_DOCKERFILE,
    ),
    Case(
        "testCopyIgnoredFiles",
        "\nFROM scratch AS base\nCOPY Dockerfile /foobar\nADD Dockerfile /windy\n\nFROM base\n"
        "COPY --from=base /foobar /Dockerfile\n",
        dockerignore="\nfoobar\n",
    ),
    Case(
        "testCopyIgnoredFiles",
        "\nFROM scratch\nCOPY ./Dockerfile .\n",
        dockerignore="\n**\n!Dockerfile\n",
    ),
    Case(
        "testCopyIgnoredFiles",
        "\nFROM scratch\nCOPY . .\n\t",
        dockerignore="\n**\n!Dockerfile\n",
    ),
    Case("testCopyIgnoredFileContextRoot", "\nFROM scratch\nCOPY . .\n", dockerignore="\n.*\n"),
    Case(
        "testCopyIgnoredFileContextRoot",
        "\nFROM scratch\nCOPY . .\n",
        (_copy_ignored("Copy", ".", 3),),
        dockerignore="\n*\n",
    ),
    Case(
        "testSecretsUsedInArgOrEnv",
        _SECRETS,
        (
            _secret("ARG", "SECRET_PASSPHRASE", 4),
            _secret("ENV", "SUPER_Secret", 5),
            _secret("ENV", "password", 6),
            _secret("ENV", "secret", 6),
            _secret("ARG", "auth", 7),
            _secret("ARG", "super_duper_secret_token", 7),
            _secret("ENV", "apikey", 8),
            _secret("ENV", "git_key", 9),
        ),
    ),
    Case(
        "testAllTargetUnmarshal",
        "\nFROM scratch AS first\nCOPY $foo .\n\nFROM scratch AS second\nCOPY $bar .\n",
        (
            _w("UndefinedVar", 3, "Usage of undefined variable '$foo'"),
            _w("UndefinedVar", 6, "Usage of undefined variable '$bar'"),
        ),
    ),
    Case("testRuleCheckOption", "#check=skip=all\n" + _RULE_CHECK),
    Case("testRuleCheckOption", "#check=skip=all;error=true\n" + _RULE_CHECK),
    Case(
        "testRuleCheckOption",
        "#check=skip=ConsistentInstructionCasing,FromAsCasing\n" + _RULE_CHECK,
    ),
    Case(
        "testRuleCheckOption",
        "#check=skip=ConsistentInstructionCasing,FromAsCasing;error=true\n" + _RULE_CHECK,
    ),
    Case(
        "testRuleCheckOption",
        "#check=skip=ConsistentInstructionCasing\n" + _RULE_CHECK,
        (_w("FromAsCasing", 2, _FROM_AS),),
    ),
    Case(
        "testRuleCheckOption",
        "#check=skip=ConsistentInstructionCasing;error=true\n" + _RULE_CHECK,
        (_w("FromAsCasing", 2, _FROM_AS),),
        error_level=True,
    ),
    Case(
        "testRuleCheckOption",
        "#check=skip=all\n" + _RULE_CHECK,
        (_w("FromAsCasing", 2, _FROM_AS),),
        check_option="skip=ConsistentInstructionCasing;error=true",
        error_level=True,
    ),
    Case("testRuleCheckOption", "#check=error=true\n" + _RULE_CHECK, check_option="skip=all"),
    Case(
        "testStageName",
        "\n# warning: stage name should be lowercase\n#\nFROM scratch AS BadStageName\n\n"
        "# warning: 'as' should match 'FROM' cmd casing.\n#\nFROM scratch as base2\n\n"
        "FROM scratch AS base3\n",
        (
            _w("StageNameCasing", 4, "Stage name 'BadStageName' should be lowercase"),
            _w("FromAsCasing", 8, _FROM_AS),
        ),
    ),
    Case(
        "testStageName",
        "\n# warning: 'AS' should match 'from' cmd casing.\n#\nfrom scratch AS base\n\n"
        "from scratch as base2\n",
        (_w("FromAsCasing", 4, "'AS' and 'from' keywords' casing do not match"),),
    ),
    Case(
        "testNoEmptyContinuation",
        "\nFROM scratch\n# warning: empty continuation line\nCOPY Dockerfile \\\n\n.\n"
        "COPY Dockerfile \\\n.\n",
        (_w("NoEmptyContinuation", 6, "Empty continuation line"),),
    ),
    Case(
        "testConsistentInstructionCasing",
        "\n# warning: 'FROM' should be either lowercased or uppercased\n#\n"
        "From scratch as base\nFROM scratch AS base2\n",
        (_cic(4, "From", "uppercase"),),
    ),
    Case(
        "testConsistentInstructionCasing",
        "\nFROM scratch\n# warning: 'copy' should match command majority's casing (uppercase)\n"
        "copy Dockerfile /foo\nCOPY Dockerfile /bar\n",
        (_cic(4, "copy", "uppercase"),),
    ),
    Case(
        "testConsistentInstructionCasing",
        "\n# warning: 'frOM' should be either lowercased or uppercased\n#\n"
        "frOM scratch as base\nfrom scratch as base2\n",
        (_cic(4, "frOM", "lowercase"),),
    ),
    Case(
        "testConsistentInstructionCasing",
        "\nfrom scratch\n# warning: 'COPY' should match command majority's casing (lowercase)\n"
        "COPY Dockerfile /foo\ncopy Dockerfile /bar\n",
        (_cic(4, "COPY", "lowercase"),),
    ),
    Case(
        "testConsistentInstructionCasing",
        "\n# warning: 'from' should match command majority's casing (uppercase)\n#\n"
        "from scratch\nCOPY Dockerfile /foo\nCOPY Dockerfile /bar\nCOPY Dockerfile /baz\n",
        (_cic(4, "from", "uppercase"),),
    ),
    Case(
        "testConsistentInstructionCasing",
        "\n# warning: 'FROM' should match command majority's casing (lowercase)\n#\n"
        "FROM scratch\ncopy Dockerfile /foo\ncopy Dockerfile /bar\ncopy Dockerfile /baz\n",
        (_cic(4, "FROM", "lowercase"),),
    ),
    Case(
        "testConsistentInstructionCasing",
        "\nfrom scratch\ncopy Dockerfile /foo\ncopy Dockerfile /bar\n",
    ),
    Case(
        "testConsistentInstructionCasing",
        "\nFROM scratch\nCOPY Dockerfile /foo\nCOPY Dockerfile /bar\n",
    ),
    Case("testConsistentInstructionCasing", "\nFROM alpine\nRUN <<'EOT'\nenv\nEOT\n"),
    Case(
        "testDuplicateStageName",
        "\nFROM scratch AS b\nFROM scratch AS b\n",
        (
            _w(
                "DuplicateStageName",
                3,
                'Duplicate stage name "b", stage names should be unique',
            ),
        ),
    ),
    Case("testDuplicateStageName", "\nFROM scratch AS b1\nFROM scratch AS b2\n"),
    Case(
        "testReservedStageName",
        "\nFROM scratch AS scratch\nFROM scratch AS context\n",
        (
            _w(
                "ReservedStageName",
                2,
                'Stage name should not use the same name as reserved stage "scratch"',
            ),
            _w(
                "ReservedStageName",
                3,
                'Stage name should not use the same name as reserved stage "context"',
            ),
        ),
    ),
    Case("testReservedStageName", "\nFROM scratch\nFROM scratch AS a\n"),
    Case(
        "testJSONArgsRecommended",
        "\nFROM scratch\nCMD mycommand\n",
        (_w("JSONArgsRecommended", 3, _JSON.format("CMD")),),
    ),
    Case(
        "testJSONArgsRecommended",
        "\nFROM scratch\nENTRYPOINT mycommand\n",
        (_w("JSONArgsRecommended", 3, _JSON.format("ENTRYPOINT")),),
    ),
    Case(
        "testJSONArgsRecommended",
        '\nFROM scratch\nSHELL ["/usr/bin/customshell"]\nCMD mycommand\n',
    ),
    Case(
        "testJSONArgsRecommended",
        '\nFROM scratch\nSHELL ["/usr/bin/customshell"]\nENTRYPOINT mycommand\n',
    ),
    Case(
        "testJSONArgsRecommended",
        '\nFROM scratch AS base\nSHELL ["/usr/bin/customshell"]\n\nFROM base\nCMD mycommand\n',
    ),
    Case(
        "testJSONArgsRecommended",
        '\nFROM scratch AS base\nSHELL ["/usr/bin/customshell"]\n\nFROM base\n'
        "ENTRYPOINT mycommand\n",
    ),
    Case(
        "testMaintainerDeprecated",
        "\nFROM scratch\nMAINTAINER me@example.org\n",
        (
            _w(
                "MaintainerDeprecated",
                3,
                "Maintainer instruction is deprecated in favor of using label",
            ),
        ),
    ),
    Case(
        "testMaintainerDeprecated",
        '\nFROM scratch\nLABEL org.opencontainers.image.authors="me@example.org"\n',
    ),
    Case(
        "testMaintainerDeprecated",
        "\nFROM scratch\n# check=skip=JSONArgsRecommended\nCMD mycommand\n",
    ),
    Case(
        "testMaintainerDeprecated",
        "\nFROM scratch\n# check=skip=JSONArgsRecommended\nENTRYPOINT mycommand\n",
    ),
    Case(
        "testMaintainerDeprecated",
        "\nFROM scratch\n# check=skip=MaintainerDeprecated\nMAINTAINER me@example.org\n",
    ),
    Case(
        "testWarningsBeforeError",
        "\nFROM scratch AS BadStageName\nMAINTAINER me@example.org\nBADCMD\n",
        (
            _w("StageNameCasing", 2, "Stage name 'BadStageName' should be lowercase"),
            _w(
                "MaintainerDeprecated",
                3,
                "Maintainer instruction is deprecated in favor of using label",
            ),
        ),
        parse_error=4,
    ),
    Case("testUndeclaredArg", "\nARG base=scratch\nFROM $base\nCOPY Dockerfile .\n"),
    Case(
        "testUndeclaredArg",
        "\nARG BUILDPLATFORM=linux/amd64\nFROM --platform=$BUILDPLATFORM scratch\n"
        "COPY Dockerfile .\n",
    ),
    Case("testUndeclaredArg", "\nFROM --platform=$BUILDPLATFORM scratch\nCOPY Dockerfile .\n"),
    Case("testUndeclaredArg", "\nARG DEBUG\nFROM scratch${DEBUG}\nCOPY Dockerfile .\n"),
    Case("testUndeclaredArg", "\nARG DEBUG\nFROM scra${DEBUG:-tch}\nCOPY Dockerfile .\n"),
    Case(
        "testUndeclaredArg",
        '\nARG DEBUG=""\nFROM scratch${DEBUG-@bogus}\nCOPY Dockerfile .\n',
    ),
    Case(
        "testUndeclaredArg",
        "\nFROM --platform=$BULIDPLATFORM scratch\nCOPY Dockerfile .\n",
        (
            _w(
                "UndefinedArgInFrom",
                2,
                "FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)",
            ),
        ),
    ),
    Case(
        "testUndeclaredArg",
        "\nARG MY_OS=linux\nARG MY_ARCH=amd64\nFROM --platform=linux/${MYARCH} busybox\n"
        "COPY Dockerfile .\n\t",
        (
            _w(
                "UndefinedArgInFrom",
                4,
                "FROM argument 'MYARCH' is not declared (did you mean MY_ARCH?)",
            ),
        ),
    ),
    Case(
        "testUndeclaredArg",
        "\nARG tag=latest\nFROM busybox:${tag}${version} AS b\nCOPY Dockerfile .\n",
        (_w("UndefinedArgInFrom", 3, "FROM argument 'version' is not declared"),),
    ),
    Case(
        "testWorkdirRelativePath",
        "\nFROM scratch\nWORKDIR app/\n",
        (
            _w(
                "WorkdirRelativePath",
                3,
                'Relative workdir "app/" can have unexpected results if the base image changes',
            ),
        ),
    ),
    Case(
        "testWorkdirRelativePath",
        "\nFROM scratch AS a\nWORKDIR /app\n\nFROM a AS b\nWORKDIR subdir/\n",
    ),
    Case(
        "testWorkdirRelativePath",
        "\nFROM scratch\n# check=skip=WorkdirRelativePath\nWORKDIR app/\n",
    ),
    Case("testUnmatchedVars", "\nFROM scratch\nARG foo\nCOPY Dockerfile${foo} .\n"),
    Case(
        "testUnmatchedVars",
        "\nFROM alpine AS base\nARG foo=Dockerfile\n\nFROM base\nCOPY $foo .\n",
    ),
    Case("testUnmatchedVars", "\nFROM alpine\nRUN echo $PATH\n"),
    Case(
        "testUnmatchedVars",
        "\nFROM alpine\nCOPY $foo .\nARG foo=bar\nRUN echo $foo\n",
        (_w("UndefinedVar", 3, "Usage of undefined variable '$foo'"),),
    ),
    Case(
        "testUnmatchedVars",
        "\nFROM alpine\nARG DIR_BINARIES=binaries/\nARG DIR_ASSETS=assets/\n"
        "ARG DIR_CONFIG=config/\nCOPY $DIR_ASSET .\n\t",
        (
            _w(
                "UndefinedVar",
                6,
                "Usage of undefined variable '$DIR_ASSET' (did you mean $DIR_ASSETS?)",
            ),
        ),
    ),
    Case(
        "testUnmatchedVars",
        "\nFROM alpine\nENV PATH=$PAHT:/tmp/bin\n\t\t",
        (_w("UndefinedVar", 3, "Usage of undefined variable '$PAHT' (did you mean $PATH?)"),),
    ),
    Case(
        "testMultipleInstructionsDisallowed",
        '\nFROM scratch\nENTRYPOINT ["/myapp"]\nENTRYPOINT ["/myotherapp"]\nCMD ["/myapp"]\n'
        'CMD ["/myotherapp"]\nHEALTHCHECK CMD ["/myapp"]\nHEALTHCHECK CMD ["/myotherapp"]\n',
        (_mid("ENTRYPOINT", 3), _mid("CMD", 5), _mid("HEALTHCHECK", 7)),
    ),
    Case(
        "testMultipleInstructionsDisallowed",
        '\nFROM scratch\nENTRYPOINT ["/myapp"]\nCMD ["/myapp"]\nHEALTHCHECK CMD ["/myapp"]\n'
        'COPY <<EOF /a.txt\nHello, World!\nEOF\nENTRYPOINT ["/myotherapp"]\n'
        'CMD ["/myotherapp"]\nHEALTHCHECK CMD ["/myotherapp"]\n',
        (_mid("ENTRYPOINT", 3), _mid("CMD", 4), _mid("HEALTHCHECK", 5)),
    ),
    Case(
        "testMultipleInstructionsDisallowed",
        '\nFROM scratch AS a\nENTRYPOINT ["/myapp"]\nCMD ["/myapp"]\nHEALTHCHECK CMD ["/myapp"]\n'
        '\nFROM a AS b\nENTRYPOINT ["/myotherapp"]\nCMD ["/myotherapp"]\n'
        'HEALTHCHECK CMD ["/myotherapp"]\n',
    ),
    Case(
        "testLegacyKeyValueFormat",
        "\nFROM scratch\nENV testkey value\nLABEL key value\n",
        (
            _w(
                "LegacyKeyValueFormat",
                3,
                '"ENV key=value" should be used instead of legacy "ENV key value" format',
            ),
            _w(
                "LegacyKeyValueFormat",
                4,
                '"LABEL key=value" should be used instead of legacy "LABEL key value" format',
            ),
        ),
    ),
    Case("testLegacyKeyValueFormat", "\nFROM scratch\nENV testkey=value\nLABEL key=value\n"),
    Case(
        "testLegacyKeyValueFormat",
        "\nFROM scratch AS a\n\nFROM a AS b\nENV testkey value\nLABEL key value\n\nFROM a AS c\n",
        (
            _w(
                "LegacyKeyValueFormat",
                5,
                '"ENV key=value" should be used instead of legacy "ENV key value" format',
            ),
            _w(
                "LegacyKeyValueFormat",
                6,
                '"LABEL key=value" should be used instead of legacy "LABEL key value" format',
            ),
        ),
    ),
    Case(
        "testLegacyKeyValueFormat",
        "\nFROM scratch\n# check=skip=LegacyKeyValueFormat\nENV testkey value\n"
        "# check=skip=LegacyKeyValueFormat\nLABEL key value\n",
    ),
    Case(
        "testRedundantTargetPlatform",
        "\nFROM --platform=$TARGETPLATFORM scratch\n",
        (_w("RedundantTargetPlatform", 2, _RTP.format("$TARGETPLATFORM")),),
    ),
    Case(
        "testRedundantTargetPlatform",
        "\nFROM --platform=${TARGETPLATFORM} scratch\n",
        (_w("RedundantTargetPlatform", 2, _RTP.format("${TARGETPLATFORM}")),),
    ),
    Case(
        "testRedundantTargetPlatform",
        "\n# check=skip=RedundantTargetPlatform\nFROM --platform=$TARGETPLATFORM scratch\n",
    ),
    Case(
        "testInvalidDefaultArgInFrom",
        "\nARG VERSION\nFROM busybox:$VERSION\n",
        (_w("InvalidDefaultArgInFrom", 3, _IDD.format("busybox:$VERSION")),),
    ),
    Case(
        "testInvalidDefaultArgInFrom",
        "\nARG IMAGE\nFROM $IMAGE\n",
        (_w("InvalidDefaultArgInFrom", 3, _IDD.format("$IMAGE")),),
    ),
    Case(
        "testInvalidDefaultArgInFrom",
        '\nARG SFX="box:"\nFROM busy${SFX}\n',
        (_w("InvalidDefaultArgInFrom", 3, _IDD.format("busy${SFX}")),),
    ),
    Case(
        "testInvalidDefaultArgInFrom",
        '\nARG VERSION="latest"\nFROM busybox:${VERSION}\n',
    ),
    Case(
        "testInvalidDefaultArgInFrom",
        '\nARG BUSYBOX_VARIANT=""\nFROM busybox:stable${BUSYBOX_VARIANT}\n',
    ),
    Case(
        "testInvalidDefaultArgInFrom",
        "\n\tARG BUSYBOX_VARIANT\n\tFROM busybox:stable${BUSYBOX_VARIANT}\n\t",
    ),
    Case(
        "testFromPlatformFlagConstDisallowed",
        "\nFROM --platform=linux/amd64 scratch\n",
        (
            _w(
                "FromPlatformFlagConstDisallowed",
                2,
                'FROM --platform flag should not use constant value "linux/amd64"',
            ),
        ),
    ),
    Case(
        "testFromPlatformFlagConstDisallowed",
        "\nFROM --platform=linux/amd64 scratch AS my_amd64_stage\n",
    ),
    Case("testFromPlatformFlagConstDisallowed", "\nFROM --platform=linux/amd64 scratch AS linux\n"),
    Case(
        "testExposeProtoCasing",
        "\nFROM scratch\nEXPOSE 80/TcP 8080/TCP 8080/udp\n",
        (
            _w(
                "ExposeProtoCasing",
                3,
                "Defined protocol '80/TcP' in EXPOSE instruction should be lowercase",
            ),
            _w(
                "ExposeProtoCasing",
                3,
                "Defined protocol '8080/TCP' in EXPOSE instruction should be lowercase",
            ),
        ),
    ),
    Case(
        "testExposeInvalidFormat",
        "\nFROM scratch\nEXPOSE 127.0.0.1:80:80 [::1]:8080:8080 5000:5000 8000\n",
        (
            _w("ExposeInvalidFormat", 3, _EXPOSE.format("127.0.0.1:80:80")),
            _w("ExposeInvalidFormat", 3, _EXPOSE.format("[::1]:8080:8080")),
            _w("ExposeInvalidFormat", 3, _EXPOSE.format("5000:5000")),
        ),
    ),
)

# BuildKit's 22 checks; the two imgbuild cannot mirror: one needs the pulled base image's
# platform, the other is experimental (off unless `# check=experimental=...` asks for it).
ALL_CHECKS = frozenset(
    {
        "StageNameCasing",
        "FromAsCasing",
        "NoEmptyContinuation",
        "ConsistentInstructionCasing",
        "DuplicateStageName",
        "ReservedStageName",
        "JSONArgsRecommended",
        "MaintainerDeprecated",
        "UndefinedArgInFrom",
        "WorkdirRelativePath",
        "UndefinedVar",
        "MultipleInstructionsDisallowed",
        "LegacyKeyValueFormat",
        "InvalidBaseImagePlatform",
        "RedundantTargetPlatform",
        "SecretsUsedInArgOrEnv",
        "InvalidDefaultArgInFrom",
        "FromPlatformFlagConstDisallowed",
        "CopyIgnoredFile",
        "InvalidDefinitionDescription",
        "ExposeProtoCasing",
        "ExposeInvalidFormat",
    }
)
NOT_MIRRORED = frozenset({"InvalidBaseImagePlatform", "InvalidDefinitionDescription"})
