"""Generator of ``tests/bad_inputs/`` (committed; this records how the binary and huge-line files were made).

``python tests/hardening/make_bad_inputs.py tests/bad_inputs`` rewrites the inputs (not the
``.expected.txt`` files: those come from ``UPDATE_BAD_INPUTS=1`` and a review).
``test_hardening_bad_inputs.py`` checks that the committed files are exactly this output.
Names are ``<case>--<canonical file name>``.
"""

# ruff: noqa: E501
from __future__ import annotations

import json
import pathlib
import sys

out = pathlib.Path(sys.argv[1]) if __name__ == "__main__" else pathlib.Path()


def w(name: str, content: str | bytes) -> None:
    """Write one case."""
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    (out / name).write_bytes(data)


def main(folder: pathlib.Path) -> None:
    """Write every case into ``folder``."""
    global out
    out = folder
    folder.mkdir(parents=True, exist_ok=True)
    write_cases()


def write_cases() -> None:
    """Every case, by format."""

    UV_HEAD = 'version = 1\nrevision = 2\nrequires-python = ">=3.11"\n\n'
    UV_ROOT = '[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\ndependencies = [\n    { name = "django" },\n]\n\n'
    UV_DJ = '[[package]]\nname = "django"\nversion = "5.1.4"\nsource = { registry = "https://index.invalid/simple" }\n'
    UV_OK = UV_HEAD + UV_ROOT + UV_DJ
    PP_OK = '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = [\n    "django>=5.1",\n    "psycopg[binary]>=3.2",\n]\n'
    RQ_OK = "django==5.1.4\npsycopg==3.2.3\ncelery==5.4.0\n"

    # --- requirements.txt ---
    w("utf16-bom--requirements.txt", "\ufeff".encode() and RQ_OK.encode("utf-16"))
    w("utf16be-bom--requirements.txt", b"\xfe\xff" + RQ_OK.encode("utf-16-be"))
    w("utf16-no-bom--requirements.txt", RQ_OK.encode("utf-16-le"))
    w("utf8-bom--requirements.txt", b"\xef\xbb\xbf" + RQ_OK.encode())
    w("latin1--requirements.txt", "# d\xe9pendances du projet\ndjango==5.1.4\n".encode("latin-1"))
    w(
        "binary-png--requirements.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa",
    )
    w("nul-byte--requirements.txt", "django==5.1.4\ncelery\x00==5.4.0\n")
    w("invalid-operator--requirements.txt", "django==5.1.4\ncelery>>=5.4\n")
    w("unterminated-marker--requirements.txt", "django==5.1.4\npsycopg==3.2.3 ; python_version <\n")
    w("absurd-version--requirements.txt", "django==" + ".".join(["99999999999999999999"] * 40) + "\n")
    w("not-a-version--requirements.txt", "django==five.one\n")
    w("trailing-backslash--requirements.txt", "django==5.1.4 \\\n")
    w("empty--requirements.txt", "")
    w("only-comments--requirements.txt", "# nothing here\n\n   # still nothing\n")
    w("self-include--requirements.txt", "-r requirements.txt\ndjango==5.1.4\n")
    w(
        "include-outside-root--requirements.txt",
        "-r ../../../../etc/passwd\n-c ../outside-constraints.txt\ndjango==5.1.4\n",
    )
    w("absolute-include--requirements.txt", "-r /etc/passwd\ndjango==5.1.4\n")
    w(
        "url-include--requirements.txt",
        "-r https://example.invalid/requirements.txt\n-c http://example.invalid/c.txt\ndjango==5.1.4\n",
    )
    w("missing-include--requirements.txt", "-r does-not-exist.txt\ndjango==5.1.4\n")
    w(
        "cyclic-via--requirements.txt",
        "a==1.0\n    # via b\nb==1.0\n    # via a\nc==1.0\n    # via -r requirements.in\n",
    )
    w("self-via--requirements.txt", "a==1.0\n    # via\n    #   -r requirements.in\n    #   a\n")
    w("editable-outside--requirements.txt", "-e ../../outside\ndjango==5.1.4\n")
    w("bad-option--requirements.txt", "--frobnicate\ndjango==5.1.4\n")
    w("name-only-punctuation--requirements.txt", "django==5.1.4\n-==1\n")

    # --- pyproject.toml ---
    w("truncated--pyproject.toml", PP_OK[: PP_OK.index('"psycopg')] + '"psyc')
    w("duplicate-key--pyproject.toml", '[project]\nname = "app"\nname = "app2"\ndependencies = []\n')
    w("duplicate-table--pyproject.toml", '[project]\nname = "app"\n\n[project]\ndependencies = []\n')
    w("project-not-table--pyproject.toml", 'project = "app"\n')
    w("dependencies-string--pyproject.toml", '[project]\nname = "app"\ndependencies = "django"\n')
    w("dependencies-ints--pyproject.toml", '[project]\nname = "app"\ndependencies = [1, 2]\n')
    w("optional-not-table--pyproject.toml", '[project]\nname = "app"\noptional-dependencies = ["django"]\n')
    w(
        "optional-extra-not-array--pyproject.toml",
        '[project]\nname = "app"\n\n[project.optional-dependencies]\napi = "fastapi"\n',
    )
    w("requires-python-int--pyproject.toml", '[project]\nname = "app"\nrequires-python = 311\n')
    w("name-int--pyproject.toml", '[project]\nname = 5\nversion = 1.0\ndependencies = ["django"]\n')
    w("groups-not-table--pyproject.toml", 'dependency-groups = 3\n\n[project]\nname = "app"\n')
    w(
        "include-group-cycle--pyproject.toml",
        '[project]\nname = "app"\n\n[dependency-groups]\ndev = [{ include-group = "test" }, "ruff"]\ntest = [{ include-group = "dev" }, "pytest"]\n',
    )
    w(
        "include-group-self--pyproject.toml",
        '[project]\nname = "app"\n\n[dependency-groups]\ndev = ["ruff", { include-group = "dev" }]\n',
    )
    w(
        "include-group-unknown--pyproject.toml",
        '[project]\nname = "app"\n\n[dependency-groups]\ndev = [{ include-group = "../../etc/passwd" }]\n',
    )
    w("group-entry-int--pyproject.toml", '[project]\nname = "app"\n\n[dependency-groups]\ndev = ["ruff", 7]\n')
    w(
        "invalid-pep508--pyproject.toml",
        '[project]\nname = "app"\ndependencies = [\n    "django>=5.1",\n    "celery >=",\n]\n',
    )
    w(
        "uv-dev-deps-table--pyproject.toml",
        '[project]\nname = "app"\n\n[tool.uv]\ndev-dependencies = { pytest = "*" }\n',
    )
    w("utf16--pyproject.toml", PP_OK.encode("utf-16"))
    w("bad-escape--pyproject.toml", '[project]\nname = "app\\q"\n')
    w("deep-arrays--pyproject.toml", '[project]\nname = "app"\nx = ' + "[" * 5000 + "]" * 5000 + "\n")
    w("deep-inline-tables--pyproject.toml", '[project]\nname = "app"\nx = ' + "{a = " * 3000 + "1" + "}" * 3000 + "\n")
    w(
        "absurd-version--pyproject.toml",
        '[project]\nname = "app"\nversion = "' + "9" * 5000 + '"\ndependencies = ["django===' + "1" * 500 + '"]\n',
    )
    w("binary--pyproject.toml", bytes(range(256)) * 4)
    w("empty--pyproject.toml", "")

    # --- uv.lock ---
    w("truncated--uv.lock", UV_OK[: UV_OK.index("dependencies") + 20])
    w("version-2--uv.lock", UV_OK.replace("version = 1\n", "version = 2\n", 1))
    w("version-string--uv.lock", UV_OK.replace("version = 1\n", 'version = "1"\n', 1))
    w("package-not-array--uv.lock", UV_HEAD + 'package = "django"\n')
    w("package-missing-name--uv.lock", UV_HEAD + UV_ROOT + '[[package]]\nversion = "5.1.4"\n')
    w("package-name-int--uv.lock", UV_HEAD + UV_ROOT + UV_DJ.replace('name = "django"', "name = 42"))
    w("version-int--uv.lock", UV_HEAD + UV_ROOT + UV_DJ.replace('version = "5.1.4"', "version = 5"))
    w(
        "source-string--uv.lock",
        UV_HEAD + UV_ROOT + UV_DJ.replace('source = { registry = "https://index.invalid/simple" }', 'source = "pypi"'),
    )
    w(
        "dependencies-not-array--uv.lock",
        UV_HEAD + UV_ROOT.replace('dependencies = [\n    { name = "django" },\n]', 'dependencies = "django"') + UV_DJ,
    )
    w(
        "dependency-without-name--uv.lock",
        UV_HEAD + UV_ROOT.replace('{ name = "django" }', '{ version = "5.1.4" }') + UV_DJ,
    )
    w("optional-not-table--uv.lock", UV_HEAD + UV_ROOT + 'optional-dependencies = ["x"]\n\n' + UV_DJ)
    w("manifest-not-table--uv.lock", UV_HEAD + "manifest = 3\n\n" + UV_ROOT + UV_DJ)
    w("members-not-strings--uv.lock", UV_HEAD + "[manifest]\nmembers = [1, 2]\n\n" + UV_ROOT + UV_DJ)
    w("requires-python-int--uv.lock", UV_OK.replace('requires-python = ">=3.11"', "requires-python = 311"))
    w("duplicate-key--uv.lock", UV_HEAD + UV_ROOT + UV_DJ + 'version = "5.1.5"\n')
    w(
        "cyclic-edges--uv.lock",
        UV_HEAD
        + UV_ROOT.replace('{ name = "django" }', '{ name = "a" }')
        + '[[package]]\nname = "a"\nversion = "1.0"\nsource = { registry = "https://index.invalid/simple" }\ndependencies = [\n    { name = "b" },\n]\n\n'
        '[[package]]\nname = "b"\nversion = "1.0"\nsource = { registry = "https://index.invalid/simple" }\ndependencies = [\n    { name = "a" },\n    { name = "app" },\n]\n',
    )
    w("self-dependency--uv.lock", UV_HEAD + UV_ROOT + UV_DJ + 'dependencies = [\n    { name = "django" },\n]\n')
    w("absurd-version--uv.lock", UV_HEAD + UV_ROOT + UV_DJ.replace('"5.1.4"', '"' + "9" * 4000 + '.0"'))
    w("binary--uv.lock", b"\x00\x01\x02version = 1\n\xff\xfe\x00")
    w("utf16--uv.lock", UV_OK.encode("utf-16"))
    w("dev-group-not-array--uv.lock", UV_HEAD + UV_ROOT + '\n[package.dev-dependencies]\ndev = "pytest"\n\n' + UV_DJ)
    # pip's parser splits lines with str.splitlines(): \x0b, \x0c, \x85, \u2028... used to shift its line numbers
    w("vertical-tabs--requirements.txt", "\x0b\x0b\x0b\ndjango==5.1.4\n")
    w("unicode-line-separators--requirements.txt", "django==5.1.4\u2028flask==3.0\n\x0c\ncelery==5.4.0\x85\n")
    w("lone-cr--requirements.txt", "django==5.1.4\rcelery==5.4.0\r")

    # ---------------- formats merged later: poetry.lock, pdm.lock, pylock.toml, Pipfile(.lock), CycloneDX, SPDX
    PO = (
        '[[package]]\nname = "django"\nversion = "5.1.4"\ndescription = ""\noptional = false\npython-versions = ">=3.10"\n'
        'files = []\n\n[package.dependencies]\nasgiref = ">=3.8.1"\n\n'
        '[[package]]\nname = "asgiref"\nversion = "3.8.1"\ndescription = ""\noptional = false\npython-versions = ">=3.8"\nfiles = []\n\n'
        '[metadata]\nlock-version = "2.1"\npython-versions = "^3.11"\ncontent-hash = "00"\n'
    )
    w("truncated--poetry.lock", PO[: PO.index("[package.dependencies]") + 15])
    w("name-int--poetry.lock", PO.replace('name = "django"', "name = 1"))
    w("version-table--poetry.lock", PO.replace('version = "5.1.4"', "version = { a = 1 }"))
    w(
        "dependencies-array--poetry.lock",
        PO.replace('[package.dependencies]\nasgiref = ">=3.8.1"\n', 'dependencies = ["asgiref"]\n'),
    )
    w("package-not-array--poetry.lock", 'package = "django"\n\n[metadata]\nlock-version = "2.1"\n')
    w("lock-version-99--poetry.lock", PO.replace('lock-version = "2.1"', 'lock-version = "99.0"'))
    w(
        "cyclic--poetry.lock",
        PO.replace(
            '[[package]]\nname = "asgiref"\nversion = "3.8.1"\ndescription = ""\noptional = false\npython-versions = ">=3.8"\nfiles = []\n',
            '[[package]]\nname = "asgiref"\nversion = "3.8.1"\ndescription = ""\noptional = false\npython-versions = ">=3.8"\nfiles = []\n\n[package.dependencies]\ndjango = "*"\nasgiref = "*"\n',
        ),
    )
    w("duplicate-table--poetry.lock", PO + '\n[metadata]\nlock-version = "2.0"\n')

    PD = (
        '[metadata]\ngroups = ["default"]\nstrategy = ["inherit_metadata"]\nlock_version = "4.5.0"\ncontent_hash = "sha256:00"\n\n'
        '[[package]]\nname = "django"\nversion = "5.1.4"\nrequires_python = ">=3.10"\nsummary = ""\ngroups = ["default"]\n'
        'dependencies = [\n    "asgiref>=3.8.1",\n]\n\n'
        '[[package]]\nname = "asgiref"\nversion = "3.8.1"\nsummary = ""\ngroups = ["default"]\n'
    )
    w("truncated--pdm.lock", PD[: PD.index("asgiref>=") + 4])
    w(
        "dependencies-string--pdm.lock",
        PD.replace('dependencies = [\n    "asgiref>=3.8.1",\n]', 'dependencies = "asgiref"'),
    )
    w("bad-requirement--pdm.lock", PD.replace('"asgiref>=3.8.1"', '"asgiref>>=3.8.1"'))
    w("groups-int--pdm.lock", PD.replace('groups = ["default"]\ndependencies', "groups = 7\ndependencies"))
    w("self-dependency--pdm.lock", PD.replace('"asgiref>=3.8.1",', '"asgiref>=3.8.1",\n    "django",'))
    w("lock-version-int--pdm.lock", PD.replace('lock_version = "4.5.0"', "lock_version = 4"))

    PL = (
        'lock-version = "1.0"\ncreated-by = "uv"\nrequires-python = ">=3.11"\n\n'
        '[[packages]]\nname = "django"\nversion = "5.1.4"\ndependencies = [{ name = "asgiref" }]\n\n'
        '[[packages]]\nname = "asgiref"\nversion = "3.8.1"\n'
    )
    w("truncated--pylock.toml", PL[: PL.index("dependencies") + 18])
    w("lock-version-2--pylock.toml", PL.replace('lock-version = "1.0"', 'lock-version = "2.0"'))
    w("packages-table--pylock.toml", 'lock-version = "1.0"\ncreated-by = "x"\n\n[packages]\nname = "django"\n')
    w("name-missing--pylock.toml", PL.replace('name = "asgiref"\nversion', "version"))
    w(
        "dependencies-strings--pylock.toml",
        PL.replace('dependencies = [{ name = "asgiref" }]', 'dependencies = ["asgiref"]'),
    )
    w("cyclic--pylock.toml", PL + 'dependencies = [{ name = "django" }, { name = "asgiref" }]\n')

    PF = '[[source]]\nurl = "https://index.invalid/simple"\nverify_ssl = true\nname = "pypi"\n\n[packages]\ndjango = "==5.1.4"\n\n[dev-packages]\npytest = "*"\n'
    w("truncated--Pipfile", PF[: PF.index("[dev-packages]") + 5])
    w("packages-array--Pipfile", 'packages = ["django"]\n\n' + PF.replace('[packages]\ndjango = "==5.1.4"\n', ""))
    w("version-int--Pipfile", PF.replace('django = "==5.1.4"', "django = 5"))
    w("bad-specifier--Pipfile", PF.replace('"==5.1.4"', '">=5.1, <<6"'))

    PLK = {
        "_meta": {"hash": {"sha256": "00"}, "pipfile-spec": 6, "requires": {"python_version": "3.11"}, "sources": []},
        "default": {"django": {"hashes": [], "version": "==5.1.4"}, "asgiref": {"hashes": [], "version": "==3.8.1"}},
        "develop": {"pytest": {"version": "==8.3.4"}},
    }
    PLK_TEXT = json.dumps(PLK, indent=4)
    w("truncated--Pipfile.lock", PLK_TEXT[: PLK_TEXT.index('"asgiref"') + 5])
    w("default-array--Pipfile.lock", json.dumps({**PLK, "default": ["django"]}, indent=4))
    w("version-int--Pipfile.lock", json.dumps({**PLK, "default": {"django": {"version": 5}}}, indent=4))
    w("top-level-array--Pipfile.lock", "[1, 2, 3]\n")
    w("deep-nesting--Pipfile.lock", "[" * 100000 + "]" * 100000)
    w(
        "duplicate-keys--Pipfile.lock",
        PLK_TEXT.replace('"develop": {', '"default": {"evil": {"version": "==6.6.6"}},\n    "develop": {'),
    )
    w("nan--Pipfile.lock", PLK_TEXT.replace('"pipfile-spec": 6', '"pipfile-spec": NaN'))
    w("utf16--Pipfile.lock", PLK_TEXT.encode("utf-16"))

    CDX = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {"component": {"bom-ref": "app", "type": "application", "name": "app", "version": "1.0"}},
        "components": [
            {
                "bom-ref": "django",
                "type": "library",
                "name": "Django",
                "version": "5.1.4",
                "purl": "pkg:pypi/django@5.1.4",
            },
            {
                "bom-ref": "asgiref",
                "type": "library",
                "name": "asgiref",
                "version": "3.8.1",
                "purl": "pkg:pypi/asgiref@3.8.1",
            },
        ],
        "dependencies": [{"ref": "app", "dependsOn": ["django"]}, {"ref": "django", "dependsOn": ["asgiref"]}],
    }

    def cdx(**changes):
        return json.dumps({**CDX, **changes}, indent=2)

    CDX_TEXT = cdx()
    w("truncated--bom.json", CDX_TEXT[: CDX_TEXT.index('"asgiref"') + 3])
    w(
        "spec-version-lies--bom.json",
        cdx(
            specVersion="1.2",
            components=[
                {
                    "bom-ref": "django",
                    "type": "library",
                    "name": "Django",
                    "version": "5.1.4",
                    "purl": "pkg:pypi/django@5.1.4",
                    "evidence": {"identity": {"field": "purl"}},
                }
            ],
            dependencies=[{"ref": "django", "dependsOn": []}],
        ),
    )
    w("spec-version-unknown--bom.json", cdx(specVersion="9.9"))
    w("spec-version-number--bom.json", cdx(specVersion=1.6))
    w("components-object--bom.json", cdx(components={"django": "5.1.4"}))
    w("component-name-int--bom.json", cdx(components=[{"bom-ref": "x", "type": "library", "name": 5, "version": "1"}]))
    w(
        "cyclic-dependencies--bom.json",
        cdx(
            dependencies=[
                {"ref": "app", "dependsOn": ["django"]},
                {"ref": "django", "dependsOn": ["asgiref"]},
                {"ref": "asgiref", "dependsOn": ["django", "asgiref"]},
            ]
        ),
    )
    w(
        "self-dependency--bom.json",
        cdx(dependencies=[{"ref": "app", "dependsOn": ["django"]}, {"ref": "django", "dependsOn": ["django"]}]),
    )
    w(
        "dangling-ref--bom.json",
        cdx(dependencies=[{"ref": "app", "dependsOn": ["nowhere"]}, {"ref": "ghost", "dependsOn": ["django"]}]),
    )
    w(
        "deep-nesting--bom.json",
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": ' + "[" * 100000 + "]" * 100000 + "}",
    )
    w(
        "deep-components--bom.json",
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": ['
        + '{"type": "library", "name": "a", "components": [' * 3000
        + "]}" * 3000
        + "]}",
    )

    w("binary--bom.json", b'\x00\x01{"bomFormat"\xff')

    CDXX = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">\n  <components>\n'
        '    <component type="library" bom-ref="django">\n      <name>Django</name>\n      <version>5.1.4</version>\n'
        "      <purl>pkg:pypi/django@5.1.4</purl>\n    </component>\n  </components>\n</bom>\n"
    )
    w(
        "billion-laughs--bom.xml",
        '<?xml version="1.0"?>\n<!DOCTYPE bom [\n  <!ENTITY lol "lol">\n'
        + "".join(f'  <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n' for n in range(1, 10))
        + ']>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library"><name>&lol9;</name></component></components></bom>\n',
    )
    w(
        "external-entity--bom.xml",
        '<?xml version="1.0"?>\n<!DOCTYPE bom [\n  <!ENTITY secret SYSTEM "file:///etc/passwd">\n]>\n'
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components><component type="library"><name>&secret;</name></component></components></bom>\n',
    )
    w(
        "external-dtd--bom.xml",
        '<?xml version="1.0"?>\n<!DOCTYPE bom SYSTEM "http://example.invalid/evil.dtd">\n' + CDXX.split("\n", 1)[1],
    )
    w(
        "parameter-entity--bom.xml",
        '<?xml version="1.0"?>\n<!DOCTYPE bom [\n  <!ENTITY % remote SYSTEM "http://example.invalid/x.dtd">\n  %remote;\n]>\n<bom/>\n',
    )
    w(
        "internal-dtd--bom.xml",
        '<?xml version="1.0"?>\n<!DOCTYPE bom [\n  <!ELEMENT bom ANY>\n]>\n' + CDXX.split("\n", 1)[1],
    )
    w("truncated--bom.xml", CDXX[: CDXX.index("<version>") + 4])
    w(
        "spec-version-lies--bom.xml",
        CDXX.replace("bom/1.6", "bom/1.2").replace(
            '<component type="library" bom-ref="django">',
            '<component type="library" bom-ref="django"><evidence><identity><field>purl</field></identity></evidence>',
        ),
    )
    w(
        "unknown-namespace--bom.xml",
        CDXX.replace("http://cyclonedx.org/schema/bom/1.6", "http://example.invalid/not-cyclonedx"),
    )
    w(
        "deep-nesting--bom.xml",
        '<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6">'
        + "<a>" * 50000
        + "</a>" * 50000
        + "</bom>\n",
    )
    w("utf16--bom.xml", CDXX.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))

    SPDX = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "app",
        "documentNamespace": "https://example.invalid/app",
        "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: x"]},
        "packages": [
            {"SPDXID": "SPDXRef-app", "name": "app", "versionInfo": "1.0", "downloadLocation": "NOASSERTION"},
            {
                "SPDXID": "SPDXRef-django",
                "name": "Django",
                "versionInfo": "5.1.4",
                "downloadLocation": "NOASSERTION",
                "externalRefs": [
                    {
                        "referenceCategory": "PACKAGE-MANAGER",
                        "referenceType": "purl",
                        "referenceLocator": "pkg:pypi/django@5.1.4",
                    }
                ],
            },
        ],
        "relationships": [
            {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-app"},
            {"spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-django"},
        ],
    }

    def spdx(**changes):
        return json.dumps({**SPDX, **changes}, indent=2)

    SPDX_TEXT = spdx()
    w("truncated--sbom.spdx.json", SPDX_TEXT[: SPDX_TEXT.index('"Django"') + 3])
    w("packages-object--sbom.spdx.json", spdx(packages={"a": 1}))
    w("spdx-version-3--sbom.spdx.json", spdx(spdxVersion="SPDX-3.0"))
    w(
        "cyclic-relationships--sbom.spdx.json",
        spdx(
            relationships=SPDX["relationships"]
            + [
                {
                    "spdxElementId": "SPDXRef-django",
                    "relationshipType": "DEPENDS_ON",
                    "relatedSpdxElement": "SPDXRef-app",
                },
                {
                    "spdxElementId": "SPDXRef-django",
                    "relationshipType": "DEPENDS_ON",
                    "relatedSpdxElement": "SPDXRef-django",
                },
            ]
        ),
    )
    w(
        "dangling-relationship--sbom.spdx.json",
        spdx(
            relationships=SPDX["relationships"]
            + [
                {
                    "spdxElementId": "SPDXRef-app",
                    "relationshipType": "DEPENDS_ON",
                    "relatedSpdxElement": "SPDXRef-nowhere",
                }
            ]
        ),
    )
    w("deep-nesting--sbom.spdx.json", '{"spdxVersion": "SPDX-2.3", "packages": ' + "[" * 100000 + "]" * 100000 + "}")
    w("name-int--sbom.spdx.json", spdx(packages=[{"SPDXID": "SPDXRef-x", "name": 5, "versionInfo": "1"}]))

    TV = (
        "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: app\nDocumentNamespace: https://example.invalid/app\n"
        "Creator: Tool: x\nCreated: 2024-01-01T00:00:00Z\n\nPackageName: app\nSPDXID: SPDXRef-app\nPackageVersion: 1.0\nPackageDownloadLocation: NOASSERTION\n\n"
        "PackageName: Django\nSPDXID: SPDXRef-django\nPackageVersion: 5.1.4\nPackageDownloadLocation: NOASSERTION\n"
        "ExternalRef: PACKAGE-MANAGER purl pkg:pypi/django@5.1.4\n\n"
        "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-app\nRelationship: SPDXRef-app DEPENDS_ON SPDXRef-django\n"
    )
    w("truncated--sbom.spdx", TV[: TV.index("ExternalRef") + 14])
    w("relationship-short--sbom.spdx", TV + "Relationship: SPDXRef-app DEPENDS_ON\n")
    w(
        "cyclic--sbom.spdx",
        TV
        + "Relationship: SPDXRef-django DEPENDS_ON SPDXRef-app\nRelationship: SPDXRef-django DEPENDS_ON SPDXRef-django\n",
    )
    w("unclosed-text--sbom.spdx", TV.replace("PackageVersion: 5.1.4", "PackageComment: <text>never closed"))
    w("binary--sbom.spdx", b"SPDXVersion: SPDX-2.3\n\x00\x00\xff\xfe")
    w("package-without-spdxid--sbom.spdx", TV.replace("SPDXID: SPDXRef-django\n", ""))
    # Python refuses int() of strings over 4300 digits with ValueError (not InvalidVersion): packaging raised it
    w(
        "absurd-version-5000-digits--bom.json",
        cdx(
            components=[
                {
                    "bom-ref": "django",
                    "type": "library",
                    "name": "Django",
                    "version": "9" * 5000,
                    "purl": "pkg:pypi/django@" + "9" * 5000,
                }
            ]
        ),
    )
    w("absurd-version-5000-digits--requirements.txt", "django==" + "9" * 5000 + "\n")
    w("absurd-version-5000-digits--uv.lock", UV_HEAD + UV_ROOT + UV_DJ.replace('"5.1.4"', '"' + "9" * 5000 + '"'))
    w(
        "absurd-requires-python--pyproject.toml",
        '[project]\nname = "app"\nrequires-python = ">=' + "3" * 5000 + '"\ndependencies = ["django"]\n',
    )
    w("absurd-caret--poetry.lock", PO.replace('asgiref = ">=3.8.1"', 'asgiref = "^' + "1" * 5000 + '"'))
    w(
        "absurd-version--Pipfile.lock",
        json.dumps({**PLK, "default": {"django": {"version": "==" + "9" * 5000}}}, indent=4),
    )

    # A second top-level array: json keeps the last, other readers the first.
    w("duplicate-components--bom.json", CDX_TEXT[:-2] + ',\n  "components": []\n}')
    w("duplicate-packages--sbom.spdx.json", SPDX_TEXT[:-2] + ',\n  "packages": []\n}')


if __name__ == "__main__":
    main(out)
