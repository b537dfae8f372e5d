"""Every registered resolver, on arbitrary and mutated input: a result or a located InputError.

Parametrized over every registered resolver (``auditor.resolvers.all_resolvers``), so a new format is fuzzed
without touching this file. Seeds are the committed ``examples/``,
``tests/corpus/`` and ``tests/bad_inputs/`` files and the shared corpus when
it is present.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from auditor.resolvers import Resolver, all_resolvers
from tests.hardening.fuzzkit import CANONICAL_NAMES, check_parse, mutate, seed_path, seeds_for

RESOLVERS = all_resolvers()

pytestmark = pytest.mark.property

RESOLVER_PARAMS = [pytest.param(resolver, id=resolver.name) for resolver in RESOLVERS]

# Arbitrary text: unicode text, raw bytes seen as Latin-1 (NULs, control bytes), and
# lines built from the format's own punctuation.
ARBITRARY = st.one_of(
    st.text(max_size=2000),
    st.binary(max_size=2000).map(lambda data: data.decode("latin-1")),
    st.lists(
        st.sampled_from(
            [
                "[[package]]",
                'name = "a"',
                'version = "1"',
                "[project]",
                "dependencies = [",
                '"x>=1",',
                "]",
                "{",
                "}",
                '"a": [',
                "<bom>",
                "</bom>",
                "-r x.txt",
                "a==1",
                "#",
            ]
        ),
        max_size=60,
    ).map("\n".join),
)


@pytest.mark.parametrize("resolver", RESOLVER_PARAMS)
@given(text=ARBITRARY, name=st.sampled_from(CANONICAL_NAMES))
def test_arbitrary_text_parses_or_fails_located(resolver: Resolver, text: str, name: str) -> None:
    """Arbitrary text under any canonical name: a result or InputError(file, line >= 0), in bounded time."""
    check_parse(resolver, text, seed_path(resolver, name))


@pytest.mark.parametrize("resolver", RESOLVER_PARAMS)
@settings(suppress_health_check=(HealthCheck.too_slow, HealthCheck.data_too_large))
@given(data=st.data())
def test_mutated_real_files_parse_or_fail_located(resolver: Resolver, data: st.DataObject) -> None:
    """Real files of the resolver's format, mutated (truncation, noise, wrong-typed values, line shuffles)."""
    seeds = seeds_for(resolver)
    if not seeds:
        pytest.fail(f"no seed file for resolver {resolver.name!r}: commit one under tests/corpus/{resolver.name}/")
    name, text = seeds[data.draw(st.integers(0, len(seeds) - 1), label="seed index")]
    note(f"seed: {name} ({len(text)} chars)")
    rng = random.Random(data.draw(st.integers(0, 2**32 - 1), label="rng seed"))
    mutated = mutate(text, rng, data.draw(st.integers(1, 4), label="rounds"))
    note(f"mutated text: {mutated[:2000]!r}")
    check_parse(resolver, mutated, seed_path(resolver, name))


@pytest.mark.parametrize("resolver", RESOLVER_PARAMS)
@given(data=st.data())
def test_other_formats_are_rejected_located(resolver: Resolver, data: st.DataObject) -> None:
    """A real file of another format, handed to this resolver (a wrong --input-format): no traceback."""
    pool = [seed for other in RESOLVERS if other is not resolver for seed in seeds_for(other)]
    if not pool:
        pytest.skip("only one resolver registered")
    name, text = pool[data.draw(st.integers(0, len(pool) - 1), label="foreign seed index")]
    note(f"foreign seed: {name} ({len(text)} chars)")
    check_parse(resolver, text, seed_path(resolver, name))
